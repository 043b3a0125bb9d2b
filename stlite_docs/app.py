"""From what an author wrote (body + options) to a validated, frozen ``AppSpec``.

Front ends hand over plain strings; everything they have in common (option
syntax, file markers, file reading, defaults, checks) happens here once.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import check_syntax
from .errors import AppError, AppErrors, AppWarning
from .options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
    OPTIONS,
    ConfigValue,
    check_app_path,
    describe_unknown,
    unknown_options,
)
from .paths import SourceContext, read_bytes_in_tree, read_text_in_tree

FileContent = str | bytes
_MARKER_RE = re.compile(r"^## file: *(?P<name>\S.*?)\s*$")


@dataclass(frozen=True)
class AppSpec:
    """Everything the page needs to run one app; picklable for parallel Sphinx.

    ``files`` keeps insertion order with the entrypoint first, so the JSON is
    deterministic and the code display starts with the entrypoint. Binary files
    are ``bytes``.
    """

    entrypoint: str
    files: tuple[tuple[str, FileContent], ...]
    requirements: tuple[str, ...] = ()
    height: str = DEFAULT_HEIGHT
    layout: str = "app"
    share: bool | None = None
    config: tuple[tuple[str, ConfigValue], ...] = ()
    worker: str = "shared"
    width: str | None = None
    element_id: str | None = None
    max_height: str | None = None

    @property
    def entrypoint_source(self) -> str:
        source = dict(self.files)[self.entrypoint]
        assert isinstance(source, str)
        return source

    def to_config(self) -> dict[str, object]:
        """The JSON contract read by ``stlite-docs.js`` (see README, "Output")."""
        data: dict[str, object] = {
            "entrypoint": self.entrypoint,
            "files": {
                path: content
                if isinstance(content, str)
                else {"base64": base64.b64encode(content).decode("ascii")}
                for path, content in self.files
            },
            "requirements": list(self.requirements),
            "height": self.height,
        }
        if self.max_height is not None:
            data["maxHeight"] = self.max_height
        if self.layout != "app":
            data["layout"] = self.layout
        if self.config:
            data["config"] = dict(self.config)
        if self.worker != "shared":
            data["worker"] = self.worker
        if self.width is not None:
            data["width"] = self.width
        return data


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


@dataclass(frozen=True)
class _BodyFile:
    name: str
    text: str
    first_line: int  # 1-based line in the body of the file's first content line


def split_file_markers(body: str, default_name: str) -> list[_BodyFile]:
    """Split a body on ``## file: NAME`` lines. Text before the first marker (if
    any is not blank) belongs to ``default_name``, the entrypoint."""
    if "## file:" not in body:  # most apps: one file, no need to look at each line
        return [_BodyFile(default_name, normalize_body(body), 1)]
    lines = body.splitlines(keepends=True)
    files: list[_BodyFile] = []
    name, start, chunk = default_name, 1, []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        match = _MARKER_RE.match(line.rstrip("\r\n"))
        if match is None:
            chunk.append(line)
            continue
        if files or "".join(chunk).strip():
            files.append(_BodyFile(name, normalize_body("".join(chunk)), start))
        try:
            name = check_app_path(match["name"], f"file marker at app line {number}")
        except AppError as exc:
            exc.line = number
            raise
        if name in seen:
            raise AppError(
                f"file {name!r} is given twice (app lines {seen[name]} and {number})", number
            )
        seen[name] = number
        start, chunk = number + 1, []
    files.append(_BodyFile(name, normalize_body("".join(chunk)), start))
    if files and files[0].name == default_name and not files[0].text and len(files) > 1:
        files.pop(0)
    return files


@dataclass
class _AppFiles:
    """The app's file system as it is being put together."""

    entrypoint: str
    files: dict[str, FileContent]
    dependencies: list[Path]
    warnings: list[AppWarning]


def _read_extra_file(src: str, ctx: SourceContext) -> tuple[Path, FileContent]:
    """Text stays text (exact JSON round trip); anything else travels as bytes."""
    path, raw = read_bytes_in_tree(src, ctx, "files")
    if b"\x00" not in raw:
        try:
            return path, raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return path, raw


def _entry_from_file(value: str, entrypoint: str, ctx: SourceContext) -> _AppFiles:
    """The ``file`` option: the entrypoint's source comes from a file of the docs."""
    path, text = read_text_in_tree(value, ctx, "file")
    if not text.strip():
        raise AppError(f"option 'file': {value} is empty", option="file")
    return _AppFiles(entrypoint, {entrypoint: text}, [path],
                     list(check_syntax(text, entrypoint, value)))


