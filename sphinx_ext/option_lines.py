"""Which line of a ``stlite`` directive sets which option, so an error about an
option is reported at that option's own line.

docutils and MyST hand a directive its options as a dict, without lines; the
directive's text has them: reST's and MyST's ``:name: value`` field lines, or
the top-level keys of MyST's ``---`` YAML block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
