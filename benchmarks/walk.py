"""Tutorial walk: a reader reads a site page after page, clicking on to the next page once the
current page's apps are up. What each next page costs the reader, and what the reader's
browser keeps over the walk.

Strategies, side by side in one run (each walk in a fresh browser with an empty on-disk
profile, so the first page's HTTP cache is cold and the next pages' is the reader's):

* ``ours``: a real Sphinx build with the default settings (the runtime kept warm across the
  reader's pages: one shared worker for the site, ``extendedLifetime``);
* ``ours-cold``: the same site with ``stlite_keep_warm = False`` (a worker per page view);
* ``ours-snap``: the same site with ``stlite_prerender``: each app's first screen is in the
  page, made by the build's headless Chromium (``stlite_docs.prerender``), so the reader sees
  output before Python; measured also: seconds to the first app's snapshot on screen;
* ``trivial``: the 8-line loader (``bench_pages.mount_all_page``: import stlite.js, mount
  every app at load with ``sharedWorker: true``), a link to the next page under the apps;
* ``bare``: the limit without a warm runtime: every page boots Pyodide, installs stlite's
  Streamlit wheels and imports ``streamlit`` (``bench_pages.bare_worker``).

stlite and Pyodide come from ``https://cdn.jsdelivr.net`` as a reader gets them, answered by
the CDN-like local TLS host (``cdn.py``), with jsDelivr's caching headers.

Per page: seconds from the click on the link (``goto`` for the first page) to the page's
first app's output, and to every app's output (checked in the page on every animation
frame); the PSS of the renderer that hosts the shared worker (the process with a
``SharedWorker`` thread) and of all Chromium processes, once the page's apps are up; for
``ours``, the worker's own account (``stlite-docs:stats``: apps running, Streamlit sessions
alive, Python's wasm memory). Per walk: how often ``pyodide.asm.wasm`` was fetched.

Usage (from the repository root, in the project's venv)::

    python -m benchmarks.walk                      # 5-page walks, 3 rounds; a 20-page walk
    python -m benchmarks.walk --rounds 1 --long 0  # one round of the 5-page walks only
    python -m benchmarks.walk --smoke              # ours, 2 pages, memory too (the test suite's)

Writes ``walk.json`` into ``--out`` (default ``benchmarks/results``) and prints the tables.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
from playwright.sync_api import Page, sync_playwright

from benchmarks import bench_pages
from benchmarks.measure import fresh_browser
from benchmarks.memory import collect_garbage, our_chromium
from benchmarks.servers import ServerConfig, dist_transport, serve
from testbed.browser import CHROMIUM, blocking_proxy
from testbed.build import build_sphinx
from testbed.offline_dist import ensure_distribution

BENCH = Path(__file__).resolve().parent
STRATEGIES = ("ours", "ours-snap", "ours-cold", "trivial", "bare")
#: Apps on each page of the walk.
WALK = (1, 3, 2, 3, 1)
LONG_PAGES = 20
SMOKE_PAGES = 2  # the walk's first pages: 1 app, then 3
TIMEOUT_S = 180.0
VIEWPORT = {"width": 1280, "height": 2400}  # every app of a page in view: they all start
# Targets (the issue's; medians of one run).
NEXT_FIRST_RATIO = 0.1  # pages 2..5, first app, against the first page's first app
NEXT_FIRST_S = 0.6
NEXT_ALL_RATIO = 0.2  # a 3-app next page, all apps, against the first page's first app
#: worker process PSS (garbage collected) after 20 pages, against after the first page
LONG_MEMORY_RATIO = 1.3

NEXT_ID = "bench-next"


def walk_counts(pages: int) -> list[int]:
    """Apps per page of a ``pages``-page walk: the 5-page walk, then 1, 2, 3 in turn."""
    return [WALK[i] if i < len(WALK) else 1 + i % 3 for i in range(pages)]


def page_file(strategy: str, index: int) -> str:
    return f"{strategy}-walk-{index:02d}.html"


# --- the pages ------------------------------------------------------------------------------


def _rst_page(index: int, count: int, last: bool) -> str:
    title = f"Walk page {index + 1}"
    parts = [f"{title}\n{'=' * len(title)}\n"]
    for i in range(count):
        parts.append(
            ".. stlite::\n   :height: 400\n\n" + textwrap.indent(bench_pages.app_source(i), "   ")
        )
    if not last:
        link = page_file("ours", index + 1)
        parts.append(f'.. raw:: html\n\n   <p><a id="{NEXT_ID}" href="{link}">Next page</a></p>\n')
    return "\n".join(parts)


def build_ours(work: Path, counts: Sequence[int]) -> dict[str, Path]:
    """The Sphinx walk, built twice (kept warm, the default; and not): default URLs, as a
    reader's site on the CDN."""
    src = work / "ours-src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(
        'project = "walk"\nextensions = ["stlite_docs.sphinx_ext"]\nhtml_sidebars = {"**": []}\n'
    )
    names = [page_file("ours", i)[:-5] for i in range(len(counts))]
    (src / "index.rst").write_text(
        "Walk\n====\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in names)
    )
    for i, (name, count) in enumerate(zip(names, counts, strict=True)):
        (src / f"{name}.rst").write_text(_rst_page(i, count, i == len(counts) - 1))
    out = {}
    for strategy, extra in (("ours", []), ("ours-cold", ["-D", "stlite_keep_warm=0"])):
        dest = work / strategy
        build_sphinx(src, dest, *extra)
        if strategy == "ours-cold":  # its pages under their own names
            for i in range(len(counts)):
                page = dest / page_file("ours", i)
                html = page.read_text(encoding="utf-8").replace(
                    f'href="{page_file("ours", i + 1)}"', f'href="{page_file("ours-cold", i + 1)}"'
                )
                (dest / page_file("ours-cold", i)).write_text(html, encoding="utf-8")
        out[strategy] = dest
    return out


