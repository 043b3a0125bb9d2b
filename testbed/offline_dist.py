"""Build an offline copy of stlite + Pyodide that real stlite apps can run from.

The browser tests cannot reach cdn.jsdelivr.net (nor can CI), so they serve this folder from
``127.0.0.1`` instead::

    <cache>/stlite/stlite.js, stlite.css, wheels/, assets/, chunks  (npm @stlite/browser build/)
    <cache>/pyodide/pyodide.mjs, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json, *.whl
    <cache>/manifest.json   what was supplied, and how
    <cache>/COMPLETE        written last; holds the recipe string

Facts that shaped it (checked against @stlite/browser 1.9.2 and pyodide 0.29.3):

- The npm ``pyodide`` package is the core only. Every package Pyodide loads comes from
  ``<dir of pyodideUrl>/<file_name in pyodide-lock.json>`` and is checked against the lock's
  ``sha256`` (subresource integrity), so every wheel put here must have its hash written back.
- stlite's worker does ``loadPackage("micropip")``, then ``micropip.install([
  "protobuf>=7.34.1,<8", <streamlit wheel URL>, <stlite_lib wheel URL>])`` (plus ``jedi`` when
  ``languageServer`` is on). The two wheel URLs are ``new URL("./wheels/…", import.meta.url)`` of
  ``stlite.js``, so they are served from ``stlite/wheels/`` as they are. micropip takes a
  requirement from the lock only if the lock's version satisfies it; anything else it looks up
  on pypi.org. Hence: the lock's protobuf (6.31.1, compiled) is replaced by a pure 7.x wheel,
  and blinker, itsdangerous and python-multipart (streamlit requirements the lock lacks) get
  new lock entries.
- Pure lock packages (``*-none-any.whl``) are the very files on PyPI, so ``pip download`` gets
  them; compiled ones (numpy, pandas, pillow, ...) exist only on the unreachable CDN and become
  metadata-only stand-ins: ``import streamlit`` does not need them, so text and widget apps run
  for real while apps that use numpy or pandas cannot run offline.
- ``ssl`` is unvendored from Pyodide's stdlib and its wheel needs ``libopenssl``; anyio imports
  it for names only, so a name-only module replaces it and its ``depends`` becomes ``[]``.
"""

from __future__ import annotations

import base64
import contextlib
import email.parser
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

STLITE_VERSION = "1.9.2"
PYODIDE_VERSION = "0.29.3"
PYODIDE_PYTHON = "3.13"

#: What the stlite worker asks for besides the two bundled wheels: it always loads micropip and
#: passes this requirement to ``micropip.install`` (found in the worker, which is base64 inside
#: an ``index-*.js`` chunk); jedi is loaded only with ``languageServer: true``.
STLITE_LOADS = ("micropip", "jedi")
STLITE_SYSTEM_REQUIREMENT = "protobuf>=7.34.1,<8"

#: Packages micropip would otherwise fetch from PyPI at run time, pinned (pure wheels on PyPI).
PYPI_ADDITIONS: Mapping[str, str] = {
    "protobuf": "7.36.2",
    "blinker": "1.9.0",
    "itsdangerous": "2.2.0",
    "python-multipart": "0.0.34",
}

#: Bump when the build changes in a way the version pins above do not show.
RECIPE_REVISION = 1
MARKER_NAME = "COMPLETE"
MANIFEST_NAME = "manifest.json"

#: Marker environment of Pyodide, to drop requirements that do not apply in the browser.
PYODIDE_MARKER_ENV: Mapping[str, str] = {
    "extra": "",
    "implementation_name": "cpython",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "platform_python_implementation": "CPython",
    "platform_system": "Emscripten",
    "python_full_version": "3.13.2",
    "python_version": PYODIDE_PYTHON,
    "sys_platform": "emscripten",
}

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE_DIR = REPO_ROOT / ".cache" / "offline-dist"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class OfflineDistError(RuntimeError):
    """The offline distribution cannot be built; the message says why."""


@dataclass(frozen=True)
class Distribution:
    """A complete offline distribution; serve ``root`` over HTTP on localhost.

    ``pyodideUrl`` must be absolute (stlite's worker starts from a ``data:`` URL), e.g.
    ``http://127.0.0.1:PORT/pyodide/pyodide.mjs``; ``stlite.js`` resolves its own wheels.
    """

    root: Path
    stlite_dir: Path
    pyodide_dir: Path

    @property
    def stand_ins(self) -> frozenset[str]:
        """Lock packages present only as empty stand-ins; apps importing them cannot run."""
        manifest = json.loads((self.root / MANIFEST_NAME).read_text(encoding="utf-8"))
        return frozenset(manifest["stand_ins"])


