"""Where a self-contained build gets stlite, Pyodide and wheels: public defaults or local copies.

Each source is either an http(s) URL (fetched through :class:`~.cache.Cache`, verified
by the hash its publisher gives) or a local path (a folder or tarball the site author trusts;
copied into the cache once, so rebuilds can hard-link instead of copying).

- stlite: an npm registry (``dist.tarball`` and ``dist.integrity`` of ``@stlite/browser``),
  a local ``npm pack`` tarball, or a local folder (the package, or its ``build/``).
- Pyodide: a distribution's base URL (the folder of ``pyodide.mjs``) or a local folder.
  Package files are checked against ``pyodide-lock.json``; the core files have no published
  hash, so they are checked against the hash recorded when they were first downloaded.
- Package index: a PEP 691 (JSON) / PEP 503 (HTML) simple index, or a local folder of wheels.
"""

from __future__ import annotations

import email.parser
import html.parser
import json
import re
import tarfile
import urllib.parse
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import Version

from ..errors import SourceError
from ..settings import is_url
from .cache import Cache

STLITE_PACKAGE = "@stlite/browser"
#: Published ``dist.integrity`` of pinned versions: a registry or mirror serving other bytes
#: under the same version is refused.
KNOWN_INTEGRITY = {
    "1.9.2": "sha512-VkIpNlHjOmImBvxTScRUOWXNVY3D+Vh4C83kBbiQk9pLDEl4n2kDJrlI1zmQmcmnq4EPz8"
    "gDNKW7tYk00ppEUQ==",
}
#: The Pyodide core a page loads: the module, the runtime, the stdlib and the lock file.
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_FILE = "pyodide-lock.json"
INDEX_TTL = 24 * 3600.0  # how long a package index listing is reused without asking again

_NPM_ACCEPT = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"
_SIMPLE_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.2, "
    "text/html; q=0.1"
)


# --- stlite ---------------------------------------------------------------------------------


def stlite_build(cache: Cache, source: str, version: str) -> dict[str, str]:
    """``relative path -> blob sha256`` of ``@stlite/browser``'s ``build/`` (no source maps)."""
    if is_url(source):
        tgz = _registry_tarball(cache, source, version)
        return _tarball_index(cache, tgz, f"{STLITE_PACKAGE}@{version} tarball")
    path = Path(source)
    if path.is_file():
        tgz = cache.import_local(path, f"stlite tarball {path.name}")
        return _tarball_index(cache, tgz, f"stlite tarball {path}")
    if path.is_dir():
        build = path / "build" if (path / "build" / "stlite.js").is_file() else path
        if not (build / "stlite.js").is_file():
            raise SourceError(f"stlite source {path} has no stlite.js (nor build/stlite.js)")
        files = {}
        for file in sorted(build.rglob("*")):
            if file.is_file() and file.suffix != ".map":
                rel = file.relative_to(build).as_posix()
                files[rel] = cache.import_local(file, f"stlite file {rel}")
        return files
    raise SourceError(f"stlite source {source!r} is neither an http(s) URL nor an existing path")


def _registry_tarball(cache: Cache, registry: str, version: str) -> str:
    """The verified tarball of ``@stlite/browser@version`` from an npm registry."""
    key = f"{registry}\0{version}"
    memo = cache.memo_get("npm", key)
    if memo and cache.blob_ok(str(memo["sha256"]), f"{STLITE_PACKAGE}@{version} tarball"):
        return str(memo["sha256"])
    url = registry.rstrip("/") + "/" + STLITE_PACKAGE.replace("/", "%2f")
    data, _, _ = cache.fetch_json(url, f"{STLITE_PACKAGE} metadata", _NPM_ACCEPT)
    try:
        dist = data["versions"][version]["dist"]
        tarball, integrity = str(dist["tarball"]), str(dist["integrity"])
    except (KeyError, TypeError):
        raise SourceError(
            f"{url} has no {STLITE_PACKAGE}@{version} with a dist.integrity"
        ) from None
    known = KNOWN_INTEGRITY.get(version)
    if known is not None and known != integrity:
        raise SourceError(
            f"{url} publishes {STLITE_PACKAGE}@{version} with integrity {integrity}, "
            f"not the pinned {known}"
        )
    if not is_url(tarball):
        raise SourceError(f"{url}: the tarball URL {tarball!r} is not http(s)")
    digest = cache.download(tarball, f"{STLITE_PACKAGE}@{version} tarball", integrity=integrity)
    cache.memo_put("npm", key, {"sha256": digest, "integrity": integrity})
    return digest


