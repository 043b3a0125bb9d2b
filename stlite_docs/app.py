"""From what an author wrote (body + options) to a validated, frozen ``AppSpec``.

Front ends hand over plain strings; everything they have in common (option
syntax, file reading, defaults, checks) happens here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_syntax
from .errors import AppError, AppWarning
from .options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
    describe_unknown,
    parse_entrypoint,
    parse_height,
    parse_requirements,
    unknown_options,
)
from .paths import SourceContext, read_text_in_tree


@dataclass(frozen=True)
class AppSpec:
    """Everything the page needs to run one app; picklable for parallel Sphinx.

    ``files`` keeps insertion order with the entrypoint first, so the JSON is
    deterministic and the code fallback shows the entrypoint.
    """

    entrypoint: str
    files: tuple[tuple[str, str], ...]
    requirements: tuple[str, ...] = ()
    height: str = DEFAULT_HEIGHT

    @property
    def entrypoint_source(self) -> str:
        return dict(self.files)[self.entrypoint]

    def to_config(self) -> dict[str, object]:
        """The JSON contract read by ``stlite-docs.js`` (see README, "Output")."""
        return {
            "entrypoint": self.entrypoint,
            "files": dict(self.files),
            "requirements": list(self.requirements),
            "height": self.height,
        }


@dataclass(frozen=True)
class BuiltApp:
    """An app plus what the build must know about it besides the page."""

    spec: AppSpec
    dependencies: tuple[Path, ...] = ()
    warnings: tuple[AppWarning, ...] = field(default=())


def normalize_body(lines_or_text: str) -> str:
    """One trailing newline, nothing else touched: the app runs what was written."""
    text = lines_or_text
    if not text.strip():
        return ""
    return text if text.endswith("\n") else text + "\n"


def build_app(body: str, options: Mapping[str, str | None], ctx: SourceContext) -> BuiltApp:
    """Validate options and body; raise ``AppError`` (located) on bad input."""
    unknown = unknown_options(set(options))
    if unknown:
        raise AppError(describe_unknown(unknown))

    def opt(name: str) -> str | None:
        value = options.get(name)
        return None if value is None else str(value)

    height_value, entry_value = opt("height"), opt("entrypoint")
    height = DEFAULT_HEIGHT if height_value is None else parse_height(height_value)
    entrypoint = DEFAULT_ENTRYPOINT if entry_value is None else parse_entrypoint(entry_value)
    requirements = parse_requirements(opt("requirements") or "")

    source = normalize_body(body)
    dependencies: tuple[Path, ...] = ()
    file_value = opt("file")
    from_file = file_value is not None
    if from_file:
        assert file_value is not None
        if source:
            raise AppError(
                "the app is given twice: option 'file' and a body; keep one of them"
            )
        if not file_value.strip().endswith(".py"):
            raise AppError(f"option 'file': {file_value.strip()!r} is not a .py file")
        path, text = read_text_in_tree(file_value.strip(), ctx, "file")
        dependencies = (path,)
        source = text
        if not source.strip():
            raise AppError(f"option 'file': {file_value.strip()} is empty")
    elif not source:
        raise AppError("empty app: write the app's source in the body or name it with 'file'")

    spec = AppSpec(
        entrypoint=entrypoint,
        files=((entrypoint, source),),
        requirements=requirements,
        height=height,
    )
    shown_name = file_value.strip() if file_value is not None else None
    warnings = check_syntax(source, entrypoint, shown_name)
    return BuiltApp(spec=spec, dependencies=dependencies, warnings=warnings)
