"""Runtime benchmark: our shared-worker loader against the trivial loader, one worker per app
and one iframe per app, with a bare Pyodide + Streamlit boot as the limit.

What it does, on the offline test bed (stlite 1.9.2 and Pyodide 0.29.3 from
``.cache/offline-dist``, built by ``testbed/offline_dist.py``; headless Chromium; nothing
leaves the machine):

* transport: by default stlite and Pyodide come from ``https://cdn.jsdelivr.net`` as a
  reader gets them, answered by a local TLS server (``cdn.py``): our pages are built with the
  default URLs and the other pages use stlite's defaults, unchanged. ``--transport loopback``
  serves them from the page's own server under ``/_dist`` instead;
* strategies (``bench_pages.py``): ``ours`` (a real Sphinx build: our loader, ONE shared
  worker), ``trivial`` (import stlite.js, ``mount()`` every app at load with
  ``sharedWorker: true``), ``per-app`` (``sharedWorker: false``), ``iframe`` (a full page per
  app, like atsphinx-stlite), and ``bare`` (a module worker that boots Pyodide, installs
  stlite's Streamlit wheels and imports ``streamlit``);
* pages: N = 1, 3, 6 apps all in the viewport at load (``visible``; a viewport tall enough);
  the 20-app page read from the top (first app); one app four screens below the fold, loaded
  and never scrolled to (what apps never reached cost: bytes, CPU, memory); a reader's second
  page (``warm``: the 1-app page after the 20-app page, same browser, on-disk cache);
  optionally N-app pages read by scrolling to each app (``--scroll-counts``); the start
  policies (``policies``): our unreached page with the app's ``start`` set to ``eager``,
  ``visible`` and ``click``, left alone for the dwell (what it cost before the reader acts:
  bytes, requests for stlite or Pyodide, CPU), then scrolled to, and its Run button pressed
  under ``click`` (seconds from that action to the app's output), with a cold HTTP cache and a
  warm one (the 20-app page read first, on-disk profile);
* for every run: seconds from navigation until every app's output shows (checked in the page
  on every animation frame), peak memory (sum of RSS, and PSS, of this run's Chromium
  processes, sampled every 0.2 s), CPU seconds per Chromium thread, worker targets (CDP
  ``Target.getTargets``), iframes, bytes and requests the local servers answered, and
  in-page marks of every strategy (stlite's kernel events, worker creation, Streamlit's
  toolbar and first output) from which the phase table is made;
* build cost (``build_cost.py``) and page weight (real Sphinx and MkDocs builds).

Every run gets a fresh browser (new profile, cold HTTP cache). Runs are interleaved (every
page once, then again) so drift in machine load falls on all strategies alike. The
distribution is served with jsDelivr's caching headers, so frames and workers of one page
share downloads as they would from the CDN.

Usage (from the repository root, in the project's venv)::

    pip install -r benchmarks/requirements.txt
    python -m benchmarks.run                 # full run: 5 rounds
    python -m benchmarks.run --smoke --out /tmp/bench   # N=1, one round (the test suite)
    python -m benchmarks.report benchmarks/results/results.json   # the tables again

Writes ``results.json`` and ``apps_vs_time_memory.png`` to ``--out``
(default ``benchmarks/results``). This module is the command line; the parts are
``servers``, ``memory``, ``plan``, ``measure``, ``targets`` and ``weight`` (this package).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import sync_playwright

from benchmarks import bench_pages, report
from benchmarks import build_cost as bc
from benchmarks.bench_pages import DistUrls
from benchmarks.measure import (
    SMOKE_UNREACHED_DWELL,
    UNREACHED_DWELL,
    Bench,
    QuietWait,
    Run,
    measure,
)
from benchmarks.plan import (
    DEFAULT_COUNTS,
    KINDS,
    LONG_STRATEGIES,
    POLICY_CACHES,
    SMOKE_COUNTS,
    SMOKE_LONG_STRATEGIES,
    SMOKE_POLICY_CACHES,
    SMOKE_UNREACHED_STRATEGIES,
    STRATEGIES,
    UNREACHED_STRATEGIES,
    VIEWPORT,
    PageSpec,
    Selection,
    plan,
)
from benchmarks.servers import (
    CDN_CACHE_CONTROL,
    Link,
    Served,
    ServerConfig,
    dist_transport,
    serve,
    to_loopback,
)
from benchmarks.targets import (
    Target,
    build_targets,
    median_of,
    policy_targets,
    runtime_targets,
    summarize,
    weight_targets,
)
from benchmarks.weight import page_weight
from testbed.browser import CHROMIUM, CHROMIUM_ARGS, blocking_proxy
from testbed.build import build_sphinx
from testbed.offline_dist import ensure_distribution

BENCH = Path(__file__).resolve().parent
DEFAULT_RUNS = 5


# --- build cost -----------------------------------------------------------------------------


def build_cost(runs: int) -> tuple[dict[str, object], str, list[Target]]:
    """150 apps against code blocks, through ``build_cost.py``."""
    apps = bc.make_apps(bc.PAGES * bc.APPS_PER_PAGE)
    tmp = Path(tempfile.mkdtemp(prefix="stlite-build-cost-"))
    try:
        variants = bc.make_variants(tmp, apps)
        timings = bc.run_all(variants, tmp, runs, 1, len(apps))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    comparisons = bc.compare(timings)
    data = bc.to_json(timings, comparisons, runs, 1, len(apps))
    return data, bc.format_table(timings, comparisons), build_targets(comparisons)


# --- machine and plot -----------------------------------------------------------------------


def machine(chromium_version: str) -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium_version,
    }


PLOT_STYLES = {
    "ours": ("o-", "ours (one shared worker)"),
    "trivial": ("D-.", "trivial loader (shared worker)"),
    "per-app": ("s--", "one worker per app"),
    "iframe": ("^:", "one iframe per app"),
}


def plot(summary: dict[str, dict[str, Any]], counts: Sequence[int], path: Path) -> None:
    matplotlib: Any = importlib.import_module("matplotlib")
    matplotlib.use("Agg")
    plt: Any = importlib.import_module("matplotlib.pyplot")
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    for strategy, (style, label) in PLOT_STYLES.items():
        for ax, metric in ((ax_t, "seconds"), (ax_m, "peak_rss_mib")):
            xs, ys, lo, hi = [], [], [], []
            for n in counts:
                s = summary.get(PageSpec(strategy, n).key, {}).get(metric)
                if s is None:
                    continue
                xs.append(n)
                ys.append(s["median"])
                lo.append(s["median"] - s["min"])
                hi.append(s["max"] - s["median"])
            if xs:
                ax.errorbar(xs, ys, yerr=[lo, hi], fmt=style, capsize=3, label=label)
    bare = median_of(summary, "bare", "seconds")
    if bare is not None:
        ax_t.axhline(
            bare, color="grey", linestyle="-.", linewidth=1, label="bare Pyodide + Streamlit boot"
        )
    ax_t.set(
        xlabel="apps on the page (all visible)",
        ylabel="s to every app visible (median, min-max)",
        title="Time",
        xticks=list(counts),
    )
    ax_m.set(
        xlabel="apps on the page (all visible)",
        ylabel="peak RSS of Chromium, MiB",
        title="Memory",
        xticks=list(counts),
    )
    for ax in (ax_t, ax_m):
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    ax_t.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- main -----------------------------------------------------------------------------------


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def selection_from(
    only: Sequence[str], counts: Sequence[int], scroll_counts: Sequence[int], smoke: bool
) -> Selection:
    """``--only``: strategies (the N-app pages of each) and page kinds; a group not named at
    all means all of it (``ours,bare``: our N-app pages and the bare boot; ``ours``: every
    page of ours; ``lazy`` is the long page's old name)."""
    names = {("long" if n == "lazy" else n) for n in only}
    unknown = names - {*STRATEGIES, *KINDS}
    if unknown:
        raise SystemExit(
            f"run.py: --only: unknown {sorted(unknown)}; "
            f"choose from {', '.join((*STRATEGIES, *KINDS))}"
        )
    strategies = tuple(s for s in STRATEGIES if s in names) or STRATEGIES
    kinds = tuple(k for k in KINDS if k in names) or KINDS
    return Selection(
        strategies,
        kinds,
        tuple(counts),
        tuple(scroll_counts),
        SMOKE_LONG_STRATEGIES if smoke else LONG_STRATEGIES,
        SMOKE_UNREACHED_STRATEGIES if smoke else UNREACHED_STRATEGIES,
        SMOKE_POLICY_CACHES if smoke else POLICY_CACHES,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="N = 1, 2; one round; ours only on the long page; no plot, no "
        "build cost, no idle wait",
    )
    parser.add_argument("--runs", type=int, help=f"rounds (default {DEFAULT_RUNS}; 1 with --smoke)")
    parser.add_argument(
        "--counts",
        type=_ints,
        help="app counts of the all-visible pages (default 1,3,6; 1,2 with --smoke)",
    )
    parser.add_argument(
        "--scroll-counts",
        type=_ints,
        default=(),
        help="also pages with prose between N apps, scrolled through (e.g. 6,10; default none)",
    )
    parser.add_argument(
        "--only",
        type=lambda s: s.split(","),
        default=[],
        help="pages to run: strategies ours,trivial,per-app,iframe and kinds "
        "bare,warm,long,unreached,policies (default: all)",
    )
    parser.add_argument(
        "--transport",
        choices=("cdn", "loopback"),
        default="cdn",
        help="where stlite and Pyodide come from: the CDN host over local "
        "TLS (default; falls back to loopback if no certificate can be "
        "made) or the page's own server",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH / "results",
        help="folder for results.json and the plot (default benchmarks/results)",
    )
    parser.add_argument("--no-build-cost", action="store_true")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument(
        "--build-runs",
        type=int,
        default=3,
        help="timed builds per build_cost.py variant (default 3)",
    )
    parser.add_argument(
        "--net",
        metavar="MBIT,RTT_MS",
        help="emulate a network link for everything served, e.g. 50,40 (what-if runs)",
    )
    parser.add_argument(
        "--dist-cache",
        default=CDN_CACHE_CONTROL,
        metavar="CACHE_CONTROL",
        help="Cache-Control of the stlite and Pyodide files (default: "
        "jsDelivr's); e.g. 'no-cache' to see what revalidating every "
        "file costs a second page",
    )
    parser.add_argument(
        "--dwell",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long the unreached page is watched at most (default "
        f"{UNREACHED_DWELL:g}; {SMOKE_UNREACHED_DWELL:g} with --smoke)",
    )
    parser.add_argument(
        "--quiet-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="total time to wait for an idle CPU before runs (default 30; 0 with --smoke)",
    )
    args = parser.parse_args(argv)
    args.counts = args.counts or (SMOKE_COUNTS if args.smoke else DEFAULT_COUNTS)
    args.runs = args.runs or (1 if args.smoke else DEFAULT_RUNS)
    args.selection = selection_from(args.only, args.counts, args.scroll_counts, args.smoke)
    args.link = None
    if args.net:
        mbit, rtt = (float(x) for x in args.net.split(","))
        args.link = Link(mbit, rtt)
    if args.quiet_budget is None:
        args.quiet_budget = 0.0 if args.smoke else 30.0
    if args.dwell is None:
        args.dwell = SMOKE_UNREACHED_DWELL if args.smoke else UNREACHED_DWELL
    return args


def _progress(i: int, total: int, run: Run) -> None:
    status = "ok" if run.ok else f"FAILED ({run.error or run.rendered})"
    if run.layout == "unreached":
        status += ", rendered off screen" if run.rendered_unseen else ", nothing rendered"
    if run.before_bytes is not None:
        status += (
            f", before the action {run.before_bytes / 1e6:.1f} MB, "
            f"{run.before_dist_requests} stlite/Pyodide requests, "
            f"{run.before_cpu_s:.1f} CPU s; action to output "
            f"{run.action_seconds or 0:.2f} s"
        )
    if run.outside_viewport:
        status += f", {run.outside_viewport} apps outside the viewport"
    print(
        f"[{i}/{total}] {run.spec.key:<24} run {run.repeat + 1}: "
        f"{run.seconds or 0:6.2f} s, {run.peak_rss_mib:5.0f} MiB, "
        f"{run.targets.get('shared_worker', 0)} shared + {run.targets.get('worker', 0)} "
        f"workers, {run.iframes} iframes, {run.bytes / 1e6:5.1f} MB; CPU busy before "
        f"{run.cpu_busy_before:.0f}% (waited {run.waited_s:.0f} s): {status}",
        file=sys.stderr,
        flush=True,
    )


def build_pages(selection: Selection, tmp: Path, urls: DistUrls) -> tuple[Path, Path]:
    """The hand-written pages and the Sphinx build of ours; returns (site, docs)."""
    site, docs_src, docs = tmp / "site", tmp / "docs-src", tmp / "docs"
    bench_pages.write_site(site, selection.site_pages(), urls, VIEWPORT["height"])
    bench_pages.write_ours_sphinx(
        docs_src, selection.ours_pages(), bench_pages.CDN, VIEWPORT["height"]
    )
    build_sphinx(docs_src, docs)
    if urls.custom:
        to_loopback(docs, urls)
    return site, docs


def run_pages(args: argparse.Namespace, tmp: Path, results: dict[str, Any]) -> list[Run]:
    """Build the pages, serve them and load each in a fresh browser, interleaved."""
    dist = ensure_distribution()
    log: list[Served] = []
    all_runs: list[Run] = []
    config = ServerConfig(
        {"/_dist": dist.root}, log, args.link, (bench_pages.DIST,), args.dist_cache
    )
    results["network"] = args.link.describe() if args.link else "loopback"
    results["dist_cache_control"] = args.dist_cache
    with dist_transport(args.transport, dist.root, config, tmp) as transport:
        results["transport"] = transport.name
        if transport.note:
            results["transport_note"] = transport.note
        site, docs = build_pages(args.selection, tmp, transport.urls)
        config.mounts.update({"/docs": docs, "/site": site})
        with serve(config) as server, blocking_proxy() as proxy, sync_playwright() as pw:
            probe = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            results["machine"] = machine(f"Chromium {probe.version}")
            probe.close()
            results["machine"]["load_average_start"] = os.getloadavg()
            bench = Bench(
                pw, server, proxy, QuietWait(args.quiet_budget), transport.browser_args, args.dwell
            )
            order = plan(args.selection, args.runs)
            for i, (spec, r) in enumerate(order, 1):
                all_runs.append(measure(bench, spec, r))
                _progress(i, len(order), all_runs[-1])
            results["machine"]["load_average_end"] = os.getloadavg()
            results["machine"]["idle_wait_s"] = round(sum(r.waited_s for r in all_runs), 1)
    return all_runs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "counts": list(args.counts),
        "runs_per_page": args.runs,
        "smoke": args.smoke,
        "dwell_seconds": args.dwell,
    }
    targets: list[Target] = []
    tmp = Path(tempfile.mkdtemp(prefix="stlite-bench-"))
    try:
        all_runs = run_pages(args, tmp, results)
        keys = [p.key for p in args.selection.pages()]
        summary = {k: summarize([r for r in all_runs if r.spec.key == k]) for k in keys}
        results["summary"] = summary
        results["runs"] = [
            {**asdict(r), "timeline": r.timeline if r.repeat == 0 else []} for r in all_runs
        ]
        targets += runtime_targets(summary, args.counts)
        targets += policy_targets(summary)
        results["page_weight"] = page_weight(tmp)
        targets += weight_targets(results["page_weight"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    out_json = args.out / "results.json"
    # the browser runs are kept even if the build-cost step below fails
    out_json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if not args.smoke and not args.no_build_cost:
        print(
            f"\nbuild cost (benchmarks/build_cost.py, median of {args.build_runs}):",
            file=sys.stderr,
        )
        data, _, built = build_cost(args.build_runs)
        results["build_cost"] = data
        targets += built
    results["targets"] = [asdict(t) for t in targets]
    results["seconds_total"] = round(time.monotonic() - started, 1)
    print()
    print(report.render(results))
    out_json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out_json}", file=sys.stderr)
    if not args.smoke and not args.no_plot:
        png = args.out / "apps_vs_time_memory.png"
        plot(summary, args.counts, png)
        print(f"wrote {png}", file=sys.stderr)
    print(f"total {results['seconds_total']:.0f} s", file=sys.stderr)
    return 0 if all(r.ok for r in all_runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