def _tarball_index(cache: Cache, tgz: str, what: str) -> dict[str, str]:
    """Unpack ``package/build/`` of a tarball blob into blobs (once per tarball)."""
    memo = cache.memo_get("tgz", tgz)
    if isinstance(memo, dict) and all(cache.has_blob(s) for s in memo.values()):
        return {str(k): str(v) for k, v in memo.items()}
    files: dict[str, str] = {}
    prefix = "package/build/"
    try:
        with tarfile.open(cache.blob(tgz), "r:gz") as tar:
            for member in tar:
                if not member.isfile() or not member.name.startswith(prefix):
                    continue
                rel = PurePosixPath(member.name[len(prefix) :])
                if rel.suffix == ".map":
                    continue
                if rel.is_absolute() or ".." in rel.parts or not rel.parts:
                    raise SourceError(f"{what}: unsafe member {member.name!r}")
                stream = tar.extractfile(member)
                if stream is not None:
                    with stream:
                        files[rel.as_posix()] = cache.put_stream(stream, f"{what}: {rel}")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise SourceError(f"{what} cannot be unpacked: {exc}") from None
    if "stlite.js" not in files:
        raise SourceError(f"{what} has no package/build/stlite.js")
    cache.memo_put("tgz", tgz, files)
    return files


def stlite_runtime_requirements(
    cache: Cache, build: dict[str, str], env: dict[str, str]
) -> list[Requirement]:
    """What micropip installs for the runtime: the Requires-Dist of the bundled streamlit and
    stlite_lib wheels (which stlite.js loads by URL from its own ``wheels/`` folder)."""
    reqs: list[Requirement] = []
    for stem in ("streamlit", "stlite_lib"):
        names = sorted(p for p in build if re.fullmatch(rf"wheels/{stem}-[^/]*\.whl", p))
        if len(names) != 1:
            raise SourceError(f"the stlite build has no single wheels/{stem}-*.whl ({names})")
        metadata = wheel_metadata(cache.blob(build[names[0]]), names[0])
        reqs += requirements_of(metadata, env, frozenset())
    return reqs


# --- wheels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WheelMetadata:
    requires_dist: tuple[str, ...]
    requires_python: str | None
    top_level: tuple[str, ...]


def wheel_metadata(path: Path, what: str) -> WheelMetadata:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            meta = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
            if len(meta) != 1:
                raise SourceError(f"{what}: no single .dist-info/METADATA")
            message = email.parser.BytesParser().parsebytes(zf.read(meta[0]))
    except (OSError, zipfile.BadZipFile) as exc:
        raise SourceError(f"{what} is not a readable wheel: {exc}") from None
    tops = {PurePosixPath(n).parts[0] for n in names if n and not n.startswith("/")}
    top_level = sorted(
        t.removesuffix(".py")
        for t in tops
        if not t.endswith((".dist-info", ".data"))
        and (t.endswith(".py") or "." not in t)
        and t.removesuffix(".py").isidentifier()
    )
    return WheelMetadata(
        requires_dist=tuple(message.get_all("Requires-Dist") or ()),
        requires_python=message.get("Requires-Python"),
        top_level=tuple(top_level),
    )


def requirements_of(
    metadata: WheelMetadata, env: dict[str, str], extras: frozenset[str]
) -> list[Requirement]:
    """The wheel's requirements that apply in Pyodide with the given extras."""
    result = []
    for line in metadata.requires_dist:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is not None and not any(
            req.marker.evaluate({**env, "extra": extra}) for extra in ("", *sorted(extras))
        ):
            continue
        result.append(req)
    return result


def python_ok(requires_python: str | None, python: str) -> bool:
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(python, prereleases=True)
    except InvalidSpecifier:
        return True


# --- Pyodide --------------------------------------------------------------------------------


class PyodideSource:
    """A Pyodide distribution: a base URL (the folder of ``pyodide.mjs``) or a local folder."""

    def __init__(self, cache: Cache, source: str) -> None:
        self.cache = cache
        self.remote = is_url(source)
        if self.remote:
            base = source if source.endswith("/") else source + "/"
            if source.endswith(".mjs"):
                base = source[: source.rfind("/") + 1]
            self.base = base
        else:
            path = Path(source)
            self.folder = path.parent if path.suffix == ".mjs" else path
            if not (self.folder / LOCK_FILE).is_file():
                raise SourceError(
                    f"Pyodide source {source!r} is not a folder with {LOCK_FILE} "
                    "(nor an http(s) URL of a Pyodide distribution)"
                )
            self.base = str(self.folder)

    def core_file(self, name: str) -> str:
        """A core file as a blob (no published hash: checked against the first download's)."""
        if not self.remote:
            return self.cache.import_local(self.folder / name, f"Pyodide {name}")
        return self.cache.url_blob(urllib.parse.urljoin(self.base, name), f"Pyodide {name}")

    def lock(self) -> dict[str, Any]:
        digest = self.core_file(LOCK_FILE)
        try:
            data = json.loads(self.cache.blob(digest).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SourceError(f"{LOCK_FILE} of {self.base} is unreadable: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("packages"), dict):
            raise SourceError(f"{LOCK_FILE} of {self.base} has no 'packages'")
        return data

    def package_file(self, file_name: str, sha256: str, what: str) -> str:
        """A package file of the lock, verified against the lock's sha256."""
        if self.cache.has_blob(sha256):
            return sha256
        if self.remote:
            return self.cache.download(
                urllib.parse.urljoin(self.base, file_name), what, sha256=sha256
            )
        path = self.folder / file_name
        if not path.is_file():
            raise SourceError(f"{what}: the Pyodide source {self.folder} has no {file_name}")
        return self.cache.import_local(path, what, sha256=sha256)


# --- package index --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One wheel file the index offers."""

    name: NormalizedName
    version: Version
    filename: str
    location: str  # URL, or local path
    sha256: str | None
    requires_python: str | None
    pure: bool
    yanked: bool = False


def pure_interpreters(python: str) -> frozenset[str]:
    major, minor = python.split(".")[:2]
    return frozenset(
        {f"py{major}", f"cp{major}{minor}", *(f"py{major}{m}" for m in range(int(minor) + 1))}
    )


def parse_candidate(
    filename: str,
    location: str,
    python: str,
    *,
    sha256: str | None = None,
    requires_python: str | None = None,
    yanked: bool = False,
) -> Candidate | None:
    if not filename.endswith(".whl"):
        return None
    try:
        name, version, _, tags = parse_wheel_filename(filename)
    except InvalidWheelFilename:
        return None
    interpreters = pure_interpreters(python)
    pure = any(
        t.platform == "any" and t.abi == "none" and t.interpreter in interpreters for t in tags
    )
    return Candidate(name, version, filename, location, sha256, requires_python, pure, yanked)


class _AnchorParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None], str]] = []
        self._attrs: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._attrs, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._attrs is not None:
            self.links.append(("".join(self._text).strip(), self._attrs, ""))
            self._attrs = None


