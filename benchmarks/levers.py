"""What-if runs for the loader: which change pays, measured, not guessed?

Not a product: this takes the real Sphinx build of our pages and makes variants of
it in a temporary folder, then measures them with the runtime benchmark's machinery
(``measure.py``: fresh browser per run, runs interleaved, median of ``--runs``):

* ``shipped``: the page and loader exactly as built: on the CDN transport with the default
  settings, which serve stlite's worker next to the loader (``stlite_docs.worker_script``),
  so the loader starts Python when the page first asks for stlite, and hint only
  stlite.css; on the loopback the same page, its stlite and Pyodide URLs pointed at the
  loopback (``servers.to_loopback``);
* ``no-hints``: the same page without its ``<head>`` hints;
* ``chunk-hint``: also modulepreloads of stlite.js and its 4.5 MB main chunk, as pages
  without a worker file get them;
* ``preload-all``: also ``<link rel=preload as=fetch crossorigin>`` for what the
  worker fetches (Pyodide's wasm, stdlib, lock, asm.js, pyodide.mjs, the Streamlit
  wheels), to see whether the worker reuses them;
* ``eager-600px``: the loader's earlier mounting, patched back into a copy of its modules
  and built as the shipped files are: every app within 600px of the viewport mounts at once
  (the first app does not boot Python alone);
* ``no-early``: without the worker file, with the chunk hints (what a site on another stlite
  gets): stlite starts its worker once its chunk is evaluated; what the early start is worth;
* ``prewarm-stlite``: the prewarm loads stlite (its 4.5 MB chunk, evaluated) with Python,
  where the shipped loader starts Python alone and loads stlite with the first app to mount;
* ``premount``: also, with no app in view at load, the prewarm mounts the nearest app
  wherever it is (the loader before the early worker), where the shipped loader mounts only
  apps within three screens;
* ``parse-start``: without the tag's ``data-page-starts``: Python starts once the parser
  reaches the first app, not as the loader runs;
* ``stlite-after-boot``: stlite (its chunk fetched and evaluated, the app's frontend mounted)
  only once the early worker reports Pyodide booted, so the main thread's work overlaps the
  worker's single-threaded installs rather than Pyodide's download and compile.

Pages (``--pages``): ``1`` and ``6`` (apps all visible), ``20`` (the 20-app page, first app),
``reached`` (one app four screens down, scrolled to after 12 s: the time from the scroll to
its output), plus the bare boot. Besides times, each variant reports when the first request
for ``pyodide.mjs`` reached the server (ms after the page's), peak memory, and the workers
the page constructed (a file: the early worker, and stlite's connections steered to it; a
blob: stlite's own). ``--net 50,40`` serves everything over an emulated 50 Mbit/s, 40 ms link,
where fetching early matters more than on loopback; ``--transport cdn`` serves stlite and
Pyodide from the CDN-like host (``cdn.py``) with pages built on the defaults.

Usage::

    python -m benchmarks.levers [--runs 3] [--variants shipped,no-early] [--pages 1,6,reached]
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
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from benchmarks import bench_pages, report
from benchmarks.bench_pages import DistUrls
from benchmarks.measure import (
    FIRST_APP_TIMEOUT,
    PYODIDE_REQUESTED,
    Bench,
    QuietWait,
    Run,
    measure,
    median_phases,
    phases,
    wait_shown,
)
from benchmarks.plan import PageSpec, long_page
from benchmarks.servers import (
    Link,
    Served,
    ServerConfig,
    chunk_hints,
    dist_transport,
    serve,
    to_loopback,
)
from testbed.browser import blocking_proxy
from testbed.build import build_sphinx
from testbed.offline_dist import ensure_distribution

VARIANTS = (
    "shipped",
    "no-hints",
    "chunk-hint",
    "preload-all",
    "eager-600px",
    "no-early",
    "prewarm-stlite",
    "premount",
    "parse-start",
    "stlite-after-boot",
)
REPO = Path(__file__).resolve().parent.parent
PAGES = {
    "1": PageSpec("ours", 1),
    "6": PageSpec("ours", 6),
    "20": long_page(),
    "reached": PageSpec("ours", 1, "unreached"),
}
#: The ``reached`` page: seconds after navigation at which the reader scrolls to the app.
REACH_AFTER = 12.0

_HINT_RE = re.compile(r'<link rel="(?:module)?preload"[^>]*>\n?')
_WORKER_ATTR_RE = re.compile(r'\s+data-stlite-(?:worker|worker-check|wheels)="[^"]*"')


def worker_hints(urls: DistUrls) -> str:
    """``preload-all``: hints for what the worker fetches (never consumed by the page)."""
    fetches = [
        urls.pyodide_base + name
        for name in (
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
            "pyodide.asm.js",
            "pyodide.mjs",
        )
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
        (
            "page.js",
            r"    if \(reach !== undefined\) mountNext\(reach\);\n  \}\);",
            '    if (reach !== undefined) mountNext(reach);\n  }, { rootMargin: "600px 0px" });',
        ),
    ):
        _patch(src / name, pattern, replacement, "patch_eager")


def build_loader(src: Path, outdir: Path) -> None:
    """The loader's files, built from ``src`` (a patched copy of loader/src)."""
    subprocess.run(
        ["node", str(REPO / "loader" / "build.mjs"), "--src", str(src), "--outdir", str(outdir)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )


def patched_loader(root: Path, variant: str, patch: Callable[[Path], None], outdir: Path) -> None:
    """Patch a copy of the loader's modules, then build them as the shipped files are."""
    src = root / f"loader-{variant}"
    shutil.copytree(REPO / "loader" / "src", src)
    patch(src)
    build_loader(src, outdir)


def remove_early_worker(folder: Path) -> None:
    """The page without stlite's worker file (as with a custom stlite URL): stlite starts
    its own worker once its chunk is evaluated."""
    for page in folder.glob("ours-*.html"):
        html, count = _WORKER_ATTR_RE.subn("", page.read_text(encoding="utf-8"))
        if count != 3:
            raise SystemExit(f"levers: {page.name}: no worker attributes to remove")
        page.write_text(html, encoding="utf-8")


def patch_prewarm_stlite(src: Path) -> None:
    """The prewarm loads stlite too (its 4.5 MB chunk, evaluated), not Python alone."""
    _patch(
        src / "page.js",
        r"const prewarm = \(\) => startPython\(settings, shared\) \|\| loadStlite\(",
        "const prewarm = () => loadStlite(",
        "patch_prewarm_stlite",
    )


def patch_stlite_after_boot(src: Path) -> None:
    """stlite once the early worker's prewarm says Pyodide has booted (its first progress
    message after "Loading Pyodide."), or failed."""
    _patch(
        src / "early-worker.js",
        r"  const ready = new Promise\(\(resolve\) => \{",
        "  let boot = () => {};\n  const booted = new Promise((r) => (boot = r));\n"
        "  const ready = new Promise((resolve) => {",
        "patch_stlite_after_boot",
    )
    _patch(
        src / "early-worker.js",
        r"    port.onmessage = \(\{ data \}\) => \{",
        '    port.onmessage = ({ data }) => {\n      if (data?.type !== "event:loadProgress" '
        '|| data.data?.message !== "Loading Pyodide.") boot();',
        "patch_stlite_after_boot",
    )
    _patch(
        src / "early-worker.js",
        r"check: worker\.check, ready \};",
        "check: worker.check, ready, booted };",
        "patch_stlite_after_boot",
    )
    _patch(
        src / "early-worker.js",
        r"  return \{ url: worker\.url,",
        "  ready.then(boot);\n  return { url: worker.url,",
        "patch_stlite_after_boot",
    )
    _patch(
        src / "runtime.js",
        r"    for \(const href of \[settings\.jsUrl, \.\.\.settings\.preload\]\) (.*)\n"
        r"    stlite = loadChunk\(\)\.then\(\(m\) => m\.loadStlite\(settings, warm\)\);",
        "    stlite = Promise.resolve(warm?.booted).then(() => {\n"
        "      for (const href of [settings.jsUrl, ...settings.preload]) \\1\n"
        "      return loadChunk().then((m) => m.loadStlite(settings, warm));\n    });",
        "patch_stlite_after_boot",
    )


def patch_premount(src: Path) -> None:
    """The prewarm as it was before the early worker: with no app in view at load, the
    nearest app mounts wherever it is (it boots Python), even four screens down."""
    _patch(
        src / "schedule.js",
        r"\(pythonStarted \? viewportHeight \* AHEAD : Infinity\)",
        "Infinity",
        "patch_premount",
    )


def patch_prewarm_and_premount(src: Path) -> None:
    """``premount``: the prewarm as it was before the early worker, both ways."""
    patch_prewarm_stlite(src)
    patch_premount(src)


def make_variants(
    docs: Path, stlite_dir: Path, root: Path, urls: DistUrls, variants: Sequence[str]
) -> dict[str, str]:
    """Copy the built site once per variant; return variant -> URL prefix."""
    prefixes: dict[str, str] = {}
    for variant in variants:
        folder = root / f"docs-{variant}"
        shutil.copytree(docs, folder)
        for page in folder.glob("ours-*.html"):
            html = page.read_text(encoding="utf-8")
            if variant == "no-hints":
                html, count = _HINT_RE.subn("", html)
                if not count:
                    raise SystemExit("levers: the built page has no hints to remove")
            elif variant == "preload-all":
                html = html.replace("<head>", "<head>\n" + worker_hints(urls), 1)
            elif variant in ("chunk-hint", "no-early"):
                html = html.replace("<head>", "<head>\n" + chunk_hints(stlite_dir, urls), 1)
            page.write_text(html, encoding="utf-8")
        if variant == "no-early":
            remove_early_worker(folder)
        if variant == "parse-start":
            for page in folder.glob("ours-*.html"):
                html, count = re.subn(
                    r'\s+data-page-starts="[^"]*"', "", page.read_text(encoding="utf-8")
                )
                if count != 1:
                    raise SystemExit(f"levers: {page.name}: no data-page-starts to remove")
                page.write_text(html, encoding="utf-8")
        if variant == "eager-600px":
            patched_loader(root, variant, patch_eager, folder / "_static")
        if variant == "premount":
            patched_loader(root, variant, patch_prewarm_and_premount, folder / "_static")
        if variant == "stlite-after-boot":
            patched_loader(root, variant, patch_stlite_after_boot, folder / "_static")
        if variant == "prewarm-stlite":
            patched_loader(root, variant, patch_prewarm_stlite, folder / "_static")
        prefixes[variant] = f"/{folder.name}"
    return prefixes


def _stat(values: Sequence[float | None]) -> dict[str, float] | None:
    kept = [v for v in values if v is not None]
    return {"median": statistics.median(kept), "min": min(kept), "max": max(kept)} if kept else None


def summarize(runs: Sequence[Run]) -> dict[str, Any]:
    good = [r for r in runs if r.ok]
    per_run = [phases(r) for r in good]
    first_paint = [
        p["first app's output visible"] - p["app running (loadFinished)"]
        for p in per_run
        if "app running (loadFinished)" in p and "first app's output visible" in p
    ]
    # the workers constructed: the early one and stlite's steered to it are files, stlite's
    # own are blobs
    workers = sorted(
        {
            " + ".join(
                f"{n} {kind}"
                for kind, n in sorted(Counter(m[3] for m in r.marks if m[1] == "worker").items())
            )
            for r in good
        }
    )
    return {
        "runs": len(runs),
        "ok": len(good),
        "errors": [r.error for r in runs if r.error],
        "seconds": _stat([r.seconds for r in good]),
        "first_seconds": _stat([r.first_seconds for r in good]),
        # within-run differences: less sensitive to other load on the machine than totals
        "tail_seconds": _stat(
            [
                r.seconds - r.first_seconds
                for r in good
                if r.seconds is not None and r.first_seconds is not None
            ]
        ),
        "first_paint_ms": _stat(first_paint),
        "pyodide_requested_ms": _stat([p.get(PYODIDE_REQUESTED) for p in per_run]),
        "peak_rss_mib": _stat([r.peak_rss_mib for r in good]),
        "peak_pss_mib": _stat([r.peak_pss_mib for r in good]),
        "shared_workers": max((r.targets.get("shared_worker", 0) for r in runs), default=0),
        "workers": max((r.targets.get("worker", 0) for r in runs), default=0),
        "worker_constructions": workers,
        # an early worker, and stlite's own besides: the early start did not take
        "early_failed": any(
            {"SharedWorker file", "SharedWorker blob"} <= {m[3] for m in r.marks} for r in runs
        ),
        "repeated_urls": sorted({u for r in runs for u in r.repeated_urls}),
        "preload_not_used": sorted(
            {
                m.group(1).rsplit("/", 1)[-1]
                for r in runs
                for c in r.console
                if (
                    m := re.search(
                        r"resource (\S+) was preloaded using link preload but not used", c
                    )
                )
            }
        ),
        "phases_ms": median_phases(good),
        "reached_s": _stat([r.extra.get("reached_to_output_s") for r in good]),
    }


def reach_after(seconds: float) -> Callable[[Page, Run, float], None]:
    """``measure``'s next step on the ``reached`` page: at ``seconds`` after navigation the
    reader scrolls to the app; how long until its output shows."""

    def then(page: Page, run: Run, t0: float) -> None:
        time.sleep(max(0.0, t0 + seconds - time.monotonic()))
        start = time.monotonic()
        wait_shown(page, "ours", 0, FIRST_APP_TIMEOUT * 1000)
        run.extra["reached_to_output_s"] = time.monotonic() - start

    return then


def table(summary: dict[str, dict[str, Any]], variants: Sequence[str], pages: Sequence[str]) -> str:
    """One row per variant, a column per page measured (medians [min-max])."""
    bare = summary["bare"]["seconds"]
    columns: list[tuple[str, str, str]] = []  # heading, page, metric
    for name in pages:
        heading, metric = {
            "1": ("1 app, s", "seconds"),
            "6": ("6 apps, s", "seconds"),
            "20": ("20-app page, first app, s", "first_seconds"),
            "reached": (f"scrolled to after {REACH_AFTER:g} s: to output, s", "reached_s"),
        }[name]
        columns.append((heading, PAGES[name].key, metric))
    heads = " | ".join(c[0] for c in columns)
    lines = [
        f"| variant | {heads} | 1 app / bare | pyodide.mjs requested, ms | peak RSS, "
        "MiB | workers constructed |",
        "|---|" + "---|" * len(columns) + "---:|---|---|---|",
    ]
    for variant in variants:
        s = {key: summary[f"{variant}: {key}"] for _, key, _ in columns}
        one = summary.get(f"{variant}: {PAGES['1'].key}", {}).get("seconds")
        ratio = "n/a" if not (one and bare) else f"{one['median'] / bare['median']:.2f}x"
        cells = " | ".join(report.spread(s[key][metric], 2) for _, key, metric in columns)
        requested = " / ".join(report.median(s[key]["pyodide_requested_ms"]) for key in s)
        rss = " / ".join(report.median(s[key]["peak_rss_mib"]) for key in s)
        workers = "; ".join(sorted({w for key in s for w in s[key]["worker_constructions"]}))
        lines.append(f"| {variant} | {cells} | {ratio} | {requested} | {rss} | {workers} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--net", metavar="MBIT,RTT_MS")
    parser.add_argument("--transport", choices=("loopback", "cdn"), default="loopback")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--variants", type=lambda s: s.split(","), default=list(VARIANTS))
    parser.add_argument(
        "--pages",
        type=lambda s: s.split(","),
        default=["1", "6", "20"],
        help="pages to load: 1, 6, 20, reached (default 1,6,20)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from {', '.join(VARIANTS)}")
    if set(args.pages) - set(PAGES):
        parser.error(f"unknown pages {args.pages}; choose from {', '.join(PAGES)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    pages = [PAGES[name] for name in args.pages]
    link = None
    if args.net:
        mbit, rtt = (float(x) for x in args.net.split(","))
        link = Link(mbit, rtt)
    dist = ensure_distribution()
    tmp = Path(tempfile.mkdtemp(prefix="stlite-levers-"))
    runs: dict[str, list[Run]] = {}
    log: list[Served] = []
    config = ServerConfig({"/_dist": dist.root}, log, link)
    try:
        with dist_transport(args.transport, dist.root, config, tmp) as transport:
            urls = transport.urls
            bench_pages.write_site(tmp / "site", [], urls)
            bench_pages.write_ours_sphinx(
                tmp / "src", sorted({(p.file_layout, p.apps) for p in pages}), bench_pages.CDN
            )
            build_sphinx(tmp / "src", tmp / "docs")
            if urls.custom:
                to_loopback(tmp / "docs", urls)
            prefixes = make_variants(tmp / "docs", dist.stlite_dir, tmp, urls, args.variants)
            config.mounts.update(
                {"/site": tmp / "site", **{p: tmp / p.lstrip("/") for p in prefixes.values()}}
            )
            with serve(config) as server, blocking_proxy() as proxy, sync_playwright() as pw:
                b = Bench(
                    pw,
                    server,
                    proxy,
                    QuietWait(60.0),
                    transport.browser_args,
                    dwell=REACH_AFTER,
                )
                for r in range(args.runs):
                    runs.setdefault("bare", []).append(measure(b, PageSpec("bare", 1), r))
                    for variant in args.variants:
                        for spec in pages:
                            then = reach_after(REACH_AFTER) if spec.layout == "unreached" else None
                            run = measure(b, spec, r, docs=prefixes[variant], then=then)
                            key = f"{variant}: {spec.key}"
                            runs.setdefault(key, []).append(run)
                            print(
                                f"run {r + 1} {key}: {run.seconds or 0:.2f} s "
                                f"(first {run.first_seconds or 0:.2f} s) "
                                f"{'ok' if run.ok else run.error}",
                                file=sys.stderr,
                                flush=True,
                            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {k: summarize(v) for k, v in runs.items()}
    network = link.describe() if link else "loopback"
    print(
        f"\ntransport: {transport.name}; network: {network}; bare boot "
        f"{report.spread(summary['bare']['seconds'], 2)} s; median [min-max] of {args.runs}"
    )
    print(table(summary, args.variants, args.pages))
    for key, s in summary.items():
        if s["repeated_urls"] or s["preload_not_used"] or s["early_failed"]:
            print(
                f"{key}: fetched more than once: {s['repeated_urls']}; 'preloaded but not "
                f"used' warnings: {s['preload_not_used']}; early worker failed: "
                f"{s['early_failed']}"
            )
    print(f"\nwhere the first app's time goes ({pages[0].key}):")
    print(report.phase_table(summary, ["bare", *(f"{v}: {pages[0].key}" for v in args.variants)]))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"network": network, "transport": transport.name, "summary": summary}, indent=1
            )
            + "\n"
        )
    return 0 if all(r.ok for rs in runs.values() for r in rs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
