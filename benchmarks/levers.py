"""What-if runs for the loader: which change pays, measured, not guessed?

Not a product: this takes the real Sphinx build of our pages and makes variants of
it in a temporary folder, then measures them with ``run.py``'s machinery (fresh
browser per run, runs interleaved, median of ``--runs``):

* ``shipped``: the page and loader exactly as built. On the loopback the benchmark site
  serves stlite from a custom URL, so its head hints stlite.js and stlite.css only;
* ``no-hints``: the same page without those ``<head>`` hints;
* ``chunk-hint``: also a modulepreload of stlite's 4.5 MB main chunk, as pages get
  with the default CDN build or a self-contained site (the name is known there);
* ``preload-all``: also ``<link rel=preload as=fetch crossorigin>`` for what the
  worker fetches (Pyodide's wasm, stdlib, lock, asm.js, pyodide.mjs, the Streamlit
  wheels), to see whether the worker reuses them;
* ``eager-600px``: the loader's earlier mounting, patched back into a copy of its modules
  and built as the shipped files are: every app within 600px of the viewport mounts at once
  (the first app does not boot Python alone);
* ``early-worker``: ``chunk-hint`` plus ``prototypes/early_worker.js`` bundled into the
  loader's entry: stlite's worker, taken out of the build (``stlite_docs.worker_script``)
  and served next to the loader, starts when the page first asks for stlite, so Pyodide and
  the system packages load while the loader's second part and stlite's chunk download;
  stlite's own connections are steered to it (see ``patch_early_worker``).

Pages: the 1-app and 6-app pages (all apps visible) and the 20-app page (first app),
plus the bare boot. Besides times, each variant reports when the first request for
``pyodide.mjs`` reached the server (ms after navigation), peak memory, and the shared
workers the browser had. ``--net 50,40`` serves everything over an emulated 50 Mbit/s,
40 ms link, where fetching early matters more than on loopback; ``--transport cdn`` serves
stlite and Pyodide from the CDN-like host (``cdn.py``) with pages built on the defaults.

Usage::

    python benchmarks/levers.py [--runs 3] [--variants shipped,early-worker]
        [--net MBIT,RTT_MS] [--transport loopback|cdn] [--json out.json]
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bench_pages
import report
import run as bench
from bench_pages import DistUrls
from browser_support import blocking_proxy
from offline_dist import ensure_distribution
from playwright.sync_api import sync_playwright

from stlite_docs.worker_script import worker_from_build

VARIANTS = ("shipped", "no-hints", "chunk-hint", "preload-all", "eager-600px", "early-worker")
REPO = Path(__file__).resolve().parent.parent
PROTOTYPES = REPO / "benchmarks" / "prototypes"
EARLY_WORKER_JS = "early_worker.js"
PAGES = (bench.PageSpec("ours", 1), bench.PageSpec("ours", 6), bench.long_page())

_HINT_RE = re.compile(r'<link rel="(?:module)?preload"[^>]*>\n?')


def worker_hints(urls: DistUrls) -> str:
    """``preload-all``: hints for what the worker fetches (never consumed by the page)."""
    fetches = [
        urls.pyodide_base + name
        for name in ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
                     "pyodide.asm.js", "pyodide.mjs")
    ] + [urls.wheel(bench_pages.STREAMLIT_WHEEL), urls.wheel(bench_pages.STLITE_LIB_WHEEL)]
    return "".join(f'<link rel="preload" as="fetch" crossorigin href="{u}">\n' for u in fetches)


def _patch(path: Path, pattern: str, replacement: str, what: str) -> None:
    """Replace ``pattern`` (exactly once) in a copy of a loader module."""
    patched, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"))
    if count != 1:
        raise SystemExit(f"levers: the loader changed; update {what}() ({path.name}: {pattern})")
    path.write_text(patched, encoding="utf-8")


def patch_eager(src: Path) -> None:
    """The loader's mounting before the first app booted alone, patched into a copy of its
    modules: every app within 600px of the viewport mounts at once, later ones as they come
    within 600px."""
    for name, pattern, replacement in (
        ("page.js", r"let first = true;", "let first = false;"),
        ("schedule.js", r"const AHEAD = 3;", "const AHEAD = 600 / innerHeight;"),
        ("schedule.js", r"anyVisible \? 0 :", "anyVisible ? 600 :"),
        ("page.js", r"    if \(reach !== undefined\) mountNext\(reach\);\n  \}\);",
         '    if (reach !== undefined) mountNext(reach);\n  }, { rootMargin: "600px 0px" });'),
    ):
        _patch(src / name, pattern, replacement, "patch_eager")


#: The glue the early-worker prototype needs in page.js (see early_worker.js), with marks for
#: the benchmark's in-page timeline. Integrated, the worker's settings would come from
#: settings.js; here the loader tag is looked up again.
_EARLY_GLUE = """
  const tag = document.querySelector("script[data-stlite-worker]");
  /** @type {import("./early_worker.js").EarlyWorker | null} */
  let early = null;
  const benchMark = (/** @type {string} */ what) =>
    /** @type {any} */ (window).__benchMarks?.push([Math.round(performance.now()), "early", "",
      what]);
