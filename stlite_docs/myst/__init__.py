"""``stlite-docs-myst``: the ``{stlite}`` directive for mystmd and Jupyter Book 2.

An executable plugin (``myst.yml``: ``project: plugins: [{type: executable, path: ...}]``).
mystmd runs it once with no argument for its spec (printed as JSON), then once per directive
with ``--directive stlite`` and the directive's data as JSON on stdin; it prints AST nodes.

mystmd keeps no raw HTML or scripts, so each app becomes an ``anywidget`` node: the widget
module (one bundled file, ``stlite-docs-myst.mjs``, staged into the project's ``_build``
folder, which mystmd copies into the site) mounts the same element as every other host
(``render_mount``) in the page's light DOM, and all apps of a page share the one loader and
its one shared worker. The node's model carries that element (with the app's config, the
``AppSpec.to_config()`` contract) and the site settings, read from ``STLITE_DOCS_*``
environment variables (mystmd has no place for a plugin's own settings in ``myst.yml``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stlite_docs import (
    OPTIONS,
    SETTINGS,
    AppError,
    AppErrors,
    ConfigError,
    SettingDef,
    Settings,
    SourceContext,
    build_app,
)
from stlite_docs.assets import LOADER_INLINE_CSS, MYST_WIDGET, STATIC_DIR, write_file
from stlite_docs.loader_tag import loader_attributes
from stlite_docs.render import plain_source_html, render_mount

DIRECTIVE = "stlite"
WIDGET = MYST_WIDGET
WIDGET_CSS = LOADER_INLINE_CSS
# Project-relative (mystmd reads a leading "/" from the project folder) and inside _build,
# which mystmd projects keep out of version control.
STAGE_DIR = "_build/stlite-docs"
ENV_PREFIX = "STLITE_DOCS_"


def spec() -> dict[str, Any]:
    """What ``stlite-docs-myst`` prints with no argument."""
    return {
        "name": "stlite-docs",
        "directives": [
            {
                "name": DIRECTIVE,
                "doc": "A live Streamlit app, running in the reader's browser (stlite).",
                "arg": {"type": "string", "doc": "A .py file used as the app's source."},
                "options": {
                    option.name: {"type": "string", "doc": option.summary} for option in OPTIONS
                },
                "body": {"type": "string", "doc": "The app's source."},
            }
        ],
    }


#: The site settings mystmd sites take (``STLITE_DOCS_<NAME>``): those a build that writes
#: no files of its own can honour (``SettingDef.writes_files``).
ENV_SETTINGS = tuple(setting for setting in SETTINGS if not setting.writes_files)
_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off", "")


def _from_env(setting: SettingDef, text: str) -> Any:
    """A setting's value from its variable's text, by the setting's type."""
    if setting.types == (bool,):
        word = text.strip().lower()
        if word not in _YES + _NO:
            raise ConfigError(f"{ENV_PREFIX}{setting.name.upper()}: {text!r} is not true or false")
        return word in _YES
    if setting.name == "inherit":  # a list of names, or false
        words = [w for w in text.replace(",", " ").split() if w]
        return False if words in ([], ["false"], ["none"]) else words
    return text


def settings_from_env(environ: dict[str, str]) -> tuple[Settings, bool]:
    """The site settings (and ``share_links``) from ``STLITE_DOCS_<NAME>`` variables."""
    values: dict[str, Any] = {}
    for setting in ENV_SETTINGS:
        text = environ.get(ENV_PREFIX + setting.name.upper())
        if text is not None:
            values[setting.name] = _from_env(setting, text)
    try:
        settings = Settings(**values).validated(ENV_PREFIX)
    except ConfigError as exc:  # name the variable as it is spelled
        message = str(exc)
        for name in values:
            message = message.replace(ENV_PREFIX + name, ENV_PREFIX + name.upper())
        raise ConfigError(message) from None
    return settings, settings.share_links


def stage(project: Path) -> None:
    """Put the widget module and its stylesheet into the project, where the nodes name
    them; files are rewritten only when they differ (mystmd runs one process per app)."""
    folder = project / STAGE_DIR
    for name in (WIDGET, WIDGET_CSS):
        write_file(folder / name, (STATIC_DIR / name).read_bytes())


