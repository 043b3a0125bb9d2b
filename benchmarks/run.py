"""Runtime benchmark: our shared-worker loader against one worker per app and one
iframe per app, with a bare Pyodide + Streamlit boot as the limit (issues 7, 11).

What it does, all on the offline test bed (stlite 1.9.2 and Pyodide 0.29.3 from
``.cache/offline-dist``, built by ``tests/offline_dist.py``; headless Chromium;
nothing leaves 127.0.0.1):

* pages with N = 1, 3, 6, 10 apps (text, slider, button and text-input apps in
  turn) for each strategy (see ``bench_pages.py``): ``ours`` (our loader and
  mount elements, ONE shared worker), ``per-app`` (``stlite.mount`` per app,
  ``sharedWorker: false``) and ``iframe`` (one ``<iframe srcdoc>`` page per
  app, like atsphinx-stlite); plus ``bare`` (a module worker that boots Pyodide,
  micropip-installs stlite's Streamlit wheels and imports ``streamlit``);
* for every run: seconds from navigation until every app's output is visible
  (each app scrolled into view in turn, as a reader would), peak memory (sum of
  RSS, and PSS, of the Chromium processes of this run's browser, sampled every
  0.2 s), worker targets (CDP ``Target.getTargets``), iframes, and the bytes and
  requests the local server answered;
* a 20-app page (ours, lazy mounting): time to the first visible app;
* build cost (``build_cost.py``: 150 apps against code blocks, Sphinx, Sphinx
  ``-j 2``, MkDocs) and page weight (loader + CSS on a page with apps, and what a
  page without apps references, from real Sphinx and MkDocs builds).

The ``ours`` pages carry the ``<head>`` fetch hints a default (CDN) or self-contained build
emits (stlite.js, its main chunk, stlite.css; see ``hint_chunk``). ``warm`` measures a reader's
second page: the 1-app page opened after the 20-app page in the same browser.

Every run gets a fresh browser (new profile, cold HTTP cache). Runs are
interleaved (every page once, then again) so drift in machine load falls on all
strategies alike. The distribution is served with a CDN's caching headers
(``max-age=31536000, immutable``), so frames and workers of one page share
downloads as they would from jsDelivr.

Usage (from the repository root, in the project's venv)::

    pip install -r benchmarks/requirements.txt
    python benchmarks/run.py                 # full run, ~15 min on 2 cores
    python benchmarks/run.py --smoke --out /tmp/bench   # N=1,3, one run, ~2 min

Writes ``results.json`` and ``apps_vs_time_memory.png`` to ``--out``
(default ``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for _path in (REPO / "tests", REPO):  # the core without an install; the test bed's helpers
    if str(_path) not in sys.path:
        sys.path.insert(1, str(_path))

import bench_pages  # noqa: E402
import psutil  # noqa: E402
from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    MIME_TYPES,
    blocking_proxy,
    mounted_path,
)
from offline_dist import ensure_distribution  # noqa: E402
from playwright.sync_api import (  # noqa: E402
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

from stlite_docs.assets import LOADER_FILES, STATIC_DIR  # noqa: E402
from stlite_docs.preload import static_imports  # noqa: E402

STRATEGIES = ("ours", "per-app", "iframe")
DEFAULT_COUNTS = (1, 3, 6, 10)
SMOKE_COUNTS = (1, 3)
LAZY_COUNT = 20
WARM_KEY = "ours 1, second page"
VIEWPORT = {"width": 1280, "height": 900}
SAMPLE_SECONDS = 0.2
SETTLE_SECONDS = 0.3
RUN_TIMEOUT = 300.0
FIRST_APP_TIMEOUT = 150.0
BROWSER_SERVICE_HOSTS = ("google", "gstatic")

# Targets of issue 7 and issue 11.
SIX_VS_ONE = 1.25
PERAPP_SPEEDUP = 3.0
PERAPP_MEMORY_SAVED_MIB = 500.0
LAZY_VS_ONE = 1.2
BUILD_RATIO = 1.10
LOADER_BYTES = 10_000  # loader + CSS a page with apps loads before any app starts
LOADER_TOTAL_BYTES = 24_000  # ... and in all, once an app starts (the loader's second part)
BARE_RATIO = 1.25
CDN_CACHE_CONTROL = "public, max-age=31536000, immutable"


# --- the local server ---------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """One answered request, times on this process's monotonic clock."""

    path: str
    status: int
    start: float
    end: float
    bytes: int


class Link:
    """An emulated network link shared by all responses: ``mbit`` Mbit/s in total (FIFO, in
    64 KiB slices, so parallel downloads share it) and ``rtt_ms`` before each response
    starts. Only for what-if runs (``--net``); by default the server answers at loopback
    speed, as the issue's numbers are defined."""

    SLICE = 64 * 1024

    def __init__(self, mbit: float, rtt_ms: float) -> None:
        self.rate = mbit * 1e6 / 8
        self.rtt = rtt_ms / 1000
        self._lock = threading.Lock()
        self._free_at = 0.0

    def send(self, raw: BinaryIO, data: bytes) -> None:
        for i in range(0, len(data), self.SLICE):
            piece = data[i : i + self.SLICE]
            with self._lock:
                self._free_at = max(time.monotonic(), self._free_at) + len(piece) / self.rate
                done = self._free_at
            time.sleep(max(0.0, done - time.monotonic()))
            raw.write(piece)

    def describe(self) -> str:
        return f"{self.rate * 8 / 1e6:g} Mbit/s, {self.rtt * 1000:g} ms RTT"


