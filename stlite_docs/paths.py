"""Resolving author-given paths without letting a page read outside the docs.

Docs are built in CI from many contributors' pages, so ``file: ../../etc/passwd``
or a symlink pointing out of the tree must be an error, not a leak into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import AppError


@dataclass(frozen=True)
class SourceContext:
    """Where a document lives, so relative paths in its options can resolve.

    ``doc_dir`` is the document's folder; ``root_dir`` the docs source root: a
    path starting with ``/`` is taken from the root (Sphinx convention), and no
    path may resolve outside it.
    """

    doc_dir: Path
    root_dir: Path


def _error(option: str, detail: str) -> AppError:
    return AppError(f"option '{option}'{detail}", option=option)


def resolve_in_tree(value: str, ctx: SourceContext, option: str) -> Path:
    """Resolve ``value`` against the document, refusing anything outside the root."""
    if not value.strip():
        raise _error(option, " needs a path")
    if "\x00" in value:
        raise _error(option, ": path contains a NUL character")
    root = ctx.root_dir.resolve()
    candidate = root / value.lstrip("/") if value.startswith("/") else ctx.doc_dir / value
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        raise _error(option, f": {value!r} points outside the documentation source folder ({root})")
    return resolved


def read_bytes_in_tree(value: str, ctx: SourceContext, option: str) -> tuple[Path, bytes]:
    """Read a file named by an option; a missing, unreadable or directory path is
    an ``AppError`` naming the option and the path as the author wrote it."""
    path = resolve_in_tree(value, ctx, option)
    try:
        return path, path.read_bytes()
    except FileNotFoundError:
        raise _error(option, f": file not found: {value} (looked at {path})") from None
    except IsADirectoryError:
        raise _error(option, f": {value} is a directory, not a file") from None
    except OSError as exc:
        raise _error(option, f": cannot read {value}: {exc.strerror}") from None


def read_text_in_tree(value: str, ctx: SourceContext, option: str) -> tuple[Path, str]:
    """Read a UTF-8 text file named by an option, with a located error on failure."""
    path, raw = read_bytes_in_tree(value, ctx, option)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(option, f": {value} is not UTF-8 text ({exc.reason})") from None
    return path, text
