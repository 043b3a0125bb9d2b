"""The off-host guard: which page, frame or worker made each request, and did any leave localhost.

Everything the browser tests load is served from 127.0.0.1. A request that a page, an iframe, a
dedicated worker, a shared worker or a service worker makes to any other host means the product
reached for the network, and fails the test.

How it knows who made a request: Chromium is launched with a DevTools port beside Playwright's
own pipe, and ``RequestLog`` opens its own CDP connection to it. It auto-attaches (flat sessions)
to every web target as it starts: pages, out-of-process iframes, dedicated workers (nested ones
too), shared workers and service workers. Each new target waits for the debugger until
``Network`` is enabled on it, so even a worker's first request is seen, with one exception: a
shared worker's first request, on a busy machine. Playwright's own session attaches to a new
shared worker too and lets it run, and a shared worker then may start before this connection has
enabled ``Network`` on it (seen in about one run in six with the machine's cores saturated; never
with plain CDP clients). Its later requests are seen; the proxy below still keeps the missed one
from leaving the machine. Every
``Network.requestWillBeSent`` and ``Network.webSocketCreated`` is recorded with the target that
made it and that target's browser context (one per test).

What it ignores, and why that needs no host list: the browser process' own traffic (component
updates, sign-in, safe browsing...: hosts that differ from one Chromium version to the next) is
made by no web target, so it never shows up here; nor do the browser's own chrome:// pages, which
are not web targets. Playwright's CDP sessions cannot carry flat child sessions, hence the
second connection.

The browser is also started with a refusing proxy (``testbed.browser.blocking_proxy``): that
proxy keeps every request, the browser's own included, from leaving the machine; it is the
sink, this log is the judge.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

#: The targets whose requests count: web content. Browser UI (chrome://) is never attached.
WEB_TARGET_TYPES = ("page", "iframe", "worker", "shared_worker", "service_worker")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss"})
#: Documents of the browser's own pages; a request made for one of them is the browser's.
BROWSER_DOCUMENT_SCHEMES = frozenset({"chrome", "chrome-untrusted", "devtools"})
_AUTO_ATTACH = {
    "autoAttach": True,
    "waitForDebuggerOnStart": True,
    "flatten": True,
    "filter": [{"type": kind} for kind in WEB_TARGET_TYPES],
}


def is_off_host(url: str) -> bool:
    """Whether loading ``url`` would reach a host other than this machine's loopback."""
    parts = urlsplit(url)
    return parts.scheme in NETWORK_SCHEMES and (parts.hostname or "") not in LOCAL_HOSTS


@dataclass(frozen=True)
class Target:
    """A page, frame or worker as CDP announced it when it started."""

    type: str
    url: str
    context: str  # its browser context (Playwright's BrowserContext, one per test)


@dataclass(frozen=True)
class Request:
    url: str
    target: Target
    document: str = ""  # the document a page or frame request was made for

    def __str__(self) -> str:
        return f"{self.url} (made by the {self.target.type} {self.target.url})"


def launch_args(marker: str) -> list[str]:
    """Chromium switches the guard needs: a DevTools port chosen by Chromium (written to the
    profile's ``DevToolsActivePort`` file) and ``marker``, an inert switch that tells this
    browser's process apart from any other Chromium on the machine."""
    return ["--remote-debugging-port=0", f"--stlite-docs-browser={marker}"]


def devtools_url(marker: str, timeout: float = 30.0) -> str:
    """The browser-level DevTools WebSocket of the Chromium launched with ``launch_args(marker)``
    by this process (Playwright's driver is our child, Chromium its child)."""
    import psutil

    switch = f"--stlite-docs-browser={marker}"
    deadline = time.monotonic() + timeout
    while True:
        for proc in psutil.Process().children(recursive=True):
            try:
                cmdline = proc.cmdline()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if switch not in cmdline or any(a.startswith("--type=") for a in cmdline):
                continue  # not ours, or a renderer/GPU/utility child of it
            profile = next(
                (a.split("=", 1)[1] for a in cmdline if a.startswith("--user-data-dir=")), None
            )
            port_file = Path(profile or "/nonexistent") / "DevToolsActivePort"
            lines = port_file.read_text().splitlines() if port_file.is_file() else []
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if time.monotonic() > deadline:
            raise RuntimeError(f"no Chromium with {switch} and a DevTools port among our children")
        time.sleep(0.05)


