"""The documentation's option and settings reference, written from the tables.

The pages in ``demo_docs/sphinx/reference/`` are this module's output
(``scripts/reference.py`` writes them, a test checks they are current), so the
reference cannot drift from what the code accepts: an option or setting is
documented by adding it to its table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .options import OPTIONS
from .settings import SETTINGS

OPTIONS_PAGE = "options.rst"
SETTINGS_PAGE = "settings.rst"

_GENERATED = (
    ".. This page is generated from {source}\n"
    "   by scripts/reference.py: edit the table, then run ``python scripts/reference.py``.\n\n"
)
_RST_SPECIAL_RE = re.compile(r"([\\`*|_])")


def _text(text: str) -> str:
    """Plain text as reST: no character starts markup."""
    return _RST_SPECIAL_RE.sub(r"\\\1", text)


def _literal(text: str) -> str:
    return f"``{text}``"


def _mkdocs_attribute(name: str, value: str) -> str:
    quote = "'" if '"' in value else '"'
    return f"{name}={quote}{value}{quote}"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], widths: str) -> str:
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        for index, cell in enumerate(row):
            cell_lines = cell.split("\n")
            lines.append(("   * - " if index == 0 else "     - ") + cell_lines[0])
            lines.extend(f"       {line}" if line else "" for line in cell_lines[1:])
    return "\n".join(lines) + "\n"


def options_reference() -> str:
    """The reST page listing every app option with an example in each syntax."""
    rows = [
        (
            _literal(option.name),
            _text(option.summary),
            f"reST and MyST: {_literal(f':{option.name}: {option.example}')}\n\n"
            f"MkDocs: {_literal(_mkdocs_attribute(option.name, option.example))}",
        )
        for option in OPTIONS
    ]
    return (
        _GENERATED.format(source="the option table (stlite_docs/options.py)")
        + "Options\n=======\n\n"
        "Every app takes these options: in reST as ``:name: value`` lines under "
        "``.. stlite::``, in MyST as ``:name: value`` lines (or a ``---`` YAML block) under "
        '``{stlite}``, in MkDocs as ``name="value"`` in the fence\'s first line. A wrong '
        "value or an unknown name fails the build, each one reported at its own line.\n\n"
        + _table(("Option", "Meaning", "Example"), rows, "12 58 30")
    )


def _default(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        value = list(value)
    return _literal(repr(value))


def settings_reference() -> str:
    """The reST page listing every site setting, with its name in each front end."""
    rows = [
        (
            _literal(setting.sphinx_name),
            _literal(setting.name),
            _default(setting.default),
            _text(setting.doc),
        )
        for setting in SETTINGS
    ]
    return (
        _GENERATED.format(source="the settings table (stlite_docs/settings.py)")
        + "Site settings\n=============\n\n"
        "Sphinx reads them from ``conf.py``; the MkDocs plugin takes them as its options "
        "(``plugins: [{stlite: {theme: dark}}]``). Every value is checked when the "
        "configuration loads.\n\n"
        + _table(("Sphinx (conf.py)", "MkDocs", "Default", "Meaning"), rows, "20 15 25 40")
    )


def pages() -> dict[str, str]:
    """File name -> content of every generated reference page."""
    return {OPTIONS_PAGE: options_reference(), SETTINGS_PAGE: settings_reference()}
