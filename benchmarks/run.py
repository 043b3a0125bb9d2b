"""Runtime benchmark: our shared-worker loader against the trivial loader, one worker per app
and one iframe per app, with a bare Pyodide + Streamlit boot as the limit.

What it does, on the offline test bed (stlite 1.9.2 and Pyodide 0.29.3 from
``.cache/offline-dist``, built by ``tests/offline_dist.py``; headless Chromium; nothing
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
    python benchmarks/run.py                 # full run: 5 rounds
    python benchmarks/run.py --smoke --out /tmp/bench   # N=1, one round (the test suite)
    python benchmarks/report.py benchmarks/results/results.json   # the tables again

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
import ssl
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
import cdn  # noqa: E402
import psutil  # noqa: E402
import report  # noqa: E402
from bench_pages import DistUrls  # noqa: E402
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
    Frame,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

from stlite_docs.assets import LOADER_EDITOR_JS, LOADER_FILES, STATIC_DIR  # noqa: E402
from stlite_docs.pinned import static_imports  # noqa: E402

STRATEGIES = ("ours", "trivial", "per-app", "iframe")
#: Page kinds besides the N-app pages every strategy gets (see ``plan``).
KINDS = ("bare", "warm", "long", "unreached", "policies")
#: HTTP caches the start policies are measured with (``--smoke``: cold only).
POLICY_CACHES = ("cold", "warm")
SMOKE_POLICY_CACHES = ("cold",)
#: The Run button's size of a first visit may be off by this much from a measured one.
FIRST_VISIT_TOLERANCE = 0.15
POLICY_JS = REPO / "loader" / "src" / "policy.js"
DEFAULT_COUNTS = (1, 3, 6)
SMOKE_COUNTS = (1,)
DEFAULT_RUNS = 5
LONG_COUNT = 20
#: Strategies measured on the long page and the unreached page (per-app and iframe on a
#: 20-app page would start 20 runtimes; on the unreached page they start one, as ``trivial``).
LONG_STRATEGIES = ("ours", "trivial")
UNREACHED_STRATEGIES = ("ours", "trivial", "per-app", "iframe")
SMOKE_LONG_STRATEGIES = ("ours",)
SMOKE_UNREACHED_STRATEGIES = ("ours",)
WARM_KEY = "ours 1, second page"
VIEWPORT = {"width": 1280, "height": 900}
#: Height per app of a ``visible`` page (heading and 400px box, in both our Sphinx theme and
#: the hand-written pages), so the viewport holds every app at load.
VISIBLE_TOP_PX, VISIBLE_PER_APP_PX = 260, 500
SAMPLE_SECONDS = 0.2
SETTLE_SECONDS = 0.3
RUN_TIMEOUT = 300.0
FIRST_APP_TIMEOUT = 150.0
UNREACHED_DWELL = 20.0
SMOKE_UNREACHED_DWELL = 6.0
BROWSER_SERVICE_HOSTS = ("google", "gstatic")

# Targets.
SIX_VS_ONE = 1.10
PERAPP_SPEEDUP = 3.0
PERAPP_MEMORY_SAVED_MIB = 500.0
LONG_VS_ONE = 1.2
BUILD_RATIO = 1.10
# What the loader may cost (loader/budgets.json, which tests/test_loader_bundle.py reads too):
# loader + CSS a page with apps loads before any app starts, and in all once an app starts.
_BUDGETS = json.loads((REPO / "loader" / "budgets.json").read_text(encoding="utf-8"))
LOADER_BYTES: int = _BUDGETS["before_start_bytes"]
LOADER_TOTAL_BYTES: int = _BUDGETS["total_bytes"]
BARE_RATIO = 1.0
LONG_BARE_RATIO = 1.25
PYODIDE_REQUEST_MS = 150.0
#: "ahead" for an app never reached: at least 10 % fewer bytes and CPU seconds
UNREACHED_RATIO = 0.9
CDN_CACHE_CONTROL = cdn.JSDELIVR_HEADERS["Cache-Control"]


# --- the local servers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """One answered request, times on this process's monotonic clock. ``path`` starts with
    the CDN's origin for what the CDN-like host answered."""

    path: str
    status: int
    start: float
    end: float
    bytes: int


class Link:
    """An emulated network link shared by all responses: ``mbit`` Mbit/s in total (FIFO, in
    64 KiB slices, so parallel downloads share it) and ``rtt_ms`` before each response
    starts. Only for what-if runs (``--net``); by default the servers answer at loopback
    speed."""

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


