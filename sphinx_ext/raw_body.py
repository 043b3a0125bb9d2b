"""The directive body exactly as written in the reST file.

docutils hands a directive its content with tabs expanded and trailing
whitespace stripped from every line (``docutils.statemachine.string2lines``).
For an app that changes what runs: a tab-indented block gets spaces, and the
two trailing spaces of a Markdown hard line break inside a multi-line
``st.markdown`` string vanish. So the directive re-reads its lines from the
source file and uses them when, and only when, every one of them normalises to
exactly the line docutils gave it; otherwise (text changed by a ``source-read`` handler, ``include``
slices, MyST) docutils' content is used as it is.

Characters that ``str.splitlines`` treats as line ends besides ``\\n`` and ``\\r``
(U+001C-U+001E, U+0085, U+2028, U+2029) end a line in reST before any directive
sees it, so they cannot appear in a body; the README says so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from docutils.statemachine import StringList

_FORM_FEEDS = re.compile("[\v\f]")


@lru_cache(maxsize=16)
def _file_lines(
    path: str, encoding: str, mtime_ns: int, size: int, tab_width: int
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The file's lines as written and as docutils sees them (``\\v`` and ``\\f``
    as spaces, tabs expanded, trailing whitespace gone), numbered as docutils
    numbers them (``\\v`` and ``\\f`` must not split lines here either). Once
    per file, not per app: a page's apps all come from one file."""
    try:
        text = Path(path).read_text(encoding=encoding)
    except (OSError, UnicodeError):
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    raw_lines: list[str] = []
    seen: list[str] = []
    start = 0
    for line in _FORM_FEEDS.sub(" ", text).splitlines(keepends=True):
        end = start + len(line)
        raw_lines.append(text[start:end].rstrip("\r\n\x1c\x1d\x1e\x85\u2028\u2029"))
        seen.append(line.expandtabs(tab_width).rstrip())
        start = end
    return tuple(raw_lines), tuple(seen)


def _cut_columns(raw: str, columns: int, tab_width: int) -> str:
    """Remove ``columns`` columns of indentation; a tab that straddles the cut
    leaves the spaces it covered beyond it (as docutils' expansion would)."""
    if raw.startswith(" " * columns):
        return raw[columns:]  # the usual space indentation
    col = 0
    i = 0
    while col < columns and i < len(raw) and raw[i] in " \t\v\f":
        col = (col // tab_width + 1) * tab_width if raw[i] == "\t" else col + 1
        i += 1
    return " " * max(0, col - columns) + raw[i:]


def raw_directive_body(content: StringList, encoding: str, tab_width: int) -> str | None:
    """The body with the author's tabs and trailing whitespace, or ``None``
    when the file does not provably hold these very lines."""
    if not content:
        return None
    items = content.items  # (source, offset) of each line, as content.info(i) gives them
    source = items[0][0]
    if not source or not isinstance(source, str) or any(s != source for s, _ in items):
        return None
    cached = _cached_lines(source, encoding, tab_width)
    if cached is None:
        return None
    lines, normalised = cached
    indent: int | None = None
    out: list[str] = []
    for wanted, (_, offset) in zip(content, items, strict=True):
        if not isinstance(offset, int) or not 0 <= offset < len(lines):
            return None
        raw, full = lines[offset], normalised[offset]
        if indent is None and wanted:
            indent = len(full) - len(wanted)
            if indent < 0 or full[:indent].strip():
                return None
        if indent is None:
            if full:
                return None
            out.append(raw)  # leading blank line; dedented below once indent is known
            continue
        if full[indent:] != wanted or full[:indent].strip():
            return None
        out.append(raw)
    if indent is None:
        return None
    return "\n".join(_cut_columns(raw, indent, tab_width) for raw in out)


def _cached_lines(
    path: str, encoding: str, tab_width: int
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _file_lines(path, encoding, stat.st_mtime_ns, stat.st_size, tab_width)


def source_lines(path: str, encoding: str, tab_width: int) -> tuple[str, ...] | None:
    """The file's lines as written (read once per version of the file), or ``None``
    when it cannot be read."""
    cached = _cached_lines(path, encoding, tab_width)
    return None if cached is None else cached[0]
