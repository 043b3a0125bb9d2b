"""Which package files a self-contained site ships, decided the way micropip decides at run time.

micropip (with stlite's default index) takes a requirement from ``pyodide-lock.json`` when the
lock's version satisfies it, and otherwise fetches a pure-Python wheel from PyPI. A site that
may not reach PyPI therefore needs, for every package its pages can load: the lock's file
(when the lock's version satisfies every requirement on it) or a pure wheel from the package
index, written into the site's lock as a new entry, so micropip finds it in the lock and
Pyodide loads it from the site with its sha256 checked. One version of each package serves
the whole site, so requirements on one name are met together or reported together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name

from ..errors import Problem, SourceError
from .sources import (
    Candidate,
    PackageIndex,
    WheelMetadata,
    python_ok,
    requirements_of,
    wheel_metadata,
)

RUNTIME = "stlite's runtime"


@dataclass(frozen=True)
class Root:
    """A requirement as the site states it: an app's, or the runtime's (``where=None``)."""

    req: Requirement
    where: str | None


@dataclass(frozen=True)
class _Constraint:
    req: Requirement
    where: str | None
    parent: NormalizedName | None  # the package that requires it; None for a root


@dataclass(frozen=True)
class _Failure:
    name: NormalizedName
    cons: list[_Constraint]
    spec: SpecifierSet
    entry: dict[str, Any] | None
    candidates: list[Candidate]  # every wheel the index offers
    pure: list[Candidate]  # the usable ones


@dataclass
class Choice:
    """One package of the site: its file and the lock entry that describes it."""

    name: NormalizedName
    version: str
    entry: dict[str, Any]
    origin: str  # "lock" or "index"
    candidate: Candidate | None = None
    blob: str | None = None  # sha256 of an index wheel already in the cache
    deps: list[Requirement] = field(default_factory=list)


def marker_env(lock_info: dict[str, Any]) -> dict[str, str]:
    """PEP 508 marker values of the Pyodide the lock describes."""
    python = str(lock_info.get("python") or "3.13.2")
    return {
        "implementation_name": "cpython",
        "implementation_version": python,
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": python,
        "python_version": ".".join(python.split(".")[:2]),
        "sys_platform": "emscripten",
        "extra": "",
    }


class Resolver:
    def __init__(
        self,
        packages: dict[str, Any],
        env: dict[str, str],
        index: Callable[[], PackageIndex],
        index_name: str,
        pyodide_name: str,
    ) -> None:
        self.packages = packages
        self.keys = {canonicalize_name(k): k for k in packages}
        self.env = env
        self._index_factory = index
        self._index: PackageIndex | None = None
        self.index_name = index_name
        self.pyodide_name = pyodide_name
        self.constraints: dict[NormalizedName, list[_Constraint]] = {}
        self.chosen: dict[NormalizedName, Choice] = {}
        # why a name failed, worded per location at the end
        self.failed: dict[NormalizedName, _Failure] = {}

    def index(self) -> PackageIndex:
        if self._index is None:
            self._index = self._index_factory()
        return self._index

    def lock_entry(self, name: NormalizedName) -> dict[str, Any] | None:
        key = self.keys.get(name)
        return None if key is None else dict(self.packages[key])

    # --- the fixpoint -----------------------------------------------------------------------

    def resolve(self, roots: Iterable[Root]) -> tuple[dict[NormalizedName, Choice], list[Problem]]:
        dirty: set[NormalizedName] = set()
        for root in roots:
            name = canonicalize_name(root.req.name)
            self.constraints.setdefault(name, []).append(_Constraint(root.req, root.where, None))
            dirty.add(name)
        for _ in range(10_000):  # each round settles one name; cycles settle too
            if not dirty:
                break
            name = min(dirty)
            dirty.discard(name)
            self._settle(name, dirty)
        else:  # pragma: no cover - a resolver bug, not a user error
            raise SourceError("package resolution did not settle")
        problems: list[Problem] = []
        for name, why in sorted(self.failed.items()):
            for where in self._roots_of(name):
                problems.append(Problem(where, self._why(why, where)))
        return self.chosen, list(dict.fromkeys(problems))

    def _settle(self, name: NormalizedName, dirty: set[NormalizedName]) -> None:
        cons = self.constraints.get(name, [])
        old = self.chosen.get(name)
        self.failed.pop(name, None)
        if not cons:
            if old is not None:
                del self.chosen[name]
                self._drop_children(name, dirty)
            return
        choice = self._choose(name, cons)
        if choice is None:
            if old is not None:
                del self.chosen[name]
                self._drop_children(name, dirty)
            return
        if old is not None and (old.origin, old.version) == (choice.origin, choice.version):
            return
        self.chosen[name] = choice
        self._drop_children(name, dirty)
        for dep in choice.deps:
            dep_name = canonicalize_name(dep.name)
            self.constraints.setdefault(dep_name, []).append(_Constraint(dep, None, name))
            dirty.add(dep_name)

    def _drop_children(self, parent: NormalizedName, dirty: set[NormalizedName]) -> None:
        for name, cons in self.constraints.items():
            kept = [c for c in cons if c.parent != parent]
            if len(kept) != len(cons):
                self.constraints[name] = kept
                dirty.add(name)

    def _roots_of(self, name: NormalizedName) -> list[str | None]:
        """Where the requirements that led to ``name`` were written."""
        found: list[str | None] = []
        seen: set[NormalizedName] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for con in self.constraints.get(current, []):
                if con.parent is None:
                    found.append(con.where)
                else:
                    todo.append(con.parent)
        located: list[str | None] = [w for w in dict.fromkeys(found) if w is not None]
        return located or [None]

    # --- one name ---------------------------------------------------------------------------

    def _choose(self, name: NormalizedName, cons: list[_Constraint]) -> Choice | None:
        spec = SpecifierSet()
        for con in cons:
            spec &= con.req.specifier
        extras = frozenset(e for con in cons for e in con.req.extras)
        entry = self.lock_entry(name)
        if entry is not None and spec.contains(str(entry["version"]), prereleases=True):
            deps = [Requirement(canonicalize_name(d)) for d in entry.get("depends", [])]
            return Choice(name, str(entry["version"]), entry, "lock", deps=deps)
        candidates = self.index().candidates(name)
        pure = [c for c in candidates if c.pure and not c.yanked]
        python = self.env["python_full_version"]
        matching = sorted(
            (c for c in pure if spec.contains(c.version) and python_ok(c.requires_python, python)),
            key=lambda c: (c.version, c.filename),
            reverse=True,
        )
        for cand in matching:
            blob = self.index().fetch(cand)
            metadata = wheel_metadata(self.index().cache.blob(blob), cand.filename)
            if not python_ok(metadata.requires_python, python):
                continue
            deps = requirements_of(metadata, self.env, extras)
            return Choice(
                name,
                str(cand.version),
                _index_entry(cand, blob, metadata, deps),
                "index",
                candidate=cand,
                blob=blob,
                deps=deps,
            )
        self.failed[name] = _Failure(name, cons, spec, entry, candidates, pure)
        return None

    def _why(self, failure: _Failure, here: str | None) -> str:
        name, cons, spec, entry = failure.name, failure.cons, failure.spec, failure.entry
        candidates, pure = failure.candidates, failure.pure
        asked = _describe(cons, here)
        if entry is None and not pure:
            if candidates:
                example = sorted(c.filename for c in candidates)[-1]
                return (
                    f"{asked}: {name} is not in {self.pyodide_name}, and {self.index_name} has "
                    f"only platform-specific wheels of it (e.g. {example}), no pure-Python "
                    "wheel; a self-contained site can ship Pyodide's packages and pure-Python "
                    "wheels"
                )
            return (
                f"{asked}: {name} is not in {self.pyodide_name}, and {self.index_name} has no "
                "pure-Python wheel of it"
            )
        versions = sorted({c.version for c in pure})
        have = [f"{self.pyodide_name} has {name} {entry['version']}"] if entry else []
        if versions:
            shown = ", ".join(str(v) for v in versions[-6:])
            have.append(f"pure-Python wheels in {self.index_name}: {shown}")
        else:
            have.append(f"{self.index_name} has no pure-Python wheel of {name}")
        message = f"{asked}: no version of {name} satisfies {spec or 'it'} ({'; '.join(have)})"
        alone = [c for c in cons if _satisfiable(c.req.specifier, entry, pure)]
        if len(cons) > 1 and len(alone) == len(cons):
            message += (
                "; each requirement alone can be met, but a self-contained site holds one "
                "version of each package"
            )
        return message


def _satisfiable(spec: SpecifierSet, entry: dict[str, Any] | None, pure: list[Candidate]) -> bool:
    if entry is not None and spec.contains(str(entry["version"]), prereleases=True):
        return True
    return any(spec.contains(c.version) for c in pure)


def _describe(cons: list[_Constraint], here: str | None) -> str:
    parts = []
    for con in cons:
        text = str(con.req)
        if con.parent is None and con.where is not None and con.where == here:
            parts.append(text)
        elif con.parent is not None:
            parts.append(f"{text} (required by {con.parent})")
        elif con.where is None:
            parts.append(f"{text} (required by {RUNTIME})")
        else:
            parts.append(f"{text} (at {con.where})")
    return "requirement " + ", ".join(dict.fromkeys(parts))


def _index_entry(
    cand: Candidate, blob: str, metadata: WheelMetadata, deps: list[Requirement]
) -> dict[str, Any]:
    """A lock entry for a wheel the lock does not have (``imports`` drives auto-loading)."""
    return {
        "name": str(cand.name),
        "version": str(cand.version),
        "file_name": cand.filename,
        "install_dir": "site",
        "sha256": blob,
        "package_type": "package",
        "imports": list(metadata.top_level),
        "depends": sorted({canonicalize_name(d.name) for d in deps}),
        "unvendored_tests": False,
    }
