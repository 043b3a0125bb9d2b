"""The runtime benchmark's local servers: the page server and the CDN-like host.

Every response is counted (bytes, headers included) and logged with its times (``Served``), so
a run knows what the page cost; an emulated link (``Link``, ``--net``) can slow everything
down for what-if runs. The stlite and Pyodide files are served with jsDelivr's headers, so a
page's frames and workers share downloads as they would from the CDN.

Where stlite and Pyodide come from in a run is its ``Transport`` (``dist_transport``): the
CDN-like TLS host (``cdn.py``: ``https://cdn.jsdelivr.net`` answered locally), or the page
server's own ``/_dist``, with our pages pointed there (``to_loopback``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from benchmarks import bench_pages, cdn
from benchmarks.bench_pages import DistUrls
from stlite_docs.pinned import static_imports
from testbed.browser import MIME_TYPES, mounted_path

CDN_CACHE_CONTROL = cdn.JSDELIVR_HEADERS["Cache-Control"]


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


# --- where stlite and Pyodide come from -----------------------------------------------------------


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
