"""The one option vocabulary shared by the Sphinx directive and the MkDocs fence.

Each option is an :class:`OptionDef` in ``OPTIONS``: its value parser, its
default, and the text the documentation and error messages use. Everything else
is derived from this table: ``build_app`` reads an app's options by looping over
it, the front ends accept exactly these names, an unknown name's error lists
them, and the documentation's option reference is written from it
(``scripts/reference.py``). The parsers below are the only place a value's
syntax is defined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import AppError
from .settings import STARTS

if TYPE_CHECKING:
    from packaging.requirements import Requirement

DEFAULT_HEIGHT = "auto"
DEFAULT_ENTRYPOINT = "streamlit_app.py"
LAYOUTS = ("app", "code-above", "code-beside", "editor")
WORKERS = ("shared", "own")

T = TypeVar("T")


@dataclass(frozen=True)
class OptionDef(Generic[T]):
    """One option: how its text becomes a value, its value when not given, the
    ``AppSpec`` field it fills, and how the documentation describes it.

    ``parse`` raises :class:`AppError` for a bad value. ``field`` is ``None`` for
    the options ``build_app`` combines after reading them all (``file``,
    ``files``, ``entrypoint``, ``worker``: they depend on the body and on each
    other). ``example`` is a value as an author writes it.
    """

    name: str
    parse: Callable[[str], T]
    default: T
    field: str | None
    summary: str
    example: str


_HEIGHT_RE = re.compile(
    r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>px|em|rem|vh|svh|lvh|dvh|vmin|vmax|ex|ch|cm|mm|in|pt|pc)?$"
)
_PATH_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_ENTRYPOINT_RE = re.compile(rf"^(?:{_PATH_SEGMENT}/)*{_PATH_SEGMENT}\.py$")
_WHEEL_URL_RE = re.compile(r"^(?:https?://|\./|\.\./|/)\S+\.whl$")
_SPECIFIER_START = ("<", ">", "=", "!", "~")


def unknown_options(names: Iterable[str]) -> list[str]:
    """Names not in the vocabulary, sorted."""
    return sorted(n for n in names if n not in OPTION_NAMES)


def describe_unknown(name: str) -> str:
    """Message for an unknown option that lists the valid ones (typos are common)."""
    return f"unknown option {name!r} (valid options: {', '.join(sorted(OPTION_NAMES))})"


def parse_height(value: str) -> str:
    """``auto`` (as tall as the app's content), or a CSS height for a fixed box; a bare
    number means pixels. Percentages are refused: the app's box has no sized parent
    in a docs page, so 50% would collapse."""
    text = value.strip()
    if text.lower() == "auto":
        return "auto"
    return _css_height(text, "height", "'auto', ")


def parse_max_height(value: str) -> str:
    """The tallest an automatic-height box grows: a CSS height, a bare number in pixels."""
    return _css_height(value.strip(), "max_height", "")


def _css_height(text: str, name: str, also: str) -> str:
    match = _HEIGHT_RE.match(text)
    if match is None:
        raise AppError(
            f"option '{name}': {text!r} is not a height; use {also}pixels (420) or a CSS "
            "length (420px, 30em, 60vh)"
        )
    if float(match["num"]) <= 0:
        raise AppError(f"option '{name}': {text!r} must be greater than zero")
    return text if match["unit"] else f"{match['num']}px"


_WIDTH_RE = re.compile(
    r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>px|em|rem|vw|vmin|vmax|ex|ch|cm|mm|in|pt|pc|%)?$"
)
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def parse_width(value: str) -> str:
    """A CSS width; a bare number means pixels; percentages of the column work."""
    text = value.strip()
    match = _WIDTH_RE.match(text)
    if match is None or float(match["num"]) <= 0:
        raise AppError(
            f"option 'width': {value!r} is not a width; use pixels (800) or a CSS length "
            "(800px, 40em, 80%)"
        )
    return text if match["unit"] else f"{match['num']}px"


def parse_id(value: str) -> str:
    text = value.strip()
    if not _ID_RE.match(text):
        raise AppError(
            f"option 'id': {value!r} is not a valid id (start with a letter; then letters, "
            "digits, '-' or '_')"
        )
    return text


def parse_entrypoint(value: str) -> str:
    """A relative ``.py`` path inside the app's own file system."""
    text = value.strip()
    if not _ENTRYPOINT_RE.match(text):
        raise AppError(
            f"option 'entrypoint': {value!r} must be a relative .py file name such as "
            f"{DEFAULT_ENTRYPOINT!r} (letters, digits, '_', '-', '.' and '/')"
        )
    return text


def _split_requirements(value: str) -> list[str]:
    """Split on commas and newlines, but not inside ``[extras]`` and not where a
    comma continues a specifier set (``altair>=5,<6`` is one requirement)."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for char in value:
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        if (char == "," and depth == 0) or char == "\n":
            pieces.append("".join(current))
            current = []
            separator_was_comma = char == ","
            if separator_was_comma:
                pieces.append(",")
            continue
        current.append(char)
    pieces.append("".join(current))

    items: list[str] = []
    previous_was_comma = False
    for piece in pieces:
        if piece == ",":
            previous_was_comma = True
            continue
        text = piece.strip()
        if text and previous_was_comma and items and text.startswith(_SPECIFIER_START):
            items[-1] = f"{items[-1]},{text}"
        elif text:
            items.append(text)
        previous_was_comma = False
    return items


# PEP 508's project name: a requirement that is only a name (``pandas``, the common
# case) is valid and has no version constraint, so it needs no parser at all.
_BARE_NAME_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_NAME_SEPARATORS_RE = re.compile(r"[-_.]+")


def is_bare_name(requirement: str) -> bool:
    """True for a requirement that is just a project name (no version, extras, marker)."""
    return _BARE_NAME_RE.fullmatch(requirement) is not None


def canonical_name(name: str) -> str:
    """PEP 503 normalisation (``Foo_Bar`` and ``foo-bar`` are one project), the
    rule ``packaging.utils.canonicalize_name`` applies."""
    return _NAME_SEPARATORS_RE.sub("-", name).lower()


@lru_cache(maxsize=1024)
def parse_requirement(text: str) -> Requirement:
    """``packaging``'s parse of one requirement, once per distinct string: a site
    repeats the same few requirements on many apps, and each app's is read again
    by the page checks. Callers must not modify the result. Raises
    ``InvalidRequirement``. (``packaging.requirements`` costs ~4-10 ms to import,
    a visible share of a small build, so only requirements that are more than a
    bare name load it.)"""
    from packaging.requirements import Requirement

    return Requirement(text)


def requirement_name(text: str) -> str | None:
    """The canonical project name of a requirement; ``None`` for what is not a
    PEP 508 requirement (a wheel URL)."""
    if is_bare_name(text):
        return canonical_name(text)
    from packaging.requirements import InvalidRequirement

    try:
        return canonical_name(parse_requirement(text).name)
    except InvalidRequirement:
        return None


def parse_requirements(value: str) -> tuple[str, ...]:
    """Validated micropip requirement strings, in the author's order."""
    items = _split_requirements(value)
    if not items:
        return ()
    for item in items:
        if _WHEEL_URL_RE.match(item) or is_bare_name(item):
            continue
        from packaging.requirements import InvalidRequirement

        try:
            parse_requirement(item)
        except InvalidRequirement as exc:
            detail = str(exc).splitlines()[0]
            raise AppError(
                f"option 'requirements': {item!r} is not a valid requirement ({detail})"
            ) from None
    return tuple(items)


_APP_PATH_RE = re.compile(rf"^(?:{_PATH_SEGMENT}/)*{_PATH_SEGMENT}$")


def check_app_path(value: str, what: str) -> str:
    """A relative path inside the app's own file system (no ``..``, no root)."""
    text = value.strip()
    if not _APP_PATH_RE.match(text) or any(seg in ("", ".", "..") for seg in text.split("/")):
        raise AppError(
            f"{what}: {value!r} must be a relative path such as 'utils.py' or "
            "'pages/2_Details.py' (letters, digits, '_', '-', '.' and '/')"
        )
    return text


def choice(name: str, choices: Sequence[str]) -> Callable[[str], str]:
    """The parser of an option that takes one of ``choices``."""

    def parse(value: str) -> str:
        text = value.strip()
        if text not in choices:
            raise AppError(f"option '{name}': {value!r} is not one of {', '.join(choices)}")
        return text

    parse.__name__ = f"parse_{name}"
    return parse


_TRUE = {"", "true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_flag(value: str, name: str) -> bool:
    """A yes/no option; given without a value (``:share:``) it means yes."""
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise AppError(f"option '{name}': {value!r} is not true or false")


def parse_files(value: str) -> tuple[tuple[str, str], ...]:
    """``src`` or ``src -> dest`` items; ``dest`` defaults to ``src``."""
    pairs: list[tuple[str, str]] = []
    for item in re.split(r"[,\n]", value):
        text = item.strip()
        if not text:
            continue
        src, arrow, dest = text.partition("->")
        src = src.strip()
        if arrow:
            dest = dest.strip()
        elif src.startswith("/") or ".." in src.split("/"):
            dest = src.rsplit("/", 1)[-1]  # no "same relative name" inside the app
        else:
            dest = src
        if not src:
            raise AppError(f"option 'files': {text!r} names no source file")
        pairs.append((src, check_app_path(dest, f"option 'files' ({text})")))
    if not pairs:
        raise AppError("option 'files' needs at least one file")
    return tuple(pairs)


ConfigValue = str | int | float | bool


def parse_config(value: str) -> tuple[tuple[str, ConfigValue], ...]:
    """Streamlit config as flat ``section.key`` pairs, from JSON or TOML.

    JSON is tried when the text starts with ``{``, TOML otherwise, and the error
    says which format was tried, since the two look alike to authors.
    """
    import json
    import tomllib

    text = value.strip()
    if not text:
        raise AppError("option 'config' is empty")
    data: object
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AppError(f"option 'config': invalid JSON ({exc})") from None
        except RecursionError:  # hostile input: thousands of nested brackets
            raise AppError("option 'config': invalid JSON (nested too deeply)") from None
    else:
        try:
            data = tomllib.loads(value)
        except tomllib.TOMLDecodeError as exc:
            raise AppError(f"option 'config': invalid TOML ({exc})") from None
        except RecursionError:
            raise AppError("option 'config': invalid TOML (nested too deeply)") from None
    if not isinstance(data, dict):
        raise AppError("option 'config' must be a table of sections, e.g. {\"theme\": {...}}")
    flat: list[tuple[str, ConfigValue]] = []
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise AppError(
                f"option 'config': section {section!r} must hold keys, e.g. "
                f'{{"{section}": {{"key": "value"}}}}'
            )
        for key, item in entries.items():
            if not isinstance(item, str | int | float | bool):
                raise AppError(f"option 'config': {section}.{key} must be a string, number or bool")
            flat.append((f"{section}.{key}", item))
    return tuple(flat)


def flag(name: str) -> Callable[[str], bool]:
    """The parser of a yes/no option (:func:`parse_flag`)."""

    def parse(value: str) -> bool:
        return parse_flag(value, name)

    parse.__name__ = f"parse_{name}"
    return parse


def parse_file(value: str) -> str:
    """A ``.py`` file of the docs; ``build_app`` reads it (it knows the document's folder)."""
    text = value.strip()
    if not text.endswith(".py"):
        raise AppError(f"option 'file': {text!r} is not a .py file")
    return text


OPTIONS: tuple[OptionDef[Any], ...] = (
    OptionDef(
        "requirements",
        parse_requirements,
        (),
        "requirements",
        "Packages to install with micropip before the app runs, comma or newline separated: "
        "PEP 508 requirements ('altair>=5,<6' stays one requirement) or URLs of pure-Python "
        "wheels.",
        "packaging, six>=1.16",
    ),
    OptionDef(
        "height",
        parse_height,
        DEFAULT_HEIGHT,
        "height",
        "Height of the app's box. 'auto' (the default): as tall as the app's content, "
        "following it live (widgets, expanders, reruns, errors). Pixels (420) or a CSS length "
        "(420px, 30em, 60vh): a fixed box whose content scrolls inside.",
        "420",
    ),
    OptionDef(
        "max_height",
        parse_max_height,
        None,
        "max_height",
        "With the automatic height, the tallest the box grows: pixels or a CSS length; a "
        "longer app scrolls inside. Default: no limit.",
        "600",
    ),
    OptionDef(
        "width",
        parse_width,
        None,
        "width",
        "Width of the app: pixels (800) or a CSS length (800px, 40em, 80%). Default: "
        "the full width of the text column.",
        "800",
    ),
    OptionDef(
        "id",
        parse_id,
        None,
        "element_id",
        "The app element's HTML id (letters, digits, '-', '_'; unique on the page), for "
        "links and custom CSS. Default: generated from the document and the app's index "
        "(stlite-<document>-<n>).",
        "my-app",
    ),
    OptionDef(
        "entrypoint",
        parse_entrypoint,
        None,
        None,
        f"File name of the app's entry point inside its file system. Default "
        f"{DEFAULT_ENTRYPOINT}, or the first file of a body split by '## file:' lines.",
        "app.py",
    ),
    OptionDef(
        "file",
        parse_file,
        None,
        None,
        "A .py file used as the app's source instead of the body, relative to the document "
        "(Sphinx: also /-rooted from the source folder, and also accepted as the directive's "
        "argument). It may not point outside the docs source folder; Sphinx rebuilds the "
        "page when it changes.",
        "apps/hello.py",
    ),
    OptionDef(
        "files",
        parse_files,
        (),
        None,
        "Extra files for the app (data, images, modules), comma separated, relative to the "
        "document; each is copied under the same relative name (its file name if the path "
        "starts with / or ../), or 'src -> dest'. Text or binary (binary files reach the app "
        "as bytes); a missing file is a build error.",
        "data/cities.csv, img/logo.png -> logo.png",
    ),
    OptionDef(
        "layout",
        choice("layout", LAYOUTS),
        "app",
        "layout",
        "How the app is shown: 'app' (default, the app alone), 'code-above' (the source "
        "above the app), 'code-beside' (source and app side by side on screens wider than "
        "900px), 'editor' (the reader edits the source and presses Run or Ctrl/Cmd+Enter; "
        "the app reruns in place).",
        "editor",
    ),
    OptionDef(
        "line_numbers",
        flag("line_numbers"),
        False,
        "line_numbers",
        "With layout 'editor': show line numbers in the editor, 'true' or 'false' (default).",
        "true",
    ),
    OptionDef(
        "share",
        flag("share"),
        None,
        "share",
        "Show 'Open in stlite sharing' and 'Edit in stlite sharing' links under the app: "
        "'true' or 'false'. Default: the site setting share_links (off).",
        "true",
    ),
    OptionDef(
        "full_page",
        flag("full_page"),
        None,
        "full_page",
        "Show an 'Open full page' link under the app, to a page of its own that the build "
        "writes (Sphinx, MkDocs plugin): 'true' or 'false'. Default: the site setting "
        "full_page_links (on).",
        "false",
    ),
    OptionDef(
        "prerender",
        flag("prerender"),
        True,
        "prerender",
        "With the site setting prerender on: 'false' leaves this app without a snapshot of "
        "its first screen (e.g. it shows the time or random data, or needs the network); "
        "'true' (default) has one.",
        "false",
    ),
    OptionDef(
        "start",
        choice("start", STARTS),
        None,
        "start",
        "When the app starts: 'eager' (with the page), 'visible' (when it is about to scroll "
        "into view; nothing of stlite or Pyodide loads before), 'click' (when the reader "
        "presses its Run button, which says what it downloads), 'auto' ('eager', or 'click' "
        "where the reader's browser asks to save data or is on a slow connection). Default: "
        "the site setting start (auto).",
        "click",
    ),
    OptionDef(
        "worker",
        choice("worker", WORKERS),
        None,
        None,
        "'shared' (default): the app runs in the page's one shared Python runtime; "
        "'own': it gets a runtime of its own (slower start, more memory, but a busy or "
        "crashing app cannot hold up the others). Multipage apps always get their own.",
        "own",
    ),
    OptionDef(
        "config",
        parse_config,
        (),
        "config",
        'Streamlit configuration for the app, as JSON ({"theme": {"base": "dark"}}) '
        'or TOML ([theme] / base = "dark"). Apps of one page share one runtime, so '
        "global keys (theme, server) must agree across them; client.* keys may differ.",
        '{"client": {"toolbarMode": "minimal"}}',
    ),
)

OPTION_NAMES: frozenset[str] = frozenset(o.name for o in OPTIONS)
