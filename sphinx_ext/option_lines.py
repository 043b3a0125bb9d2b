"""Which line of a ``stlite`` directive sets which option, so an error about an
option is reported at that option's own line.

docutils and MyST hand a directive its options as a dict, without lines; the
directive's text has them: reST's and MyST's ``:name: value`` field lines, or
the top-level keys of MyST's ``---`` YAML block. MyST 5 passes that text as the
directive's ``block_text``; older MyST passes only the body, so the lines are
read from the source file (and used only if the directive's line is there).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docutils.statemachine import StateMachine
from sphinx.util.docutils import SphinxDirective

from .raw_body import source_lines

# The first line of a MyST directive (```{stlite}, :::{stlite}) as MyST 5 gives it in block_text.
_MYST_OPENER_RE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{stlite\}")
_FIELD_RE = re.compile(r"^\s*:(?P<name>(?:[^:\\\s]|\\.)+):(?:\s|$)")
_YAML_KEY_RE = re.compile(r"^(?P<name>[^\s#:'\"\-][^:]*?)\s*:(?:\s|$)")


def option_offsets(lines: Sequence[str]) -> dict[str, int]:
    """Option name -> index in ``lines`` (the directive's lines after its first)
    of the line that sets it. Names are also given lower-cased, as docutils
    passes them on; the first line wins if a name is repeated."""
    found: dict[str, int] = {}

    def note(name: str, index: int) -> None:
        found.setdefault(name, index)
        found.setdefault(name.lower(), index)

    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() == "---":
                break
            match = _YAML_KEY_RE.match(line)
            if match:
                note(match["name"], index)
        return found
    indent: int | None = None
    for index, line in enumerate(lines):
        if not line.strip():
            break
        width = len(line) - len(line.lstrip())
        match = _FIELD_RE.match(line)
        if match:
            indent = width if indent is None else indent
            note(match["name"], index)
        elif indent is None or width <= indent:
            break  # not an option, nor the continuation of one: the options are over
    return found


def option_location(directive: SphinxDirective, name: str) -> str | None:
    """``source:line`` of the line that sets option ``name``, if it can be found."""
    state_machine: object = directive.state_machine  # typed as docutils' own
    lines = directive.block_text.splitlines()
    if isinstance(state_machine, StateMachine) or (lines and _MYST_OPENER_RE.match(lines[0])):
        lines = lines[1:]  # reST, MyST 5+: the directive's whole text
    else:  # MyST before 5 gives only the body as block_text: read the file
        lines = _myst_option_lines(directive)
    offset = option_offsets(lines).get(name)
    if offset is None:
        return None
    source, line = directive.state_machine.get_source_and_line(directive.lineno + 1 + offset)
    return f"{source}:{line}"


def _myst_option_lines(directive: SphinxDirective) -> list[str]:
    """The option lines of a MyST directive, as written in its source file."""
    source, line = directive.get_source_info()
    settings = directive.state.document.settings
    lines = source_lines(source, settings.input_encoding or "utf-8-sig", settings.tab_width)
    if lines is None or not 0 < line <= len(lines) or "{stlite}" not in lines[line - 1]:
        return []
    return list(lines[line : line + directive.content_offset])
