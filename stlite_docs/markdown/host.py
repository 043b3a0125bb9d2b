"""What the ``stlite_docs.markdown`` extension learns from the site generator running it.

Zensical gives each page's Markdown instance a context (``ContextPreprocessor``): the page's
path and URL and the whole site configuration. Other hosts give nothing; the extension then
names no document and takes paths from the working folder.
"""

from __future__ import annotations

import posixpath
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markdown import Markdown

from stlite_docs.paths import SourceContext

from .fence import PageInfo

_FRONT_MATTER_END_RE = re.compile(r"^(?:---|\.\.\.)\s*$")


@dataclass(frozen=True)
class ZensicalPage:
    info: PageInfo
    url_dir: str  # the page's folder in the built site ("sub/page" for sub/page/)
    source_dir: str  # the page's folder in docs_dir ("sub" for sub/page.md)
    #: what is wrong with the site's configuration for stlite-docs (said once per build)
    config_warnings: tuple[str, ...]


def cwd() -> Path:
    return Path.cwd()


def zensical_page(md: Markdown, lines: list[str]) -> ZensicalPage | None:
    """The page Zensical is rendering with ``md``, or None outside Zensical."""
    if "zensical" not in sys.modules:
        return None  # never import Zensical where it does not run
    from zensical.extensions.context import ContextPreprocessor

    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    config: dict[str, Any] = context.config
    root = Path(config.get("root_dir") or ".")
    docs_dir = (root / str(config.get("docs_dir") or "docs")).resolve()
    path = str(context.page.path).replace("\\", "/")
    source = docs_dir / path
    offset = _front_matter_lines(source, lines) if any("stlite" in x for x in lines) else 0
    info = PageInfo(
        document=path,
        ctx=SourceContext(doc_dir=source.parent, root_dir=docs_dir),
        line_offset=offset,
    )
    return ZensicalPage(
        info=info,
        url_dir=posixpath.dirname(str(context.page.url)),
        source_dir=posixpath.dirname(path),
        config_warnings=tuple(
            w
            for w in (
                _plugin_warning(str(root)),
                _defaults_warning(tuple(config.get("markdown_extensions") or ())),
            )
            if w
        ),
    )


def _front_matter_lines(source: Path, lines: list[str]) -> int:
    """Zensical removes a page's front matter before the Markdown is converted: count the
    lines removed above ``lines``, so messages name lines of the file (0 when the text
    converted is not what follows the front matter, e.g. another extension changed it)."""
    try:
        file_lines = source.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 0
    if not file_lines or file_lines[0].strip() != "---":
        return 0
    end = next(
        (i for i, line in enumerate(file_lines[1:], 1) if _FRONT_MATTER_END_RE.match(line)), 0
    )
    if not end:
        return 0
    body = file_lines[end + 1 :]
    body_start, text_start = _blank_prefix(body), _blank_prefix(lines)
    if body_start >= len(body) or text_start >= len(lines) or body_start < text_start:
        return 0
    if body[body_start].expandtabs(4) != lines[text_start]:
        return 0
    skipped = body_start - text_start
    return end + 1 + skipped


def _blank_prefix(lines: list[str]) -> int:
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return count


@cache
def _plugin_warning(root_dir: str) -> str:
    """Said once per build: the MkDocs plugin is configured, and Zensical ignores it."""
    for name in ("mkdocs.yml", "mkdocs.yaml"):
        path = Path(root_dir) / name
        if path.is_file() and "stlite" in _plugin_names(path):
            return (
                f"{name} lists the MkDocs plugin 'stlite', which Zensical does not run: "
                "its settings are ignored here. The markdown extension stlite_docs.markdown "
                "renders the apps; remove 'stlite' from plugins and give its settings to "
                "the extension (it works in MkDocs too)"
            )
    return ""


@cache
def _defaults_warning(listed: tuple[str, ...]) -> str:
    """Said once per build: the site lists ``markdown_extensions`` (as this extension's setup
    asks) but none of Zensical's defaults, which a list replaces: admonitions, tabs and the
    like would show as literal text, and an app inside one as a code block."""
    try:
        from zensical.config import DEFAULT_MARKDOWN_EXTENSIONS
    except ImportError:  # another Zensical: nothing known to compare with
        return ""
    # toc and tables Zensical always adds; superfences is the list stlite-docs asks for
    defaults = set(DEFAULT_MARKDOWN_EXTENSIONS) - {"toc", "tables", "pymdownx.superfences"}
    if not defaults or defaults & set(listed):
        return ""
    return (
        "the site lists markdown_extensions, which replaces Zensical's default ones: "
        f"{', '.join(sorted(defaults))} are off, so admonitions ('!!! note'), tabs and the "
        "like show as literal text. List the ones the pages use beside pymdownx.superfences "
        "and stlite_docs.markdown (Zensical's defaults are in its docs, 'Extensions')"
    )


def _plugin_names(path: Path) -> set[str]:
    import yaml

    class _Loader(yaml.SafeLoader):
        """Reads MkDocs' YAML: tags such as !!python/name or !ENV become None."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return set()
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        return {str(name) for name in plugins}
    names: set[str] = set()
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, str):
            names.add(entry)
        elif isinstance(entry, dict):
            names.update(str(name) for name in entry)
    return names