@dataclass(frozen=True)
class ServerConfig:
    """How one server answers. ``dist_prefixes``: paths served with the CDN's headers
    (``dist_cache`` as Cache-Control); ``origin``: what request paths are logged under."""

    mounts: dict[str, Path]
    log: list[Served]
    link: Link | None = None
    dist_prefixes: tuple[str, ...] = (bench_pages.DIST,)
    dist_cache: str = CDN_CACHE_CONTROL
    origin: str = ""


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a browser gets from a CDN
    extensions_map = MIME_TYPES  # the test server's content types

    def __init__(self, *args: Any, config: ServerConfig, **kw: Any) -> None:
        self._config = config
        self._status = 0
        super().__init__(*args, **kw)

    def setup(self) -> None:
        super().setup()
        self._counter = _CountingWriter(self.wfile, self._config.link)  # type: ignore[arg-type]
        self.wfile = self._counter  # type: ignore[assignment]

    def translate_path(self, path: str) -> str:
        return mounted_path(self._config.mounts, path)  # the test server's mapping

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def do_GET(self) -> None:
        start, before = time.monotonic(), self._counter.count
        if self._config.link is not None:
            time.sleep(self._config.link.rtt)
        super().do_GET()
        self._config.log.append(
            Served(
                self._config.origin + self.path,
                self._status,
                start,
                time.monotonic(),
                self._counter.count - before,
            )
        )

    def end_headers(self) -> None:
        if any(self.path.startswith(p + "/") for p in self._config.dist_prefixes):
            # jsDelivr's headers for a versioned file, unless --dist-cache says otherwise
            for name, value in cdn.JSDELIVR_HEADERS.items():
                self.send_header(
                    name, value if name != "Cache-Control" else self._config.dist_cache
                )
        else:
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _TLSServer(http.server.ThreadingHTTPServer):
    """Does each TLS handshake in the connection's own thread (not in ``accept``)."""

    context: ssl.SSLContext

    def finish_request(self, request: Any, client_address: Any) -> None:
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(tls, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            super().handle_error(request, client_address)


@dataclass
class Server:
    base_url: str
    log: list[Served]
    port: int


@contextlib.contextmanager
def serve(config: ServerConfig, tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    handler = functools.partial(_Handler, config=config)
    httpd: http.server.ThreadingHTTPServer
    if tls is None:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    else:
        httpd = _TLSServer(("127.0.0.1", 0), handler)
        httpd.context = tls
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    scheme = "https" if tls else "http"
    try:
        yield Server(f"{scheme}://127.0.0.1:{port}", config.log, port)
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


# --- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    """One page to load. ``layout``: ``visible`` (every app in the viewport), ``scroll``
    (scrolled to each app in turn), ``long`` (the 20-app page, first app awaited),
    ``unreached`` (one app far below the fold, never scrolled to), ``policy`` (the unreached
    page with the app's ``start`` option, scrolled to after the dwell); ``warm``: loaded after
    the long page in the same browser."""

    strategy: str
    apps: int
    layout: str = "visible"
    warm: bool = False
    start: str = ""

    @property
    def key(self) -> str:
        if self.strategy == "bare":
            return "bare"
        if self.layout == "policy":
            return f"{self.strategy} 1 below the fold, {self.start}, " + (
                "warm cache" if self.warm else "cold cache"
            )
        if self.warm:
            return WARM_KEY
        return {
            "visible": f"{self.strategy} {self.apps}",
            "scroll": f"{self.strategy} {self.apps}, scrolled",
            "long": f"{self.strategy} {self.apps}, first app",
            "unreached": f"{self.strategy} 1 below the fold",
        }[self.layout]

    @property
    def file_layout(self) -> str:
        if self.layout == "policy":
            return f"unreached-{self.start}"
        return "scroll" if self.layout == "long" else self.layout

    def path(self, docs: str = "/docs") -> str:
        if self.strategy == "bare":
            return "/site/bare.html"
        folder = docs if self.strategy == "ours" else "/site"
        return f"{folder}/{bench_pages.page_name(self.strategy, self.file_layout, self.apps)}"

    def viewport(self) -> dict[str, int]:
        if self.layout != "visible":
            return dict(VIEWPORT)
        tall = VISIBLE_TOP_PX + self.apps * VISIBLE_PER_APP_PX
        return {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], tall)}


def long_page(strategy: str = "ours") -> PageSpec:
    return PageSpec(strategy, LONG_COUNT, "long")


@dataclass(frozen=True)
class Selection:
    """Which pages a run loads (see ``--only``)."""

    strategies: tuple[str, ...] = STRATEGIES
    kinds: tuple[str, ...] = KINDS
    counts: tuple[int, ...] = DEFAULT_COUNTS
    scroll_counts: tuple[int, ...] = ()
    long_strategies: tuple[str, ...] = LONG_STRATEGIES
    unreached_strategies: tuple[str, ...] = UNREACHED_STRATEGIES
    policy_caches: tuple[str, ...] = POLICY_CACHES

    def pages(self) -> list[PageSpec]:
        """Every page once, in the order of a round."""
        pages: list[PageSpec] = []
        if "bare" in self.kinds:
            pages.append(PageSpec("bare", 1))
        if "long" in self.kinds:
            pages += [long_page(s) for s in self.long_strategies if s in self.strategies]
        if "warm" in self.kinds and "ours" in self.strategies:
            pages.append(PageSpec("ours", 1, warm=True))
        for n in self.counts:
            pages += [PageSpec(s, n) for s in self.strategies]
        for n in self.scroll_counts:
            pages += [PageSpec(s, n, "scroll") for s in self.strategies]
        if "unreached" in self.kinds:
            pages += [
                PageSpec(s, 1, "unreached")
                for s in self.unreached_strategies
                if s in self.strategies
            ]
        if "policies" in self.kinds and "ours" in self.strategies:
            pages += [
                PageSpec("ours", 1, "policy", warm=cache == "warm", start=start)
                for cache in self.policy_caches
                for start in bench_pages.STARTS
            ]
        return pages

    def site_pages(self) -> list[tuple[str, str, int]]:
        """(strategy, layout, count) of the hand-written pages these need."""
        return sorted(
            {
                (p.strategy, p.file_layout, p.apps)
                for p in self.pages()
                if p.strategy not in ("ours", "bare")
            }
        )

    def ours_pages(self) -> list[tuple[str, int]]:
        """(layout, count) of the Sphinx pages these need (the warm page's long page too)."""
        wanted = {(p.file_layout, p.apps) for p in self.pages() if p.strategy == "ours"}
        if any(p.warm for p in self.pages()):
            wanted.add(("scroll", LONG_COUNT))
        return sorted(wanted)


def plan(selection: Selection, runs: int) -> list[tuple[PageSpec, int]]:
    """Interleaved runs: every page once per round."""
    return [(page, r) for r in range(runs) for page in selection.pages()]


# --- in-page marks --------------------------------------------------------------------------

#: In every frame, on the top page's clock (ms since its navigation start), into
#: ``window.top.__benchMarks``: [ms, what, who, value]. The same for every strategy:
#: ``worker``: a Worker or SharedWorker is constructed (stlite's kernel, the bare boot, our
#: loader's early start), from a blob URL (stlite's own) or a file (value ``"SharedWorker
#: file"``: the worker our loader starts early, and stlite's connections steered to it);
#: ``loadProgress`` / ``loadFinished`` / ``loadError``: stlite's kernel events (the worker's
#: progress messages), per kernel; ``connected`` / ``drawn``: the first Streamlit toolbar (the
#: frontend is connected) and the first Markdown output in the frame's DOM; ``state``: our
#: loader's app states.
MARKS_SCRIPT = """
(() => {
  let top = window;
  try { if (window.top.performance) top = window.top; } catch {}
  const marks = (top.__benchMarks ||= []);
  const offset = performance.timeOrigin - top.performance.timeOrigin;
  const now = () => Math.round(performance.now() + offset);
  const note = (what, who, value) => marks.push([now(), what, who, value]);
  const frame = top === window ? "page" : "frame";
  for (const name of ["Worker", "SharedWorker"]) {
    const Real = window[name];
    if (typeof Real !== "function") continue;
    window[name] = new Proxy(Real, {
      construct(target, args) {
        note("worker", frame, `${name} ${String(args[0]).startsWith("blob:") ? "blob" : "file"}`);
        return Reflect.construct(target, args, target);
      },
    });
  }
  const ids = (top.__benchKernels ||= new WeakMap());
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (e) {
    const type = e && e.type;
    if (type === "loadProgress" || type === "loadFinished" || type === "loadError") {
      if (!ids.has(this)) {
        top.__benchKernelCount = (top.__benchKernelCount || 0) + 1;
        ids.set(this, "k" + top.__benchKernelCount);
      }
      const d = e.detail;
      const text = type === "loadFinished" ? "" : String((d && d.message) || d);
      note(type, ids.get(this), text.slice(0, 200));
    }
    return dispatch.call(this, e);
  };
  const pending = new Map([["connected", "[data-testid=stToolbar]"],
                           ["drawn", "[data-testid=stMarkdownContainer]"]]);
  new MutationObserver((records) => {
    for (const [what, css] of pending) {
      if (document.querySelector(css)) { note(what, frame, ""); pending.delete(what); }
    }
    for (const r of records) {
      if (r.type !== "attributes") continue;
      note("state", r.target.id || "", r.target.getAttribute("data-stlite-docs-state"));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true,
                          attributeFilter: ["data-stlite-docs-state"] });
})();
"""


# --- one run --------------------------------------------------------------------------------


@dataclass
class Run:
    """Everything measured in one page load."""

    strategy: str
    apps: int
    repeat: int
    layout: str = "visible"
    warm: bool = False
    start: str = ""
    rendered: int = 0
    seconds: float | None = None
    first_seconds: float | None = None
    app_seconds: list[float] = field(default_factory=list)
    rendered_unseen: bool | None = None
    outside_viewport: int = 0
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
    # policy pages: what the page cost before the reader acted, and the action's wait
    before_bytes: int | None = None
    before_requests: int | None = None
    before_dist_requests: int | None = None
    before_cpu_s: float | None = None
    action_seconds: float | None = None
    acted_ms: float | None = None  # when the reader acted, ms after navigation
    #: what a ``then`` step of ``measure`` measured (``levers.py``)
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def spec(self) -> PageSpec:
        return PageSpec(self.strategy, self.apps, self.layout, self.warm, self.start)

    @property
    def ok(self) -> bool:
        if self.layout == "unreached":
            return self.error is None
        return self.error is None and self.rendered == self.apps


# The app's marker text rendered by Streamlit and not hidden (our loading state hides the
# mount with visibility: hidden).
_SHOWN_JS = """(text) => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
  .some((e) => e.textContent.trim() === text && e.checkVisibility({visibilityProperty: true}))"""

#: Apps (their boxes) not wholly inside the viewport.
_OUTSIDE_JS = """(css) => [...document.querySelectorAll(css)].filter((e) => {
  const b = e.getBoundingClientRect();
  return b.top < 0 || b.bottom > innerHeight;
}).length"""

_APP_BOXES = {"trivial": ".bench-app", "per-app": ".bench-app", "iframe": "iframe.bench-frame"}


def _app_css(strategy: str) -> str:
    return _APP_BOXES.get(strategy, ".stlite-docs-app")


def _app_box(page: Page, strategy: str, index: int) -> Locator:
    """The element holding app ``index``: what the reader scrolls to."""
    return page.locator(_app_css(strategy)).nth(index)


def _app_frame(page: Page, strategy: str, index: int, timeout_ms: float) -> Frame:
    box = _app_box(page, strategy, index)
    if strategy == "iframe":
        return box.element_handle(timeout=timeout_ms).content_frame() or page.main_frame
    return page.main_frame


def _wait_shown(page: Page, strategy: str, index: int, timeout_ms: float) -> None:
    """Scroll to app ``index`` and wait until its output shows. Checked in the page on
    every animation frame, like the bare boot's flag: Playwright's own visibility wait
    polls up to 500 ms apart, which added 0-0.5 s at random to an app's time."""
    _app_box(page, strategy, index).scroll_into_view_if_needed(timeout=timeout_ms)
    frame = _app_frame(page, strategy, index, timeout_ms)
    frame.wait_for_function(
        _SHOWN_JS, arg=bench_pages.marker(index), polling="raf", timeout=timeout_ms
    )


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

    def __init__(self, budget: float, per_run: float = 20.0, busy_percent: float = 30.0) -> None:
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
    """What every run shares: Playwright, the page server, the blocking proxy, and how the
    browser reaches the CDN-like host (``browser_args``)."""

    pw: Playwright
    server: Server
    proxy: tuple[str, list[str]]
    quiet: QuietWait
    browser_args: list[str] = field(default_factory=list)
    dwell: float = UNREACHED_DWELL


def _dwell(page: Page, run: Run, t0: float, seconds: float) -> None:
    """The unreached page: never scroll; wait until the app has run anyway (it is in the
    DOM, off screen) or ``seconds`` have passed, whichever comes first."""
    deadline = t0 + seconds
    marker = bench_pages.marker(0)
    while time.monotonic() < deadline:
        for frame in page.frames:
            with contextlib.suppress(Exception):
                if frame.evaluate(_SHOWN_JS, marker):
                    run.rendered_unseen = True
                    run.first_seconds = run.seconds = time.monotonic() - t0
                    run.rendered = 1
                    return
        time.sleep(0.25)
    run.rendered_unseen = False


def _is_dist(path: str) -> bool:
    """A request for stlite or Pyodide (from the CDN-like host, or the loopback's /_dist)."""
    return path.startswith(cdn.CDN_ORIGIN + "/") or path.startswith(bench_pages.DIST + "/")


def _cpu_since(before: dict[str, float]) -> float:
    """CPU seconds our Chromium used since ``before`` (a ``cpu_by_thread()``), per thread
    kind, counting no thread that exited in between as negative."""
    now = cpu_by_thread()
    return sum(max(0.0, seconds - before.get(key, 0.0)) for key, seconds in now.items())


def _act_after_dwell(
    page: Page, run: Run, t0: float, dwell: float, cpu_start: dict[str, float]
) -> None:
    """A policy page: the reader stays at the top for the dwell (what did the page cost?),
    then goes to the app (scrolls to it; presses its Run button under ``click``): how long
    from that action to the app's output? (The requests made before it: ``_record_before``.)"""
    time.sleep(max(0.0, t0 + dwell - time.monotonic()))
    run.before_cpu_s = round(_cpu_since(cpu_start), 2)
    acted = time.monotonic()
    run.acted_ms = round((acted - t0) * 1000)
    box = _app_box(page, "ours", 0)
    box.scroll_into_view_if_needed(timeout=FIRST_APP_TIMEOUT * 1000)
    if run.start == "click":
        box.get_by_role("button", name="Run this app").click(timeout=FIRST_APP_TIMEOUT * 1000)
    page.wait_for_function(
        _SHOWN_JS, arg=bench_pages.marker(0), polling="raf", timeout=FIRST_APP_TIMEOUT * 1000
    )
    done = time.monotonic()
    run.action_seconds = done - acted
    run.seconds = run.first_seconds = done - t0
    run.rendered = 1


def _record_before(run: Run, served: Sequence[Served], t0: float) -> None:
    """What a policy page requested before the reader acted: every request that started by
    then (the server logs a request when it is answered, so this is read after the run)."""
    if run.acted_ms is None:
        return
    before = [s for s in served if (s.start - t0) * 1000 < run.acted_ms]
    run.before_bytes = sum(s.bytes for s in before)
    run.before_requests = len(before)
    run.before_dist_requests = sum(_is_dist(s.path) for s in before)


def _wait_for_apps(page: Page, run: Run, t0: float, dwell: float) -> None:
    """Wait for each app's own output (scrolling to it), the bare boot, or the dwell."""
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
    if run.layout == "unreached":
        _dwell(page, run, t0, dwell)
        return
    first_only = run.layout == "long"
    for i in range(1 if first_only else run.apps):
        _wait_shown(page, run.strategy, i, left_ms())
        run.app_seconds.append(time.monotonic() - t0)
        run.rendered += 1
        deadline = t0 + RUN_TIMEOUT
    run.first_seconds = run.app_seconds[0]
    run.seconds = run.app_seconds[-1]
    if first_only:
        run.rendered = run.apps  # only the first app is awaited on the long page


def _record_served(run: Run, served: Sequence[Served], t0: float) -> None:
    run.bytes = sum(s.bytes for s in served)
    run.requests = len(served)
    counts = Counter(s.path for s in served)
    run.repeated_urls = {p: c for p, c in counts.items() if c > 1}
    run.timeline = [
        {
            "path": s.path,
            "status": s.status,
            "start_ms": round((s.start - t0) * 1000),
            "end_ms": round((s.end - t0) * 1000),
            "bytes": s.bytes,
        }
        for s in served
    ]


@contextlib.contextmanager
def _fresh_browser(
    pw: Playwright,
    proxy_url: str,
    extra_args: Sequence[str],
    on_disk: bool,
    viewport: dict[str, int],
) -> Iterator[BrowserContext]:
    """A new Chromium with an empty profile. ``on_disk``: the profile (and its HTTP cache)
    is a folder, as in a reader's browser; Playwright's default contexts keep the cache in
    memory, where Chromium does not keep a file as big as Pyodide's 8.6 MB wasm, so a second
    page would not be warm."""
    launch: dict[str, Any] = {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [*CHROMIUM_ARGS, f"--proxy-server={proxy_url}", *extra_args],
    }
    if on_disk:
        profile = tempfile.mkdtemp(prefix="stlite-bench-profile-")
        try:
            context = pw.chromium.launch_persistent_context(profile, viewport=viewport, **launch)  # type: ignore[arg-type]
            try:
                yield context
            finally:
                context.close()
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        return
    browser = pw.chromium.launch(**launch)
    try:
        yield browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    finally:
        browser.close()


def measure(
    bench: Bench,
    spec: PageSpec,
    repeat: int,
    docs: str = "/docs",
    then: Callable[[Page, Run, float], None] | None = None,
) -> Run:
    """Load one page in a fresh browser and wait for its apps (or the bare boot);
    ``docs`` is where the Sphinx build of our pages is served (variants: ``levers.py``);
    ``then(page, run, t0)``: more to do and measure on the loaded page (``levers.py``)."""
    waited, busy = bench.quiet()
    run = Run(
        spec.strategy,
        spec.apps,
        repeat,
        spec.layout,
        spec.warm,
        spec.start,
        load_average=os.getloadavg()[0],
        other_chromium=other_chromium_count(),
        waited_s=round(waited, 1),
        cpu_busy_before=busy,
    )
    proxy_url, proxied = bench.proxy
    proxied_before = len(proxied)
    with _fresh_browser(
        bench.pw, proxy_url, bench.browser_args, spec.warm, spec.viewport()
    ) as context:
        page = context.pages[0] if context.pages else context.new_page()
        page.on("pageerror", lambda e: run.page_errors.append(str(e)[:300]))
        page.on(
            "console",
            lambda m: (
                run.console.append(f"{m.type}: {m.text[:200]}")
                if m.type in ("warning", "error") and len(run.console) < 30
                else None
            ),
        )
        page.add_init_script(MARKS_SCRIPT)
        if spec.warm:
            # A reader's second page of the site: they read the 20-app page first, so the
            # HTTP cache (and Chromium's code and wasm caches) hold stlite and Pyodide.
            page.goto(bench.server.base_url + long_page().path(docs))
            _wait_shown(page, "ours", 0, FIRST_APP_TIMEOUT * 1000)
        with MemorySampler() as sampler:
            run.idle_rss_mib = sampler.sample()[0] / 2**20
            log_start = len(bench.server.log)
            cpu_start = cpu_by_thread()
            t0 = time.monotonic()
            try:
                page.goto(bench.server.base_url + spec.path(docs), wait_until="commit")
                if spec.layout == "policy":
                    _act_after_dwell(page, run, t0, bench.dwell, cpu_start)
                else:
                    _wait_for_apps(page, run, t0, bench.dwell)
                    if then is not None:
                        then(page, run, t0)
            except Exception as exc:
                run.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
            time.sleep(SETTLE_SECONDS)
            run.targets = _count_targets(context, page)
            run.cpu_seconds = cpu_by_thread()
            run.dedicated_workers = len(page.workers)
            run.iframes = len(page.frames) - 1
            with contextlib.suppress(Exception):
                run.marks = page.evaluate("window.__benchMarks || []")
            if spec.layout == "visible" and spec.strategy != "bare":
                with contextlib.suppress(Exception):
                    page.evaluate("window.scrollTo(0, 0)")
                    run.outside_viewport = page.evaluate(_OUTSIDE_JS, _app_css(spec.strategy))
        run.peak_rss_mib = sampler.peak_rss / 2**20
        run.peak_pss_mib = sampler.peak_pss / 2**20
        run.processes = sampler.peak_processes
    _record_served(run, bench.server.log[log_start:], t0)
    _record_before(run, bench.server.log[log_start:], t0)
    run.off_host = [p for p in proxied[proxied_before:] if _off_host(p)]
    return run


# --- where the first app's time goes ---------------------------------------------------------

#: (phase, the worker's progress message for it, the bare boot's mark for it)
PHASES = (
    ("worker asked to load Pyodide", "Loading Pyodide.", "worker_start"),
    ("Pyodide booted", "Mounting files.", "pyodide_loaded"),
    ("micropip loaded, install starts", "Installing packages.", "micropip_loaded"),
    ("installed, import streamlit starts", "Loading streamlit package.", "installed"),
    ("streamlit imported", "Setting up the loggers.", "streamlit_imported"),
    ("Streamlit server booting", "Booting up the Streamlit server.", ""),
)
PYODIDE_REQUESTED = "pyodide.mjs requested (server log)"
EVENT_PHASES = (
    ("loader mounts the first app", "state", "loading"),
    ("early worker started", "worker", "SharedWorker file"),
    ("worker created", "worker", None),
    ("app running (loadFinished)", "loadFinished", None),
    ("Streamlit frontend connected (toolbar shown)", "connected", None),
    ("first app output in the DOM", "drawn", None),
)


def phases(run: Run) -> dict[str, float]:
    """Milliseconds from navigation to each step of the first app (or the bare boot): the
    first time any app of the page reached it."""
    out: dict[str, float] = {}

    def first(what: str, value: str | None) -> float | None:
        return min(
            (m[0] for m in run.marks if m[1] == what and (value is None or m[3] == value)),
            default=None,
        )

    for name, what, value in EVENT_PHASES:
        hit = first(what, value)
        if hit is not None:
            out[name] = hit
    # the server's clock: from the page's own request (navigation, give or take the loopback's
    # fraction of a millisecond), not from the benchmark's goto() call
    requested = next(
        (
            e["start_ms"]
            for e in run.timeline
            if e["path"].split("?", 1)[0].endswith("/pyodide.mjs")
        ),
        None,
    )
    if requested is not None and run.timeline:
        out[PYODIDE_REQUESTED] = requested - run.timeline[0]["start_ms"]
    for name, text, mark in PHASES:
        if run.strategy == "bare":
            hit = run.bare.get("marks_ms", {}).get(mark) if mark else None
        else:
            hit = first("loadProgress", text)
        if hit is not None:
            out[name] = hit
    if run.first_seconds is not None and run.layout not in ("unreached", "policy"):
        out["first app's output visible"] = run.first_seconds * 1000
    return out


# --- statistics and targets -----------------------------------------------------------------


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
        "phases_ms": median_phases(good),
        "cpu_busy_before_percent": stat(lambda r: r.cpu_busy_before),
        "rendered_unseen": sorted(
            {r.rendered_unseen for r in runs if r.rendered_unseen is not None}
        ),
        "outside_viewport": max((r.outside_viewport for r in runs), default=0),
        "before_bytes": stat(lambda r: None if r.before_bytes is None else float(r.before_bytes)),
        "before_requests": stat(
            lambda r: None if r.before_requests is None else float(r.before_requests)
        ),
        "before_dist_requests": max((r.before_dist_requests or 0 for r in runs), default=0),
        "before_cpu_s": stat(lambda r: r.before_cpu_s),
        "action_seconds": stat(lambda r: r.action_seconds),
    }


def median_phases(runs: Sequence[Run]) -> dict[str, float]:
    per_run = [phases(r) for r in runs]
    names = dict.fromkeys(n for p in per_run for n in p)
    return {n: statistics.median(p[n] for p in per_run if n in p) for n in names}


@dataclass(frozen=True)
class Target:
    name: str
    passed: bool | None  # None: not measured in this run
    detail: str

    def line(self) -> str:
        return report.targets_block([asdict(self)])


def _median(summary: dict[str, dict[str, Any]], key: str, metric: str) -> float | None:
    s = summary.get(key)
    if s is None or s.get(metric) is None:
        return None
    value: float = s[metric]["median"]
    return value


def _ratio_target(
    name: str, num: float | None, den: float | None, limit: float, what: str, *, unit: str = "s"
) -> Target:
    if num is None or den is None:
        return Target(name, None, "not measured in this run")
    r = num / den
    return Target(
        name,
        r <= limit,
        f"{what} = {num:.2f} {unit} / {den:.2f} {unit} = {r:.2f}x (target <= {limit}x)",
    )


def runtime_targets(summary: dict[str, dict[str, Any]], counts: Sequence[int]) -> list[Target]:
    med = functools.partial(_median, summary)
    long_key, trivial_long = long_page().key, long_page("trivial").key
    unreached, trivial_unreached = "ours 1 below the fold", "trivial 1 below the fold"
    one, six, per6 = med("ours 1", "seconds"), med("ours 6", "seconds"), med("per-app 6", "seconds")
    mem6, permem6 = med("ours 6", "peak_rss_mib"), med("per-app 6", "peak_rss_mib")
    first1, bare = med("ours 1", "first_seconds"), med("bare", "seconds")
    long_first = med(long_key, "first_seconds")
    targets = [
        _ratio_target(
            "6 apps all visible vs 1 app (ours)", six, one, SIX_VS_ONE, "all 6 visible / 1 app"
        ),
    ]
    if per6 is None or six is None:
        targets.append(
            Target("6 apps: >= 3x faster than one worker per app", None, "not measured in this run")
        )
    else:
        targets.append(
            Target(
                "6 apps: >= 3x faster than one worker per app",
                per6 / six >= PERAPP_SPEEDUP,
                f"{per6:.2f} s / {six:.2f} s = {per6 / six:.2f}x (target >= {PERAPP_SPEEDUP}x)",
            )
        )
    if permem6 is None or mem6 is None:
        targets.append(
            Target(
                "6 apps: >= 500 MiB less memory than one worker per app",
                None,
                "not measured in this run",
            )
        )
    else:
        targets.append(
            Target(
                "6 apps: >= 500 MiB less memory than one worker per app",
                permem6 - mem6 >= PERAPP_MEMORY_SAVED_MIB,
                f"peak RSS {permem6:.0f} - {mem6:.0f} = {permem6 - mem6:.0f} MiB "
                f"(target >= {PERAPP_MEMORY_SAVED_MIB:.0f})",
            )
        )
    targets += [
        _ratio_target(
            f"{LONG_COUNT}-app page: first app vs 1-app page",
            long_first,
            first1,
            LONG_VS_ONE,
            "first visible",
        ),
        _ratio_target(
            "1-app page: first app vs bare boot", first1, bare, BARE_RATIO, "first app / bare boot"
        ),
        _ratio_target(
            f"{LONG_COUNT}-app page: first app vs bare boot",
            long_first,
            bare,
            LONG_BARE_RATIO,
            "first app / bare boot",
        ),
        _ratio_target(
            "second page of the site (warm cache) vs first",
            med(WARM_KEY, "first_seconds"),
            first1,
            1.0,
            "1-app page after the 20-app page / cold",
        ),
    ]
    requested = summary.get("ours 1", {}).get("phases_ms", {}).get(PYODIDE_REQUESTED)
    targets.append(
        Target(
            f"1-app page: Pyodide requested within {PYODIDE_REQUEST_MS:.0f} ms of navigation",
            None if requested is None else requested <= PYODIDE_REQUEST_MS,
            "not measured in this run"
            if requested is None
            else f"pyodide.mjs requested at {requested:.0f} ms (median)",
        )
    )
    for n in counts:
        for metric, what in (("first_seconds", "first app"), ("seconds", "all apps")):
            if n == 1 and metric == "seconds":
                continue
            targets.append(
                _ratio_target(
                    f"{n}-app page, {what}: ours vs the trivial loader",
                    med(f"ours {n}", metric),
                    med(f"trivial {n}", metric),
                    1.0,
                    "ours / trivial",
                )
            )
    targets.append(
        _ratio_target(
            f"{LONG_COUNT}-app page, first app: ours vs the trivial loader",
            long_first,
            med(trivial_long, "first_seconds"),
            1.0,
            "ours / trivial",
        )
    )
    for metric, what, scale, unit in (
        ("bytes", "MB served", 1e6, "MB"),
        ("cpu_seconds_total", "CPU", 1.0, "s"),
    ):
        ours_v, trivial_v = med(unreached, metric), med(trivial_unreached, metric)
        targets.append(
            _ratio_target(
                f"app never reached: {what}, ours vs the trivial loader",
                None if ours_v is None else ours_v / scale,
                None if trivial_v is None else trivial_v / scale,
                UNREACHED_RATIO,
                "ours / trivial",
                unit=unit,
            )
        )
    return targets


def first_visit_mb() -> int:
    """The size of a first visit the Run button states (``FIRST_VISIT_MB`` in policy.js)."""
    match = re.search(r"export const FIRST_VISIT_MB = (\d+);", POLICY_JS.read_text("utf-8"))
    if match is None:
        raise RuntimeError(f"no FIRST_VISIT_MB in {POLICY_JS}")
    return int(match[1])


def policy_targets(summary: dict[str, dict[str, Any]]) -> list[Target]:
    """Nothing of stlite or Pyodide before the reader acts under ``visible`` and ``click``;
    the Run button's first-visit size within 15 % of what a first visit downloaded."""
    targets = []
    for start in ("visible", "click"):
        for cache in POLICY_CACHES:
            key = PageSpec("ours", 1, "policy", cache == "warm", start).key
            s = summary.get(key)
            name = (
                f"{start}, {cache} cache: no request for stlite or Pyodide before the reader acts"
            )
            if s is None or not s.get("ok_runs"):
                targets.append(Target(name, None, "not measured in this run"))
                continue
            count = s["before_dist_requests"]
            targets.append(Target(name, count == 0, f"{count} requests (target 0)"))
    claimed = first_visit_mb()
    cold_click = _median(summary, PageSpec("ours", 1, "policy", False, "click").key, "bytes")
    name = "the Run button's first-visit size vs a first visit's download"
    if cold_click is None:
        targets.append(Target(name, None, "not measured in this run"))
    else:
        measured = cold_click / 1e6
        off = measured / claimed - 1
        targets.append(
            Target(
                name,
                abs(off) <= FIRST_VISIT_TOLERANCE,
                f"button {claimed} MB, measured {measured:.1f} MB ({off:+.0%}, "
                f"target within {FIRST_VISIT_TOLERANCE:.0%})",
            )
        )
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
            if target.name == LOADER_EDITOR_JS:
                continue  # CodeMirror: imported only on pages with an editor app
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
        "package_source_bytes": {name: (STATIC_DIR / name).stat().st_size for name in LOADER_FILES},
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
    _build(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp / "pw-sphinx-out")]
    )
    mk = tmp / "pw-mkdocs"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text("site_name: w\nuse_directory_urls: false\nplugins: [stlite]\n")
    (mk / "docs" / "index.md").write_text("# Home\n\nNo apps here.\n")
    (mk / "docs" / "apps.md").write_text(f"# Apps\n\n```stlite\n{_APP_SOURCE}```\n")
    _build(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(mk / "mkdocs.yml"),
            "-d",
            str(tmp / "pw-mkdocs-out"),
        ]
    )
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
        targets.append(
            Target(
                f"{tool}: loader + CSS on a page with apps, before an app starts, <= 10 KB "
                "uncompressed",
                0 < b["page_with_apps_bytes"] <= LOADER_BYTES and len(b["page_with_apps"]) == 2,
                f"{b['page_with_apps_bytes']} bytes ({names}; gzip "
                f"{b['page_with_apps_gzip_bytes']}; limit {LOADER_BYTES})",
            )
        )
        more = ", ".join(f"{name} {n}" for name, n in b["app_start"].items())
        targets.append(
            Target(
                f"{tool}: loader + CSS on a page with apps, once an app starts, <= "
                f"{LOADER_TOTAL_BYTES // 1000} KB uncompressed",
                b["page_with_apps_total_bytes"] <= LOADER_TOTAL_BYTES and len(b["app_start"]) == 2,
                f"{b['page_with_apps_total_bytes']} bytes (+ {more}; gzip "
                f"{b['page_with_apps_total_gzip_bytes']}; limit {LOADER_TOTAL_BYTES})",
            )
        )
        targets.append(
            Target(
                f"{tool}: 0 bytes on a page without apps",
                b["page_without_apps_bytes"] == 0 and not b["page_without_apps"],
                f"{b['page_without_apps_bytes']} bytes, references: "
                f"{list(b['page_without_apps']) or 'none'}",
            )
        )
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
        Target(
            f"build {c.label}: 150 apps <= {BUILD_RATIO}x code blocks",
            c.ratio <= BUILD_RATIO,
            f"{c.apps.median:.2f} s / {c.code.median:.2f} s = {c.ratio:.3f}x",
        )
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
    bare = _median(summary, "bare", "seconds")
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


