"""Serving built sites and the offline stlite/Pyodide distribution on localhost; the Chromium.

Everything the browser loads comes from one loopback HTTP server: the built sites under their
prefixes (``/sphinx/``, ``/mkdocs/``, ...), and the offline distribution under ``/_dist/``
(the sites are built with root-relative URLs pointing there). Any other host is blocked and
recorded (``blocking_proxy``). The benchmarks' own server (``benchmarks/servers.py``) shares
this server's content types and URL mapping.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DIST_PREFIX = "/_dist"
URLS = {
    "js_url": f"{DIST_PREFIX}/stlite/stlite.js",
    "css_url": f"{DIST_PREFIX}/stlite/stlite.css",
    "pyodide_url": f"{DIST_PREFIX}/pyodide/pyodide.mjs",
}
# Streamlit's app background in its light and dark theme (computed style of stApp).
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(14, 17, 23)"
#: In-page predicate (argument "light" or "dark"): the page's first app shows that scheme, in
#: the page's own background (apps take the site's background by default).
SCHEME_SHOWN = """scheme => {
  const app = document.querySelector('.stlite-docs-app');
  const own = getComputedStyle(app.querySelector('[data-testid=stApp]')).backgroundColor;
  let page = 'rgb(255, 255, 255)';
  for (let n = app.parentElement; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { page = c; break; }
  }
  const [r, g, b] = own.match(/[0-9]+/g).map(Number);
  return own === page && ((r + g + b) / 3 < 128) === (scheme === 'dark');
}"""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_version() -> str:
    """What ``chromium --version`` says (the browser under test), or why it cannot say."""
    try:
        proc = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as exc:
        return f"not runnable at {CHROMIUM} ({exc.strerror}): apt-get install chromium"
    return proc.stdout.strip() or f"{CHROMIUM} --version printed nothing: {proc.stderr.strip()}"


@dataclass
class Server:
    """A loopback server with a request log (path -> count).

    Tests may change how it answers while it runs: ``headers`` adds response
    headers to paths under a prefix (e.g. a Content-Security-Policy), ``missing``
    answers 404 for paths under a prefix (an unreachable stlite or Pyodide), ``delays``
    answers paths ending with a suffix that many seconds late (a slow download), and
    every POST body (CSP violation reports) lands in ``posts``. ``timeline`` has when each
    GET started and ended (``time.monotonic()``, ``"start"`` or ``"end"``, the path).
    """

    base_url: str
    requests: list[str] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    delays: dict[str, float] = field(default_factory=dict)
    posts: list[tuple[str, bytes]] = field(default_factory=list)
    timeline: list[tuple[float, str, str]] = field(default_factory=list)


#: Content types the test server sends (the standard library's table plus what a
#: CDN sends for stlite and Pyodide: Chromium runs a module script or instantiates
#: wasm only with the right type). benchmarks/servers.py's server uses this table too.
MIME_TYPES: dict[str, str] = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
}


def mounted_path(mounts: dict[str, Path], path: str) -> str:
    """The file a request path names: ``mounts`` maps URL prefixes to folders; a path
    under no prefix names a file that does not exist (a 404, never the working folder)."""
    clean = path.split("?", 1)[0].split("#", 1)[0]
    for prefix, root in mounts.items():
        if clean == prefix or clean.startswith(prefix + "/"):
            rel = clean[len(prefix) :].lstrip("/")
            return str(root / rel) if rel else str(root) + "/"
    return str(Path("/nonexistent") / clean.lstrip("/"))


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = MIME_TYPES

    def __init__(self, *args: Any, mounts: dict[str, Path], server: Server, **kw: Any) -> None:
        self._mounts = mounts
        self._server = server
        self._log = server.requests
        super().__init__(*args, **kw)

    def translate_path(self, path: str) -> str:
        return mounted_path(self._mounts, path)

    def do_GET(self) -> None:
        self._log.append(self.path)
        self._server.timeline.append((time.monotonic(), "start", self.path))
        path = self.path.split("?", 1)[0]
        time.sleep(
            max((t for end, t in self._server.delays.items() if path.endswith(end)), default=0.0)
        )
        if any(self.path.startswith(prefix) for prefix in self._server.missing):
            self.send_error(404, "made unreachable by the test")
        else:
            super().do_GET()
        self._server.timeline.append((time.monotonic(), "end", self.path))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._server.posts.append((self.path, self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        for prefix, headers in list(self._server.headers.items()):
            if self.path.startswith(prefix):
                for name, value in headers.items():
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(mounts: dict[str, Path]) -> Iterator[Server]:
    server = Server(base_url="")
    handler = functools.partial(_Handler, mounts=mounts, server=server)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def chromium_rss_mib() -> float:
    """Sum of RSS over all running Chromium processes (the browser under test)."""
    import psutil

    total = 0
    for proc in psutil.process_iter(["name", "exe"]):
        try:
            name = (proc.info.get("name") or "") + (proc.info.get("exe") or "")
            if "chrom" in name:
                total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


class _BlockingProxy(http.server.BaseHTTPRequestHandler):
    """Chromium's proxy for every non-loopback request: refuse and record it.

    Loopback bypasses the proxy, so the site and the distribution load normally;
    a request from the page, a dedicated worker or the shared worker to any other
    host ends here, where the tests can see it.
    """

    attempts: list[str]

    def _refuse(self) -> None:
        self.attempts.append(f"{self.command} {self.path}")
        self.send_error(403, "blocked by the stlite-docs test bed")

    do_CONNECT = do_GET = do_POST = do_HEAD = _refuse

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def blocking_proxy() -> Iterator[tuple[str, list[str]]]:
    attempts: list[str] = []
    handler = type("Proxy", (_BlockingProxy,), {"attempts": attempts})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", attempts
    finally:
        httpd.shutdown()
        httpd.server_close()
