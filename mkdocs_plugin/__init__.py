"""MkDocs front end: the ``stlite`` SuperFences fence and per-page assets.

Users write ``plugins: [stlite]``; the plugin registers the fence itself, so no
``!!python/name`` YAML is needed. Everything beyond translation is in the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from markdown import Markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from pymdownx.superfences import SuperFencesException

from stlite_docs import (
    OPTION_NAMES,
    AppError,
    ConfigError,
    Settings,
    SourceContext,
    build_app,
    element_id,
    render_mount,
)
from stlite_docs.assets import INHERITABLE, LOADER_CSS, LOADER_JS, shipped_files
from stlite_docs.checks import PageApp, check_page
from stlite_docs.preload import preload_tags
from stlite_docs.render import loader_tags, plain_source_html

from . import self_contained
from .fences import FenceSite, claim_site, scan_stlite_fences

log = get_plugin_logger("stlite")

ASSET_DIR = "assets/stlite-docs"
SUPERFENCES = "pymdownx.superfences"
_DEFAULTS = Settings()


class StliteFenceError(SuperFencesException, PluginError):  # type: ignore[misc]
    """SuperFences re-raises its own exception type instead of falling back to a
    plain code block; MkDocs prints a ``BuildError`` without a traceback."""


class StliteConfig(base.Config):
    js_url = c.Type(str, default=_DEFAULTS.js_url)
    css_url = c.Type(str, default=_DEFAULTS.css_url)
    pyodide_url = c.Type(str, default=_DEFAULTS.pyodide_url)
    share_links = c.Type(bool, default=False)
    self_contained = c.Type(bool, default=False)
    browser_source = c.Optional(c.Type(str))
    pyodide_source = c.Optional(c.Type(str))
    package_index = c.Optional(c.Type(str))
    cache_dir = c.Optional(c.Type(str))
    theme = c.Type(str, default=_DEFAULTS.theme)
    style_nonce = c.Type(str, default="")
    # checked by the core (Settings.validated), like the other settings
    inherit = c.Type((list, bool), default=list(INHERITABLE))


class _PageState:
    """What the fence formatter needs to know about the page being rendered."""

    def __init__(self, page: Page, markdown: str, docs_dir: Path) -> None:
        self.page = page
        self.sites: list[FenceSite] = scan_stlite_fences(markdown)
        self.apps = 0
        self.checked: list[PageApp] = []
        self.ids: dict[str, str] = {}
        abs_src = page.file.abs_src_path
        self.ctx = SourceContext(
            doc_dir=Path(abs_src).parent if abs_src else docs_dir, root_dir=docs_dir
        )


class StlitePlugin(BasePlugin[StliteConfig]):
    """``plugins: [stlite]``."""

    def __init__(self) -> None:
        self._page: _PageState | None = None
        self._apps_per_page: dict[str, int] = {}
        self._settings = _DEFAULTS
        self._docs_dir = Path()
        self._vendored_apps: list[tuple[Any, str]] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self._settings = Settings(
                js_url=self.config.js_url,
                css_url=self.config.css_url,
                pyodide_url=self.config.pyodide_url,
                theme=self.config.theme,
                style_nonce=self.config.style_nonce,
                # list or bool (the option type); the core checks the names
                inherit=cast("list[str] | bool", self.config.inherit),
            ).validated({})
        except ConfigError as exc:
            raise PluginError(f"plugin 'stlite': {exc}") from None
        if self.config.self_contained:
            self._settings = self_contained.configure(self.config, config, self._settings)
        self._docs_dir = Path(config.docs_dir)
        if SUPERFENCES not in config.markdown_extensions:
            config.markdown_extensions.append(SUPERFENCES)
        sf_config = config.mdx_configs.setdefault(SUPERFENCES, {})
        fences = [f for f in sf_config.get("custom_fences", []) if f.get("name") != "stlite"]
        fences.append(
            {
                "name": "stlite",
                "class": "stlite",
                "format": self._format_fence,
                "validator": _accept_all_options,
            }
        )
        sf_config["custom_fences"] = fences
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for name, text in shipped_files().items():
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=text))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self._page = _PageState(page, markdown, self._docs_dir)
        if self._page.sites:  # pages without apps cost (almost) nothing
            offset = _lines_removed_above(page, markdown)
            for site in self._page.sites:
                site.line += offset
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """All pages are converted before any is written: remember which have apps."""
        if self._page is not None and self._page.page is page:
            self._apps_per_page[page.file.src_uri] = self._page.apps
            unread = [site for site in self._page.sites if not site.used]
            if unread:  # SuperFences could not parse the header: the body became page text
                raise PluginError(
                    f"{page.file.src_uri}:{unread[0].line}: this stlite fence is not an app: "
                    'write its options as name="value" (names: '
                    f"{', '.join(sorted(OPTION_NAMES))})"
                )
            inherited = self._settings.inherited_theme_options()
            for index, message in check_page(self._page.checked, inherited):
                log.warning(f"{self._page.checked[index].where}: {message}")
        self._page = None
        return html

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is converted, none written: vendor what the apps need."""
        if self.config.self_contained:
            self_contained.vendor_site(self._vendored_apps, self.config, config, ASSET_DIR)
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material's instant navigation swaps pages without running their <head>
        # scripts: every page of a site with apps carries the loader, which does
        # nothing (loads no stlite) until apps appear in the page.
        instant = "navigation.instant" in (config.theme.get("features") or ())
        if not self._apps_per_page.get(page.file.src_uri) and not (
            instant and any(self._apps_per_page.values())
        ):
            return output
        base_url = page.url
        js = get_relative_url(f"{ASSET_DIR}/{LOADER_JS}", base_url)
        css = get_relative_url(f"{ASSET_DIR}/{LOADER_CSS}", base_url)
        tags = loader_tags(js, css, self._settings)
        if self._apps_per_page.get(page.file.src_uri):
            # early fetch hints only where apps are (instant navigation: the first page)
            loader_dir = get_relative_url(f"{ASSET_DIR}/", base_url)
            static_dir = Path(config.site_dir) / ASSET_DIR
            tags = preload_tags(self._settings, loader_dir, static_dir) + tags
        head_end = output.find("</head>")
        if head_end == -1:
            return tags + output
        return output[:head_end] + tags + output[head_end:]

    def _format_fence(
        self,
        source: str,
        language: str,
        class_name: str,
        options: dict[str, str],
        md: Markdown,
        **kwargs: Any,
    ) -> str:
        state = self._page
        if state is None:
            # Rendering outside a page (e.g. another plugin's Markdown call).
            return plain_source_html(source)
        site = claim_site(state.sites, source)
        where = state.page.file.src_uri + (f":{site.line}" if site else "")
        try:
            built = build_app(source, options, state.ctx)
        except AppError as exc:
            raise StliteFenceError(f"{where}: {exc.message}") from None
        for warning in built.warnings:
            line = (
                f"{state.page.file.src_uri}:{site.line + warning.body_line}"
                if site and warning.body_line is not None
                else where
            )
            log.warning(f"{line}: {warning.message}")
        index = state.apps
        state.apps += 1
        elem_id = built.spec.element_id or element_id(
            state.page.file.src_uri.rsplit(".", 1)[0], index
        )
        if elem_id in state.ids:
            raise StliteFenceError(
                f"{where}: id {elem_id!r} is already used by the app at {state.ids[elem_id]}"
            )
        state.ids[elem_id] = where
        state.checked.append(
            PageApp(where=where, requirements=built.spec.requirements, config=built.spec.config)
        )
        if self.config.self_contained:
            self._vendored_apps.append((built.spec, where))

        def highlight(code: str, language: str) -> str:
            return _highlight(code, language, md)

        return render_mount(
            built.spec, elem_id, highlight, share_links=bool(self.config.share_links)
        )