def chunk_hints(stlite_dir: Path, urls: DistUrls) -> str:
    """``<head>`` hints for stlite.js and the chunks it imports statically (what a build
    emits for a site whose pages get no worker file, where the chunk's name is known)."""
    chunks = static_imports((stlite_dir / "stlite.js").read_text(encoding="utf-8"))
    return "".join(
        f'<link rel="modulepreload" href="{url}">\n'
        for url in (urls.stlite_js, *(urls.stlite_base + c[2:] for c in chunks))
    )


def to_loopback(docs: Path, urls: DistUrls) -> None:
    """Point our pages, built with the default (CDN) URLs as a reader's site is, and so with
    everything a default build emits (stlite's worker next to the loader, the tag's
    ``data-preload`` and ``data-page-starts``), at ``urls`` (the loopback) instead."""
    swaps = {
        bench_pages.CDN.stlite_base: urls.stlite_base,
        bench_pages.CDN.pyodide_base: urls.pyodide_base,
    }
    for page in docs.glob("ours-*.html"):
        html = page.read_text(encoding="utf-8")
        if html.count("data-stlite-worker=") != 1:
            raise RuntimeError(f"{page.name}: not one loader tag naming stlite's worker")
        for old, new in swaps.items():
            html = html.replace(old, new)
        page.write_text(html, encoding="utf-8")


