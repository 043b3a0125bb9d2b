"""``stlite_docs.markdown``: the ``stlite`` fence for any Python-Markdown site.

Zensical, MkDocs without the plugin, ProperDocs, or a plain ``markdown.markdown()`` call::

    markdown_extensions:
      - pymdownx.superfences
      - stlite_docs.markdown:
          pyodide_url: ...   # optional, as every other site setting

The extension registers the fence with SuperFences itself and puts the loader and its
stylesheet into the page with the page's first app (inline, see
:func:`stlite_docs.render.inline_loader_tags`): hosts without a plugin API need no file copied
and no template changed; pages without apps get nothing. Sites with a Content Security
Policy that allows no ``data:`` scripts copy the loader into their docs once
(``stlite-docs loader docs/assets/stlite-docs``) and set ``loader_dir``.
"""

from __future__ import annotations

import dataclasses
import logging
import posixpath
from typing import Any

from markdown import Markdown

from stlite_docs import SETTINGS, ConfigError, Settings
from stlite_docs.paths import SourceContext
from stlite_docs.render import inline_loader_tags, loader_tags
from stlite_docs.worker_script import site_worker

from . import host
from .fence import FenceError, FenceExtension, PageInfo, PageState, formatter, validator

__all__ = ["StliteExtension", "formatter", "makeExtension", "validator"]

log = logging.getLogger("stlite_docs")

_SAID: set[str] = set()
# Settings that need a build step writing the site's files (self-contained sites, an app's own
# page), which a Markdown extension is not: each with why (``SettingDef.writes_files``).
_BUILD_ONLY = {setting.name: setting.writes_files for setting in SETTINGS if setting.writes_files}


def _site_settings() -> dict[str, list[Any]]:
    """Python-Markdown's config table, made from the core's table of site settings (the
    same names, defaults and docs as the MkDocs plugin's options)."""
    table: dict[str, list[Any]] = {
        setting.name: [
            list(setting.default) if isinstance(setting.default, tuple) else setting.default,
            setting.doc,
        ]
        for setting in SETTINGS
        if setting.name not in _BUILD_ONLY
    }
    table["loader_dir"] = [
        "",
        "Folder of the site (copied there by 'stlite-docs loader') from which pages load "
        "stlite-docs.js and .css, for a Content Security Policy without data: scripts; "
        "empty: inline in each page with apps",
    ]
    return table


class StliteExtension(FenceExtension):
    """The ``stlite`` fence, its settings given as extension config."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = _site_settings()
        super().__init__(**kwargs)
        values = self.getConfigs()
        try:
            # the settings of a build that writes files keep their defaults (_BUILD_ONLY)
            defaults = {setting.name: setting.default for setting in SETTINGS}
            self.settings = Settings.read(lambda name: values.get(name, defaults[name])).validated()
        except (ConfigError, TypeError) as exc:
            raise ValueError(f"stlite_docs.markdown: {exc}") from None
        self.loader_dir = str(values["loader_dir"]).strip("/")

    def setConfig(self, key: str, value: Any) -> None:
        if key not in self.config:
            if key in _BUILD_ONLY:
                hint = f": {_BUILD_ONLY[key]}"
            else:
                hint = f" (settings: {', '.join(sorted(self.config))})"
            raise ValueError(f"stlite_docs.markdown: unknown setting {key!r}{hint}")
        try:
            super().setConfig(key, value)
        except ValueError as exc:
            raise ValueError(f"stlite_docs.markdown: {key}: {exc}") from None

    def start_page(self, md: Markdown, lines: list[str]) -> PageState:
        page = host.zensical_page(md, lines)
        if page is None:
            root = host.cwd()
            info = PageInfo(document="", ctx=SourceContext(doc_dir=root, root_dir=root))
            url_dir = source_dir = ""
        else:
            info, url_dir, source_dir = page.info, page.url_dir, page.source_dir
            for warning in page.config_warnings:
                if warning not in _SAID:
                    _SAID.add(warning)  # once per build, not once per page
                    _warn(warning)
        return PageState(
            info=info,
            settings=self.settings,
            loader=self._loader(url_dir, source_dir, page is not None),
            warn=_warn,
            report_error=_report_error,
            error=_error,
        )

    def _loader(self, url_dir: str, source_dir: str, site_relative: bool) -> str:
        """The tags before a page's first app. On Zensical relative setting URLs are taken
        from the site's root (made relative to where the loader resolves them, so they work
        under any sub-path); elsewhere they are used as written."""
        if not self.loader_dir:
            base = url_dir  # an inlined loader resolves against the page's URL
            return inline_loader_tags(_relative_to(self.settings, base, site_relative))
        # Zensical rewrites relative src/href as relative to the page's source file.
        prefix = _up(source_dir) if site_relative else ""
        settings = _relative_to(self.settings, self.loader_dir, site_relative)
        # stlite's worker: next to the loader files ('stlite-docs loader' writes it), so only
        # with them; an inlined loader has no folder for it
        return loader_tags(
            f"{prefix}{self.loader_dir}/stlite-docs.js",
            f"{prefix}{self.loader_dir}/stlite-docs.css",
            settings,
            worker=site_worker(self.settings),
        )


def _up(folder: str) -> str:
    return "../" * len([part for part in folder.split("/") if part])


def _relative_to(settings: Settings, folder: str, site_relative: bool) -> Settings:
    """``settings`` with site-root-relative URLs made relative to ``folder`` of the site."""
    if not site_relative:
        return settings
    changed: dict[str, Any] = {}
    for name in ("js_url", "css_url", "pyodide_url"):
        url: str = getattr(settings, name)
        if url.startswith("/") or ":" in url.split("/", 1)[0]:
            continue  # absolute, or root-relative: the same from every page
        changed[name] = _up(folder) + posixpath.normpath(url)
    return dataclasses.replace(settings, **changed) if changed else settings


def _warn(message: str) -> None:
    log.warning("stlite: %s", message)


def _report_error(message: str) -> None:
    log.error("stlite: %s", message)


def _error(message: str) -> Exception:
    # Zensical shows a Python exception with its traceback: the located message first.
    log.error("stlite: %s", message)
    return FenceError(message)


def makeExtension(**kwargs: Any) -> StliteExtension:
    return StliteExtension(**kwargs)
