"""Self-contained sites: stlite, Pyodide and the apps' packages vendored into the build.

One call, from either front end, once every app's requirements are known::

    report = vendor(needs, dest=<site>/<static>/stlite-docs, settings=<the site's Settings>)

``dest`` then holds ``stlite/`` (the ``@stlite/browser`` build, no source maps) and
``pyodide/`` (the Pyodide core, a ``pyodide-lock.json`` listing only what the site ships, and
the package files: the closure over ``depends`` of what stlite's runtime loads plus every
app's requirements and the Pyodide packages its code imports). Pure-Python requirements the
lock lacks (or has at a version that does not satisfy them) come from the package index and
get lock entries of their own, so micropip takes them from the site, as it takes any lock
package, and Pyodide checks their sha256. Pages point the loader at the vendored files with
relative URLs (:func:`vendored_settings`), so the site works from any sub-path.

Guarantees: every file is verified against its publisher's hash before it is served; files
are written under a temporary name and renamed, and only after everything the site needs has
been fetched and verified, so a failed build leaves the previous output as it was; the lock
file is written after the packages it lists; a rebuild whose needs did not change fetches,
links and copies nothing (a manifest records each written file's hash, size and mtime).
A requirement the site cannot ship is a :class:`~stlite_docs.errors.Problem` at the app's
location.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..app import AppSpec
from ..errors import Problem, SourceError, VendorError
from ..settings import PYODIDE_VERSION, STLITE_VERSION, Settings, is_url
from .cache import PARTIAL, Cache, Log, default_cache_dir, link_or_copy, mib, write_atomic
from .resolve import Choice, Resolver, Root, marker_env
from .sources import (
    LOCK_FILE,
    PYODIDE_CORE,
    PackageIndex,
    PyodideSource,
    stlite_build,
    stlite_runtime_requirements,
)

__all__ = ["AppNeeds", "Report", "app_needs", "vendor", "vendored_settings"]

#: What stlite's worker does besides loading the bundled wheels: ``loadPackage("micropip")``
#: and ``micropip.install([STLITE_SYSTEM_REQUIREMENT, <streamlit wheel>, <stlite_lib wheel>])``
#: (checked against @stlite/browser 1.9.2; jedi only with ``languageServer``, which is off).
STLITE_LOADS = ("micropip",)
STLITE_SYSTEM_REQUIREMENT = "protobuf>=7.34.1,<8"

STLITE_DIR = "stlite"
PYODIDE_DIR = "pyodide"
MANIFEST = ".stlite-docs-vendor.json"
_WHEEL_PATH_RE = re.compile(r"^(?:\./|\.\./|/)\S+\.whl$")


def _print(message: str) -> None:
    print(message, file=sys.stderr)


def vendored_settings(prefix: str = "", base: Settings | None = None) -> Settings:
    """``base`` (the site's settings) with the URLs of the vendored files; ``prefix`` is the
    vendor folder relative to the loader script (which resolves relative URLs against its
    own URL)."""
    return dataclasses.replace(
        base or Settings(),
        js_url=f"{prefix}{STLITE_DIR}/stlite.js",
        css_url=f"{prefix}{STLITE_DIR}/stlite.css",
        pyodide_url=f"{prefix}{PYODIDE_DIR}/pyodide.mjs",
    )


@dataclass(frozen=True)
class AppNeeds:
    """What one app asks of the site: its requirements and the modules its code imports
    (Pyodide packages are auto-loaded on import, so they must be shipped too)."""

    where: str
    requirements: tuple[str, ...]
    imports: tuple[str, ...] = ()


def app_needs(spec: AppSpec, where: str) -> AppNeeds:
    """The needs of a validated app; ``where`` is its location as the front end prints it."""
    own = {PurePosixPath(path).parts[0].removesuffix(".py") for path, _ in spec.files}
    imports: set[str] = set()
    for path, content in spec.run_files():  # what setup code imports is needed too
        if not path.endswith(".py") or not isinstance(content, str):
            continue
        try:
            tree = ast.parse(content)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imports.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imports.add(node.module.split(".")[0])
    return AppNeeds(where, spec.requirements, tuple(sorted(imports - own)))


@dataclass
class Report:
    """What a self-contained build put into the site, and what this build had to do."""

    dest: Path
    files: int = 0
    total_bytes: int = 0
    parts: dict[str, int] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)  # name==version, from the lock
    index_packages: list[str] = field(default_factory=list)  # name==version, from the index
    downloaded_files: int = 0
    downloaded_bytes: int = 0
    linked: int = 0
    copied: int = 0
    written: int = 0  # generated files (the lock) rewritten
    removed: int = 0
    corrupt: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests this build made (metadata included)

    def summary(self) -> str:
        packages = len(self.packages) + len(self.index_packages)
        count = len(self.index_packages)
        from_index = (
            f", {count} of them {'a pure wheel' if count == 1 else 'pure wheels'} from the "
            "package index"
            if count
            else ""
        )
        return (
            f"self-contained site: {mib(self.total_bytes)} vendored in "
            f"{self.files} files (stlite {mib(self.parts.get('stlite', 0))}, Pyodide core "
            f"{mib(self.parts.get('pyodide', 0))}, {packages} packages "
            f"{mib(self.parts.get('packages', 0))}{from_index}); this build downloaded "
            f"{self.downloaded_files} files ({mib(self.downloaded_bytes)}), linked "
            f"{self.linked}, copied {self.copied}, rewrote {self.written}, removed {self.removed}"
        )


@dataclass
class _Plan:
    files: dict[str, str]  # site path (relative to dest) -> blob sha256
    generated: dict[str, bytes]
    parts: dict[str, int]
    packages: list[str]
    index_packages: list[str]


def vendor(
    needs: Iterable[AppNeeds],
    dest: Path,
    settings: Settings | None = None,
    *,
    log: Log = _print,
) -> Report:
    """Make ``dest`` hold everything the apps need, fetched from the sources ``settings``
    names (``browser_source``, ``pyodide_source``, ``package_index``, ``cache_dir``); raise
    :class:`~stlite_docs.errors.VendorError` otherwise (before anything in ``dest`` changed)."""
    sources = settings or Settings()
    needs = list(needs)
    cache_root = Path(sources.cache_dir) if sources.cache_dir else default_cache_dir()
    try:
        cache = Cache(cache_root, log)
    except OSError as exc:
        problem = Problem(None, f"cannot use the cache folder {cache_root}: {exc}")
        raise VendorError([problem]) from None
    report = Report(dest=dest)
    try:
        for attempt in (1, 2):
            plan = _plan(needs, sources, cache, log)
            todo = _outdated(dest, plan)
            bad = [r for r in todo if r in plan.files and not cache.blob_ok(plan.files[r], r)]
            if not bad:
                break
            if attempt == 2:
                raise SourceError(f"cache entries stay corrupt after fetching them again: {bad}")
        _write(dest, plan, todo, cache, report)
    except SourceError as exc:
        raise VendorError([Problem(None, str(exc))]) from None
    except OSError as exc:
        problem = Problem(None, f"cannot write the vendored files into {dest}: {exc}")
        raise VendorError([problem]) from None
    report.files = len(plan.files) + len(plan.generated)
    report.parts = plan.parts
    report.total_bytes = sum(plan.parts.values())
    report.packages, report.index_packages = plan.packages, plan.index_packages
    report.downloaded_files = cache.stats.downloaded_files
    report.downloaded_bytes = cache.stats.downloaded_bytes
    report.corrupt = list(cache.stats.corrupt)
    report.requests = cache.stats.requests
    return report


# --- planning: what the site needs, fetched and verified into the cache --------------------


def _plan(needs: list[AppNeeds], sources: Settings, cache: Cache, log: Log) -> _Plan:
    build = stlite_build(cache, sources.browser_source, STLITE_VERSION)
    for rel in ("stlite.js", "stlite.css"):
        if rel not in build:
            raise SourceError(f"the stlite build has no {rel}")
    wheels = [p for p in build if p.startswith("wheels/") and p.endswith(".whl")]
    if not all([cache.blob_ok(build[rel], f"stlite {rel}") for rel in wheels]):  # noqa: C419
        build = stlite_build(cache, sources.browser_source, STLITE_VERSION)  # read below: intact
    pyodide = PyodideSource(cache, sources.pyodide_source)
    core = {name: pyodide.core_file(name) for name in PYODIDE_CORE}
    if not cache.blob_ok(pyodide.core_file(LOCK_FILE), LOCK_FILE):
        pyodide.core_file(LOCK_FILE)  # fetched again: the lock is read below
    lock = pyodide.lock()
    env = marker_env(dict(lock.get("info") or {}))

    problems: list[Problem] = []
    wheel = next((p for p in build if p.startswith("wheels/streamlit-")), "")
    tag = re.search(r"-cp(\d)(\d+)-", wheel)
    if tag and f"{tag[1]}.{tag[2]}" != env["python_version"]:
        raise SourceError(
            f"stlite's {wheel.removeprefix('wheels/')} is for Python {tag[1]}.{tag[2]}, but the "
            f"Pyodide source has Python {env['python_version']}: use Pyodide {PYODIDE_VERSION}"
        )
    roots = _runtime_roots(cache, build, env)
    roots += _app_roots(needs, lock, env, problems)
    packages: dict[str, Any] = lock["packages"]
    resolver = Resolver(
        packages,
        env,
        lambda: PackageIndex(cache, sources.package_index, env["python_full_version"]),
        index_name=_shown(sources.package_index),
        pyodide_name=f"Pyodide {PYODIDE_VERSION}",
    )
    chosen, unmet = resolver.resolve(roots)
    problems += unmet
    if problems:
        raise VendorError(problems)

    files = {f"{STLITE_DIR}/{rel}": sha for rel, sha in sorted(build.items())}
    files.update({f"{PYODIDE_DIR}/{name}": sha for name, sha in core.items()})
    entries, package_files = _fetch_packages(chosen, pyodide, resolver, log)
    files.update(package_files)
    new_lock = {**lock, "packages": dict(sorted(entries.items()))}
    lock_bytes = json.dumps(new_lock, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def size(shas: Iterable[str]) -> int:
        return sum(cache.blob(s).stat().st_size for s in shas)

    parts = {
        "stlite": size(build.values()),
        "pyodide": size(core.values()) + len(lock_bytes),
        "packages": size(package_files.values()),
    }
    return _Plan(
        files=files,
        generated={f"{PYODIDE_DIR}/{LOCK_FILE}": lock_bytes},
        parts=parts,
        packages=sorted(f"{c.name}=={c.version}" for c in chosen.values() if c.origin == "lock"),
        index_packages=sorted(
            f"{c.name}=={c.version}" for c in chosen.values() if c.origin == "index"
        ),
    )


def _shown(source: str) -> str:
    return f"the package index {source}" if is_url(source) else f"the wheel folder {source}"


def _runtime_roots(cache: Cache, build: dict[str, str], env: dict[str, str]) -> list[Root]:
    from packaging.requirements import Requirement

    reqs = [Requirement(name) for name in STLITE_LOADS]
    reqs.append(Requirement(STLITE_SYSTEM_REQUIREMENT))
    reqs += stlite_runtime_requirements(cache, build, env)
    return [Root(req, None) for req in reqs]


def _app_roots(
    needs: list[AppNeeds], lock: dict[str, Any], env: dict[str, str], problems: list[Problem]
) -> list[Root]:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    by_import: dict[str, str] = {}
    for key, entry in sorted(lock["packages"].items()):
        for module in entry.get("imports") or ():
            by_import.setdefault(str(module), canonicalize_name(key))
    roots: list[Root] = []
    for need in needs:
        for text in need.requirements:
            if _WHEEL_PATH_RE.match(text):
                continue  # a wheel the site itself serves: nothing to vendor
            if is_url(text):
                problems.append(Problem(need.where, _url_message(text)))
                continue
            try:
                req = Requirement(text)
            except InvalidRequirement as exc:
                problems.append(Problem(need.where, f"requirement {text!r} is invalid: {exc}"))
                continue
            if req.url is not None:
                problems.append(Problem(need.where, _url_message(text)))
                continue
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            roots.append(Root(req, need.where))
        for module in need.imports:
            if module in by_import:
                roots.append(Root(Requirement(by_import[module]), need.where))
    return roots


def _url_message(text: str) -> str:
    return (
        f"requirement {text!r} is a URL, which a self-contained site cannot load at run time; "
        "name the package instead (its pure-Python wheel is fetched at build time), or serve "
        "the wheel from the site and give a relative URL"
    )


def _fetch_packages(
    chosen: dict[Any, Choice], pyodide: PyodideSource, resolver: Resolver, log: Log
) -> tuple[dict[str, Any], dict[str, str]]:
    """Every chosen package's file in the cache, verified; its lock entry for the site."""
    entries: dict[str, Any] = {}
    files: dict[str, str] = {}
    jobs: list[tuple[str, str, str, str]] = []  # site path, lock file_name, sha256, label
    for name, choice in sorted(chosen.items()):
        entry = dict(choice.entry)
        source_name = str(entry.get("file_name") or "")
        out_name = PurePosixPath(urlsplit(source_name).path).name
        if not out_name or out_name in (LOCK_FILE, *PYODIDE_CORE):
            raise SourceError(f"lock entry {name} has an unusable file_name {source_name!r}")
        entry["file_name"] = out_name
        entries[str(name)] = entry
        if choice.origin == "index":
            assert choice.blob is not None
            files[f"{PYODIDE_DIR}/{out_name}"] = choice.blob
            continue
        sha = entry.get("sha256")
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise SourceError(f"{LOCK_FILE}: package {name} has no sha256 to verify it with")
        label = f"{name} {entry.get('version')} ({out_name})"
        jobs.append((f"{PYODIDE_DIR}/{out_name}", source_name, sha, label))
    missing = [job for job in jobs if not pyodide.cache.has_blob(job[2])]
    if missing:
        log(f"stlite-docs: fetching {len(missing)} Pyodide package files")
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [
            (rel, pool.submit(pyodide.package_file, src, sha, label))
            for rel, src, sha, label in jobs
        ]
        for rel, future in futures:
            files[rel] = future.result()
    return entries, files


# --- writing: only what changed, each file atomically, the lock and manifest last ---------


def _manifest(dest: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): dict(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _current(path: Path, record: dict[str, Any] | None, sha256: str) -> bool:
    if not record or record.get("sha256") != sha256:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == record.get("size") and st.st_mtime_ns == record.get("mtime_ns")


def _outdated(dest: Path, plan: _Plan) -> list[str]:
    old = _manifest(dest)
    todo = [rel for rel, sha in plan.files.items() if not _current(dest / rel, old.get(rel), sha)]
    for rel, data in plan.generated.items():
        if not _current(dest / rel, old.get(rel), hashlib.sha256(data).hexdigest()):
            todo.append(rel)
    return todo


def _write(dest: Path, plan: _Plan, todo: list[str], cache: Cache, report: Report) -> None:
    old = _manifest(dest)
    if dest.is_dir():
        for leftover in dest.rglob(f"*{PARTIAL}"):  # from a build that was killed
            with contextlib.suppress(OSError):
                leftover.unlink()
    pending = set(todo)
    for rel, sha in plan.files.items():
        if rel in pending:
            how = link_or_copy(cache.blob(sha), dest / rel)
            report.linked += how == "linked"
            report.copied += how == "copied"
    for rel, data in plan.generated.items():  # the lock: after the files it lists
        if rel in pending:
            write_atomic(dest / rel, data)
            report.written += 1
    wanted = set(plan.files) | set(plan.generated)
    for rel in sorted(set(old) - wanted):
        path = dest / rel
        with contextlib.suppress(OSError):
            path.unlink()
            report.removed += 1
            parent = path.parent
            while parent != dest and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    records: dict[str, dict[str, Any]] = {}
    shas = {**plan.files, **{r: hashlib.sha256(d).hexdigest() for r, d in plan.generated.items()}}
    for rel, sha in sorted(shas.items()):
        st = (dest / rel).stat()
        records[rel] = {"sha256": sha, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    manifest = {
        "stlite": STLITE_VERSION,
        "pyodide": PYODIDE_VERSION,
        "packages": plan.packages,
        "index_packages": plan.index_packages,
        "files": records,
    }
    if records != old or not (dest / MANIFEST).is_file():
        write_atomic(dest / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
