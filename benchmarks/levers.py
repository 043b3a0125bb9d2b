"""What-if runs for the loader: which change pays, measured, not guessed?

Not a product: this takes the real Sphinx build of our pages and makes variants of
it in a temporary folder, then measures them with ``run.py``'s machinery (fresh
browser per run, runs interleaved, median of ``--runs``):

* ``shipped``: the page and loader exactly as built. The benchmark site serves
  stlite from a custom URL, so its head hints stlite.js and stlite.css only;
* ``no-hints``: the same page without those ``<head>`` hints;
* ``chunk-hint``: also a modulepreload of stlite's 4.5 MB main chunk, as pages get
  with the default CDN build or a self-contained site (the name is known there);
* ``preload-all``: also ``<link rel=preload as=fetch crossorigin>`` for what the
  worker fetches (Pyodide's wasm, stdlib, lock, asm.js, pyodide.mjs, the Streamlit
  wheels), to see whether the worker reuses them;
* ``eager-600px``: the loader's earlier mounting, patched back into its readable
  source: every app within 600px of the viewport mounts at once (the first app does not
  boot Python alone).

Pages: the 1-app page, the 6-app page (all visible) and the 20-app page (first
app), plus the bare boot. ``--net 50,40`` serves everything over an emulated
50 Mbit/s, 40 ms link, where fetching early matters more than on loopback.

Usage::

    python benchmarks/levers.py [--runs 3] [--net MBIT,RTT_MS] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bench_pages
import run as bench
from browser_support import blocking_proxy
from offline_dist import ensure_distribution
from playwright.sync_api import sync_playwright

VARIANTS = ("shipped", "no-hints", "chunk-hint", "preload-all", "eager-600px")
PAGES = (("ours", 1), ("ours", 6), ("lazy", bench.LAZY_COUNT))

REPO = Path(__file__).resolve().parent.parent
_HINT_RE = re.compile(r'<link rel="(?:module)?preload"[^>]*>\n?')


def worker_hints() -> str:
    """``preload-all``: hints for what the worker fetches (never consumed by the page)."""
    fetches = [
        f"{bench_pages.DIST}/pyodide/{name}"
        for name in ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
                     "pyodide.asm.js", "pyodide.mjs")
    ] + [bench_pages.STREAMLIT_WHEEL, bench_pages.STLITE_LIB_WHEEL]
    return "".join(f'<link rel="preload" as="fetch" crossorigin href="{u}">\n' for u in fetches)


def patch_eager(src: Path) -> None:
    """The loader's mounting before this session's priority order, patched into a copy of
    its modules: every app within 600px of the viewport mounts at once (no first app booting
    alone), later ones as they come within 600px."""
    for name, pattern, replacement in (
        ("page.js", r"let first = true;", "let first = false;"),
        ("schedule.js", r"const AHEAD = 3;", "const AHEAD = 600 / innerHeight;"),
        ("schedule.js", r"anyVisible \? 0 :", "anyVisible ? 600 :"),
        ("page.js", r"    if \(reach !== undefined\) mountNext\(reach\);\n  \}\);",
         '    if (reach !== undefined) mountNext(reach);\n  }, { rootMargin: "600px 0px" });'),
    ):
        path = src / name
        patched, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"))
        if count != 1:
            raise SystemExit(f"levers: the loader changed; update patch_eager() ({pattern})")
        path.write_text(patched, encoding="utf-8")


def build_loader(src: Path, outdir: Path) -> None:
    """The loader's files, built from ``src`` (a patched copy of loader/src)."""
    subprocess.run(["node", str(REPO / "loader" / "build.mjs"), "--src", str(src),
                    "--outdir", str(outdir)], cwd=REPO, check=True, capture_output=True)


def make_variants(docs: Path, dist: Path, root: Path) -> dict[str, str]:
    """Copy the built site once per variant; return variant -> URL prefix."""
    prefixes: dict[str, str] = {}
    for variant in VARIANTS:
        folder = root / f"docs-{variant}"
        shutil.copytree(docs, folder)
        if variant in ("chunk-hint", "preload-all"):
            bench.hint_chunk(folder, dist / "stlite")  # as run.py's pages have it
        for page in folder.glob("ours-*.html"):
            html = page.read_text(encoding="utf-8")
            if variant == "no-hints":
                html, count = _HINT_RE.subn("", html)
                if not count:
                    raise SystemExit("levers: the built page has no hints to remove")
            elif variant == "preload-all":
                html = html.replace("<head>", "<head>\n" + worker_hints(), 1)
            page.write_text(html, encoding="utf-8")
        if variant == "eager-600px":
            # patched in the loader's modules, then built as the shipped files are
            src = root / "loader-eager-600px"
            shutil.copytree(REPO / "loader" / "src", src)
            patch_eager(src)
            build_loader(src, folder / "_static")
        prefixes[variant] = f"/{folder.name}"
    return prefixes