class RequestLog:
    """Every request made by a web target of the browser at ``url``, as it happens.

    ``mark()`` a point, run the test, close its browser context, ``settle()`` on it, then
    ``off_host()`` lists what went elsewhere than localhost and ``check()`` fails on it.
    """

    def __init__(self, url: str) -> None:
        self._stack = contextlib.ExitStack()
        self._ws: ClientConnection = self._stack.enter_context(
            connect(url, max_size=None, open_timeout=30)
        )
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._targets: dict[str, Target] = {}  # by CDP session id
        self._detached: set[str] = set()
        self._pending: dict[int, str] = {}  # Network.enable command id -> session id
        self._blind: list[tuple[str, str]] = []  # (context or "" for all, what went wrong)
        self._reader = threading.Thread(target=self._read, name="offhost-guard", daemon=True)
        self._reader.start()
        self._send("Target.setAutoAttach", _AUTO_ATTACH)

    # -- the CDP side (reader thread) ------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session: str | None = None) -> int:
        command_id = next(self._ids)
        message: dict[str, Any] = {"id": command_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        with self._send_lock:
            self._ws.send(json.dumps(message))
        return command_id

    def _read(self) -> None:
        try:
            for raw in self._ws:
                try:
                    self._handle(json.loads(raw))
                except Exception as exc:  # never leave a paused target behind silently
                    with self._lock:
                        self._blind.append(("", f"guard error: {exc!r}"))
        except ConnectionClosed:
            pass  # the browser closed

    def _handle(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        params = message.get("params", {})
        session = message.get("sessionId")
        if method == "Target.attachedToTarget":
            info = params["targetInfo"]
            child = params["sessionId"]
            with self._lock:
                self._targets[child] = Target(
                    info["type"], info["url"], info.get("browserContextId", "")
                )
                self._pending[self._send("Network.enable", {}, child)] = child
            # its own frames and workers, then let it run (in this order, on its session)
            self._send("Target.setAutoAttach", _AUTO_ATTACH, child)
            self._send("Runtime.runIfWaitingForDebugger", {}, child)
        elif method == "Target.detachedFromTarget":
            with self._lock:
                self._detached.add(params["sessionId"])
        elif method in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            url = params["request"]["url"] if "request" in params else params["url"]
            with self._lock:
                target = self._targets.get(session or "")
                if target is not None:
                    self._requests.append(Request(url, target, params.get("documentURL", "")))
        elif "id" in message:
            with self._lock:
                child = self._pending.pop(message["id"], None)
                if child and "error" in message and child not in self._detached:
                    target = self._targets[child]
                    self._blind.append(
                        (
                            target.context,
                            f"{target.type} {target.url}: {message['error'].get('message')}",
                        )
                    )

    # -- the test side -------------------------------------------------------------------

    def mark(self) -> int:
        with self._lock:
            return len(self._requests)

    def requests(self, context: str | None, since: int = 0) -> list[Request]:
        """What the web targets of browser context ``context`` (None: of any) requested after
        ``since``."""
        with self._lock:
            made = self._requests[since:]
        return [
            r
            for r in made
            if context in (None, r.target.context)
            and urlsplit(r.document).scheme not in BROWSER_DOCUMENT_SCHEMES
        ]

    def off_host(self, context: str, since: int = 0, allowed: Iterable[str] = ()) -> list[Request]:
        """The requests of ``context`` after ``since`` to a host other than localhost and
        ``allowed`` (hosts a test expects, e.g. a theme's web font)."""
        allowed = set(allowed)
        return [
            r
            for r in self.requests(context, since)
            if is_off_host(r.url) and urlsplit(r.url).hostname not in allowed
        ]

    def wait_for(self, found: Callable[[], bool], timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while not found():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def settle(self, context: str, timeout: float = 10.0) -> None:
        """Wait until every target of ``context`` is gone (after the test closed it), so all
        that they reported has arrived."""

        def gone() -> bool:
            with self._lock:
                return all(
                    sid in self._detached
                    for sid, t in self._targets.items()
                    if t.context == context
                )

        self.wait_for(gone, timeout)

    def check(self, context: str, since: int = 0, allowed: Iterable[str] = ()) -> None:
        """Fail if a page, frame or worker of ``context`` went off-host after ``since``, or if
        a target of it could not be watched."""
        with self._lock:
            blind = [what for where, what in self._blind if where in ("", context)]
        assert not blind, f"the off-host guard could not watch every target: {blind}"
        offenders = self.off_host(context, since, allowed)
        assert not offenders, "requests to hosts other than localhost were made: " + "; ".join(
            str(r) for r in offenders
        )

    def close(self) -> None:
        self._stack.close()
        self._reader.join(timeout=5)
