"""MkDocs front end: the ``stlite`` SuperFences fence and per-page assets.

Users write ``plugins: [stlite]``; the plugin registers the fence itself, so no
``!!python/name`` YAML is needed. Everything beyond translation is in the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from markdown import Markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from pymdownx.superfences import SuperFencesException

from stlite_docs import SETTINGS, ConfigError, SettingDef, Settings, SourceContext
from stlite_docs.app import AppSpec
from stlite_docs.assets import LOADER_CSS, LOADER_JS
from stlite_docs.fullpage import full_page_folder, full_page_name, write_full_page
from stlite_docs.markdown.fence import FenceExtension, PageInfo, PageState
from stlite_docs.render import with_loader
from stlite_docs.worker_script import WorkerScript, site_files, site_worker

from . import self_contained

log = get_plugin_logger("stlite")

ASSET_DIR = "assets/stlite-docs"
FULL_PAGE_DIR = f"{ASSET_DIR}/apps"  # each app's own page: apps/<page>/<element id>.html
SUPERFENCES = "pymdownx.superfences"
EXTENSION = "stlite_docs.markdown"


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


class _PluginFences(FenceExtension):
    """The fence, with each page's state made by the plugin (it knows the page)."""

    def __init__(self, plugin: StlitePlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def start_page(self, md: Markdown, lines: list[str]) -> PageState | None:
        return self.plugin.start_page()


class StlitePlugin(BasePlugin[StliteConfig]):
    """``plugins: [stlite]``."""

    def __init__(self) -> None:
        self._page: PageInfo | None = None
        self._states: list[PageState] = []
        self._apps_per_page: dict[str, list[AppSpec]] = {}
        self._settings = Settings()
        self._failed_apps = 0
        self._docs_dir = Path()
        self._vendored_apps: list[tuple[Any, str]] = []
        # (page source path, page title, [(app, element id)]) of the apps' own pages
        self._full_pages: list[tuple[str, str, list[tuple[Any, str]]]] = []
        self._worker: WorkerScript | None = None
        # (page as written, relative to site_dir; element id) -> document:line, for snapshots
        self._where: dict[tuple[str, str], str] = {}
        # page as written -> its URL (the search index's location)
        self._urls: dict[str, str] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            settings = Settings.read(self.config.__getitem__).validated()
        except ConfigError as exc:
            raise PluginError(f"plugin 'stlite': {exc}") from None
        if settings.self_contained:
            settings = self_contained.loader_settings(settings)
        self._settings = settings
        # stlite's worker next to the loader; a self-contained site's comes from its vendored
        # build (on_env)
        self._worker = site_worker(settings)
        self._failed_apps = 0
        self._full_pages = []
        self._where = {}
        self._urls = {}
        self._docs_dir = Path(config.docs_dir)
        if EXTENSION in config.markdown_extensions:
            raise PluginError(
                f"plugin 'stlite': {EXTENSION} is listed in markdown_extensions too: keep "
                "one of them (the plugin adds the fence itself)"
            )
        if SUPERFENCES not in config.markdown_extensions:
            config.markdown_extensions.append(SUPERFENCES)
        # A hand-written stlite fence would be read instead of ours: drop it.
        sf_config = config.mdx_configs.setdefault(SUPERFENCES, {})
        fences = [f for f in sf_config.get("custom_fences", []) if f.get("name") != "stlite"]
        sf_config["custom_fences"] = fences
        config.markdown_extensions.append(_PluginFences(self))  # type: ignore[arg-type]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for name, data in site_files(self._worker).items():
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=data))
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        abs_src = page.file.abs_src_path
        ctx = SourceContext(
            doc_dir=Path(abs_src).parent if abs_src else self._docs_dir, root_dir=self._docs_dir
        )
        offset = _lines_removed_above(page, markdown) if "stlite" in markdown else 0
        folder = f"{FULL_PAGE_DIR}/{full_page_folder(page.file.src_uri)}"
        self._page = PageInfo(
            document=page.file.src_uri,
            ctx=ctx,
            line_offset=offset,
            full_pages=quote(get_relative_url(folder, page.url)) + "/",
        )
        self._states = []
        return markdown

    def start_page(self) -> PageState | None:
        """A conversion starts (the fence's preprocessor): the state of the current page.
        Bad apps are logged where they are and counted: the build fails in ``on_env``,
        once every page was read, so one build shows every error."""
        if self._page is None:
            return None  # Markdown rendered outside a page (e.g. by another plugin)
        state = PageState(
            info=self._page,
            settings=self._settings,
            warn=log.warning,
            report_error=log.error,
            error=StliteFenceError,
            fail_at_end=False,
        )
        self._states.append(state)
        return state

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """All pages are converted before any is written: remember which have apps."""
        self._apps_per_page[page.file.src_uri] = [
            spec for state in self._states for spec, _ in state.specs
        ]
        self._failed_apps += sum(s.failed for s in self._states)
        if self._settings.self_contained:
            for state in self._states:
                self._vendored_apps.extend(state.specs)
        for state in self._states:
            for elem_id, where in state.ids.items():
                self._where[(page.file.dest_uri, elem_id)] = where
                self._urls[page.file.dest_uri] = page.url
        own = [app for state in self._states for app in state.full_pages]
        if own:
            self._full_pages.append((page.file.src_uri, page.title or page.file.name, own))
        self._page = None
        self._states = []
        return html

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is converted, none written: fail on app errors (each reported where
        it is), else vendor what the apps need."""
        if self._failed_apps:
            raise PluginError(
                f"plugin 'stlite': {self._failed_apps} app(s) have errors (reported above)"
            )
        if self._settings.self_contained:
            self._worker = self_contained.vendor_site(
                self._vendored_apps, self._settings, config, ASSET_DIR
            )
        return env

    @event_priority(-100)  # after the search plugin's: the snapshots' text goes into its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write each app's own page (after every page: MkDocs empties site_dir before), then
        the apps' snapshots where the site asks for them."""
        for src_uri, title, apps in self._full_pages:
            for index, (spec, elem_id) in enumerate(apps, start=1):
                write_full_page(
                    Path(config.site_dir),
                    f"{FULL_PAGE_DIR}/{full_page_name(src_uri, elem_id)}",
                    spec,
                    elem_id,
                    title=f"{title} (app {index})",
                    loader_dir=ASSET_DIR,
                    settings=self._settings,
                    worker=self._worker,
                )
        if self._settings.prerender and self._where:
            self._prerender(config)

    def _prerender(self, config: MkDocsConfig) -> None:
        """Each app's first screen into its page (:mod:`stlite_docs.prerender`); an app
        without one is a warning at its ``document:line`` (``--strict`` makes it fatal)."""
        from stlite_docs.prerender import add_to_search_index, prerender_built_site

        def progress(done: int, total: int, page: str) -> None:
            log.info(f"rendering app snapshots: {done}/{total} pages ({page})")

        base = Path(config.config_file_path).parent if config.config_file_path else Path()
        try:
            report = prerender_built_site(
                Path(config.site_dir), self._settings.resolved(base), progress=progress
            )
        except ConfigError as exc:
            raise PluginError(f"plugin 'stlite': {exc}") from None
        for problem in report.problems:
            where = self._where.get((problem.page, problem.elem_id), problem.page)
            log.warning(f"{where}: no snapshot of this app: {problem.message}")
        texts = {(self._urls.get(page, page), i): t for (page, i), t in report.texts.items()}
        add_to_search_index(Path(config.site_dir), texts)
        log.info(report.summary())

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material's instant navigation swaps pages without running their <head>
        # scripts: every page of a site with apps carries the loader, which does
        # nothing (loads no stlite) until apps appear in the page.
        instant = "navigation.instant" in (config.theme.get("features") or ())
        apps = self._apps_per_page.get(page.file.src_uri, [])
        if not apps and not (instant and any(self._apps_per_page.values())):
            return output
        base_url = page.url
        js = get_relative_url(f"{ASSET_DIR}/{LOADER_JS}", base_url)
        css = get_relative_url(f"{ASSET_DIR}/{LOADER_CSS}", base_url)
        return with_loader(
            output,
            js,
            css,
            self._settings,
            static_dir=Path(config.site_dir) / ASSET_DIR,
            worker=self._worker,
            apps=apps,
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
