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

from .checks import check_syntax
from .errors import AppError, AppWarning
from .options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
    ConfigValue,
    check_app_path,
    describe_unknown,
    parse_config,
    parse_entrypoint,
    parse_files,
    parse_flag,
    parse_height,
    parse_id,
    parse_layout,
    parse_requirements,
    parse_width,
    parse_worker,
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
        name = check_app_path(match["name"], f"file marker at app line {number}")
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


def _read_extra_file(src: str, ctx: SourceContext) -> tuple[Path, FileContent]:
    """Text stays text (exact JSON round trip); anything else travels as bytes."""
    path, raw = read_bytes_in_tree(src, ctx, "files")
    if b"\x00" not in raw:
        try:
            return path, raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return path, raw


def _entry_from_file(
    value: str, entrypoint: str, ctx: SourceContext
) -> tuple[dict[str, FileContent], list[Path], list[AppWarning]]:
    """The ``file`` option: the entrypoint's source comes from a file of the docs."""
    if not value.endswith(".py"):
        raise AppError(f"option 'file': {value!r} is not a .py file")
    path, text = read_text_in_tree(value, ctx, "file")
    if not text.strip():
        raise AppError(f"option 'file': {value} is empty")
    return {entrypoint: text}, [path], list(check_syntax(text, entrypoint, value))


def _files_from_body(
    source: str, entry_value: str | None
) -> tuple[str, dict[str, FileContent], list[AppWarning]]:
    """The body, split on file markers; the entrypoint comes first."""
    default = DEFAULT_ENTRYPOINT if entry_value is None else parse_entrypoint(entry_value)
    parts = split_file_markers(source, default)
    names = [p.name for p in parts]
    entrypoint = default if entry_value is not None else names[0]
    if entrypoint not in names:
        raise AppError(
            f"option 'entrypoint': {entrypoint!r} is not one of the app's files "
            f"({', '.join(names)})"
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
    return entrypoint, files, warnings


def build_app(
    body: str,
    options: Mapping[str, str | None],
    ctx: SourceContext,
    argument: str | None = None,
) -> BuiltApp:
    """Validate options and body; raise ``AppError`` (located) on bad input.

    ``argument`` is a directive argument (``.. stlite:: ./app.py``, the
    atsphinx-stlite form): the same as the ``file`` option.
    """
    unknown = unknown_options(set(options))
    if unknown:
        raise AppError(describe_unknown(unknown))
    if argument is not None:
        if options.get("file") is not None:
            raise AppError(
                f"the app file is given twice: as the directive argument ({argument!r}) and "
                "with option 'file'; keep one of them"
            )
        options = {**options, "file": argument}

    def opt(name: str) -> str | None:
        value = options.get(name)
        return None if value is None else str(value)

    height_value, entry_value = opt("height"), opt("entrypoint")
    height = DEFAULT_HEIGHT if height_value is None else parse_height(height_value)
    requirements = parse_requirements(opt("requirements") or "")
    layout = parse_layout(opt("layout") or "app")
    share_value = opt("share")
    share = None if share_value is None else parse_flag(share_value, "share")
    config_value = opt("config")
    config = () if config_value is None else parse_config(config_value)

    source = normalize_body(body)
    file_value = opt("file")
    if file_value is not None:
        if source:
            raise AppError("the app is given twice: option 'file' and a body; keep one of them")
        entrypoint = DEFAULT_ENTRYPOINT if entry_value is None else parse_entrypoint(entry_value)
        files, dependencies, warnings = _entry_from_file(file_value.strip(), entrypoint, ctx)
    elif not source:
        raise AppError("empty app: write the app's source in the body or name it with 'file'")
    else:
        entrypoint, files, warnings = _files_from_body(source, entry_value)
        dependencies = []

    files_value = opt("files")
    if files_value is not None:
        for src, dest in parse_files(files_value):
            if dest in files:
                raise AppError(f"option 'files': {dest!r} is already one of the app's files")
            path, content = _read_extra_file(src, ctx)
            dependencies.append(path)
            files[dest] = content

    worker_value = opt("worker")
    if worker_value is not None:
        worker = parse_worker(worker_value)
    else:
        # stlite finds a multipage app's pages/ only in the first app of a shared
        # runtime, so multipage apps run in a runtime of their own.
        multipage = any(p.startswith("pages/") and p != entrypoint for p in files)
        worker = "own" if multipage else "shared"
    spec = AppSpec(
        entrypoint=entrypoint,
        files=tuple(files.items()),
        requirements=requirements,
        height=height,
        layout=layout,
        share=share,
        config=config,
        worker=worker,
        width=None if opt("width") is None else parse_width(opt("width") or ""),
        element_id=None if opt("id") is None else parse_id(opt("id") or ""),
    )
    return BuiltApp(spec=spec, dependencies=tuple(dependencies), warnings=tuple(warnings))
