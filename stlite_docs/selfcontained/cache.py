"""The download cache of self-contained builds: verified, content-addressed, never half-written.

Every file a self-contained site ships (stlite's build, Pyodide's core, package wheels) passes
through one store of blobs named by their sha256: ``<cache>/v1/blobs/ab/abcdef...``. A blob is
written to a temporary name while it is hashed and renamed into place only after its hash
matched what its source publishes (npm ``dist.integrity``, ``pyodide-lock.json``'s ``sha256``,
the package index's ``sha256``), so a crash or a broken connection never leaves a blob that
looks complete. Small JSON memos (``<cache>/v1/memo/``) remember what needs no new request:
which blob a URL gave, the hash of a local file at a given size and mtime, an index listing.

The cache folder is ``$STLITE_DOCS_CACHE_DIR`` if set, else the platform's user cache folder
(``~/.cache/stlite-docs`` on Linux, ``~/Library/Caches/stlite-docs`` on macOS,
``%LOCALAPPDATA%\\stlite-docs\\Cache`` on Windows); a site setting can name another one.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import IO, Any

from ..errors import SourceError

CACHE_ENV = "STLITE_DOCS_CACHE_DIR"
LAYOUT = "v1"
USER_AGENT = "stlite-docs (self-contained site build)"
TIMEOUT = 60.0
_CHUNK = 1 << 20

Log = Callable[[str], None]


def default_cache_dir() -> Path:
    """``$STLITE_DOCS_CACHE_DIR``, else the platform's user cache folder for stlite-docs."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return (Path(base) if base else home / "AppData" / "Local") / "stlite-docs" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "stlite-docs"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else home / ".cache") / "stlite-docs"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sri_matches(integrity: str, sha512_digest: bytes) -> bool:
    """Whether an npm ``dist.integrity`` (SRI, ``sha512-<base64>``, maybe several) matches."""
    for item in integrity.split():
        algo, _, value = item.partition("-")
        if algo == "sha512" and base64.b64decode(value) == sha512_digest:
            return True
    return False


