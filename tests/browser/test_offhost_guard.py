"""The off-host guard fires: a page, a cross-site iframe, a dedicated worker, a worker it
starts, a shared worker and a WebSocket each reaching another host are reported, each with what
made it; a page that stays on localhost passes.

This runs the very check the ``live`` fixture runs after every browser test
(``RequestLog.check``) on a page made to go off-host, and asserts that it fails and names every
request. The hosts are ``.invalid`` (RFC 2606): nothing answers them, and the test bed's proxy
refuses them anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from browser.live import context_id
from browser.offhost import RequestLog, is_off_host
from testbed.browser import Server, serve

# Everything reports "done" once it made its request, so the test waits for the page, not
# for a timer. The iframe is served from "localhost" while the page is on 127.0.0.1: another
# site, so Chromium runs it in its own process (an "iframe" target of its own).
PAGE = """<!doctype html><title>off-host</title>
<iframe src="http://localhost:PORT/g/frame.html"></iframe>
<script>
const done = [];
const mark = (what) => { done.push(what); document.title = done.sort().join(","); };
fetch("http://page.invalid/from-page").catch(() => mark("page"));
new WebSocket("ws://socket.invalid/from-page").onerror = () => mark("socket");
new Worker("dedicated.js").onmessage = (e) => mark(e.data);
const shared = new SharedWorker("shared.js");
shared.port.onmessage = (e) => mark(e.data);
window.onmessage = (e) => mark(e.data);
</script>
"""
FRAME = """<!doctype html><script>
fetch("http://frame.invalid/from-iframe").catch(() => parent.postMessage("iframe", "*"));
</script>"""
DEDICATED = """
fetch("http://dedicated.invalid/from-worker").catch(() => postMessage("dedicated"));
new Worker("nested.js").onmessage = (e) => postMessage(e.data);
"""
NESTED = 'fetch("http://nested.invalid/from-nested").catch(() => postMessage("nested"));\n'
# The shared worker's request is made at once and again a second later: the guard may miss a
# shared worker's very first request on a busy machine (offhost.py says why); the later one it
# must see.
SHARED = """
const off = () => fetch("http://shared.invalid/from-shared-worker");
onconnect = (event) => {
  const port = event.ports[0];
  off().catch(() => setTimeout(() => off().catch(() => port.postMessage("shared")), 1000));
};
"""
ALL_DONE = "dedicated,iframe,nested,page,shared,socket"
# How long the tests wait for the guard's own connection to log what the browser already sent:
# far above any lag of its reader thread on a busy machine. A request still missing then was
# never reported to the guard, and waiting longer would not bring it.
LOG_DEADLINE = 60.0
# host -> the kind of target that must be named as its maker
MAKERS = {
    "page.invalid": "page",
    "socket.invalid": "page",
    "frame.invalid": "iframe",
    "dedicated.invalid": "worker",
    "nested.invalid": "worker",
    "shared.invalid": "shared_worker",
}
LOCAL_ONLY = """<!doctype html><title>local</title><script>
fetch("/g/frame.html").then(() => new SharedWorker("local-shared.js").port.onmessage =
  (e) => { document.title = e.data; });
</script>"""
LOCAL_SHARED = """
const local = () => fetch("/g/nested.js");
onconnect = (event) => {
  const done = () => event.ports[0].postMessage("local done");
  local().then(() => setTimeout(() => local().then(done), 1000));
};
"""


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[Server]:
    with serve({"/g": tmp_path}) as server:
        port = urlsplit(server.base_url).port
        for name, text in {
            "index.html": PAGE.replace("PORT", str(port)),
            "frame.html": FRAME,
            "dedicated.js": DEDICATED,
            "nested.js": NESTED,
            "shared.js": SHARED,
            "local.html": LOCAL_ONLY,
            "local-shared.js": LOCAL_SHARED,
        }.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        yield server


def _visit(browser: Browser, log: RequestLog, url: str, title: str) -> tuple[str, int]:
    """Open ``url`` in a fresh context, wait for the page's ``title``, close the context and
    let the guard settle; return the context's id and where its requests start."""
    context = browser.new_context()
    page = context.new_page()
    ctx = context_id(context, page)
    since = log.mark()
    page.goto(url)
    page.wait_for_function("t => document.title === t", arg=title, timeout=30_000)
    context.close()
    log.settle(ctx)
    return ctx, since


def test_guard_reports_page_frame_and_workers_going_off_host(
    browser: Browser, request_log: RequestLog, pages: Server
) -> None:
    ctx, since = _visit(browser, request_log, f"{pages.base_url}/g/index.html", ALL_DONE)

    def made_by() -> dict[str | None, str]:
        return {urlsplit(r.url).hostname: r.target.type for r in request_log.off_host(ctx, since)}

    # the page saw every request fail, so the browser has sent them all; on a busy machine the
    # guard's own connection may still be reading them
    request_log.wait_for(lambda: made_by().keys() >= MAKERS.keys(), timeout=LOG_DEADLINE)
    seen = (
        [
            str(r) + f" [context {r.target.context}]"
            for r in request_log.requests(None, since)
            if is_off_host(r.url)
        ]
        if made_by() != MAKERS
        else []
    )
    assert made_by() == MAKERS, (
        f"context {ctx}; not logged after {LOG_DEADLINE:.0f} s: "
        f"{sorted(MAKERS.keys() - made_by().keys())}; every off-host request logged: {seen}"
    )

    with pytest.raises(AssertionError) as failure:
        request_log.check(ctx, since)
    message = str(failure.value)
    for host, kind in MAKERS.items():
        assert host in message and f"made by the {kind} " in message, (host, message)

    # hosts a test declares expected are left out, all others still fail it
    with pytest.raises(AssertionError) as failure:
        request_log.check(ctx, since, allowed={"page.invalid", "shared.invalid"})
    assert "page.invalid" not in str(failure.value)
    assert "shared.invalid" not in str(failure.value)
    assert "dedicated.invalid" in str(failure.value)
    request_log.check(ctx, since, allowed=set(MAKERS))


def test_guard_passes_a_page_that_stays_on_localhost(
    browser: Browser, request_log: RequestLog, pages: Server
) -> None:
    ctx, since = _visit(browser, request_log, f"{pages.base_url}/g/local.html", "local done")

    def made() -> list[str]:
        found = request_log.requests(ctx, since)
        return [urlsplit(r.url).path for r in found if r.target.type == "shared_worker"]

    # on a busy machine the guard's own connection may still be reading what it was sent
    request_log.wait_for(lambda: bool(made()), timeout=LOG_DEADLINE)
    assert set(made()) == {"/g/nested.js"}  # the worker was watched (its later request at least)
    request_log.check(ctx, since)


@pytest.mark.parametrize(
    ("url", "off"),
    [
        ("http://127.0.0.1:8000/x", False),
        ("http://localhost/x", False),
        ("http://[::1]:9/x", False),
        ("data:text/plain,x", False),
        ("blob:http://x.org/1", False),
        ("https://cdn.jsdelivr.net/x", True),
        ("ws://example.org/", True),
        ("http://127.0.0.2/x", True),
        ("wss://localhost.example.org/", True),
    ],
)
def test_what_counts_as_off_host(url: str, off: bool) -> None:
    assert is_off_host(url) is off