"""
_EARLY_START = """\\1      early = startEarlyWorker(earlyWorkerOptions(tag,
        /** @type {HTMLScriptElement | null} */ (tag)?.src || location.href, settings.stliteBase,
        settings.pyodideUrl));
      if (early) benchMark("started");
      early?.ready.then((ok) => benchMark(ok ? "answered" : "failed"));
"""
_EARLY_MOUNT = """\\1    if (early) await early.ready;
    const steer = early;
    /** @type {import("./mount.js").Stlite} */
    const steered = steer
      ? {
          mount(/** @type {object} */ o, /** @type {HTMLElement} */ t) {
            const controller = steer.mount(() => runtime.mount(o, t));
            benchMark(`steered ${steer.stats.steered}`);
            return controller;
          },
        }
      : runtime;
    app.controller = m.mountApp(steered,"""


def patch_early_worker(src: Path) -> None:
    """The loader plus the early worker, in a copy of its modules (page.js only): started where
    the page first asks for stlite (the prewarm at load, or the first app about to mount), so
    it is bundled into the loader's entry; awaited before an app mounts (it answers long
    before stlite's chunk is evaluated); and stlite's ``mount()`` runs through it."""
    page = src / "page.js"
    page.write_text('import { earlyWorkerOptions, startEarlyWorker } from "./early_worker.js";\n'
                    + page.read_text(encoding="utf-8"), encoding="utf-8")
    for pattern, replacement in (
        (r"(  let stlite;\n)", r"\1" + _EARLY_GLUE.replace("\\", "\\\\")),
        (r"(    if \(!stlite\) \{\n)", _EARLY_START),
        (r"(\n)    app\.controller = m\.mountApp\(runtime,", _EARLY_MOUNT),
    ):
        _patch(page, pattern, replacement, "patch_early_worker")
    shutil.copyfile(PROTOTYPES / EARLY_WORKER_JS, src / EARLY_WORKER_JS)


def build_loader(src: Path, outdir: Path) -> None:
    """The loader's files, built from ``src`` (a patched copy of loader/src)."""
    subprocess.run(["node", str(REPO / "loader" / "build.mjs"), "--src", str(src),
                    "--outdir", str(outdir)], cwd=REPO, check=True, capture_output=True)


def patched_loader(root: Path, variant: str, patch: Callable[[Path], None],
                   outdir: Path) -> None:
    """Patch a copy of the loader's modules, then build them as the shipped files are."""
    src = root / f"loader-{variant}"
    shutil.copytree(REPO / "loader" / "src", src)
    patch(src)
    build_loader(src, outdir)


def add_early_worker(folder: Path, stlite_dir: Path, root: Path) -> None:
    """The loader with the prototype, and the worker taken out of the build next to it; the
    pages' loader tag gets what the build would emit for it."""
    worker = worker_from_build(stlite_dir)
    static = folder / "_static"
    (static / worker.file_name).write_bytes(worker.source)
    patched_loader(root, "early-worker", patch_early_worker, static)
    wheels = " ".join(f"{name}={path}" for name, path in sorted(worker.wheels.items()))
    attributes = (f'data-stlite-worker="{worker.file_name}" '
                  f'data-stlite-worker-check="{worker.data_url_check}" '
                  f'data-stlite-wheels="{wheels}" data-stlite-js=')
    for page in folder.glob("ours-*.html"):
        html = page.read_text(encoding="utf-8")
        if html.count("data-stlite-js=") != 1:
            raise SystemExit(f"levers: {page.name} has no single loader tag")
        page.write_text(html.replace("data-stlite-js=", attributes), encoding="utf-8")


def make_variants(docs: Path, stlite_dir: Path, root: Path, urls: DistUrls,
                  variants: Sequence[str]) -> dict[str, str]:
    """Copy the built site once per variant; return variant -> URL prefix."""
    prefixes: dict[str, str] = {}
    for variant in variants:
        folder = root / f"docs-{variant}"
        shutil.copytree(docs, folder)
        if urls.custom and variant in ("chunk-hint", "preload-all", "early-worker"):
            bench.hint_chunk(folder, stlite_dir, urls)  # as default and vendored builds have it
        for page in folder.glob("ours-*.html"):
            html = page.read_text(encoding="utf-8")
            if variant == "no-hints":
                html, count = _HINT_RE.subn("", html)
                if not count:
                    raise SystemExit("levers: the built page has no hints to remove")
            elif variant == "preload-all":
                html = html.replace("<head>", "<head>\n" + worker_hints(urls), 1)
            page.write_text(html, encoding="utf-8")
        if variant == "early-worker":
            add_early_worker(folder, stlite_dir, root)
        if variant == "eager-600px":
            patched_loader(root, variant, patch_eager, folder / "_static")
        prefixes[variant] = f"/{folder.name}"
    return prefixes


def _stat(values: Sequence[float | None]) -> dict[str, float] | None:
    kept = [v for v in values if v is not None]
    return {"median": statistics.median(kept), "min": min(kept), "max": max(kept)} if kept else None


def summarize(runs: Sequence[bench.Run]) -> dict[str, Any]:
    good = [r for r in runs if r.ok]
    phases = [bench.phases(r) for r in good]
    first_paint = [p["first app's output visible"] - p["app running (loadFinished)"]
                   for p in phases
                   if "app running (loadFinished)" in p and "first app's output visible" in p]
    steered = sorted({int(m[3].split()[-1]) for r in good for m in r.marks
                      if m[1] == "early" and m[3].startswith("steered")})
    return {
        "runs": len(runs),
        "ok": len(good),
        "errors": [r.error for r in runs if r.error],
        "seconds": _stat([r.seconds for r in good]),
        "first_seconds": _stat([r.first_seconds for r in good]),
        # within-run differences: less sensitive to other load on the machine than totals
        "tail_seconds": _stat([r.seconds - r.first_seconds for r in good
                               if r.seconds is not None and r.first_seconds is not None]),
        "first_paint_ms": _stat(first_paint),
        "pyodide_requested_ms": _stat([p.get(bench.PYODIDE_REQUESTED) for p in phases]),
        "peak_rss_mib": _stat([r.peak_rss_mib for r in good]),
        "peak_pss_mib": _stat([r.peak_pss_mib for r in good]),
        "shared_workers": max((r.targets.get("shared_worker", 0) for r in runs), default=0),
        "workers": max((r.targets.get("worker", 0) for r in runs), default=0),
        "steered": steered,
        "early_failed": any(m[1] == "early" and m[3] == "failed" for r in runs for m in r.marks),
        "repeated_urls": sorted({u for r in runs for u in r.repeated_urls}),
        "preload_not_used": sorted({
            m.group(1).rsplit("/", 1)[-1]
            for r in runs for c in r.console
            if (m := re.search(r"resource (\S+) was preloaded using link preload but not used",
                               c))
        }),
        "phases_ms": bench.median_phases(good),
    }


def table(summary: dict[str, dict[str, Any]], variants: Sequence[str]) -> str:
    bare = summary["bare"]["seconds"]
    one, six, long = (p.key for p in PAGES)
    lines = [
        "| variant | 1 app, s | 6 apps, s | 20-app page, first app, s | 1 app / bare | "
        "pyodide.mjs requested, ms (1 / 6 / 20 apps) | peak RSS 1 app, MiB | "
        "peak PSS 1 app, MiB | shared workers |",
        "|---|---|---|---|---:|---|---|---|---:|",
    ]
    for variant in variants:
        s = {k: summary[f"{variant}: {k}"] for k in (one, six, long)}
        ratio = ("n/a" if not (s[one]["seconds"] and bare)
                 else f"{s[one]['seconds']['median'] / bare['median']:.2f}x")
        requested = " / ".join(report.median(s[k]["pyodide_requested_ms"]) for k in s)
        lines.append(
            f"| {variant} | {report.spread(s[one]['seconds'], 2)} | "
            f"{report.spread(s[six]['seconds'], 2)} | {report.spread(s[long]['first_seconds'], 2)}"
            f" | {ratio} | {requested} | {report.spread(s[one]['peak_rss_mib'], 0)} | "
            f"{report.spread(s[one]['peak_pss_mib'], 0)} | "
            f"{max(v['shared_workers'] for v in s.values())} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--net", metavar="MBIT,RTT_MS")
    parser.add_argument("--transport", choices=("loopback", "cdn"), default="loopback")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--variants", type=lambda s: s.split(","), default=list(VARIANTS))
    args = parser.parse_args(argv)
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from {', '.join(VARIANTS)}")
    link = None
    if args.net:
        mbit, rtt = (float(x) for x in args.net.split(","))
        link = bench.Link(mbit, rtt)
    dist = ensure_distribution()
    tmp = Path(tempfile.mkdtemp(prefix="stlite-levers-"))
    runs: dict[str, list[bench.Run]] = {}
    log: list[bench.Served] = []
    config = bench.ServerConfig({"/_dist": dist.root}, log, link)
    try:
        with bench.dist_transport(args.transport, dist.root, config, tmp) as transport:
            urls = transport.urls
            bench_pages.write_site(tmp / "site", [], urls)
            bench_pages.write_ours_sphinx(
                tmp / "src", sorted({(p.file_layout, p.apps) for p in PAGES}), urls)
            bench._build([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html",
                          str(tmp / "src"), str(tmp / "docs")])
            prefixes = make_variants(tmp / "docs", dist.stlite_dir, tmp, urls, args.variants)
            config.mounts.update({"/site": tmp / "site",
                                  **{p: tmp / p.lstrip("/") for p in prefixes.values()}})
            with bench.serve(config) as server, blocking_proxy() as proxy, \
                    sync_playwright() as pw:
                b = bench.Bench(pw, server, proxy, bench.QuietWait(60.0),
                                transport.browser_args)
                for r in range(args.runs):
                    runs.setdefault("bare", []).append(bench.measure(b, bench.PageSpec("bare", 1),
                                                                     r))
                    for variant in args.variants:
                        for spec in PAGES:
                            run = bench.measure(b, spec, r, docs=prefixes[variant])
                            key = f"{variant}: {spec.key}"
                            runs.setdefault(key, []).append(run)
                            print(f"run {r + 1} {key}: {run.seconds or 0:.2f} s "
                                  f"(first {run.first_seconds or 0:.2f} s) "
                                  f"{'ok' if run.ok else run.error}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {k: summarize(v) for k, v in runs.items()}
    network = link.describe() if link else "loopback"
    print(f"\ntransport: {transport.name}; network: {network}; bare boot "
          f"{report.spread(summary['bare']['seconds'], 2)} s; median [min-max] of {args.runs}")
    print(table(summary, args.variants))
    for key, s in summary.items():
        if s["repeated_urls"] or s["preload_not_used"] or s["early_failed"]:
            print(f"{key}: fetched more than once: {s['repeated_urls']}; 'preloaded but not "
                  f"used' warnings: {s['preload_not_used']}; early worker failed: "
                  f"{s['early_failed']}")
    print("\nwhere the first app's time goes (1-app page):")
    print(report.phase_table(summary, ["bare", *(f"{v}: {PAGES[0].key}" for v in args.variants)]))
    if args.json:
        args.json.write_text(json.dumps({"network": network, "transport": transport.name,
                                         "summary": summary}, indent=1) + "\n")
    return 0 if all(r.ok for rs in runs.values() for r in rs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
