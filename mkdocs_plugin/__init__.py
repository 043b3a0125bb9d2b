"""MkDocs front end: the ``stlite`` SuperFences fence and per-page assets.

Users write ``plugins: [stlite]``; the plugin registers the fence itself, so no
``!!python/name`` YAML is needed. Everything beyond translation is in the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
    SETTINGS,
    AppErrors,
    ConfigError,
    SettingDef,
    Settings,
    SourceContext,
    build_app,
    element_id,
    render_mount,
)
from stlite_docs.assets import LOADER_CSS, LOADER_JS, shipped_files
from stlite_docs.checks import PageApp, check_page
from stlite_docs.preload import preload_tags
from stlite_docs.render import loader_tags, plain_source_html

from . import self_contained
from .fences import FenceSite, claim_site, scan_stlite_fences

log = get_plugin_logger("stlite")

ASSET_DIR = "assets/stlite-docs"
SUPERFENCES = "pymdownx.superfences"


class StliteFenceError(SuperFencesException, PluginError):  # type: ignore[misc]
    """SuperFences re-raises its own exception type instead of falling back to a
    plain code block; MkDocs prints a ``BuildError`` without a traceback."""


def _option(setting: SettingDef) -> base.BaseConfigOption[Any]:
    """The plugin option of a site setting: its type checked here, its value by the
    core (``Settings.validated``), like every front end's."""
    types = tuple(t for t in setting.types if t is not type(None))
    checked: base.BaseConfigOption[Any] = c.Type(
        types[0] if len(types) == 1 else types, default=setting.default
    )
    return c.Optional(checked) if len(types) < len(setting.types) else checked


class StliteConfig(base.Config):
    """The plugin's options: the core's site settings, under their own names."""

    _schema = tuple((setting.name, _option(setting)) for setting in SETTINGS)


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
        self._settings = Settings()
        self._failed_apps = 0
        self._docs_dir = Path()
        self._vendored_apps: list[tuple[Any, str]] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            settings = Settings.read(self.config.__getitem__).validated()
        except ConfigError as exc:
            raise PluginError(f"plugin 'stlite': {exc}") from None
        if settings.self_contained:
            settings = self_contained.loader_settings(settings)
        self._settings = settings
        self._failed_apps = 0
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
        """Every page is converted, none written: fail on app errors (each reported where
        it is), else vendor what the apps need."""
        if self._failed_apps:
            raise PluginError(
                f"plugin 'stlite': {self._failed_apps} app(s) have errors (reported above)"
            )
        if self._settings.self_contained:
            self_contained.vendor_site(self._vendored_apps, self._settings, config, ASSET_DIR)
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
        where = _located(state, site, None)
        try:
            built = build_app(source, options, state.ctx)
        except AppErrors as exc:
            # Options sit in the fence's first line: their errors are reported there.
            for error in exc.errors:
                log.error(f"{_located(state, site, error.line)}: {error.message}")
            self._failed_apps += 1
            return plain_source_html(source)
        for warning in built.warnings:
            log.warning(f"{_located(state, site, warning.body_line)}: {warning.message}")
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
        if self._settings.self_contained:
            self._vendored_apps.append((built.spec, where))

        def highlight(code: str, language: str) -> str:
            return _highlight(code, language, md)

        return render_mount(
            built.spec, elem_id, highlight, share_links=self._settings.share_links
        )


def _located(state: _PageState, site: FenceSite | None, body_line: int | None) -> str:
    """``page:line`` of the fence, or of a line of its body."""
    if site is None:
        return state.page.file.src_uri
    return f"{state.page.file.src_uri}:{site.line + (body_line or 0)}"


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
        return plain_source_html(source, language)
    html: str = highlight(
        src=source, language=language, options={}, md=md, classes=[], id_value="", attrs={}
    )
    return html