class _CountingWriter:
    """Wraps the response stream to count every byte sent (headers and body)."""

    def __init__(self, raw: BinaryIO, link: Link | None) -> None:
        self.raw = raw
        self.link = link
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        if self.link is None:
            return self.raw.write(data)
        self.link.send(self.raw, bytes(data))
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:  # closed, close, ... of the real stream
        return getattr(self.raw, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a browser gets from a CDN
    extensions_map = MIME_TYPES  # the test server's content types

    def __init__(self, *args: Any, mounts: dict[str, Path], log: list[Served],
                 link: Link | None, dist_cache: str = CDN_CACHE_CONTROL, **kw: Any) -> None:
        self._mounts = mounts
        self._dist_cache = dist_cache
        self._log = log
        self._link = link
        self._status = 0
        super().__init__(*args, **kw)

    def setup(self) -> None:
        super().setup()
        self._counter = _CountingWriter(self.wfile, self._link)  # type: ignore[arg-type]
        self.wfile = self._counter  # type: ignore[assignment]

    def translate_path(self, path: str) -> str:
        return mounted_path(self._mounts, path)  # the test server's mapping

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def do_GET(self) -> None:
        start, before = time.monotonic(), self._counter.count
        if self._link is not None:
            time.sleep(self._link.rtt)
        super().do_GET()
        self._log.append(Served(self.path, self._status, start, time.monotonic(),
                                self._counter.count - before))

    def end_headers(self) -> None:
        if self.path.startswith(bench_pages.DIST + "/"):
            # jsDelivr's headers for a versioned file, unless --dist-cache says otherwise
            self.send_header("Cache-Control", self._dist_cache)
            self.send_header("Access-Control-Allow-Origin", "*")
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Server:
    base_url: str
    log: list[Served]


@contextlib.contextmanager
def serve(mounts: dict[str, Path], link: Link | None = None,
          dist_cache: str = "") -> Iterator[Server]:
    log: list[Served] = []
    handler = functools.partial(_Handler, mounts=mounts, log=log, link=link,
                                dist_cache=dist_cache or CDN_CACHE_CONTROL)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", log)
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- memory ---------------------------------------------------------------------------------


def our_chromium() -> list[psutil.Process]:
    """Chromium processes started by this benchmark (children of Playwright's driver),
    not those of anyone else's browser on the machine."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name().lower():
                found.append(proc)
        except psutil.Error:
            continue
    return found


def other_chromium_count() -> int:
    ours = {p.pid for p in our_chromium()}
    count = 0
    for proc in psutil.process_iter(["name"]):
        name = (proc.info.get("name") or "").lower()
        if "chrom" in name and proc.pid not in ours:
            count += 1
    return count


_THREAD_DIGITS = re.compile(r"[0-9]+$")


def cpu_by_thread() -> dict[str, float]:
    """CPU seconds our Chromium processes have used so far, by process type and thread
    name (``renderer/CrRendererMain``, ``renderer/DedicatedWorker thread``, ...): where
    the time of a run went. Threads that already exited are not counted."""
    totals: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for proc in our_chromium():
        try:
            args = proc.cmdline()
            kind = next((a[7:] for a in args if a.startswith("--type=")), "browser")
            sub = next((a.rsplit(".", 1)[-1] for a in args if a.startswith("--utility-sub")), "")
            kind = f"{kind}:{sub}" if sub else kind
            for task in Path(f"/proc/{proc.pid}/task").iterdir():
                name = (task / "comm").read_text().strip()
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / tick
                key = f"{kind}/{_THREAD_DIGITS.sub('', name)}"
                totals[key] = totals.get(key, 0.0) + seconds
        except (OSError, psutil.Error, IndexError, ValueError):
            continue
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    return {k: round(v, 2) for k, v in ranked if v >= 0.05}


class MemorySampler:
    """Samples the summed RSS and PSS of our Chromium processes in a thread."""

    def __init__(self, interval: float = SAMPLE_SECONDS) -> None:
        self.interval = interval
        self.peak_rss = 0.0
        self.peak_pss = 0.0
        self.peak_processes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[float, float]:
        rss = pss = 0.0
        procs = our_chromium()
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += info.pss
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_processes = max(self.peak_processes, len(procs))
        self.samples += 1
        return rss, pss

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --- one run --------------------------------------------------------------------------------

#: In-page timeline of our loader: app states and the progress text it shows (stlite's
#: worker messages), on the page's own clock (ms since navigation start).
OURS_MARKS_SCRIPT = """
(() => {
  if (window.top !== window) return;
  const marks = [];
  window.__benchMarks = marks;
  const last = new Map();
  const note = (what, el, value) => {
    const key = what + " " + el.id;
    if (last.get(key) === value) return;
    last.set(key, value);
    marks.push([Math.round(performance.now()), what, el.id || "", value]);
  };
  new MutationObserver((records) => {
    // an app's first output in the DOM (every benchmark app writes Markdown), before
    // Playwright sees it visible; and when Streamlit shows its toolbar (connected to
    // the worker) and then hides its status widget (the first script run is over)
    for (const [what, css] of [
      ["connected", ".stlite-docs-mount [data-testid=stToolbar]"],
      ["drawn", ".stlite-docs-mount [data-testid=stMarkdownContainer]"],
    ]) {
      const el = !marks.some((m) => m[1] === what) && document.querySelector(css);
      if (el) note(what, el.closest(".stlite-docs-app"), "");
    }
    for (const r of records) {
      const t = r.target;
      if (r.type === "attributes") {
        note("state", t, t.getAttribute("data-stlite-docs-state"));
      } else if (t.classList && t.classList.contains("stlite-docs-status")) {
        const app = t.closest(".stlite-docs-app");
        if (app) note("status", app, t.textContent);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true,
                          attributeFilter: ["data-stlite-docs-state"] });
})();
"""


@dataclass
class Run:
    """Everything measured in one page load."""

    strategy: str
    apps: int
    repeat: int
    rendered: int = 0
    seconds: float | None = None
    first_seconds: float | None = None
    app_seconds: list[float] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    peak_pss_mib: float = 0.0
    idle_rss_mib: float = 0.0
    processes: int = 0
    targets: dict[str, int] = field(default_factory=dict)
    dedicated_workers: int = 0
    iframes: int = 0
    bytes: int = 0
    requests: int = 0
    repeated_urls: dict[str, int] = field(default_factory=dict)
    page_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)
    error: str | None = None
    load_average: float = 0.0
    other_chromium: int = 0
    waited_s: float = 0.0
    cpu_busy_before: float = 0.0
    marks: list[Any] = field(default_factory=list)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    bare: dict[str, Any] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.rendered == self.apps


def _page_path(strategy: str, apps: int, docs: str = "/docs") -> str:
    if strategy == "bare":
        return "/site/bare.html"
    if strategy in ("ours", "lazy", "warm"):
        return f"{docs}/ours-{apps}.html"
    prefix = {"per-app": "perapp", "iframe": "iframe"}[strategy]
    return f"/site/{prefix}-{apps}.html"


# The app's marker text rendered by Streamlit and not hidden (our loading state hides the
# mount with visibility: hidden).
_SHOWN_JS = """(text) => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
  .some((e) => e.textContent.trim() === text && e.checkVisibility({visibilityProperty: true}))"""


def _app_box(page: Page, strategy: str, index: int) -> Locator:
    """The element holding app ``index``: what the reader scrolls to."""
    css = {"per-app": ".bench-app", "iframe": "iframe.bench-frame"}.get(strategy,
                                                                      ".stlite-docs-app")
    return page.locator(css).nth(index)


def _wait_shown(page: Page, strategy: str, index: int, timeout_ms: float) -> None:
    """Scroll to app ``index`` and wait until its output shows. Checked in the page on
    every animation frame, like the bare boot's flag: Playwright's own visibility wait
    polls up to 500 ms apart, which added 0-0.5 s at random to an app's time."""
    box = _app_box(page, strategy, index)
    box.scroll_into_view_if_needed(timeout=timeout_ms)
    frame = page.main_frame
    if strategy == "iframe":
        frame = box.element_handle(timeout=timeout_ms).content_frame() or frame
    frame.wait_for_function(_SHOWN_JS, arg=bench_pages.marker(index), polling="raf",
                            timeout=timeout_ms)


def _count_targets(context: BrowserContext, page: Page) -> dict[str, int]:
    """Targets (pages, workers, shared workers, iframes) of the whole browser."""
    browser = context.browser
    cdp = browser.new_browser_cdp_session() if browser else context.new_cdp_session(page)
    try:
        infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        cdp.detach()
    return dict(Counter(t["type"] for t in infos))


def _off_host(record: str) -> bool:
    return not any(host in record for host in BROWSER_SERVICE_HOSTS)


class QuietWait:
    """Before a run, wait (within a total budget) until the machine is idle: other
    people's browser tests share these cores, and a run that starts while they are busy
    measures them as much as us. What could not be waited out is recorded per run."""

    def __init__(self, budget: float, per_run: float = 20.0, busy_percent: float = 30.0
                 ) -> None:
        self.budget = budget
        self.per_run = per_run
        self.busy_percent = busy_percent

    def __call__(self) -> tuple[float, float]:
        """Seconds waited, and the CPU use (%) of the last 0.5 s before the run."""
        start = time.monotonic()
        busy = psutil.cpu_percent(interval=0.5)
        while busy > self.busy_percent and self.budget > 0:
            waited = time.monotonic() - start
            if waited >= self.per_run:
                break
            busy = psutil.cpu_percent(interval=0.5)
            self.budget -= 0.5
        return time.monotonic() - start, busy


@dataclass
class Bench:
    """What every run shares: Playwright, the server, the blocking proxy."""

    pw: Playwright
    server: Server
    proxy: tuple[str, list[str]]
    quiet: QuietWait


def _wait_for_apps(page: Page, run: Run, t0: float, first_only: bool) -> None:
    """Scroll each app into view in turn and wait for its own output (or the bare boot)."""
    deadline = t0 + FIRST_APP_TIMEOUT  # a page that does not start at all fails fast

    def left_ms() -> float:
        return max(1.0, deadline - time.monotonic()) * 1000

    if run.strategy == "bare":
        page.wait_for_function("window.__bare", timeout=left_ms())
        run.seconds = run.first_seconds = time.monotonic() - t0
        run.bare = page.evaluate("window.__bare")
        if not run.bare.get("ok"):
            raise RuntimeError(f"bare boot failed: {run.bare.get('error')}")
        run.rendered = 1
        return
    for i in range(1 if first_only else run.apps):
        _wait_shown(page, run.strategy, i, left_ms())
        run.app_seconds.append(time.monotonic() - t0)
        run.rendered += 1
        deadline = t0 + RUN_TIMEOUT
    run.first_seconds = run.app_seconds[0]
    run.seconds = run.app_seconds[-1]
    if first_only:
        run.rendered = run.apps  # the others stay unmounted until scrolled to, by design


def _record_served(run: Run, served: Sequence[Served], t0: float) -> None:
    run.bytes = sum(s.bytes for s in served)
    run.requests = len(served)
    counts = Counter(s.path for s in served)
    run.repeated_urls = {p: c for p, c in counts.items() if c > 1}
    run.timeline = [
        {"path": s.path, "status": s.status, "start_ms": round((s.start - t0) * 1000),
         "end_ms": round((s.end - t0) * 1000), "bytes": s.bytes}
        for s in served
    ]


@contextlib.contextmanager
def _fresh_browser(pw: Playwright, proxy_url: str, on_disk: bool) -> Iterator[BrowserContext]:
    """A new Chromium with an empty profile. ``on_disk``: the profile (and its HTTP cache)
    is a folder, as in a reader's browser; Playwright's default contexts keep the cache in
    memory, where Chromium does not keep a file as big as Pyodide's 8.6 MB wasm, so a second
    page would not be warm."""
    launch: dict[str, Any] = {"executable_path": CHROMIUM, "headless": True,
                              "args": [*CHROMIUM_ARGS, f"--proxy-server={proxy_url}"]}
    if on_disk:
        profile = tempfile.mkdtemp(prefix="stlite-bench-profile-")
        try:
            context = pw.chromium.launch_persistent_context(profile, viewport=VIEWPORT, **launch)  # type: ignore[arg-type]
            try:
                yield context
            finally:
                context.close()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        return
    browser = pw.chromium.launch(**launch)
    try:
        yield browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    finally:
        browser.close()


def measure(bench: Bench, strategy: str, apps: int, repeat: int, docs: str = "/docs") -> Run:
    """Load one page in a fresh browser and wait for its apps (or the bare boot);
    ``docs`` is where the Sphinx build of our pages is served (variants: ``levers.py``)."""
    waited, busy = bench.quiet()
    run = Run(strategy, apps, repeat, load_average=os.getloadavg()[0],
              other_chromium=other_chromium_count(), waited_s=round(waited, 1),
              cpu_busy_before=busy)
    proxy_url, proxied = bench.proxy
    proxied_before = len(proxied)
    with _fresh_browser(bench.pw, proxy_url, on_disk=strategy == "warm") as context:
        page = context.pages[0] if context.pages else context.new_page()
        page.on("pageerror", lambda e: run.page_errors.append(str(e)[:300]))
        page.on("console", lambda m: run.console.append(f"{m.type}: {m.text[:200]}")
                if m.type in ("warning", "error") and len(run.console) < 30 else None)
        if strategy in ("ours", "lazy", "warm"):
            page.add_init_script(OURS_MARKS_SCRIPT)
        if strategy == "warm":
            # A reader's second page of the site: they read the 20-app page first, so the
            # HTTP cache (and Chromium's code and wasm caches) hold stlite and Pyodide.
            page.goto(bench.server.base_url + _page_path("lazy", LAZY_COUNT, docs))
            _wait_shown(page, "lazy", 0, FIRST_APP_TIMEOUT * 1000)
        with MemorySampler() as sampler:
            run.idle_rss_mib = sampler.sample()[0] / 2**20
            log_start = len(bench.server.log)
            t0 = time.monotonic()
            try:
                page.goto(bench.server.base_url + _page_path(strategy, apps, docs),
                          wait_until="commit")
                _wait_for_apps(page, run, t0, first_only=strategy == "lazy")
            except Exception as exc:
                run.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
            time.sleep(SETTLE_SECONDS)
            run.targets = _count_targets(context, page)
            run.cpu_seconds = cpu_by_thread()
            run.dedicated_workers = len(page.workers)
            run.iframes = len(page.frames) - 1
            if strategy in ("ours", "lazy", "warm"):
                with contextlib.suppress(Exception):
                    run.marks = page.evaluate("window.__benchMarks || []")
        run.peak_rss_mib = sampler.peak_rss / 2**20
        run.peak_pss_mib = sampler.peak_pss / 2**20
        run.processes = sampler.peak_processes
    _record_served(run, bench.server.log[log_start:], t0)
    run.off_host = [p for p in proxied[proxied_before:] if _off_host(p)]
    return run


# --- where the first app's time goes ---------------------------------------------------------

#: (phase, progress text our loader shows for it, the bare boot's mark for it)
PHASES = (
    ("worker asked to load Pyodide", "Loading Pyodide.", "worker_start"),
    ("Pyodide booted", "Mounting files.", "pyodide_loaded"),
    ("micropip loaded, install starts", "Installing packages.", "micropip_loaded"),
    ("installed, import streamlit starts", "Loading streamlit package.", "installed"),
    ("streamlit imported", "Setting up the loggers.", "streamlit_imported"),
    ("Streamlit server booting", "Booting up the Streamlit server.", ""),
    ("app running (loadFinished)", "", ""),
)


CONNECTED_PHASE = "Streamlit frontend connected (toolbar shown)"
DRAWN_PHASE = "first app output in the DOM"


def phases(run: Run) -> dict[str, float]:
    """Milliseconds from navigation to each step of the first app (or the bare boot)."""
    out: dict[str, float] = {}
    if run.strategy == "bare":
        marks = run.bare.get("marks_ms", {})
        for name, _, mark in PHASES:
            if mark and mark in marks:
                out[name] = marks[mark]
    elif run.marks:
        first = min((m for m in run.marks if m[1] == "state" and m[3] == "loading"),
                    key=lambda m: m[0], default=None)
        if first is not None:
            out["loader mounts the first app"] = first[0]
            app = [m for m in run.marks if m[2] == first[2]]
            for name, text, _ in PHASES:
                hit = next((m[0] for m in app if m[1] == "status" and text and m[3] == text),
                           None)
                if name.startswith("app running"):
                    hit = next((m[0] for m in app if m[1] == "state" and m[3] == "running"),
                               None)
                if hit is not None:
                    out[name] = hit
            for phase, what in ((CONNECTED_PHASE, "connected"), (DRAWN_PHASE, "drawn")):
                hit = next((m[0] for m in run.marks if m[1] == what), None)
                if hit is not None:
                    out[phase] = hit
    if run.first_seconds is not None:
        out["first app's output visible"] = run.first_seconds * 1000
    return out


def phase_table(summary: dict[str, dict[str, Any]], keys: Sequence[str]) -> str:
    keys = [k for k in keys if summary.get(k, {}).get("phases_ms")]
    names = ["loader mounts the first app", *(p[0] for p in PHASES), CONNECTED_PHASE, DRAWN_PHASE,
             "first app's output visible"]
    header = "| ms since navigation (median) | " + " | ".join(keys) + " |"
    lines = [header, "|---|" + "---:|" * len(keys)]
    for name in names:
        cells = []
        for k in keys:
            v = summary[k]["phases_ms"].get(name)
            cells.append(f"{v:.0f}" if v is not None else "")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- statistics and report ------------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    median: float
    min: float
    max: float
    n: int

    @staticmethod
    def of(values: Sequence[float]) -> Stat | None:
        if not values:
            return None
        return Stat(statistics.median(values), min(values), max(values), len(values))


def summarize(runs: Sequence[Run]) -> dict[str, Any]:
    good = [r for r in runs if r.ok]

    def stat(get: Callable[[Run], float | None]) -> dict[str, float] | None:
        values = [v for v in (get(r) for r in good) if v is not None]
        s = Stat.of(values)
        return None if s is None else asdict(s)

    return {
        "runs": len(runs),
        "ok_runs": len(good),
        "all_rendered": bool(runs) and len(good) == len(runs),
        "seconds": stat(lambda r: r.seconds),
        "first_seconds": stat(lambda r: r.first_seconds),
        "peak_rss_mib": stat(lambda r: r.peak_rss_mib),
        "peak_pss_mib": stat(lambda r: r.peak_pss_mib),
        "bytes": stat(lambda r: float(r.bytes)),
        "requests": stat(lambda r: float(r.requests)),
        "shared_workers": max((r.targets.get("shared_worker", 0) for r in runs), default=0),
        "workers": max((r.targets.get("worker", 0) for r in runs), default=0),
        "dedicated_workers_playwright": max((r.dedicated_workers for r in runs), default=0),
        "iframes": max((r.iframes for r in runs), default=0),
        "errors": [r.error for r in runs if r.error],
        "cpu_seconds_total": stat(lambda r: sum(r.cpu_seconds.values()) or None),
        "phases_ms": _median_phases(good),
        "cpu_busy_before_percent": stat(lambda r: r.cpu_busy_before),
    }


def _median_phases(runs: Sequence[Run]) -> dict[str, float]:
    per_run = [phases(r) for r in runs]
    names = dict.fromkeys(n for p in per_run for n in p)
    return {n: statistics.median(p[n] for p in per_run if n in p) for n in names}


def _fmt(s: dict[str, float] | None, unit: str = "", digits: int = 1) -> str:
    if s is None:
        return "n/a"
    return f"{s['median']:.{digits}f}{unit} [{s['min']:.{digits}f}-{s['max']:.{digits}f}]"


def table(summary: dict[str, dict[str, Any]]) -> str:
    """Markdown table: median [min-max] of the runs of each page."""
    header = ("| page | all apps visible, s | first app, s | peak RSS, MiB | peak PSS, MiB "
              "| CPU, s | workers | iframes | MB served | requests |")
    lines = [header, "|" + "---|" * 10]
    for key, s in summary.items():
        workers = f"{s['shared_workers']} shared" if s["shared_workers"] else f"{s['workers']}"

        def med(metric: str, scale: float = 1.0, digits: int = 0, s: dict[str, Any] = s) -> str:
            v = s.get(metric)
            return "n/a" if v is None else f"{v['median'] / scale:.{digits}f}"

        lines.append(
            f"| {key} | {_fmt(s['seconds'])} | {_fmt(s['first_seconds'])} | "
            f"{_fmt(s['peak_rss_mib'], digits=0)} | {med('peak_pss_mib')} | "
            f"{med('cpu_seconds_total', digits=1)} | {workers} | {s['iframes']} | "
            f"{med('bytes', 1e6, 1)} | {med('requests')} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    name: str
    passed: bool | None  # None: not measured in this run
    detail: str

    def line(self) -> str:
        verdict = "SKIP" if self.passed is None else ("PASS" if self.passed else "FAIL")
        return f"{verdict}  {self.name}: {self.detail}"


def _median(summary: dict[str, dict[str, Any]], key: str, metric: str) -> float | None:
    s = summary.get(key)
    if s is None or s.get(metric) is None:
        return None
    value: float = s[metric]["median"]
    return value


def runtime_targets(summary: dict[str, dict[str, Any]]) -> list[Target]:
    targets: list[Target] = []
    one = _median(summary, "ours 1", "seconds")
    six = _median(summary, "ours 6", "seconds")
    per6 = _median(summary, "per-app 6", "seconds")
    mem6 = _median(summary, "ours 6", "peak_rss_mib")
    permem6 = _median(summary, "per-app 6", "peak_rss_mib")
    lazy = _median(summary, f"ours {LAZY_COUNT} lazy", "first_seconds")
    bare = _median(summary, "bare", "seconds")
    first1 = _median(summary, "ours 1", "first_seconds")

    def ratio_target(name: str, num: float | None, den: float | None, limit: float,
                     what: str) -> Target:
        if num is None or den is None:
            return Target(name, None, "not measured in this run")
        r = num / den
        return Target(name, r <= limit, f"{what} = {num:.2f} s / {den:.2f} s = {r:.2f}x "
                                        f"(target <= {limit}x)")

    targets.append(ratio_target("6 apps vs 1 app (ours)", six, one, SIX_VS_ONE,
                                "all 6 visible / 1 app"))
    if per6 is None or six is None:
        targets.append(Target("6 apps: >= 3x faster than one worker per app", None,
                              "not measured in this run"))
    else:
        speedup = per6 / six
        targets.append(Target("6 apps: >= 3x faster than one worker per app",
                              speedup >= PERAPP_SPEEDUP,
                              f"{per6:.2f} s / {six:.2f} s = {speedup:.2f}x "
                              f"(target >= {PERAPP_SPEEDUP}x)"))
    if permem6 is None or mem6 is None:
        targets.append(Target("6 apps: >= 500 MiB less memory than one worker per app", None,
                              "not measured in this run"))
    else:
        saved = permem6 - mem6
        targets.append(Target("6 apps: >= 500 MiB less memory than one worker per app",
                              saved >= PERAPP_MEMORY_SAVED_MIB,
                              f"peak RSS {permem6:.0f} - {mem6:.0f} = {saved:.0f} MiB "
                              f"(target >= {PERAPP_MEMORY_SAVED_MIB:.0f})"))
    targets.append(ratio_target(f"{LAZY_COUNT}-app lazy page: first app vs 1-app page", lazy,
                                first1, LAZY_VS_ONE, "first visible"))
    targets.append(ratio_target("issue 11: 1-app page first app vs bare boot", first1, bare,
                                BARE_RATIO, "first app / bare boot"))
    targets.append(ratio_target(f"issue 11: {LAZY_COUNT}-app page first app vs bare boot", lazy,
                                bare, BARE_RATIO, "first app / bare boot"))
    warm = _median(summary, WARM_KEY, "first_seconds")
    targets.append(ratio_target("issue 11: second page of the site (warm cache) vs first", warm,
                                first1, 1.0, "1-app page after the 20-app page / cold"))
    return targets


# --- page weight ----------------------------------------------------------------------------

_ASSET_REF = re.compile(r"""(?:src|href)=["']([^"']*stlite-docs\.(?:js|css)[^"']*)["']""")
# The loader's own relative imports (its second part, imported when an app starts).
# import("./x.js?v=...") and the mount part's `./stlite-docs-mount.css${...}` stylesheet URL
_IMPORT_REF = re.compile(r"""(?:import\("|`)(\./[^"?`$]+\.(?:js|css))""")
_APP_SOURCE = "import streamlit as st\nst.write('page weight')\n"


def _referenced(page: Path) -> dict[Path, int]:
    """Our loader/CSS files a built page references -> their size in bytes."""
    found: dict[Path, int] = {}
    for ref in _ASSET_REF.findall(page.read_text(encoding="utf-8")):
        target = (page.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        found[target] = target.stat().st_size
    return found


def _imported(files: dict[Path, int]) -> dict[Path, int]:
    """The files our loader files load relative to themselves when an app starts (the
    modules they import, and what those load in turn, such as the mount part's
    stylesheet) -> their size."""
    found: dict[Path, int] = {}
    todo = [path for path in files if path.suffix == ".js"]
    while todo:
        path = todo.pop()
        for ref in _IMPORT_REF.findall(path.read_text(encoding="utf-8")):
            target = (path.parent / ref).resolve()
            if target not in found and target not in files:
                found[target] = target.stat().st_size
                if target.suffix == ".js":
                    todo.append(target)
    return found


def _gzip_size(files: dict[Path, int]) -> int:
    return sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)


def _names(files: dict[Path, int]) -> dict[str, int]:
    return {path.name: size for path, size in files.items()}


def _build(cmd: list[str]) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")


def page_weight(tmp: Path) -> dict[str, Any]:
    """Bytes of our loader + CSS that a page with one app and a page without apps
    reference, as built by the real Sphinx and MkDocs front ends: before any app starts,
    and in all once one does (the loader then imports its second part)."""
    result: dict[str, Any] = {
        "package_source_bytes": {name: (STATIC_DIR / name).stat().st_size
                                 for name in LOADER_FILES},
        "limit_bytes": LOADER_BYTES,
        "limit_total_bytes": LOADER_TOTAL_BYTES,
        "builds": {},
    }
    src = tmp / "pw-sphinx"
    src.mkdir(parents=True)
    (src / "conf.py").write_text('project = "w"\nextensions = ["stlite_docs.sphinx_ext"]\n')
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   apps\n\nNo apps here.\n")
    (src / "apps.rst").write_text(
        "Apps\n====\n\n.. stlite::\n\n" + textwrap.indent(_APP_SOURCE, "   ")
    )
    _build([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src),
            str(tmp / "pw-sphinx-out")])
    mk = tmp / "pw-mkdocs"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text("site_name: w\nuse_directory_urls: false\nplugins: [stlite]\n")
    (mk / "docs" / "index.md").write_text("# Home\n\nNo apps here.\n")
    (mk / "docs" / "apps.md").write_text(f"# Apps\n\n```stlite\n{_APP_SOURCE}```\n")
    _build([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(mk / "mkdocs.yml"), "-d",
            str(tmp / "pw-mkdocs-out")])
    for tool, out in (("sphinx", tmp / "pw-sphinx-out"), ("mkdocs", tmp / "pw-mkdocs-out")):
        with_apps = _referenced(out / "apps.html")
        on_start = _imported(with_apps)
        total = {**with_apps, **on_start}
        without = _referenced(out / "index.html")
        result["builds"][tool] = {
            "page_with_apps": _names(with_apps),
            "page_with_apps_bytes": sum(with_apps.values()),
            "page_with_apps_gzip_bytes": _gzip_size(with_apps),
            "app_start": _names(on_start),
            "page_with_apps_total_bytes": sum(total.values()),
            "page_with_apps_total_gzip_bytes": _gzip_size(total),
            "page_without_apps": _names(without),
            "page_without_apps_bytes": sum(without.values()),
        }
    return result


def weight_targets(weight: dict[str, Any]) -> list[Target]:
    targets = []
    for tool, b in weight["builds"].items():
        names = ", ".join(f"{name} {n}" for name, n in b["page_with_apps"].items())
        targets.append(Target(
            f"{tool}: loader + CSS on a page with apps, before an app starts, <= 10 KB "
            "uncompressed",
            0 < b["page_with_apps_bytes"] <= LOADER_BYTES and len(b["page_with_apps"]) == 2,
            f"{b['page_with_apps_bytes']} bytes ({names}; gzip "
            f"{b['page_with_apps_gzip_bytes']}; limit {LOADER_BYTES})",
        ))
        more = ", ".join(f"{name} {n}" for name, n in b["app_start"].items())
        targets.append(Target(
            f"{tool}: loader + CSS on a page with apps, once an app starts, <= "
            f"{LOADER_TOTAL_BYTES // 1000} KB uncompressed",
            b["page_with_apps_total_bytes"] <= LOADER_TOTAL_BYTES and len(b["app_start"]) == 2,
            f"{b['page_with_apps_total_bytes']} bytes (+ {more}; gzip "
            f"{b['page_with_apps_total_gzip_bytes']}; limit {LOADER_TOTAL_BYTES})",
        ))
        targets.append(Target(
            f"{tool}: 0 bytes on a page without apps",
            b["page_without_apps_bytes"] == 0 and not b["page_without_apps"],
            f"{b['page_without_apps_bytes']} bytes, references: "
            f"{list(b['page_without_apps']) or 'none'}",
        ))
    return targets


# --- build cost -----------------------------------------------------------------------------


def build_cost(runs: int) -> tuple[dict[str, object], str, list[Target]]:
    """150 apps against code blocks, through ``build_cost.py``."""
    import build_cost as bc

    apps = bc.make_apps(bc.PAGES * bc.APPS_PER_PAGE)
    tmp = Path(tempfile.mkdtemp(prefix="stlite-build-cost-"))
    try:
        variants = bc.make_variants(tmp, apps)
        timings = bc.run_all(variants, tmp, runs, 1, len(apps))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    comparisons = bc.compare(timings)
    data = bc.to_json(timings, comparisons, runs, 1, len(apps))
    targets = [
        Target(f"build {c.label}: 150 apps <= {BUILD_RATIO}x code blocks", c.ratio <= BUILD_RATIO,
               f"{c.apps.median:.2f} s / {c.code.median:.2f} s = {c.ratio:.3f}x")
        for c in comparisons
    ]
    return data, bc.format_table(timings, comparisons), targets


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


def plot(summary: dict[str, dict[str, Any]], counts: Sequence[int], path: Path) -> None:
    matplotlib: Any = importlib.import_module("matplotlib")
    matplotlib.use("Agg")
    plt: Any = importlib.import_module("matplotlib.pyplot")
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4.2))
    labels = {"ours": "ours (one shared worker)", "per-app": "one worker per app",
              "iframe": "one iframe per app"}
    for strategy, style in (("ours", "o-"), ("per-app", "s--"), ("iframe", "^:")):
        for ax, metric in ((ax_t, "seconds"), (ax_m, "peak_rss_mib")):
            xs, ys, lo, hi = [], [], [], []
            for n in counts:
                s = summary.get(f"{strategy} {n}", {}).get(metric)
                if s is None:
                    continue
                xs.append(n)
                ys.append(s["median"])
                lo.append(s["median"] - s["min"])
                hi.append(s["max"] - s["median"])
            if xs:
                ax.errorbar(xs, ys, yerr=[lo, hi], fmt=style, capsize=3, label=labels[strategy])
    bare = _median(summary, "bare", "seconds")
    if bare is not None:
        ax_t.axhline(bare, color="grey", linestyle="-.", linewidth=1,
                     label="bare Pyodide + Streamlit boot")
    ax_t.set(xlabel="apps on the page", ylabel="s to every app visible (median, min-max)",
             title="Time", xticks=list(counts))
    ax_m.set(xlabel="apps on the page", ylabel="peak RSS of Chromium, MiB", title="Memory",
             xticks=list(counts))
    for ax in (ax_t, ax_m):
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    ax_t.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- main -----------------------------------------------------------------------------------


def plan(counts: Sequence[int], runs: int,
         only: Sequence[str] = ("bare", "lazy", "warm", *STRATEGIES)
         ) -> list[tuple[str, int, int]]:
    """Interleaved runs: every page once per repetition."""
    order: list[tuple[str, int, int]] = []
    for r in range(runs):
        if "bare" in only:
            order.append(("bare", 1, r))
        if "lazy" in only:
            order.append(("lazy", LAZY_COUNT, r))
        if "warm" in only:
            order.append(("warm", 1, r))
        for n in counts:
            order.extend((s, n, r) for s in STRATEGIES if s in only)
    return order


def _key(strategy: str, apps: int) -> str:
    if strategy == "bare":
        return "bare"
    if strategy == "lazy":
        return f"ours {apps} lazy"
    if strategy == "warm":
        return WARM_KEY
    return f"{strategy} {apps}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true",
                        help="N = 1, 3; one run; no plot, no build cost, no idle wait")
    parser.add_argument("--runs", type=int, help="runs per page (default 3; 1 with --smoke)")
    parser.add_argument("--counts", type=lambda s: [int(x) for x in s.split(",")],
                        help="app counts, e.g. 1,3,6,10 (default; 1,3 with --smoke)")
    parser.add_argument("--only", type=lambda s: s.split(","),
                        default=["bare", "lazy", "warm", *STRATEGIES],
                        help="pages to run: bare,lazy,warm,ours,per-app,iframe (default: all)")
    parser.add_argument("--out", type=Path, default=BENCH / "results",
                        help="folder for results.json and the plot (default benchmarks/results)")
    parser.add_argument("--no-build-cost", action="store_true")
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--build-runs", type=int, default=3,
                        help="timed builds per build_cost.py variant (default 3)")
    parser.add_argument("--net", metavar="MBIT,RTT_MS",
                        help="emulate a network link for everything served, e.g. 50,40 "
                             "(what-if runs; the issue's numbers are without)")
    parser.add_argument("--dist-cache", default=CDN_CACHE_CONTROL, metavar="CACHE_CONTROL",
                        help="Cache-Control of the stlite and Pyodide files (default: "
                             "jsDelivr's); e.g. 'no-cache' to see what revalidating every "
                             "file costs a second page")
    parser.add_argument("--quiet-budget", type=float, default=None, metavar="SECONDS",
                        help="total time to wait for an idle CPU before runs "
                             "(default 30; 0 with --smoke)")
    args = parser.parse_args(argv)
    args.counts = args.counts or list(SMOKE_COUNTS if args.smoke else DEFAULT_COUNTS)
    args.runs = args.runs or (1 if args.smoke else 3)
    args.link = None
    if args.net:
        mbit, rtt = (float(x) for x in args.net.split(","))
        args.link = Link(mbit, rtt)
    if args.quiet_budget is None:
        args.quiet_budget = 0.0 if args.smoke else 30.0
    return args


