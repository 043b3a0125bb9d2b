"""Build-time checks that turn run-time surprises into warnings with a line.

A syntax error would otherwise only show up in the reader's browser, after a
multi-second Pyodide boot; the author should see it at build time instead.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import AppWarning
from .options import is_bare_name, parse_requirement, requirement_name

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version


def check_syntax(source: str, filename: str, external_file: str | None) -> tuple[AppWarning, ...]:
    """Parse like CPython would. ``external_file`` names the file when the
    source did not come from the body, so the message points there."""
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        line = exc.lineno or 1
        where = f"{external_file}, line {line}" if external_file else f"app line {line}"
        return (
            AppWarning(
                message=f"Python syntax error in the app ({where}): {exc.msg}",
                subtype="syntax",
                body_line=None if external_file else line,
            ),
        )
    except ValueError as exc:  # e.g. NUL bytes on Python < 3.12
        return (AppWarning(message=f"the app's source cannot be parsed: {exc}", subtype="syntax"),)
    return ()


def _candidate_versions(specs: list[SpecifierSet]) -> list[Version]:
    """Versions worth trying against several specifier sets: every version they
    mention, just above and just below it, and the extremes."""
    from packaging.version import InvalidVersion, Version

    found = {Version("0"), Version("999999")}
    for spec_set in specs:
        for spec in spec_set:
            raw = spec.version.rstrip(".*")
            try:
                base = Version(raw)
            except InvalidVersion:
                continue
            release = list(base.release)
            found.add(base)
            found.add(Version(".".join(map(str, [*release, 0, 1]))))
            bumped = [*release[:-1], release[-1] + 1]
            found.add(Version(".".join(map(str, bumped))))
            if release[-1] > 0:
                lower = [*release[:-1], release[-1] - 1, 999]
                found.add(Version(".".join(map(str, lower))))
    return sorted(found)


def requirements_conflict(first: str, second: str) -> bool:
    """True when no version satisfies both requirements (same package)."""
    if is_bare_name(first) or is_bare_name(second):
        return False  # a bare name accepts every version
    a, b = parse_requirement(first), parse_requirement(second)
    if a.url or b.url or not a.specifier or not b.specifier:
        return False
    sets = [a.specifier, b.specifier]
    return not any(
        all(s.contains(v, prereleases=True) for s in sets) for v in _candidate_versions(sets)
    )


@dataclass(frozen=True)
class PageApp:
    """An app as a page-level check sees it; ``where`` names it in messages."""

    where: str
    requirements: tuple[str, ...]
    config: tuple[tuple[str, object], ...]


# What the loader passes to every app (stlite-docs.js uses the same values): part
# of each app's effective config. Streamlit's config module is one per runtime, so
# any key two apps of a page set differently is a conflict. (The loader also turns
# Streamlit's file watcher off for a runtime none of whose apps is an editor: one value
# per runtime, so never a conflict between its apps.)
LOADER_CONFIG: dict[str, object] = {
    "client.toolbarMode": "viewer",
    "server.runOnSave": True,
    "runner.postScriptGC": False,
}
# What happens to the later of two apps of a page that cannot share a runtime (the warm
# runtime in the site's worker file refuses it; loader/src/worker/warm.js).
SECOND_RUNTIME = "the later app starts a Python runtime of its own (a second download and boot)"
# The theme options the loader may also set from the page (the ``inherit`` setting) are
# not here: their values are only known in the browser, and an app's own value for
# ``theme.X``, ``theme.light.X`` or ``theme.dark.X`` replaces the inherited ``X``.
# check_page compares them per option instead.
THEME_SECTIONS = ("theme", "theme.light", "theme.dark")


def _theme_choice(config: dict[str, object], option: str) -> tuple[tuple[str, object], ...]:
    """An app's own values for a theme option in any section; () means "the site's"."""
    return tuple(
        (f"{section}.{option}", config[f"{section}.{option}"])
        for section in THEME_SECTIONS
        if f"{section}.{option}" in config
    )


def duplicate_ids(ids: list[str], wheres: list[str]) -> list[tuple[int, str]]:
    """Element ids must be unique on a page (the ``id`` option makes that the
    author's job); ``(index, message)`` for each repeat."""
    first: dict[str, int] = {}
    problems = []
    for index, elem_id in enumerate(ids):
        if elem_id in first:
            problems.append(
                (index, f"id {elem_id!r} is already used by the app at {wheres[first[elem_id]]}")
            )
        first.setdefault(elem_id, index)
    return problems


def check_page(apps: list[PageApp], inherited: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """Problems between apps of one page, which share one Python runtime.

    ``inherited`` names the Streamlit theme options the loader takes from the site
    (``Settings.inherited_theme_options()``): an app that sets one of them and an app
    that inherits it disagree, although no key differs.
    Returns ``(index of the app to report at, message)`` pairs. (``packaging``
    is imported only for requirements that are more than a bare name.)
    """
    problems: list[tuple[int, str]] = []
    by_name: dict[str, list[tuple[int, str]]] = {}
    for index, app in enumerate(apps):
        for text in app.requirements:
            name = requirement_name(text)
            if name is not None:  # None: a wheel URL
                by_name.setdefault(name, []).append((index, text))
    for name, uses in by_name.items():
        for i, (first_index, first) in enumerate(uses):
            for second_index, second in uses[i + 1 :]:
                if first_index != second_index and requirements_conflict(first, second):
                    problems.append(
                        (
                            second_index,
                            f"requirement {second!r} ({apps[second_index].where}) conflicts with "
                            f"{first!r} ({apps[first_index].where}): one Python environment holds "
                            f"one version of {name}, so {SECOND_RUNTIME}",
                        )
                    )
    seen: dict[str, tuple[int, object]] = {}
    for index, app in enumerate(apps):
        for key, value in {**LOADER_CONFIG, **dict(app.config)}.items():
            if key in seen and seen[key][1] != value:
                first_index, first_value = seen[key]
                problems.append(
                    (
                        index,
                        f"Streamlit config {key}={value!r} ({app.where}) differs from "
                        f"{first_value!r} ({apps[first_index].where}): one Python runtime holds "
                        f"one Streamlit configuration, so {SECOND_RUNTIME}",
                    )
                )
            seen.setdefault(key, (index, value))
    for option in inherited:
        choices = [_theme_choice(dict(app.config), option) for app in apps]
        setters = [i for i, choice in enumerate(choices) if choice]
        takers = [i for i, choice in enumerate(choices) if not choice]
        if setters and takers:
            later = max(setters[0], takers[0])
            own = ", ".join(f"{k}={v!r}" for k, v in choices[setters[0]])
            problems.append(
                (
                    later,
                    f"Streamlit config {own} ({apps[setters[0]].where}) replaces the site's "
                    f"{option}, which {apps[takers[0]].where} inherits: one Python runtime "
                    f"holds one Streamlit configuration, so {SECOND_RUNTIME} (set it on every "
                    "app of the page, or turn off inheriting it with the inherit setting)",
                )
            )
    return problems
