"""The early-worker prototype (``benchmarks/prototypes/early_worker.js``) in real Chromium.

A page starts stlite's worker, taken out of the real build (``stlite_docs.worker_script``)
and served as a same-origin file, before it imports stlite; then mounts two apps with
``sharedWorker: true`` through the prototype. stlite's 4.5 MB chunk is answered 2 s late, as
on a slow link, so the early start is visible in the server's log. Asserted:

* the worker asks for ``pyodide.mjs`` before stlite's chunk has finished downloading, both
  apps run, and the page has ONE shared worker (the early one): stlite's connections were
  steered to it;
* every mismatch keeps stlite's own path and the apps still run: a fingerprint that does not
  match stlite's worker (another stlite), a worker file that does not load, no SharedWorker
  (then stlite starts a Worker per app, and the page one app).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from browser_support import MIME_TYPES, mounted_path
from offline_dist import Distribution
from playwright.sync_api import Browser, Page

from stlite_docs.preload import PINNED_STLITE_CHUNK
from stlite_docs.worker_script import worker_from_build

REPO = Path(__file__).resolve().parents[2]
PROTOTYPE = REPO / "benchmarks" / "prototypes" / "early_worker.js"
CHUNK_DELAY = 2.0
BOOT_TIMEOUT_MS = 240_000

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/_dist/stlite/stlite.css"></head><body>
<div id="a0" style="position:relative;height:250px"></div>
<div id="a1" style="position:relative;height:250px"></div>
<script type="module">
import { startEarlyWorker } from "./early_worker.js";
const q = new URLSearchParams(location.search);
if (q.has("no-shared-worker")) delete window.SharedWorker;
const abs = (u) => new URL(u, location.href).href;
const pyodideUrl = abs("/_dist/pyodide/pyodide.mjs");
const early = startEarlyWorker({
  workerUrl: abs(q.get("worker") || WORKER),
  check: q.get("check") || CHECK,
  wheels: Object.fromEntries(
    Object.entries(WHEELS).map(([k, v]) => [k, abs("/_dist/stlite/" + v)])),
  pyodideUrl,
});
window.__early = early && early.stats;
const { mount } = await import("/_dist/stlite/stlite.js");
window.__ready = early ? await early.ready : null;
for (const id of q.has("one-app") ? ["a0"] : ["a0", "a1"]) {
  const files = { "app.py": `import streamlit as st\\nst.write("${id} runs")\\n` };
  const run = () => mount({ entrypoint: "app.py", files, requirements: [], pyodideUrl,
                            sharedWorker: true }, document.getElementById(id));
  early ? early.mount(run) : run();
}
</script></body></html>
"""


@dataclass
class TimedServer:
    base_url: str
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (time, start|end, path)

    def first(self, event: str, suffix: str) -> float:
        return min(t for t, e, p in self.events if e == event and p.split("?")[0].endswith(suffix))


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = MIME_TYPES

    def __init__(self, *args: Any, mounts: dict[str, Path], server: TimedServer,
                 **kw: Any) -> None:
        self._mounts = mounts
        self._server = server
        super().__init__(*args, **kw)

    def translate_path(self, path: str) -> str:
        return mounted_path(self._mounts, path)

    def do_GET(self) -> None:
        self._server.events.append((time.monotonic(), "start", self.path))
        if self.path.endswith(PINNED_STLITE_CHUNK):
            time.sleep(CHUNK_DELAY)  # stlite's chunk arrives late, as on a slow link
        super().do_GET()
        self._server.events.append((time.monotonic(), "end", self.path))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _serve(mounts: dict[str, Path]) -> Iterator[TimedServer]:
    server = TimedServer("")
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, mounts=mounts, server=server))
    httpd.daemon_threads = True
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def site(offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[TimedServer]:
    worker = worker_from_build(offline_dist.stlite_dir)
    folder = tmp_path_factory.mktemp("early-worker")
    (folder / worker.file_name).write_bytes(worker.source)
    shutil.copyfile(PROTOTYPE, folder / PROTOTYPE.name)
    page = (PAGE.replace("WORKER", json.dumps(worker.file_name))
            .replace("CHECK", json.dumps(worker.data_url_check))
            .replace("WHEELS", json.dumps(worker.wheels)))
    (folder / "page.html").write_text(page, encoding="utf-8")
    with _serve({"/_dist": offline_dist.root, "/proto": folder}) as server:
        yield server


def _load(browser: Browser, site: TimedServer, query: str) -> tuple[Page, list[dict[str, Any]]]:
    """Open the page, wait for both apps, return it with the browser's shared workers."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site.base_url}/proto/page.html{query}")
    for app in ("a0",) if "one-app" in query else ("a0", "a1"):
        page.locator(f"#{app}").get_by_text(f"{app} runs").wait_for(timeout=BOOT_TIMEOUT_MS)
    cdp = browser.new_browser_cdp_session()
    try:
        infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
    finally:
        cdp.detach()
    return page, [t for t in infos if t["type"] == "shared_worker"]


def test_the_worker_starts_before_stlite_and_stlite_joins_it(browser: Browser,
                                                              site: TimedServer) -> None:
    page, shared = _load(browser, site, "")
    try:
        stats = page.evaluate("window.__early")
        assert page.evaluate("window.__ready") is True
        assert stats["steered"] == 2 and not stats["refused"], stats
        assert len(shared) == 1 and "/proto/stlite-worker-" in shared[0]["url"], shared
        # Python started while stlite's chunk was still on its way
        assert site.first("start", "/pyodide.mjs") < site.first("end", PINNED_STLITE_CHUNK)
        assert len([e for e in site.events if e[1] == "start"
                    and e[2].endswith("/pyodide.asm.wasm")]) == 1  # one Pyodide
    finally:
        page.context.close()


@pytest.mark.parametrize(("query", "why"), [
    ("?check=44840:00000000", "stlite's worker is not the one the build took out"),
    ("?worker=missing.js", "the worker file does not load"),
    # stlite then starts one Worker per app: one app keeps the test light
    ("?no-shared-worker&one-app", "no SharedWorker"),
])
def test_any_mismatch_keeps_stlites_own_worker(browser: Browser, site: TimedServer,
                                               query: str, why: str) -> None:
    page, shared = _load(browser, site, query)
    try:
        stats = page.evaluate("window.__early")
        if query.startswith("?no-shared-worker"):
            assert stats is None and shared == [], why  # stlite's fallback: one Worker per app
            return
        assert stats["steered"] == 0, (why, stats)
        assert any(t["url"].startswith("blob:") for t in shared), (why, shared)
        if query.startswith("?check"):
            assert stats["refused"] == ["blob text differs from the pinned worker"]
        else:
            assert page.evaluate("window.__ready") is False, why
    finally:
        page.context.close()
