"""One page load of the runtime benchmark, in a fresh browser, and what it measures.

``measure`` loads a page (``PageSpec``) in a new Chromium with an empty profile, waits for its
apps (or the bare boot, or the dwell of a page whose app is never reached) and records a
``Run``: seconds to each app's output (checked in the page on every animation frame), peak
memory, CPU seconds per thread, workers and iframes, what the servers answered, and the
in-page marks (``MARKS_SCRIPT``) from which ``phases`` tells where the first app's time went.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil
from playwright.sync_api import BrowserContext, Frame, Locator, Page, Playwright

from benchmarks import bench_pages, cdn
from benchmarks.memory import MemorySampler, cpu_by_thread, other_chromium_count
from benchmarks.plan import PageSpec, long_page
from benchmarks.servers import Served, Server
from testbed.browser import CHROMIUM, CHROMIUM_ARGS

SETTLE_SECONDS = 0.3
RUN_TIMEOUT = 300.0
FIRST_APP_TIMEOUT = 150.0
UNREACHED_DWELL = 20.0
SMOKE_UNREACHED_DWELL = 6.0
BROWSER_SERVICE_HOSTS = ("google", "gstatic")


# --- in-page marks --------------------------------------------------------------------------------

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


def wait_shown(page: Page, strategy: str, index: int, timeout_ms: float) -> None:
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
        wait_shown(page, run.strategy, i, left_ms())
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
def fresh_browser(
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
    with fresh_browser(
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
            wait_shown(page, "ours", 0, FIRST_APP_TIMEOUT * 1000)
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


def median_phases(runs: Sequence[Run]) -> dict[str, float]:
    per_run = [phases(r) for r in runs]
    names = dict.fromkeys(n for p in per_run for n in p)
    return {n: statistics.median(p[n] for p in per_run if n in p) for n in names}