def snapshot_site(ours: Path, work: Path, pages: int, browser_args: list[str]) -> Path:
    """The ``ours`` site with its apps' snapshots (``stlite_prerender``'s work, done on the
    built site by the core as the build does; the build's browser reaches the CDN-like host
    as the readers' do), its pages under their own names."""
    from stlite_docs.prerender import prerender_site

    dest = work / "ours-snap"
    shutil.copytree(ours, dest)
    for built in dest.glob(page_file("ours", 0).replace("00", "*")):
        html = built.read_text(encoding="utf-8")
        built.unlink()  # only the walked pages, under their own names, get snapshots
        i = int(built.stem.rsplit("-", 1)[1])
        if i >= pages:
            continue
        html = html.replace(
            f'href="{page_file("ours", i + 1)}"', f'href="{page_file("ours-snap", i + 1)}"'
        )
        (dest / page_file("ours-snap", i)).write_text(html, encoding="utf-8")
    started = time.monotonic()
    report = prerender_site(
        dest, cache_dir=work / "snapshot-cache", browser=CHROMIUM, launch_args=browser_args
    )
    print(f"ours-snap: {report.summary()} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    if report.problems:
        raise RuntimeError(f"snapshots missing: {report.problems}")
    return dest


def _next_link(strategy: str, index: int, last: bool) -> str:
    if last:
        return ""
    return f'<p><a id="{NEXT_ID}" href="{page_file(strategy, index + 1)}">Next</a></p>'


def build_hand_written(work: Path, counts: Sequence[int]) -> Path:
    """The trivial loader's walk and the bare boot's, on the CDN's URLs."""
    site = work / "site"
    site.mkdir()
    (site / "bare-worker.mjs").write_text(bench_pages.bare_worker(bench_pages.CDN))
    for i, count in enumerate(counts):
        last = i == len(counts) - 1
        trivial = bench_pages.mount_all_page(count, "visible", bench_pages.CDN, shared=True)
        (site / page_file("trivial", i)).write_text(
            trivial.replace("</body>", _next_link("trivial", i, last) + "</body>")
        )
        bare = bench_pages.bare_page()
        (site / page_file("bare", i)).write_text(
            bare.replace("</body>", _next_link("bare", i, last) + "</body>")
        )
    return site


# --- one walk -------------------------------------------------------------------------------


@dataclass
class Step:
    page: int
    apps: int
    first_s: float | None = None
    all_s: float | None = None
    #: ours-snap: the first app's snapshot on screen (its text painted), before any Python
    snapshot_s: float | None = None
    worker_pss_mib: float | None = None
    chromium_pss_mib: float | None = None
    #: the memory walk: the same, once the browser has collected its garbage (collect_garbage)
    worker_pss_collected_mib: float | None = None
    chromium_pss_collected_mib: float | None = None
    #: the shared worker's own memory: its JavaScript heap (CDP Runtime.getHeapUsage)
    worker_js_heap_mib: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Walk:
    strategy: str
    round: int
    pages: int
    steps: list[Step] = field(default_factory=list)
    wasm_fetches: int = 0
    shared_worker_processes: int = 0
    #: Python runtimes (workers: shared and dedicated) that existed over the walk
    runtimes: int = 0


_SHOWN_JS = """(text) => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
  .some((e) => e.textContent.trim() === text)"""
#: The first app's snapshot, shown (in its shadow root) with the app's text.
_SNAPSHOT_JS = """(text) => [...document.querySelectorAll('.stlite-docs-snapshot')]
  .some((s) => s.offsetHeight > 0 && s.shadowRoot && s.shadowRoot.textContent.includes(text))"""
_BARE_JS = f"() => document.getElementById('out')?.textContent === {bench_pages.BARE_DONE!r}"

#: The site's warm worker, asked for its account on a connection of its own (the name the
#: loader gives it: early-worker.js workerOptions).
STATS_JS = """() => new Promise((resolve) => {
  const tag = document.querySelector('script[data-stlite-worker]');
  if (!tag) return resolve({});
  const url = new URL(tag.getAttribute('data-stlite-worker'), tag.src).href;
  const pyodide = new URL(tag.getAttribute('data-pyodide'), tag.src).href;
  const options = {type: 'classic', name: `stlite-docs ${pyodide}`, extendedLifetime: true};
  const w = new SharedWorker(url, options);
  w.port.onmessage = ({data}) => {
    if (data.type === 'stlite-docs:stats') { w.port.close(); resolve(data.data); }
  };
  w.port.postMessage({type: 'stlite-docs:stats'});
  setTimeout(() => resolve({}), 10000);
})"""


def _settled_stats(page: Page, count: int, deadline_s: float = 10.0) -> dict[str, Any]:
    """The worker's account once it has let the left page go: its running apps (those ended
    and shutting down count apart, as ``retiring``) are this page's ``count``. The left page's
    leases end when the browser has discarded that page, which on a busy machine can come a
    moment after the next page's apps are up; after ``deadline_s`` the account is taken as it
    is (and shows the lag)."""
    end = time.monotonic() + deadline_s
    while True:
        stats: dict[str, Any] = page.evaluate(STATS_JS)
        if stats.get("apps") == count or time.monotonic() >= end:
            return stats
        time.sleep(0.2)


def _wait(
    page: Page, strategy: str, count: int, start: float, snapshot_at: list[float]
) -> tuple[float, float]:
    """Seconds from ``start`` to the first app's output and to every app's (and, appended to
    ``snapshot_at``, to its snapshot on screen)."""
    timeout = TIMEOUT_S * 1000
    if strategy == "bare":
        page.wait_for_function(_BARE_JS, polling="raf", timeout=timeout)
        done = time.monotonic() - start
        return done, done
    first = 0.0
    if strategy == "ours-snap":
        page.wait_for_function(
            _SNAPSHOT_JS, arg=bench_pages.marker(0), polling="raf", timeout=timeout
        )
        snapshot_at.append(time.monotonic() - start)
    for i in range(count):
        page.wait_for_function(_SHOWN_JS, arg=bench_pages.marker(i), polling="raf", timeout=timeout)
        if i == 0:
            first = time.monotonic() - start
    return first, time.monotonic() - start


def _pss() -> tuple[float | None, float, int]:
    """(PSS of the renderers hosting a shared worker (they may host a page too), of all our
    Chromium processes, MiB; how many renderers host one)."""
    worker = total = 0.0
    hosts = 0
    for proc in our_chromium():
        try:
            pss = proc.memory_full_info().pss
            total += pss
            tasks = Path(f"/proc/{proc.pid}/task").iterdir()
            threads = {(t / "comm").read_text().strip() for t in tasks}
        except (psutil.Error, OSError):
            continue
        if any(name.startswith("SharedWorker") for name in threads):
            worker += pss
            hosts += 1
    return (worker / 2**20 if hosts else None), total / 2**20, hosts


class Targets:
    """CDP on the walk's browser: its worker targets, and a shared worker's heap."""

    def __init__(self, context: Any, page: Page) -> None:
        self.page = page
        self.cdp = context.new_cdp_session(page)
        self.seen: set[str] = set()
        self.replies: dict[int, Any] = {}
        self.cdp.on("Target.receivedMessageFromTarget", self._reply)
        self.sessions: dict[str, str] = {}
        self.next_id = 100

    def _reply(self, event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message.get("result", {})

    def workers(self) -> list[dict[str, Any]]:
        infos: list[dict[str, Any]] = self.cdp.send("Target.getTargets")["targetInfos"]
        found = [t for t in infos if t["type"] in ("shared_worker", "worker")]
        self.seen.update(t["targetId"] for t in found)
        return found

    def _ask(self, session: str, method: str, timeout: float = 10.0) -> Any:
        self.next_id += 1
        ident = self.next_id
        message = json.dumps({"id": ident, "method": method})
        self.cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
        deadline = time.monotonic() + timeout
        while ident not in self.replies and time.monotonic() < deadline:
            # Playwright's sync API delivers CDP events only while it runs: wait through it
            self.page.wait_for_timeout(50)
        return self.replies.pop(ident, None)

    def shared_heap_mib(self) -> float | None:
        """The JavaScript heap of the (first) shared worker, MiB."""
        shared = [t for t in self.workers() if t["type"] == "shared_worker"]
        if not shared:
            return None
        target = shared[0]["targetId"]
        if target not in self.sessions:
            attached = self.cdp.send(
                "Target.attachToTarget", {"targetId": target, "flatten": False}
            )
            self.sessions[target] = attached["sessionId"]
            self._ask(self.sessions[target], "Runtime.enable")
        usage = self._ask(self.sessions[target], "Runtime.getHeapUsage")
        return round(usage["totalSize"] / 2**20, 1) if usage else None


@dataclass
class Browsing:
    """How a walk's browser reaches the pages and the CDN-like host."""

    pw: Any
    base: str  # the page server's URL
    proxy_url: str
    browser_args: list[str]
    log: list[Any]  # what the servers answered


def walk(
    how: Browsing, strategy: str, counts: Sequence[int], round_: int, collect: bool = False
) -> Walk:
    """One reader's walk through ``counts`` pages, in a fresh browser. ``collect`` (the memory
    walk): after each page, PSS again once the browser has collected its garbage; not in the
    timed walks, where it would tidy the heap for the next page."""
    result = Walk(strategy, round_, len(counts))
    folder = "/site" if strategy in ("trivial", "bare") else f"/{strategy}"
    log = how.log
    start_log = len(log)
    with fresh_browser(how.pw, how.proxy_url, how.browser_args, True, VIEWPORT) as context:
        page = context.pages[0] if context.pages else context.new_page()
        targets = Targets(context, page)
        for i, count in enumerate(counts):
            step = Step(i + 1, count)
            result.steps.append(step)
            try:
                start = time.monotonic()
                if i == 0:
                    page.goto(f"{how.base}{folder}/{page_file(strategy, 0)}", wait_until="commit")
                else:
                    page.locator(f"#{NEXT_ID}").click()
                snapshot_at: list[float] = []
                first, every = _wait(page, strategy, count, start, snapshot_at)
                step.first_s, step.all_s = round(first, 3), round(every, 3)
                if snapshot_at:
                    step.snapshot_s = round(snapshot_at[0], 3)
                on_page = page.locator(".stlite-docs-app").count()
                if strategy.startswith("ours") and on_page != count:
                    raise RuntimeError(f"the page has {on_page} apps, the walk counts {count}")
            except Exception as exc:  # a page that does not come up ends this walk
                step.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                break
            time.sleep(0.5)  # the page's apps idle: what the reader's browser holds now
            step.worker_pss_mib, step.chromium_pss_mib, hosts = _pss()
            result.shared_worker_processes = max(result.shared_worker_processes, hosts)
            with contextlib.suppress(Exception):
                step.worker_js_heap_mib = targets.shared_heap_mib()
            if strategy == "ours":
                with contextlib.suppress(Exception):
                    step.stats = _settled_stats(page, count)
            if collect:
                collect_garbage(context, page)
                step.worker_pss_collected_mib, step.chromium_pss_collected_mib, _ = _pss()
        result.runtimes = len(targets.seen)
    result.wasm_fetches = sum(s.path.endswith("/pyodide.asm.wasm") for s in log[start_log:])
    return result


# --- the summary ----------------------------------------------------------------------------


def _median(values: Sequence[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return round(statistics.median(found), 3) if found else None


def summarize(walks: Sequence[Walk]) -> dict[str, Any]:
    """Per strategy and page: medians over the rounds."""
    out: dict[str, Any] = {}
    for strategy in dict.fromkeys(w.strategy for w in walks):
        mine = [w for w in walks if w.strategy == strategy and w.pages <= len(WALK)]
        if not mine:
            continue
        pages = []
        for p in range(mine[0].pages):
            steps = [w.steps[p] for w in mine if len(w.steps) > p]
            pages.append(
                {
                    "page": p + 1,
                    "apps": steps[0].apps if steps else None,
                    "first_s": _median([s.first_s for s in steps]),
                    "all_s": _median([s.all_s for s in steps]),
                    "snapshot_s": _median([s.snapshot_s for s in steps]),
                    "worker_pss_mib": _median([s.worker_pss_mib for s in steps]),
                    "chromium_pss_mib": _median([s.chromium_pss_mib for s in steps]),
                }
            )
        out[strategy] = {
            "pages": pages,
            "wasm_fetches": [w.wasm_fetches for w in mine],
            "runtimes": [w.runtimes for w in mine],
        }
    return out


def targets(summary: dict[str, Any], long_walks: Sequence[Walk]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    ours = summary.get("ours")
    if not ours or not ours["pages"] or ours["pages"][0]["first_s"] is None:
        return found
    first = ours["pages"][0]["first_s"]
    for p in ours["pages"][1:]:
        value = p["first_s"]
        ok = value is not None and value <= NEXT_FIRST_RATIO * first and value <= NEXT_FIRST_S
        found.append(
            {
                "target": f"page {p['page']}, first app <= {NEXT_FIRST_RATIO}x page 1's "
                f"and <= {NEXT_FIRST_S} s",
                "value": value,
                "ok": ok,
            }
        )
        if p["apps"] == 3:
            value = p["all_s"]
            ok = value is not None and value <= NEXT_ALL_RATIO * first
            found.append(
                {
                    "target": f"page {p['page']} (3 apps), all apps <= {NEXT_ALL_RATIO}x "
                    "page 1's first app",
                    "value": value,
                    "ok": ok,
                }
            )
    found.append(
        {
            "target": "pyodide.asm.wasm fetched once per walk",
            "value": ours["wasm_fetches"],
            "ok": all(n == 1 for n in ours["wasm_fetches"]),
        }
    )
    found.append(
        {
            "target": "Python booted once per walk (one worker)",
            "value": ours["runtimes"],
            "ok": all(n == 1 for n in ours["runtimes"]),
        }
    )
    for w in long_walks:
        if w.strategy != "ours":
            continue
        collected = [s.worker_pss_collected_mib for s in w.steps]
        if len(collected) >= 2 and collected[0] and collected[-1]:
            ratio = round(collected[-1] / collected[0], 3)
            found.append(
                {
                    "target": f"worker process PSS (garbage collected) after {len(collected)} "
                    f"pages <= {LONG_MEMORY_RATIO}x after the first",
                    "value": ratio,
                    "ok": ratio <= LONG_MEMORY_RATIO,
                }
            )
    return found


def worker_memory_mib(step: Step) -> float | None:
    """What the shared worker itself holds: its JavaScript heap and Python's wasm memory."""
    wasm = float(step.stats.get("wasmBytes") or 0)
    if step.worker_js_heap_mib is None or not wasm:
        return None
    return round(step.worker_js_heap_mib + wasm / 2**20, 1)


def render(
    summary: dict[str, Any], long_walks: Sequence[Walk], found: Sequence[dict[str, Any]]
) -> str:
    lines = [
        "Tutorial walk (medians over the rounds): seconds from the click to the first app's "
        "output / to every app's; worker PSS MiB once the page's apps are up",
        "",
    ]
    strategies = list(summary)
    cells = " | ".join(f"{s} first / all, s | {s} worker MiB" for s in strategies)
    head = f"| page | apps | {cells} |"
    lines += [head, "|" + "---|" * (2 + 2 * len(strategies))]
    for p in range(len(next(iter(summary.values()))["pages"])):
        row = []
        for s in strategies:
            page = summary[s]["pages"][p]
            shown = f"{page['first_s']} / {page['all_s']}"
            if page.get("snapshot_s") is not None:
                shown = f"{page['snapshot_s']} snapshot, {shown} live"
            row.append(f"{shown} | {page['worker_pss_mib']}")
        apps = summary[strategies[0]]["pages"][p]["apps"]
        lines.append(f"| {p + 1} | {apps} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append(
        "pyodide.asm.wasm fetched per walk: "
        + ", ".join(f"{s} {summary[s]['wasm_fetches']}" for s in strategies)
    )
    lines.append(
        "Python runtimes (workers) per walk: "
        + ", ".join(f"{s} {summary[s]['runtimes']}" for s in strategies)
    )
    for w in long_walks:
        lines.append("")
        pss = ", ".join(f"{s.worker_pss_mib:.0f}" if s.worker_pss_mib else "-" for s in w.steps)
        lines.append(f"{w.strategy}, {w.pages}-page walk: worker PSS MiB per page: {pss}")
        lines.append(
            "  wasm MiB: "
            + ", ".join(f"{s.stats.get('wasmBytes', 0) / 2**20:.0f}" for s in w.steps)
            + "; sessions alive: "
            + ", ".join(str(s.stats.get("sessions", "-")) for s in w.steps)
        )
        collected = ", ".join(
            f"{s.worker_pss_collected_mib:.0f}" if s.worker_pss_collected_mib else "-"
            for s in w.steps
        )
        lines.append(f"  worker PSS MiB once garbage is collected: {collected}")
        heap = ", ".join(f"{s.worker_js_heap_mib}" for s in w.steps)
        lines.append(f"  worker JS heap MiB: {heap}")
        lines.append(
            f"  worker memory (heap + wasm) MiB: {[worker_memory_mib(s) for s in w.steps]}"
        )
        lines.append(f"  first app per page, s: {[s.first_s for s in w.steps]}")
    lines.append("")
    for t in found:
        lines.append(f"{'PASS' if t['ok'] else 'MISS'}  {t['target']}: {t['value']}")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="5-page walks per strategy")
    parser.add_argument(
        "--long", type=int, default=LONG_PAGES, help="pages of the memory walk (0: none)"
    )
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--smoke", action="store_true", help="ours, 2 pages, one round")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    strategies = ["ours"] if args.smoke else [s for s in args.strategies.split(",") if s]
    # the walked pages are the built ones: their apps, as the site has them
    counts = walk_counts(SMOKE_PAGES) if args.smoke else list(WALK)
    rounds = 1 if args.smoke else args.rounds
    long_pages = 0 if args.smoke else args.long
    tmp = Path(tempfile.mkdtemp(prefix="stlite-walk-"))
    walks: list[Walk] = []
    long_walks: list[Walk] = []
    try:
        dist = ensure_distribution()
        built = build_ours(tmp, walk_counts(max(len(counts), long_pages)))
        site = build_hand_written(tmp, counts)
        log: list[Any] = []
        config = ServerConfig({"/site": site, **{f"/{k}": v for k, v in built.items()}}, log)
        with (
            dist_transport("cdn", dist.root, config, tmp) as transport,
            serve(config) as server,
            blocking_proxy() as (proxy_url, _),
            sync_playwright() as pw,
        ):
            how = Browsing(pw, server.base_url, proxy_url, transport.browser_args, log)
            if "ours-snap" in strategies:
                config.mounts["/ours-snap"] = snapshot_site(
                    built["ours"],
                    tmp,
                    len(counts),
                    [f"--proxy-server={proxy_url}", *how.browser_args],
                )
            for r in range(rounds):
                for strategy in strategies:
                    # the smoke walk is its memory walk too (collections included)
                    w = walk(how, strategy, counts, r, collect=args.smoke)
                    walks.append(w)
                    if args.smoke:
                        long_walks.append(w)
                    print(
                        f"round {r + 1} {strategy}: "
                        + ", ".join(f"{s.first_s}/{s.all_s}" for s in w.steps)
                        + f" s; wasm {w.wasm_fetches}",
                        file=sys.stderr,
                    )
            if long_pages:
                # the memory walks: kept warm, and (for comparison) a runtime per page view
                for strategy in ("ours", "ours-cold"):
                    if strategy in strategies:
                        long_walks.append(walk(how, strategy, walk_counts(long_pages), 0, True))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    summary = summarize(walks)
    found = targets(summary, long_walks)
    results = {
        "machine": {"cpus": os.cpu_count(), "chromium": CHROMIUM},
        "walk": counts,
        "rounds": rounds,
        "summary": summary,
        "walks": [asdict(w) for w in walks],
        "long": [asdict(w) for w in long_walks],
        "targets": found,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / ("walk-smoke.json" if args.smoke else "walk.json")
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(render(summary, long_walks, found))
    print(f"wrote {out}", file=sys.stderr)
    failed = [s for w in walks + long_walks for s in w.steps if s.error]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
