"""Build-time checks that turn run-time surprises into warnings with a line.

A syntax error would otherwise only show up in the reader's browser, after a
multi-second Pyodide boot; the author should see it at build time instead.
"""

from __future__ import annotations

import ast

from .errors import AppWarning


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
