"""stlite's worker as a file of its own, so a page can start Python before stlite's bundle.

stlite does not ship its worker as a file: the worker (a classic script, 33.6 KB in
``@stlite/browser`` 1.9.2) is inlined in the 4.5 MB main chunk as a ``data:`` URL, which the
kernel wraps into a blob URL for ``new SharedWorker(...)``. So the worker can only start
once that chunk has been downloaded and evaluated, ~0.5 s after navigation even on loopback.
Served as a same-origin file, the very same script can be started by the page's loader at
once, and stlite's own later connections can be steered to that running worker
(``benchmarks/prototypes/early_worker.js``).

This module takes the script out of a build (a folder such as a self-contained site's
vendored copy, or the npm tarball at packaging time), checks it against the pinned sha256,
and says how the page recognises the same script inside stlite's bundle: the length and
FNV-1a hash of the ``data:`` URL (the page cannot compute a sha256 synchronously, and the
check runs inside stlite's synchronous ``mount()``). A build whose worker differs (another
stlite version, a patched bundle) is refused, and the page keeps today's path.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path, PurePosixPath

from .assets import STATIC_DIR, shipped_files
from .pinned import DEFAULT_JS_URL, PINNED_WHEELS, PINNED_WORKER_SHA256, static_imports
from .settings import Settings

DATA_URL_PREFIX = "data:text/javascript;base64,"

_DATA_URL_RE = re.compile(r'"(data:text/javascript;base64,[A-Za-z0-9+/]*={0,2})"')
_WHEEL_RE = re.compile(
    r'(\w+)\s*:\s*new URL\(\s*"\./(wheels/[^"]+\.whl)"\s*,\s*import\.meta\.url\s*\)'
)
_TARBALL_BUILD = "package/build/"

#: The warm runtime's part of the site's worker file, as built from ``loader/src/worker``.
WARM_PART = "stlite-docs-warm.js"
#: The global names of the pinned worker script the warm runtime binds to
#: (``loader/src/worker/entry.js``), each as the script declares it; a test checks the pinned
#: script has every one.
STLITE_NAMES = {
    "X": "function X(t, s, n, l) {",
    "J": "async function J(t, s, n) {",
    "He": "async function He(t, s) {",
    "j": "let j = null, z = Promise.resolve(), D = !1;",
}


def _compose(stlite_worker: bytes, warm: bytes) -> bytes:
    """stlite's worker, then the warm runtime, each on lines of its own."""
    return stlite_worker.rstrip(b"\n") + b"\n;\n" + warm.rstrip(b"\n") + b"\n"


class WorkerScriptError(ValueError):
    """The build has no worker this module can take out, or not the pinned one."""


@dataclass(frozen=True)
class WorkerScript:
    """stlite's worker, taken out of a build and verified."""

    #: The classic script, byte for byte what stlite runs from its ``data:`` URL.
    source: bytes
    sha256: str
    #: ``"<length>:<fnv1a32 hex>"`` of the ``data:`` URL as stlite's bundle holds it: what
    #: the page compares, synchronously, before steering stlite's worker to this file.
    data_url_check: str
    #: What stlite passes to its worker as ``wheels`` (``stliteLib``, ``streamlit``), relative
    #: to stlite.js: a prewarm must install exactly these.
    wheels: dict[str, str]

    @cached_property
    def site_source(self) -> bytes:
        """The file the site serves: stlite's worker, then the warm runtime
        (``static/stlite-docs-warm.js``, built from ``loader/src/worker``), a classic script
        that shares its global names (:data:`STLITE_NAMES`). It ends each app when its page
        lets it go, admits apps by their Streamlit config and requirements, and keeps one
        worker serving a reader's pages one after another."""
        # read and hashed once per worker (every page's loader tag names the file)
        return _compose(self.source, (STATIC_DIR / WARM_PART).read_bytes())

    @property
    def stlite_file_name(self) -> str:
        """stlite's worker alone, as this package ships it (:data:`SHIPPED_WORKER`)."""
        return f"stlite-worker-{self.sha256[:16]}.js"

    @cached_property
    def file_name(self) -> str:
        """The site's file (:attr:`site_source`): a name that changes with the content, so it
        can be served as immutable."""
        return f"stlite-docs-worker-{hashlib.sha256(self.site_source).hexdigest()[:16]}.js"

    def script_attributes(self, href: str | None = None) -> dict[str, str]:
        """The loader tag's attributes for this worker (read by the loader's settings.js):
        ``href`` is the file relative to the loader (default: next to it)."""
        wheels = " ".join(f"{name}={path}" for name, path in sorted(self.wheels.items()))
        return {
            "data-stlite-worker": href or self.file_name,
            "data-stlite-worker-check": self.data_url_check,
            "data-stlite-wheels": wheels,
        }