def _files_from_body(source: str, entry_value: str | None) -> _AppFiles:
    """The body, split on file markers; the entrypoint comes first."""
    default = DEFAULT_ENTRYPOINT if entry_value is None else entry_value
    parts = split_file_markers(source, default)
    names = [p.name for p in parts]
    entrypoint = default if entry_value is not None else names[0]
    if entrypoint not in names:
        raise AppError(
            f"option 'entrypoint': {entrypoint!r} is not one of the app's files "
            f"({', '.join(names)})",
            option="entrypoint",
        )
    if not entrypoint.endswith(".py"):
        raise AppError(f"the entrypoint {entrypoint!r} is not a .py file")
    files: dict[str, FileContent] = {}
    warnings: list[AppWarning] = []
    for part in sorted(parts, key=lambda p: p.name != entrypoint):
        files[part.name] = part.text
        if not part.name.endswith(".py"):
            continue
        for warning in check_syntax(part.text, part.name, None):
            line = warning.body_line
            message = warning.message
            if len(parts) > 1:
                message = message.replace("app line", f"{part.name} line")
            warnings.append(
                AppWarning(
                    message=message,
                    subtype=warning.subtype,
                    body_line=None if line is None else part.first_line + line - 1,
                )
            )
    if not str(files[entrypoint]).strip():
        raise AppError(f"the entrypoint {entrypoint} is empty")
    return _AppFiles(entrypoint, files, [], warnings)


def _app_files(
    source: str, file: str | None, entrypoint: str | None, ctx: SourceContext
) -> _AppFiles:
    """Where the app's source comes from: the ``file`` option or the body."""
    if file is not None:
        if source:
            raise AppError(
                "the app is given twice: option 'file' and a body; keep one of them",
                option="file",
            )
        return _entry_from_file(file, entrypoint or DEFAULT_ENTRYPOINT, ctx)
    if not source:
        raise AppError("empty app: write the app's source in the body or name it with 'file'")
    return _files_from_body(source, entrypoint)


def _add_extra_files(
    pairs: tuple[tuple[str, str], ...], app: _AppFiles, ctx: SourceContext
) -> list[AppError]:
    """The ``files`` option: every file that cannot be added is an error of its own."""
    errors: list[AppError] = []
    for src, dest in pairs:
        try:
            if dest in app.files:
                raise AppError(f"option 'files': {dest!r} is already one of the app's files")
            path, content = _read_extra_file(src, ctx)
        except AppError as exc:
            exc.option = "files"
            errors.append(exc)
            continue
        app.dependencies.append(path)
        app.files[dest] = content
    return errors


def build_app(
    body: str,
    options: Mapping[str, str | None],
    ctx: SourceContext,
    argument: str | None = None,
) -> BuiltApp:
    """Validate options and body, or raise :class:`AppErrors` with every problem found
    (each one knows its option or body line), in the order the options were written.

    ``argument`` is a directive argument (``.. stlite:: ./app.py``, the
    atsphinx-stlite form): the same as the ``file`` option.
    """
    errors = [AppError(describe_unknown(name), option=name) for name in unknown_options(options)]
    given = {name: str(value) for name, value in options.items() if value is not None}
    if argument is not None:
        if "file" in given:
            errors.append(AppError(
                f"the app file is given twice: as the directive argument ({argument!r}) and "
                "with option 'file'; keep one of them",
                option="file",
            ))
        given["file"] = argument

    values: dict[str, Any] = {}
    for option in OPTIONS:
        text = given.get(option.name)
        try:
            values[option.name] = option.default if text is None else option.parse(text)
        except AppError as exc:
            exc.option = exc.option or option.name
            errors.append(exc)

    # The options that interact: the app's files come from 'file' or the body, named
    # after 'entrypoint', plus 'files'; each step needs the options it reads to be valid.
    app: _AppFiles | None = None
    if "file" in values and "entrypoint" in values:
        try:
            app = _app_files(normalize_body(body), values["file"], values["entrypoint"], ctx)
        except AppError as exc:
            errors.append(exc)
    if app is not None and "files" in values:
        errors += _add_extra_files(values["files"], app, ctx)
    if errors or app is None:
        written = {name: index for index, name in enumerate(options)}
        errors.sort(key=lambda error: written.get(error.option or "", len(written)))
        raise AppErrors(errors)

    worker = values["worker"]
    if worker is None:
        # stlite finds a multipage app's pages/ only in the first app of a shared
        # runtime, so multipage apps run in a runtime of their own.
        multipage = any(p.startswith("pages/") and p != app.entrypoint for p in app.files)
        worker = "own" if multipage else "shared"
    spec = AppSpec(
        entrypoint=app.entrypoint,
        files=tuple(app.files.items()),
        worker=worker,
        **{option.field: values[option.name] for option in OPTIONS if option.field},
    )
    return BuiltApp(spec=spec, dependencies=tuple(app.dependencies), warnings=tuple(app.warnings))