def _progress(i: int, total: int, run: Run) -> None:
    status = "ok" if run.ok else f"FAILED ({run.error or run.rendered})"
    print(f"[{i}/{total}] {_key(run.strategy, run.apps):<14} run {run.repeat + 1}: "
          f"{run.seconds or 0:6.2f} s, {run.peak_rss_mib:5.0f} MiB, "
          f"{run.targets.get('shared_worker', 0)} shared + {run.targets.get('worker', 0)} "
          f"workers, {run.iframes} iframes, {run.bytes / 1e6:5.1f} MB; CPU busy before "
          f"{run.cpu_busy_before:.0f}% (waited {run.waited_s:.0f} s): {status}",
          file=sys.stderr, flush=True)


def hint_chunk(docs: Path, stlite_dir: Path) -> None:
    """Give the built pages the ``<head>`` hints a default (CDN) or self-contained build
    emits. The benchmark serves stlite from a custom URL (``/_dist``), for which the build
    can only hint stlite.js; its chunk's name is known for the pinned CDN build and read
    from the file for a vendored one, so those sites also hint the 4.5 MB chunk."""
    chunks = static_imports((stlite_dir / "stlite.js").read_text(encoding="utf-8"))
    hint = f'<link rel="modulepreload" href="{bench_pages.STLITE_JS}">\n'
    extra = "".join(f'<link rel="modulepreload" href="{bench_pages.DIST}/stlite/{c[2:]}">\n'
                    for c in chunks)
    for page in docs.glob("ours-*.html"):
        html = page.read_text(encoding="utf-8")
        if html.count(hint) != 1:
            raise RuntimeError(f"{page.name}: the build's stlite.js hint is missing")
        page.write_text(html.replace(hint, hint + extra), encoding="utf-8")