def fnv1a32(text: str) -> int:
    """FNV-1a (32 bit) over the UTF-16 code units of ``text``, as the page computes it
    (``Math.imul`` in JavaScript); the ``data:`` URL is ASCII, so code units are bytes."""
    value = 0x811C9DC5
    raw = text.encode("utf-16-le")
    for unit in (raw[i] | raw[i + 1] << 8 for i in range(0, len(raw), 2)):
        value ^= unit
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def data_url_check(data_url: str) -> str:
    """What the page compares: the ``data:`` URL's length and FNV-1a hash."""
    return f"{len(data_url)}:{fnv1a32(data_url):08x}"


def pinned_worker(source: bytes) -> WorkerScript:
    """The pinned worker from its file alone (e.g. shipped in this package for sites on the
    default CDN, which have no stlite build at hand): checked against the pinned sha256; its
    ``data:`` URL, and so the page's fingerprint, follows from the bytes (standard base64, as
    stlite's bundler writes it)."""
    digest = hashlib.sha256(source).hexdigest()
    if digest != PINNED_WORKER_SHA256:
        raise WorkerScriptError(
            f"the worker file has sha256 {digest}, not the pinned {PINNED_WORKER_SHA256}"
        )
    data_url = DATA_URL_PREFIX + base64.b64encode(source).decode("ascii")
    return WorkerScript(source, digest, data_url_check(data_url), dict(PINNED_WHEELS))


def extract_worker(
    stlite_js: str,
    read_module: Callable[[str], str],
    expected_sha256: str | None = PINNED_WORKER_SHA256,
) -> WorkerScript:
    """The worker of the build whose ``stlite.js`` text is ``stlite_js``; ``read_module``
    returns the text of a module next to it (by relative name, e.g. ``index-….js``).

    Raises :class:`WorkerScriptError` unless stlite.js imports exactly one chunk, that chunk
    holds exactly one JavaScript ``data:`` URL, stlite.js names both wheels, and the script
    hashes to ``expected_sha256`` (``None``: any script, for inspecting other versions)."""
    chunks = static_imports(stlite_js)
    if len(chunks) != 1:
        raise WorkerScriptError(f"stlite.js imports {len(chunks)} chunks statically, not one")
    chunk = read_module(chunks[0][2:])
    urls = sorted(set(_DATA_URL_RE.findall(chunk)))
    if len(urls) != 1:
        raise WorkerScriptError(
            f"{chunks[0][2:]} holds {len(urls)} JavaScript data: URLs, not one (the worker)"
        )
    data_url = urls[0]
    try:
        source = base64.b64decode(data_url.split(",", 1)[1], validate=True)
    except binascii.Error as exc:
        raise WorkerScriptError(f"the worker's data: URL is not base64: {exc}") from None
    digest = hashlib.sha256(source).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise WorkerScriptError(
            f"the worker in {chunks[0][2:]} has sha256 {digest}, not the pinned {expected_sha256}"
        )
    wheels = dict(_WHEEL_RE.findall(stlite_js))
    if set(wheels) != {"stliteLib", "streamlit"}:
        raise WorkerScriptError(
            f"stlite.js names the wheels {sorted(wheels)}, not stliteLib and streamlit"
        )
    return WorkerScript(source, digest, data_url_check(data_url), wheels)


def worker_from_build(
    stlite_dir: Path, expected_sha256: str | None = PINNED_WORKER_SHA256
) -> WorkerScript:
    """From a folder holding stlite's ``build/`` files (a self-contained site's vendored
    ``stlite/``, or the offline test distribution)."""

    def read(name: str) -> str:
        path = stlite_dir / PurePosixPath(name)
        if not path.is_file():
            raise WorkerScriptError(f"{stlite_dir} has no {name}")
        return path.read_text(encoding="utf-8")

    return extract_worker(read("stlite.js"), read, expected_sha256)


