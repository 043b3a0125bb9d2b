"""From what an author wrote (body + options) to a validated, frozen ``AppSpec``.

Front ends hand over plain strings; everything they have in common (option
syntax, file markers, file reading, defaults, checks) happens here once.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
#: Starts the app's hidden setup code: it runs before the entrypoint's code and is shown
#: nowhere (code display, layouts, editor); it ends at the next ``## file:`` line.
SETUP_MARKER = "## setup"
_SETUP_RE = re.compile(r"^## setup\s*$")


@dataclass(frozen=True)
class AppSpec:
    """Everything the page needs to run one app; picklable for parallel Sphinx.

    ``files`` keeps insertion order with the entrypoint first, so the JSON is
    deterministic and the code display starts with the entrypoint. Binary files
    are ``bytes``. ``setup`` is the hidden setup code (a ``## setup`` section): the
    runtime gets it before the entrypoint's code (:meth:`run_files`), the page shows
    the entrypoint without it.
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
    start: str | None = None
    full_page: bool | None = None
    setup: str = ""
    line_numbers: bool = False
    prerender: bool = True

    @property
    def entrypoint_source(self) -> str:
        source = dict(self.files)[self.entrypoint]
        assert isinstance(source, str)
        return source

    def run_files(self) -> tuple[tuple[str, FileContent], ...]:
        """The files as the runtime runs them: the setup code before the entrypoint's
        code (what a sharing link or a vendoring scan must see)."""
        if not self.setup:
            return self.files
        return tuple(
            (
                path,
                self.setup + content
                if path == self.entrypoint and isinstance(content, str)
                else content,
            )
            for path, content in self.files
        )

    def wants_full_page(self, site_default: bool) -> bool:
        """The app's ``full_page`` option, else the site's ``full_page_links``."""
        return site_default if self.full_page is None else self.full_page

    def on_full_page(self) -> AppSpec:
        """The app as its own page shows it: the app alone, as tall as its content, the
        whole width, started at once (the reader asked for it by opening the page)."""
        return replace(
            self,
            height=DEFAULT_HEIGHT,
            max_height=None,
            width=None,
            layout="app",
            start="eager",
            share=False,
            full_page=False,
        )

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
        if self.start is not None:
            data["start"] = self.start
        if self.setup:
            data["setup"] = self.setup
        if self.line_numbers:
            data["lineNumbers"] = True
        if not self.prerender:  # read by the build's snapshots (stlite_docs.prerender)
            data["prerender"] = False
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


@dataclass(frozen=True)
class SplitBody:
    """A body split on its marker lines: the files in order, and the setup section."""

    files: list[_BodyFile]
    setup: _BodyFile | None = None


def split_file_markers(body: str, default_name: str) -> SplitBody:
    """Split a body on ``## file: NAME`` lines and its ``## setup`` line. Text before the
    first marker (if any is not blank) belongs to ``default_name``, the entrypoint; the
    setup section runs from ``## setup`` to the next ``## file:`` line or the end."""
    if "## file:" not in body and "## setup" not in body:  # most apps: one file
        return SplitBody([_BodyFile(default_name, normalize_body(body), 1)])
    lines = body.splitlines(keepends=True)
    files: list[_BodyFile] = []
    setup: _BodyFile | None = None
    # the section being read: a file's name, or None for the setup section
    name: str | None = default_name
    initial, start = True, 1
    chunk: list[str] = []
    seen: dict[str, int] = {}

    def flush() -> None:
        nonlocal setup
        text = "".join(chunk)
        if name is None:
            if not text.strip():
                raise AppError(
                    f"the '{SETUP_MARKER}' section at app line {start - 1} is empty", start - 1
                )
            setup = _BodyFile(SETUP_MARKER, normalize_body(text), start)
        elif not initial or text.strip():
            files.append(_BodyFile(name, normalize_body(text), start))

    for number, line in enumerate(lines, start=1):
        bare = line.rstrip("\r\n")
        match = _MARKER_RE.match(bare)
        is_setup = match is None and _SETUP_RE.match(bare) is not None
        if match is None and not is_setup:
            chunk.append(line)
            continue
        flush()
        initial = False
        key = SETUP_MARKER if is_setup else ""
        if match is not None:
            try:
                key = check_app_path(match["name"], f"file marker at app line {number}")
            except AppError as exc:
                exc.line = number
                raise
        if key in seen:
            what = f"the '{SETUP_MARKER}' section" if is_setup else f"file {key!r}"
            raise AppError(f"{what} is given twice (app lines {seen[key]} and {number})", number)
        seen[key] = number
        name = None if is_setup else key
        start, chunk = number + 1, []
    flush()
    return SplitBody(files, setup)


@dataclass
class _AppFiles:
    """The app's file system as it is being put together."""

    entrypoint: str
    files: dict[str, FileContent]
    dependencies: list[Path]
    warnings: list[AppWarning]
    setup: str = ""


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
    return _AppFiles(
        entrypoint, {entrypoint: text}, [path], list(check_syntax(text, entrypoint, value))
    )


def _checked(part: _BodyFile, label: str | None) -> list[AppWarning]:
    """Syntax warnings of a part of the body, at their body lines; ``label`` names the part
    in messages when the body has several."""
    warnings = []
    for warning in check_syntax(part.text, part.name, None):
        line = warning.body_line
        message = warning.message
        if label:
            message = message.replace("app line", f"{label} line")
        warnings.append(
            AppWarning(
                message=message,
                subtype=warning.subtype,
                body_line=None if line is None else part.first_line + line - 1,
            )
        )
    return warnings


def _setup_warnings(setup: _BodyFile | None) -> list[AppWarning]:
    return [] if setup is None else _checked(setup, f"'{SETUP_MARKER}' section")


def _files_from_body(source: str, entry_value: str | None) -> _AppFiles:
    """The body, split on file markers; the entrypoint comes first."""
    default = DEFAULT_ENTRYPOINT if entry_value is None else entry_value
    split = split_file_markers(source, default)
    parts = split.files
    if not parts:
        raise AppError(
            f"the app has only a '{SETUP_MARKER}' section: write the app's code "
            "before it or in a '## file:' section after it"
        )
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
    warnings = _setup_warnings(split.setup)
    for part in sorted(parts, key=lambda p: p.name != entrypoint):
        files[part.name] = part.text
        if part.name.endswith(".py"):
            warnings += _checked(part, part.name if len(parts) > 1 else None)
    if not str(files[entrypoint]).strip():
        raise AppError(f"the entrypoint {entrypoint} is empty")
    return _AppFiles(entrypoint, files, [], warnings, split.setup.text if split.setup else "")


def _app_files(
    source: str, file: str | None, entrypoint: str | None, ctx: SourceContext
) -> _AppFiles:
    """Where the app's source comes from: the ``file`` option or the body. With ``file``,
    the body may hold a ``## setup`` section and nothing else."""
    if file is not None:
        setup = None
        if source:
            split = split_file_markers(source, DEFAULT_ENTRYPOINT)
            if split.files or split.setup is None:
                raise AppError(
                    "the app is given twice: option 'file' and a body; keep one of them (a "
                    f"body next to 'file' may only hold a '{SETUP_MARKER}' section)",
                    option="file",
                )
            setup = split.setup
        app = _entry_from_file(file, entrypoint or DEFAULT_ENTRYPOINT, ctx)
        app.warnings += _setup_warnings(setup)
        app.setup = setup.text if setup else ""
        return app
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
            errors.append(
                AppError(
                    f"the app file is given twice: as the directive argument ({argument!r}) and "
                    "with option 'file'; keep one of them",
                    option="file",
                )
            )
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
    if values.get("line_numbers") and values.get("layout") != "editor":
        errors.append(
            AppError(
                "option 'line_numbers' is for the editor: add 'layout: editor', or drop it",
                option="line_numbers",
            )
        )
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
        setup=app.setup,
        **{option.field: values[option.name] for option in OPTIONS if option.field},
    )
    return BuiltApp(spec=spec, dependencies=tuple(app.dependencies), warnings=tuple(app.warnings))