def _body_line(node: dict[str, Any]) -> int | None:
    """The document line of the directive body's first line (mystmd gives positions)."""
    for child in node.get("children", ()):
        if child.get("type") == "mystDirectiveBody":
            line = child.get("position", {}).get("start", {}).get("line")
            return int(line) if line else None
    return None


def _written_options(node: dict[str, Any]) -> dict[str, tuple[str, int | None]]:
    """Every option as the author wrote it: name -> (value, document line).

    mystmd passes a plugin only the options its spec declares (``data.options``) and drops
    any other with a warning, so a misspelled ``:heigth: 300`` would build an app of the
    default height; the directive's node still holds each ``mystOption`` as written."""
    written: dict[str, tuple[str, int | None]] = {}
    for child in node.get("children", ()):
        if child.get("type") == "mystOption" and child.get("name"):
            line = child.get("position", {}).get("start", {}).get("line")
            value = child.get("value")
            written[str(child["name"])] = ("" if value is None else str(value), line)
    return written


def _located(exc: AppError, node: dict[str, Any], lines: dict[str, int | None]) -> str:
    """Each problem of ``exc`` with its document line: an option's own line, a body line, or
    the directive's first line."""
    start = node.get("position", {}).get("start", {}).get("line")
    body = _body_line(node)
    found = []
    for error in exc.errors if isinstance(exc, AppErrors) else (exc,):
        line = start
        if error.option and lines.get(error.option):
            line = lines[error.option]
        elif error.line and body:
            line = body + error.line - 1
        found.append(f"line {line}: {error.message}" if line else error.message)
    return "\n".join(found)


def directive(data: dict[str, Any], project: Path, settings: Settings, share: bool) -> list[Any]:
    """The nodes of one ``{stlite}`` directive; ``AppError`` names the document line.

    mystmd gives a plugin the directive but not its document, so ``file`` and ``files``
    paths are taken from the project folder, and element ids come from the app and its
    line (unique on a page unless two identical apps share a line)."""
    node = data.get("node") or {}
    start = node.get("position", {}).get("start", {}).get("line")
    written = _written_options(node)
    # the declared options as mystmd parsed them, and every other one as written: the core
    # reports an unknown one like every host does
    options = {name: value for name, (value, _) in written.items()}
    options |= {name: str(value) for name, value in (data.get("options") or {}).items()}
    ctx = SourceContext(doc_dir=project, root_dir=project)
    try:
        built = build_app(str(data.get("body") or ""), options, ctx, data.get("arg") or None)
    except AppError as exc:
        lines = {name: line for name, (_, line) in written.items()}
        raise AppError(_located(exc, node, lines)) from None
    spec = built.spec
    config = json.dumps(spec.to_config(), sort_keys=True)
    digest = hashlib.sha256(f"{start}\n{config}".encode()).hexdigest()[:10]
    elem_id = spec.element_id or f"stlite-{digest}"

    def highlight(code: str, language: str) -> str:
        return plain_source_html(code)

    html = render_mount(spec, elem_id, highlight, share_links=share, actions=settings.app_actions)
    # the loader's settings, as the other hosts give them on its <script> tag
    model = {"html": html, "settings": loader_attributes(settings)}
    stage(project)
    return [
        {
            "type": "anywidget",
            "esm": f"/{STAGE_DIR}/{WIDGET}",
            "css": f"/{STAGE_DIR}/{WIDGET_CSS}",
            "model": model,
            "class": "stlite-docs-widget",
            "id": elem_id,
        }
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(json.dumps(spec()))
        return 0
    if args[:2] != ["--directive", DIRECTIVE]:
        print(f"stlite-docs-myst: unknown request {' '.join(args)!r}", file=sys.stderr)
        return 2
    try:
        settings, share = settings_from_env(dict(os.environ))
        nodes = directive(json.load(sys.stdin), Path.cwd(), settings, share)
    except (AppError, ConfigError) as exc:
        # mystmd shows this after the document's name
        print(f"stlite: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(nodes))
    return 0