def summarize(runs: Sequence[bench.Run]) -> dict[str, Any]:
    good = [r for r in runs if r.ok]

    def med(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    first_paint = []  # ms from the first app's loadFinished to its output visible
    for r in good:
        ph = bench.phases(r)
        if "app running (loadFinished)" in ph and "first app's output visible" in ph:
            first_paint.append(ph["first app's output visible"] - ph["app running (loadFinished)"])
    return {
        "runs": len(runs),
        "ok": len(good),
        # within-run differences: less sensitive to other load on the machine than totals
        "tail_seconds": med([r.seconds - r.first_seconds for r in good
                             if r.seconds is not None and r.first_seconds is not None]),
        "first_paint_ms": med(first_paint),
        "seconds": med([r.seconds for r in good if r.seconds is not None]),
        "first_seconds": med([r.first_seconds for r in good if r.first_seconds is not None]),
        "repeated_urls": sorted({u for r in runs for u in r.repeated_urls}),
        "preload_not_used": sorted({
            m.group(1).rsplit("/", 1)[-1]
            for r in runs for c in r.console
            if (m := re.search(r"resource (\S+) was preloaded using link preload but not used",
                               c))
        }),
        "phases_ms": bench._median_phases(good),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--net", metavar="MBIT,RTT_MS")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--variants", type=lambda s: s.split(","), default=list(VARIANTS))
    args = parser.parse_args(argv)
    link = None
    if args.net:
        mbit, rtt = (float(x) for x in args.net.split(","))
        link = bench.Link(mbit, rtt)
    dist = ensure_distribution()
    tmp = Path(tempfile.mkdtemp(prefix="stlite-levers-"))
    runs: dict[str, list[bench.Run]] = {}
    try:
        bench_pages.write_site(tmp / "site", [])
        bench_pages.write_ours_sphinx(tmp / "src", sorted({n for _, n in PAGES}))
        bench._build([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
                      str(tmp / "src"), str(tmp / "docs")])
        prefixes = make_variants(tmp / "docs", dist.root, tmp)
        mounts = {"/_dist": dist.root, "/site": tmp / "site",
                  **{p: tmp / p.lstrip("/") for p in prefixes.values()}}
        with bench.serve(mounts, link) as server, blocking_proxy() as proxy, \
                sync_playwright() as pw:
            b = bench.Bench(pw, server, proxy, bench.QuietWait(60.0))
            for r in range(args.runs):
                runs.setdefault("bare", []).append(bench.measure(b, "bare", 1, r))
                for variant in args.variants:
                    for strategy, n in PAGES:
                        run = bench.measure(b, strategy, n, r, docs=prefixes[variant])
                        key = f"{variant} | {bench._key(strategy, n)}"
                        runs.setdefault(key, []).append(run)
                        print(f"run {r + 1} {key}: {run.seconds or 0:.2f} s "
                              f"(first {run.first_seconds or 0:.2f} s) "
                              f"{'ok' if run.ok else run.error}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {k: summarize(v) for k, v in runs.items()}
    bare = summary["bare"]["seconds"]
    print(f"\nnetwork: {link.describe() if link else 'loopback'}; bare boot {bare:.2f} s; "
          f"median of {args.runs}")
    print("| variant | 1 app, s | 6 apps all visible, s | 6 vs 1 | 20-app first, s | "
          "20 vs 1 | 1 app vs bare | 20-app first vs bare | 6 apps: first to last, s | "
          "loadFinished to first output, ms (1 / 6 / 20 apps) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for variant in args.variants:
        one = summary[f"{variant} | ours 1"]["seconds"]
        six = summary[f"{variant} | ours 6"]["seconds"]
        lazy = summary[f"{variant} | ours {bench.LAZY_COUNT} lazy"]["first_seconds"]
        if one is None or six is None or lazy is None:
            print(f"| {variant} | failed runs |")
            continue
        tail = summary[f"{variant} | ours 6"]["tail_seconds"] or 0.0
        paints = " / ".join(
            f"{summary[f'{variant} | {k}']['first_paint_ms'] or 0:.0f}"
            for k in ("ours 1", "ours 6", f"ours {bench.LAZY_COUNT} lazy")
        )
        print(f"| {variant} | {one:.2f} | {six:.2f} | {six / one:.2f}x | {lazy:.2f} | "
              f"{lazy / one:.2f}x | {one / bare:.2f}x | {lazy / bare:.2f}x | {tail:.2f} | "
              f"{paints} |")
    for key, s in summary.items():
        if s["repeated_urls"] or s["preload_not_used"]:
            print(f"{key}: fetched more than once: {s['repeated_urls']}; "
                  f"'preloaded but not used' warnings: {s['preload_not_used']}")
    if args.json:
        args.json.write_text(json.dumps({"network": link.describe() if link else "loopback",
                                         "summary": summary}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