class PackageIndex:
    """A simple index (PEP 691 JSON or PEP 503 HTML) or a local folder of wheels."""

    def __init__(self, cache: Cache, source: str, python: str) -> None:
        self.cache = cache
        self.source = source
        self.python = python
        self.remote = is_url(source)
        if not self.remote and not Path(source).is_dir():
            raise SourceError(
                f"package index {source!r} is neither an http(s) URL nor a folder of wheels"
            )

    def candidates(self, name: str) -> list[Candidate]:
        canonical = canonicalize_name(name)
        if not self.remote:
            found = [
                parse_candidate(p.name, str(p), self.python)
                for p in sorted(Path(self.source).iterdir())
            ]
            return [c for c in found if c is not None and c.name == canonical]
        key = f"{self.source}\0{canonical}"
        memo = self.cache.memo_get("index", key, max_age=INDEX_TTL)
        if memo is None:
            memo = self._listing(canonical)
            self.cache.memo_put("index", key, memo)
        result = []
        for item in memo:
            cand = parse_candidate(
                item["filename"],
                item["url"],
                self.python,
                sha256=item.get("sha256"),
                requires_python=item.get("requires_python"),
                yanked=bool(item.get("yanked")),
            )
            if cand is not None and cand.name == canonical:
                result.append(cand)
        return result

    def _listing(self, name: str) -> list[dict[str, Any]]:
        url = self.source.rstrip("/") + f"/{name}/"
        try:
            data, _, final = self.cache.fetch_json(url, f"the index page of {name}", _SIMPLE_ACCEPT)
        except SourceError as exc:
            if "HTTP 404" in str(exc):
                return []  # the index does not know the project
            raise
        files: list[dict[str, Any]] = []
        if isinstance(data, dict):
            for item in data.get("files", []):
                if not isinstance(item, dict) or "filename" not in item or "url" not in item:
                    continue
                yanked = item.get("yanked")
                files.append(
                    {
                        "filename": str(item["filename"]),
                        "url": urllib.parse.urljoin(final, str(item["url"])),
                        "sha256": (item.get("hashes") or {}).get("sha256"),
                        "requires_python": item.get("requires-python"),
                        "yanked": bool(yanked) if yanked is not None else False,
                    }
                )
            return files
        parser = _AnchorParser()
        parser.feed(str(data))
        for text, attrs, _ in parser.links:
            href = attrs.get("href") or ""
            link, _, fragment = href.partition("#")
            sha = fragment[len("sha256=") :] if fragment.startswith("sha256=") else None
            filename = urllib.parse.unquote(link.rsplit("/", 1)[-1]) or text
            files.append(
                {
                    "filename": filename,
                    "url": urllib.parse.urljoin(final, link),
                    "sha256": sha,
                    "requires_python": attrs.get("data-requires-python"),
                    "yanked": "data-yanked" in attrs,
                }
            )
        return files

    def fetch(self, cand: Candidate) -> str:
        """The wheel as a verified blob."""
        what = f"wheel {cand.filename}"
        if not self.remote:
            return self.cache.import_local(Path(cand.location), what)
        if cand.sha256 is None:
            raise SourceError(f"{what}: the index publishes no sha256, so it cannot be verified")
        if self.cache.blob_ok(cand.sha256, what):
            return cand.sha256
        if not is_url(cand.location):
            raise SourceError(f"{what}: its URL {cand.location!r} is not http(s)")
        return self.cache.download(cand.location, what, sha256=cand.sha256)
