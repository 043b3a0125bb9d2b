"""Errors and warnings raised by the core, located relative to the app's block.

The core knows nothing of documents; front ends translate ``line`` (1-based,
relative to the first line of the app body) into "document:line" for the user.
"""

from __future__ import annotations

from dataclasses import dataclass


class AppError(ValueError):
    """Bad app input: the build must stop and name the place.

    ``line`` is ``None`` when the problem is in the directive/fence header
    (options), otherwise the 1-based line inside the app body.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class AppWarning:
    """A problem worth a warning, not a failed build (e.g. a syntax error).

    ``subtype`` lets Sphinx users silence it (``suppress_warnings =
    ["stlite.syntax"]``). ``body_line`` is the line inside the inline body when
    the problem is there; ``None`` when it lies in a separate file, whose name
    and line are already part of the message.
    """

    message: str
    subtype: str
    body_line: int | None = None