def mib(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


@dataclass
class CacheStats:
    """What this build fetched: the "downloads nothing" test and the report read it."""

    downloaded_files: int = 0
    downloaded_bytes: int = 0
    imported_files: int = 0  # local source files copied into the cache
    corrupt: list[str] = field(default_factory=list)  # entries found damaged and fetched again
    requests: int = 0  # HTTP requests of any kind (metadata included)


class Cache:
    """The blob store plus memos; safe for concurrent builds sharing one folder."""

    def __init__(self, root: Path, log: Log) -> None:
        self.root = root / LAYOUT
        self.log = log
        self.stats = CacheStats()
        self._lock = threading.Lock()
        for sub in ("blobs", "memo", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._remove_abandoned()

    # --- blobs ----------------------------------------------------------------------------

    def blob(self, sha256: str) -> Path:
        return self.root / "blobs" / sha256[:2] / sha256

    def has_blob(self, sha256: str) -> bool:
        return self.blob(sha256).is_file()

    def blob_ok(self, sha256: str, what: str) -> bool:
        """Whether the blob exists with the right content; a damaged one is removed."""
        path = self.blob(sha256)
        if not path.is_file():
            return False
        if sha256_file(path) == sha256:
            return True
        self.log(f"stlite-docs: cache entry of {what} is corrupt ({path}); fetching it again")
        with self._lock:
            self.stats.corrupt.append(what)
        with contextlib.suppress(OSError):
            path.unlink()
        return False

    @contextlib.contextmanager
    def _temp(self) -> Iterator[tuple[IO[bytes], Path]]:
        fd, name = tempfile.mkstemp(dir=self.root / "tmp", suffix=".part")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as stream:
                yield stream, tmp
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _commit(self, tmp: Path, sha256: str) -> None:
        target = self.blob(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(0o644)
        tmp.replace(target)

    def put_stream(
        self,
        source: IO[bytes],
        what: str,
        *,
        sha256: str | None = None,
        integrity: str | None = None,
        length: int | None = None,
    ) -> str:
        """Store a stream, checking it against the hash (or SRI) its source publishes."""
        with self._temp() as (sink, tmp):
            h256, h512, size = hashlib.sha256(), hashlib.sha512(), 0
            while chunk := source.read(_CHUNK):
                sink.write(chunk)
                h256.update(chunk)
                if integrity:
                    h512.update(chunk)
                size += len(chunk)
            sink.close()
            if length is not None and size != length:
                raise SourceError(f"{what}: got {size} of {length} bytes (connection cut)")
            actual = h256.hexdigest()
            if sha256 is not None and actual != sha256:
                raise SourceError(
                    f"{what} does not match its published sha256 (expected {sha256}, got {actual})"
                )
            if integrity is not None and not sri_matches(integrity, h512.digest()):
                raise SourceError(f"{what} does not match its published integrity {integrity}")
            self._commit(tmp, actual)
        return actual

    def put_file(self, path: Path, what: str, *, sha256: str | None = None) -> str:
        """Copy a local source file into the store (verified when a hash is published)."""
        if sha256 is not None and self.has_blob(sha256):
            return sha256
        try:
            with path.open("rb") as stream:
                digest = self.put_stream(stream, what, sha256=sha256)
        except OSError as exc:
            raise SourceError(f"cannot read {what} at {path}: {exc.strerror or exc}") from None
        with self._lock:
            self.stats.imported_files += 1
        return digest

    def local_sha256(self, path: Path) -> str:
        """A local file's sha256, memoised by its size and mtime (no re-reading on rebuilds)."""
        try:
            st = path.stat()
        except OSError as exc:
            raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
        key = str(path.resolve())
        memo = self.memo_get("local", key)
        if memo and memo.get("size") == st.st_size and memo.get("mtime_ns") == st.st_mtime_ns:
            return str(memo["sha256"])
        digest = sha256_file(path)
        self.memo_put(
            "local", key, {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
        )
        return digest

    def import_local(self, path: Path, what: str, *, sha256: str | None = None) -> str:
        """A local file as a verified blob; a blob damaged since is replaced from the file."""
        digest = self.local_sha256(path)
        if sha256 is not None and digest != sha256:
            raise SourceError(
                f"{what} at {path} does not match its published sha256 "
                f"(expected {sha256}, got {digest})"
            )
        if not self.has_blob(digest):
            self.put_file(path, what, sha256=digest)
        return digest

    # --- downloads ------------------------------------------------------------------------

    def open_url(self, url: str, what: str, accept: str | None = None) -> Any:
        """An HTTP response; every failure becomes a :class:`SourceError` naming ``what``."""
        headers = {"User-Agent": USER_AGENT}
        if accept:
            headers["Accept"] = accept
        with self._lock:
            self.stats.requests += 1
        try:
            return urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=TIMEOUT
            )
        except urllib.error.HTTPError as exc:
            raise SourceError(
                f"cannot fetch {what} from {url}: HTTP {exc.code} {exc.reason}"
            ) from None
        except (urllib.error.URLError, OSError, HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"cannot fetch {what} from {url}: {reason}") from None

    def fetch_json(self, url: str, what: str, accept: str) -> tuple[Any, str, str]:
        """``(parsed JSON or text, content type, final URL)`` of a small document."""
        with self.open_url(url, what, accept) as response:
            try:
                body = response.read()
            except (OSError, HTTPException) as exc:
                raise SourceError(f"cannot fetch {what} from {url}: {exc}") from None
            ctype = response.headers.get("Content-Type", "")
            final = response.geturl()
        text = body.decode("utf-8", errors="replace")
        if "json" in ctype or text.lstrip().startswith(("{", "[")):
            try:
                return json.loads(text), ctype, final
            except ValueError:
                raise SourceError(f"{what} from {url} is not valid JSON") from None
        return text, ctype, final

    def download(
        self, url: str, what: str, *, sha256: str | None = None, integrity: str | None = None
    ) -> str:
        """Download into the store, verified; one retry when the bytes do not verify."""
        started = time.monotonic()
        for attempt in (1, 2):
            try:
                with self.open_url(url, what) as response:
                    length = response.headers.get("Content-Length")
                    digest = self.put_stream(
                        response,
                        what,
                        sha256=sha256,
                        integrity=integrity,
                        length=int(length) if length and length.isdigit() else None,
                    )
            except (OSError, HTTPException) as exc:
                if attempt == 2:
                    raise SourceError(f"cannot fetch {what} from {url}: {exc}") from None
                continue
            except SourceError:
                if attempt == 2:
                    raise
                continue
            size = self.blob(digest).stat().st_size
            with self._lock:
                self.stats.downloaded_files += 1
                self.stats.downloaded_bytes += size
                files, total = self.stats.downloaded_files, self.stats.downloaded_bytes
            # a first self-contained build downloads ~50 MB: say what, as it comes
            self.log(
                f"stlite-docs: fetched {what} ({mib(size)} in {time.monotonic() - started:.1f} s;"
                f" {files} file(s), {mib(total)} so far)"
            )
            return digest
        raise AssertionError("unreachable")

    def url_blob(self, url: str, what: str) -> str:
        """A file without a published hash (Pyodide's core), by URL: downloaded once; its
        sha256 is remembered, so a damaged copy is detected and fetched again."""
        memo = self.memo_get("url", url)
        if memo:
            known = str(memo["sha256"])
            return known if self.has_blob(known) else self.download(url, what, sha256=known)
        digest = self.download(url, what)
        self.memo_put("url", url, {"sha256": digest})
        return digest

    # --- memos ----------------------------------------------------------------------------

    def _memo_path(self, kind: str, key: str) -> Path:
        name = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()[:40]
        return self.root / "memo" / f"{kind}-{name}.json"

    def memo_get(self, kind: str, key: str, max_age: float | None = None) -> Any:
        path = self._memo_path(kind, key)
        try:
            if max_age is not None and time.time() - path.stat().st_mtime > max_age:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data.get("value") if isinstance(data, dict) and data.get("key") == key else None

    def memo_put(self, kind: str, key: str, value: Any) -> None:
        path = self._memo_path(kind, key)
        with self._temp() as (sink, tmp):
            sink.write(json.dumps({"key": key, "value": value}).encode("utf-8"))
            sink.close()
            tmp.chmod(0o644)
            tmp.replace(path)

    def _remove_abandoned(self, max_age: float = 3600.0) -> None:
        """Temp files of builds that were killed (a finished build leaves none)."""
        now = time.time()
        for tmp in (self.root / "tmp").glob("*.part"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime > max_age:
                    tmp.unlink()


def link_or_copy(source: Path, target: Path) -> str:
    """Put ``source`` at ``target`` atomically: a hard link when the file system allows
    (nothing copied), else a copy; ``"linked"`` or ``"copied"``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()
        try:
            os.link(source, tmp)
            how = "linked"
        except OSError:
            shutil.copyfile(source, tmp)
            tmp.chmod(0o644)
            how = "copied"
        tmp.replace(target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return how


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=PARTIAL)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as sink:
            sink.write(data)
        tmp.chmod(0o644)
        tmp.replace(target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


#: Suffix of files being written into a site; a killed build's leftovers are removed next time.
PARTIAL = ".stlite-docs-partial"