@dataclass
class Transport:
    """How stlite and Pyodide reach the browser in this run."""

    name: str
    urls: DistUrls
    browser_args: list[str]
    note: str = ""


@contextlib.contextmanager
def dist_transport(
    wanted: str, dist_root: Path, config: ServerConfig, tmp: Path
) -> Iterator[Transport]:
    """The CDN-like TLS host (``cdn.py``), or nothing extra for the loopback (the page
    server then answers ``/_dist`` itself)."""
    if wanted == "cdn":
        try:
            certificate = cdn.make_certificate(tmp / "tls")
        except (cdn.CertificateUnavailable, OSError, subprocess.CalledProcessError) as exc:
            print(
                f"run.py: no CDN-like host ({exc}); serving stlite and Pyodide from the loopback",
                file=sys.stderr,
            )
            yield Transport(
                "loopback", bench_pages.LOOPBACK, [], f"CDN-like host unavailable: {exc}"
            )
            return
        cdn_config = ServerConfig(
            cdn.mounts(dist_root),
            config.log,
            config.link,
            tuple(cdn.mounts(dist_root)),
            config.dist_cache,
            cdn.CDN_ORIGIN,
        )
        with serve(cdn_config, certificate.server_context()) as server:
            yield Transport("cdn", bench_pages.CDN, cdn.chromium_args(server.port, certificate))
        return
    yield Transport("loopback", bench_pages.LOOPBACK, [])


def build_pages(selection: Selection, tmp: Path, urls: DistUrls) -> tuple[Path, Path]:
    """The hand-written pages and the Sphinx build of ours; returns (site, docs)."""
    site, docs_src, docs = tmp / "site", tmp / "docs-src", tmp / "docs"
    bench_pages.write_site(site, selection.site_pages(), urls, VIEWPORT["height"])
    bench_pages.write_ours_sphinx(
        docs_src, selection.ours_pages(), bench_pages.CDN, VIEWPORT["height"]
    )
    _build([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(docs_src), str(docs)])
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
        data, _, build_targets = build_cost(args.build_runs)
        results["build_cost"] = data
        targets += build_targets
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