def _lines_removed_above(page: Page, markdown: str) -> int:
    """MkDocs strips the front matter (YAML or MultiMarkdown meta) before plugins
    see the Markdown; count those lines so messages name the line in the file."""
    try:
        source = page.file.content_string
    except (OSError, ValueError, AttributeError):
        return 0
    if not markdown or not source.endswith(markdown):
        return 0  # another plugin rewrote the page; lines are relative to its text
    return source[: len(source) - len(markdown)].count("\n")


def _accept_all_options(
    language: str,
    inputs: dict[str, str],
    options: dict[str, str],
    attrs: dict[str, str],
    md: Markdown,
) -> bool:
    """Pass every attribute to the core, which reports unknown ones with a list
    of the valid names (SuperFences would otherwise silently ignore the fence)."""
    options.update(inputs)
    return True


def _highlight(source: str, language: str, md: Markdown) -> str:
    """The site's own code highlighting (pymdownx.highlight settings), so the
    fallback code looks like every other code block of the site."""
    fenced = md.preprocessors["fenced_code_block"]
    highlight = getattr(fenced, "highlight", None)
    if highlight is None:
        return plain_source_html(source)
    html: str = highlight(
        src=source, language=language, options={}, md=md, classes=[], id_value="", attrs={}
    )
    return html