def run_pages(args: argparse.Namespace, tmp: Path, results: dict[str, Any]) -> list[Run]:
    """Build the pages, serve them and load each in a fresh browser, interleaved."""
    dist = ensure_distribution()
    site = tmp / "site"
    bench_pages.write_site(site, args.counts)
    docs_src, docs = tmp / "docs-src", tmp / "docs"
    bench_pages.write_ours_sphinx(docs_src, sorted({*args.counts, LAZY_COUNT}))
    _build([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(docs_src), str(docs)])
    hint_chunk(docs, dist.stlite_dir)
    mounts = {"/_dist": dist.root, "/docs": docs, "/site": site}
    all_runs: list[Run] = []
    results["network"] = args.link.describe() if args.link else "loopback"
    results["dist_cache_control"] = args.dist_cache
    with serve(mounts, args.link, args.dist_cache) as server, blocking_proxy() as proxy, \
            sync_playwright() as pw:
        probe = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        results["machine"] = machine(f"Chromium {probe.version}")
        probe.close()
        results["machine"]["load_average_start"] = os.getloadavg()
        bench = Bench(pw, server, proxy, QuietWait(args.quiet_budget))
        order = plan(args.counts, args.runs, args.only)
        for i, (strategy, n, r) in enumerate(order, 1):
            all_runs.append(measure(bench, strategy, n, r))
            _progress(i, len(order), all_runs[-1])
        results["machine"]["load_average_end"] = os.getloadavg()
        results["machine"]["idle_wait_s"] = round(sum(r.waited_s for r in all_runs), 1)
    return all_runs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"counts": args.counts, "runs_per_page": args.runs,
                               "smoke": args.smoke}
    targets: list[Target] = []
    tmp = Path(tempfile.mkdtemp(prefix="stlite-bench-"))
    try:
        all_runs = run_pages(args, tmp, results)
        keys = list(dict.fromkeys(_key(s, n) for s, n, _ in plan(args.counts, 1, args.only)))
        lazy_key = _key("lazy", LAZY_COUNT)
        keys.sort(key=lambda k: (k != "bare", k == lazy_key))
        summary = {k: summarize([r for r in all_runs if _key(r.strategy, r.apps) == k])
                   for k in keys}
        results["summary"] = summary
        results["runs"] = [
            {**asdict(r), "timeline": r.timeline if r.repeat == 0 else []} for r in all_runs
        ]
        targets += runtime_targets(summary)
        results["page_weight"] = page_weight(tmp)
        targets += weight_targets(results["page_weight"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(table(summary))
    print("\nwhere the first app's time goes:")
    print(phase_table(summary, [k for k in summary if k == "bare" or k.startswith("ours")]))
    if not args.smoke and not args.no_build_cost:
        print(f"\nbuild cost (benchmarks/build_cost.py, median of {args.build_runs}):",
              file=sys.stderr)
        data, build_table, build_targets = build_cost(args.build_runs)
        results["build_cost"] = data
        targets += build_targets
        print()
        print(build_table)
    results["targets"] = [asdict(t) for t in targets]
    results["seconds_total"] = round(time.monotonic() - started, 1)
    print()
    for t in targets:
        print(t.line())
    out_json = args.out / "results.json"
    out_json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {out_json}", file=sys.stderr)
    if not args.smoke and not args.no_plot:
        png = args.out / "apps_vs_time_memory.png"
        plot(summary, args.counts, png)
        print(f"wrote {png}", file=sys.stderr)
    print(f"total {results['seconds_total']:.0f} s", file=sys.stderr)
    return 0 if all(r.ok for r in all_runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