def worker_from_tarball(
    tgz: Path, expected_sha256: str | None = PINNED_WORKER_SHA256
) -> WorkerScript:
    """From the npm tarball of ``@stlite/browser`` (``npm pack``): what makes the worker this
    package ships for sites on the default CDN (:func:`main`)."""
    import tarfile  # only here: not for every build that imports this module

    with tarfile.open(tgz, "r:gz") as tar:

        def read(name: str) -> str:
            try:
                member = tar.extractfile(_TARBALL_BUILD + name)
            except KeyError:
                member = None
            if member is None:
                raise WorkerScriptError(f"{tgz.name} has no {_TARBALL_BUILD}{name}")
            return member.read().decode("utf-8")

        return extract_worker(read("stlite.js"), read, expected_sha256)


#: The pinned worker as this package ships it (``static/``), for sites on the default CDN,
#: which have no stlite build at hand. Made from the npm tarball (see :func:`main`); a test
#: checks it against the real build.
SHIPPED_WORKER = f"stlite-worker-{PINNED_WORKER_SHA256[:16]}.js"


@cache
def shipped_worker() -> WorkerScript:
    """The worker file shipped in this package, verified (:func:`pinned_worker`)."""
    return pinned_worker((STATIC_DIR / SHIPPED_WORKER).read_bytes())


def site_worker(settings: Settings, vendored_stlite: Path | None = None) -> WorkerScript | None:
    """The worker a site serves next to its loader, so its pages start Python before
    stlite's bundle; None: the pages keep stlite's own path.

    The one decision for every front end: a self-contained site takes it out of its vendored
    build (``vendored_stlite``, the ``stlite/`` folder; none if that build's worker is not the
    pinned one); a site on the default ``js_url`` gets the pinned worker this package ships;
    any other stlite (a custom ``js_url``) none, as its worker is unknown."""
    if vendored_stlite is not None:
        try:
            return _vendored_worker(vendored_stlite, _mtime(vendored_stlite))
        except (WorkerScriptError, OSError, UnicodeDecodeError):
            return None
    if settings.self_contained:
        return None  # not vendored (yet): no build to take it from
    return shipped_worker() if settings.js_url == DEFAULT_JS_URL else None


def site_files(worker: WorkerScript | None = None) -> dict[str, bytes]:
    """File name -> bytes for the folder of the site's loader: the loader's files and, where
    the site serves it (:func:`site_worker`), stlite's worker with the warm runtime next to
    them."""
    files = {name: text.encode("utf-8") for name, text in shipped_files().items()}
    if worker is not None:
        files[worker.file_name] = worker.site_source
    return files


def _mtime(folder: Path) -> int:
    return (folder / "stlite.js").stat().st_mtime_ns if (folder / "stlite.js").is_file() else 0


@cache
def _vendored_worker(folder: Path, mtime_ns: int) -> WorkerScript:
    """Read once per build folder and version of it: the chunk is 4.5 MB."""
    return worker_from_build(folder)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stlite_docs.worker_script TARBALL FOLDER``: write the pinned worker out of
    the npm tarball of ``@stlite/browser`` (``npm pack @stlite/browser@<version>``) into
    ``FOLDER`` (``stlite_docs/static`` when the pinned stlite changes, with the new sha256 in
    ``PINNED_WORKER_SHA256``)."""
    import argparse
    import tarfile

    parser = argparse.ArgumentParser(
        prog="python -m stlite_docs.worker_script", description=main.__doc__
    )
    parser.add_argument("tarball", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        worker = worker_from_tarball(args.tarball)
    except (WorkerScriptError, OSError, tarfile.TarError) as exc:
        print(f"stlite_docs.worker_script: {exc}", file=sys.stderr)
        return 1
    path = args.folder / worker.stlite_file_name
    path.write_bytes(worker.source)
    print(f"wrote {path} ({len(worker.source)} bytes, sha256 {worker.sha256})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
