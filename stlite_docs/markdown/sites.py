"""Locating ``stlite`` fences in a page's Markdown, for errors with a line number.

SuperFences hands the formatter only the fence body, not where it was, so the
page state scans the page once (``fence.PageState``) and matches each formatted
fence to its opener.
Fences nested inside another fence (a ```` ```stlite ```` shown as an example
inside ```` ````markdown ````) are literal text and are skipped, as SuperFences
skips them.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

_OPEN_RE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_STLITE_INFO_RE = re.compile(r"^\s*(?:\{\s*\.?)?stlite(?=[\s}]|$)")


@dataclass
class FenceSite:
    """Where one ``stlite`` fence starts (1-based line) and its dedented body."""

    line: int
    body: str
    used: bool = False


def _strip_prefix(line: str, indent: str) -> str:
    """Remove the opener's indentation/quote prefix from a body line."""
    if line.startswith(indent):
        return line[len(indent) :]
    return line.lstrip(" \t>")


def scan_stlite_fences(markdown: str) -> list[FenceSite]:
    """Top-level ``stlite`` fences, in document order."""
    if "stlite" not in markdown:
        return []  # most pages: no line-by-line scan
    lines = markdown.splitlines()
    sites: list[FenceSite] = []
    i = 0
    while i < len(lines):
        match = _OPEN_RE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence, indent = match["fence"], match["indent"]
        closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        if _STLITE_INFO_RE.match(match["info"]) and "`" not in match["info"]:
            body_lines = lines[i + 1 : j]
            if indent:
                body_lines = [_strip_prefix(line, indent) for line in body_lines]
            body = "\n".join(body_lines)
            sites.append(FenceSite(line=i + 1, body=textwrap.dedent(body)))
        i = j + 1
    return sites


def claim_site(sites: list[FenceSite], source: str) -> FenceSite | None:
    """The first unused fence whose body is ``source``, else the first unused one."""
    wanted = source.rstrip("\n")
    for site in sites:
        if not site.used and site.body.rstrip("\n") == wanted:
            site.used = True
            return site
    for site in sites:
        if not site.used:
            site.used = True
            return site
    return None