def recipe() -> str:
    """Everything the cached build depends on; a cache with another recipe is rebuilt."""
    return json.dumps(
        {
            "revision": RECIPE_REVISION,
            "stlite": STLITE_VERSION,
            "pyodide": PYODIDE_VERSION,
            "loads": list(STLITE_LOADS),
            "system_requirement": STLITE_SYSTEM_REQUIREMENT,
            "pypi_additions": dict(PYPI_ADDITIONS),
        },
        sort_keys=True,
    )


def _distribution(root: Path) -> Distribution:
    return Distribution(root=root, stlite_dir=root / "stlite", pyodide_dir=root / "pyodide")


def _is_complete(root: Path) -> bool:
    try:
        same_recipe = (root / MARKER_NAME).read_text(encoding="utf-8") == recipe()
    except OSError:
        return False
    key_files = ("stlite/stlite.js", "pyodide/pyodide.mjs", "pyodide/pyodide-lock.json")
    return same_recipe and all((root / name).is_file() for name in key_files)


def ensure_distribution(cache_dir: Path | None = None) -> Distribution:
    """Return the offline distribution in ``cache_dir``, building it first if needed.

    The build happens in a sibling temp folder that is renamed into place only after the
    ``COMPLETE`` marker is written, so an interrupted or failed build never looks complete and a
    concurrent builder (pytest-xdist) either wins the rename or finds a complete copy.
    Needs ``npm`` and ``pip`` access to their registries; raises :class:`OfflineDistError`.
    """
    root = Path(cache_dir if cache_dir is not None else DEFAULT_CACHE_DIR).absolute()
    if _is_complete(root):
        return _distribution(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(root)
    tmp = Path(tempfile.mkdtemp(prefix=f".{root.name}.partial-", dir=root.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the result is an ordinary cache folder
    try:
        _build(tmp)
        (tmp / MARKER_NAME).write_text(recipe(), encoding="utf-8")
        _move_into_place(tmp, root)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _distribution(root)


def _remove_abandoned_builds(root: Path, max_age: float = 3600.0) -> None:
    """Delete temp folders of builds that were killed (SIGKILL skips ``finally``)."""
    now = time.time()
    for pattern in (f".{root.name}.partial-*", f".{root.name}.stale-*"):
        for folder in root.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - folder.stat().st_mtime > max_age:
                    shutil.rmtree(folder, ignore_errors=True)


def _move_into_place(built: Path, root: Path) -> None:
    if root.exists() and not _is_complete(root):
        stale = Path(tempfile.mkdtemp(prefix=f".{root.name}.stale-", dir=root.parent))
        stale.rmdir()
        with contextlib.suppress(OSError):  # someone else moved it; the rename below decides
            root.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        built.rename(root)
    except OSError as exc:
        if not _is_complete(root):
            raise OfflineDistError(f"cannot move the finished build to {root}: {exc}") from exc


# --- building -------------------------------------------------------------------------------


def _build(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="offline-dist-dl-") as scratch_name:
        scratch = Path(scratch_name)
        stlite_tgz, pyodide_tgz = _npm_pack(
            [f"@stlite/browser@{STLITE_VERSION}", f"pyodide@{PYODIDE_VERSION}"], scratch
        )
        stlite_dir, pyodide_dir = out / "stlite", out / "pyodide"
        _extract(stlite_tgz, "package/build/", stlite_dir)
        _extract(pyodide_tgz, "package/", pyodide_dir)
        for required in (stlite_dir / "stlite.js", stlite_dir / "stlite.css"):
            if not required.is_file():
                raise OfflineDistError(f"@stlite/browser@{STLITE_VERSION} has no {required.name}")
        _check_worker_requests(stlite_dir)
        lock_path = pyodide_dir / "pyodide-lock.json"
        try:
            lock: dict[str, Any] = json.loads(lock_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OfflineDistError(f"pyodide@{PYODIDE_VERSION}: unreadable lock file") from exc
        manifest = _supply_packages(lock, _micropip_requirements(stlite_dir), pyodide_dir, scratch)
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    manifest |= {"stlite": STLITE_VERSION, "pyodide": PYODIDE_VERSION}
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> str:
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=900, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OfflineDistError(f"{what} failed to run: {exc}") from exc
    if proc.returncode != 0:
        lines = (proc.stderr + proc.stdout).strip().splitlines()
        errors = [line for line in lines if line.startswith(("ERROR", "npm ERR", "npm error"))]
        detail = "\n".join(errors or lines[-15:])
        raise OfflineDistError(f"{what} failed (exit {proc.returncode}):\n{detail}")
    return proc.stdout


def _npm_pack(specs: list[str], dest: Path) -> list[Path]:
    """``npm pack`` fetches a package's tarball through the npm registry and its cache."""
    npm = shutil.which("npm")
    if npm is None:
        raise OfflineDistError("npm is not on PATH; it is needed to fetch stlite and pyodide")
    out = _run([npm, "pack", *specs, "--json", "--pack-destination", str(dest)], "npm pack", dest)
    try:
        packed = json.loads(out)
        paths = [dest / entry["filename"] for entry in packed]
    except (ValueError, KeyError, TypeError) as exc:
        raise OfflineDistError(f"npm pack printed no usable JSON: {out[:500]!r}") from exc
    if len(paths) != len(specs) or not all(p.is_file() for p in paths):
        raise OfflineDistError(f"npm pack did not produce {specs}: {paths}")
    return paths


def _extract(tgz: Path, prefix: str, dest: Path) -> None:
    """Extract regular files under ``prefix``, minus source maps (70 MB nobody serves)."""
    count = 0
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            rel = PurePosixPath(member.name[len(prefix) :])
            if rel.suffix == ".map":
                continue
            if rel.is_absolute() or ".." in rel.parts or not rel.parts:
                raise OfflineDistError(f"{tgz.name}: unsafe member {member.name!r}")
            source = tar.extractfile(member)
            if source is None:
                continue
            target = dest.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            count += 1
    if count == 0:
        raise OfflineDistError(f"{tgz.name} has no files under {prefix!r}")


def _check_worker_requests(stlite_dir: Path) -> None:
    """Fail loudly if stlite's worker no longer asks for what this recipe supplies.

    The worker is inlined as a base64 ``data:text/javascript`` URL in a chunk, so a plain grep
    of the build does not find its requests.
    """
    texts: list[str] = []
    for chunk in stlite_dir.glob("*.js"):
        text = chunk.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        for blob in re.findall(r"data:text/javascript;base64,([A-Za-z0-9+/=]+)", text):
            texts.append(base64.b64decode(blob).decode("utf-8", errors="replace"))
    code = "\n".join(texts)
    needles = (f'"{STLITE_SYSTEM_REQUIREMENT}"', 'loadPackage("micropip")', '"jedi"')
    missing = [needle for needle in needles if needle not in code]
    if missing:
        raise OfflineDistError(
            f"@stlite/browser@{STLITE_VERSION}'s worker no longer contains {missing}; "
            "update STLITE_LOADS / STLITE_SYSTEM_REQUIREMENT / PYPI_ADDITIONS"
        )


def _micropip_requirements(stlite_dir: Path) -> list[Requirement]:
    """The requirements micropip resolves: the worker's own plus the bundled wheels' deps."""
    reqs = [Requirement(STLITE_SYSTEM_REQUIREMENT)]
    for stem in ("streamlit", "stlite_lib"):
        wheels = sorted((stlite_dir / "wheels").glob(f"{stem}-*.whl"))
        if len(wheels) != 1:
            raise OfflineDistError(f"expected one {stem} wheel in stlite's build, got {wheels}")
        reqs += _wheel_requirements(wheels[0])
    return reqs


def _wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        if len(names) != 1:
            raise OfflineDistError(f"{wheel.name}: no single dist-info/METADATA")
        metadata = email.parser.BytesParser().parsebytes(zf.read(names[0]))
    reqs = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(dict(PYODIDE_MARKER_ENV))]


def _closure(packages: Mapping[str, Any], roots: Iterable[str]) -> set[str]:
    """Canonical names reachable over ``depends`` (which mixes ``_`` and ``-`` spellings)."""
    seen: set[str] = set()
    todo = [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise OfflineDistError(f"{name!r} is needed but not in pyodide-lock.json")
        seen.add(name)
        todo += [canonicalize_name(d) for d in packages[name]["depends"]]
    return seen


def _supply_packages(
    lock: dict[str, Any], requirements: list[Requirement], pyodide_dir: Path, scratch: Path
) -> dict[str, Any]:
    """Put a file behind every lock entry stlite can reach, and rewrite those entries."""
    packages: dict[str, Any] = lock["packages"]
    if "ssl" in packages:
        packages["ssl"]["depends"] = []  # the stand-in needs no libopenssl
    for name, version in PYPI_ADDITIONS.items():  # depends filled in after the download
        packages[name] = {"name": name, "version": version, "depends": []}
    versions = {name: entry["version"] for name, entry in packages.items()}
    unsatisfied = [
        str(r)
        for r in requirements
        if (have := versions.get(canonicalize_name(r.name))) is None
        or not r.specifier.contains(have, prereleases=True)
    ]
    if unsatisfied:
        raise OfflineDistError(
            f"no lock entry satisfies {unsatisfied}, so micropip would fetch them from PyPI; "
            "pin them in PYPI_ADDITIONS"
        )
    needed = _closure(packages, [*STLITE_LOADS, *(r.name for r in requirements)])

    pure = {n for n in needed if packages[n].get("file_name", "").endswith("-none-any.whl")}
    pure |= set(PYPI_ADDITIONS)
    stand_ins = sorted(needed - pure - {"ssl"})
    for name in stand_ins:
        entry = packages[name]
        if entry["package_type"] != "package" or not entry["file_name"].endswith(".whl"):
            raise OfflineDistError(f"no way to supply {name} ({entry['file_name']})")
        write_wheel(pyodide_dir / entry["file_name"], entry["name"], entry["version"], {})
        entry["sha256"] = _sha256(pyodide_dir / entry["file_name"])
    if "ssl" in needed:
        entry = packages["ssl"]
        write_wheel(pyodide_dir / entry["file_name"], "ssl", entry["version"], SSL_FILES)
        entry["sha256"] = _sha256(pyodide_dir / entry["file_name"])

    downloaded = _pip_download({n: packages[n]["version"] for n in pure}, scratch / "wheels")
    for name, wheel in sorted(downloaded.items()):
        shutil.copyfile(wheel, pyodide_dir / wheel.name)
        entry = packages[name]
        entry.update(file_name=wheel.name, sha256=_sha256(wheel))
        if name in PYPI_ADDITIONS:
            entry.update(_added_entry_fields(wheel, needed))
    return {
        "pure_wheels": {n: downloaded[n].name for n in sorted(pure - set(PYPI_ADDITIONS))},
        "added_or_replaced": {n: downloaded[n].name for n in sorted(PYPI_ADDITIONS)},
        "stand_ins": stand_ins,
        "ssl_stand_in": "ssl" in needed,
    }


def _added_entry_fields(wheel: Path, supplied: set[str]) -> dict[str, Any]:
    """Lock fields for a wheel the lock did not have (``imports`` drives module auto-load)."""
    name, _, _, _ = parse_wheel_filename(wheel.name)
    depends = sorted({canonicalize_name(r.name) for r in _wheel_requirements(wheel)})
    if not set(depends) <= supplied:
        raise OfflineDistError(f"{wheel.name} needs {sorted(set(depends) - supplied)} too")
    with zipfile.ZipFile(wheel) as zf:
        tops = {PurePosixPath(n).parts[0] for n in zf.namelist()}
    imports = sorted(
        top.removesuffix(".py")
        for top in tops
        if not top.endswith((".dist-info", ".data")) and (top.endswith(".py") or "." not in top)
    )
    return {
        "name": str(name),
        "depends": depends,
        "imports": imports,
        "install_dir": "site",
        "package_type": "package",
        "unvendored_tests": False,
    }


def _pip_download(pins: Mapping[str, str], dest: Path) -> dict[str, Path]:
    """One ``pip download`` of exact pure wheels, for Pyodide's Python, whatever runs this.

    ``--platform any --implementation py --abi none`` makes pip refuse anything compiled
    (protobuf also ships manylinux wheels that would otherwise win).
    """
    dest.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}=={version}" for name, version in sorted(pins.items())]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    cmd += ["--python-version", PYODIDE_PYTHON, "--platform", "any", "--implementation", "py"]
    cmd += ["--abi", "none", "--disable-pip-version-check", "--no-input", "-d", str(dest)]
    _run(cmd + specs, f"pip download of {len(specs)} pure wheels")
    found: dict[str, Path] = {}
    for wheel in dest.glob("*.whl"):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        if name in pins and version == Version(pins[name]):
            found[str(name)] = wheel
    missing = sorted(set(pins) - set(found))
    if missing:
        raise OfflineDistError(f"pip download did not produce wheels for {missing}")
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_wheel(path: Path, name: str, version: str, files: Mapping[str, str]) -> None:
    """A byte-reproducible wheel: ``files`` plus METADATA, WHEEL and RECORD.

    Pyodide unpacks it into site-packages and only checks that the ``.dist-info`` folder name
    starts with the file name's project name, so the lock's (wasm32-tagged) file name is kept.
    """
    dist_info = f"{re.sub(r'[-_.]+', '_', name)}-{version}.dist-info"
    content = dict(files)
    content[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        "Summary: Offline stand-in built by stlite-docs tests (no real code)\n"
    )
    content[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: stlite-docs offline_dist\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [
        f"{arc},sha256={_record_hash(text)},{len(text.encode())}" for arc, text in content.items()
    ]
    content[f"{dist_info}/RECORD"] = "\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, text in content.items():
            info = zipfile.ZipInfo(arcname, date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    path.write_bytes(buffer.getvalue())


def _record_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


SSL_STAND_IN = '''\
"""Name-only stand-in for ``ssl`` in the stlite-docs offline test distribution.

Pyodide unvendors ssl and its real wheel needs libopenssl, which only the CDN has. anyio and
starlette import ssl for its names (annotations, isinstance checks, default arguments); nothing
in a browser app makes TLS connections, so creating a connection here raises SSLError.
"""

import enum as _enum


class SSLError(OSError):
    pass


class SSLZeroReturnError(SSLError):
    pass


class SSLWantReadError(SSLError):
    pass


class SSLWantWriteError(SSLError):
    pass


class SSLSyscallError(SSLError):
    pass


class SSLEOFError(SSLError):
    pass


class SSLCertVerificationError(SSLError, ValueError):
    pass


CertificateError = SSLCertVerificationError
socket_error = OSError


class Purpose(_enum.Enum):
    SERVER_AUTH = "1.3.6.1.5.5.7.3.1"
    CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"


class TLSVersion(_enum.IntEnum):
    MINIMUM_SUPPORTED = -2
    MAXIMUM_SUPPORTED = -1
    SSLv3 = 0x0300
    TLSv1 = 0x0301
    TLSv1_1 = 0x0302
    TLSv1_2 = 0x0303
    TLSv1_3 = 0x0304


class Options(_enum.IntFlag):
    OP_ALL = 0x80000050
    OP_NO_SSLv2 = 0
    OP_NO_SSLv3 = 0x02000000
    OP_NO_TLSv1 = 0x04000000
    OP_NO_TLSv1_1 = 0x10000000
    OP_NO_TLSv1_2 = 0x08000000
    OP_NO_TLSv1_3 = 0x20000000
    OP_NO_COMPRESSION = 0x00020000
    OP_NO_TICKET = 0x00004000
    OP_CIPHER_SERVER_PREFERENCE = 0x00400000
    OP_SINGLE_DH_USE = 0
    OP_SINGLE_ECDH_USE = 0
    OP_NO_RENEGOTIATION = 0x40000000
    OP_ENABLE_MIDDLEBOX_COMPAT = 0x00100000
    OP_IGNORE_UNEXPECTED_EOF = 0x00000080


class VerifyMode(_enum.IntEnum):
    CERT_NONE = 0
    CERT_OPTIONAL = 1
    CERT_REQUIRED = 2


class VerifyFlags(_enum.IntFlag):
    VERIFY_DEFAULT = 0
    VERIFY_CRL_CHECK_LEAF = 0x4
    VERIFY_CRL_CHECK_CHAIN = 0xC
    VERIFY_X509_STRICT = 0x20
    VERIFY_X509_PARTIAL_CHAIN = 0x80000
    VERIFY_ALLOW_PROXY_CERTS = 0x40
    VERIFY_X509_TRUSTED_FIRST = 0x8000


class _SSLMethod(_enum.IntEnum):
    PROTOCOL_TLS = 2
    PROTOCOL_SSLv23 = 2
    PROTOCOL_TLS_CLIENT = 16
    PROTOCOL_TLS_SERVER = 17


globals().update(Options.__members__)
globals().update(VerifyMode.__members__)
globals().update(VerifyFlags.__members__)
globals().update(_SSLMethod.__members__)

HAS_ALPN = False
HAS_SNI = False
HAS_ECDH = False
HAS_NPN = False
HAS_NEVER_CHECK_COMMON_NAME = False
HAS_TLSv1_3 = False
CHANNEL_BINDING_TYPES = []
OPENSSL_VERSION = "stand-in without OpenSSL"
OPENSSL_VERSION_INFO = (0, 0, 0, 0, 0)
OPENSSL_VERSION_NUMBER = 0


def _no_tls(*args, **kwargs):
    raise SSLError("TLS is not available (offline stand-in for the ssl module)")


class MemoryBIO:
    def __init__(self):
        self._buffer = bytearray()
        self.eof = False

    @property
    def pending(self):
        return len(self._buffer)

    def read(self, size=-1):
        size = len(self._buffer) if size is None or size < 0 else size
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def write(self, data):
        self._buffer += data
        return len(data)

    def write_eof(self):
        self.eof = True


class SSLSession:
    pass


class SSLObject:
    def __init__(self, *args, **kwargs):
        raise TypeError("SSLObject does not have a public constructor.")


class SSLSocket:
    def __init__(self, *args, **kwargs):
        raise TypeError("SSLSocket does not have a public constructor.")


class SSLContext:
    sslobject_class = SSLObject
    sslsocket_class = SSLSocket

    def __init__(self, protocol=_SSLMethod.PROTOCOL_TLS, *args, **kwargs):
        self.protocol = protocol
        self.check_hostname = protocol == _SSLMethod.PROTOCOL_TLS_CLIENT
        self.verify_mode = VerifyMode(2 if self.check_hostname else 0)
        self.verify_flags = VerifyFlags.VERIFY_DEFAULT
        self.options = Options.OP_ALL
        self.minimum_version = TLSVersion.MINIMUM_SUPPORTED
        self.maximum_version = TLSVersion.MAXIMUM_SUPPORTED
        self.post_handshake_auth = False
        self.keylog_filename = None

    def _ignore(self, *args, **kwargs):
        return None

    load_default_certs = load_verify_locations = load_cert_chain = _ignore
    set_default_verify_paths = set_ciphers = set_alpn_protocols = _ignore
    set_npn_protocols = set_ecdh_curve = set_servername_callback = _ignore
    wrap_socket = wrap_bio = staticmethod(_no_tls)

    def get_ca_certs(self, binary_form=False):
        return []

    def get_ciphers(self):
        return []

    def cert_store_stats(self):
        return {"crl": 0, "x509_ca": 0, "x509": 0}


def create_default_context(purpose=Purpose.SERVER_AUTH, *, cafile=None, capath=None, cadata=None):
    if purpose == Purpose.SERVER_AUTH:
        return SSLContext(_SSLMethod.PROTOCOL_TLS_CLIENT)
    return SSLContext(_SSLMethod.PROTOCOL_TLS_SERVER)


_create_default_https_context = create_default_context
_create_unverified_context = create_default_context
wrap_socket = _no_tls


def __getattr__(name):
    # Any other CONSTANT_NAME (ALERT_DESCRIPTION_*, HAS_*, OP_*...) reads as 0; never dunders,
    # or the import system would take this module for a package.
    head, sep, _ = name.partition("_")
    if sep and head.isupper():
        return 0
    raise AttributeError(f"module 'ssl' has no attribute {name!r} (offline stand-in)")
'''

SSL_FILES: Mapping[str, str] = {"ssl.py": SSL_STAND_IN}


# --- command line ---------------------------------------------------------------------------


def _tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """``python -m testbed.offline_dist [CACHE_DIR]``: build (or reuse) and print path and size."""
    args = sys.argv[1:] if argv is None else argv
    try:
        dist = ensure_distribution(Path(args[0]) if args else None)
    except OfflineDistError as exc:
        print(f"offline distribution: {exc}", file=sys.stderr)
        return 1
    size = _tree_size(dist.root)
    print(f"{dist.root}\t{size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
