"""Every error and warning the core raises, in one place.

App problems are located relative to the app's block: the core knows nothing of
documents, so front ends translate an error's ``option`` (the option's own line)
or ``line`` (a line of the app body) into "document:line" for the user. Site
problems name the setting as the user spelled it. Vendoring problems carry the
app's location as the front end gave it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class AppError(ValueError):
    """Bad app input: the build must stop and name the place.

    ``option`` names the option the problem is in (reported at that option's
    line); ``line`` is the 1-based line inside the app body when the problem is
    there; with neither, the problem belongs to the directive/fence as a whole.
    """

    def __init__(self, message: str, line: int | None = None, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.option = option


class AppErrors(AppError):
    """All problems of one app, raised together so an author sees every bad
    option in one build instead of one per build. ``message`` joins them (one a
    line) for callers that print one text; front ends report each of ``errors``
    at its own place."""

    def __init__(self, errors: Sequence[AppError]) -> None:
        if not errors:
            raise ValueError("AppErrors needs at least one error")
        self.errors = tuple(errors)
        first = self.errors[0]
        single = len(self.errors) == 1
        super().__init__(
            "\n".join(error.message for error in self.errors),
            line=first.line if single else None,
            option=first.option if single else None,
        )


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


class ConfigError(ValueError):
    """A site-level setting is wrong; the message names the setting as the user wrote it."""


@dataclass(frozen=True)
class Problem:
    """Something a self-contained site cannot ship; ``where`` is the app's location
    (front-end format, e.g. ``page.rst:12``), ``None`` for a source or runtime problem."""

    where: str | None
    message: str


class VendorError(RuntimeError):
    """The site cannot be made self-contained; ``problems`` carry app locations where the
    cause is an app's requirement."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "\n".join(f"{p.where}: {p.message}" if p.where else p.message for p in self.problems)
        )


class SourceError(RuntimeError):
    """A vendoring source cannot deliver what the site needs (unreachable, bad answer,
    wrong hash); the vendoring turns it into a :class:`VendorError`."""
