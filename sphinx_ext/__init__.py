"""Sphinx front end: the ``stlite`` directive (reST and MyST) and per-page assets.

Users add ``extensions = ["stlite_docs.sphinx_ext"]``. Everything that is not
translation between Sphinx and the core lives in ``stlite_docs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, TypeGuard
from urllib.parse import quote, unquote

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StateMachine
from sphinx.application import Sphinx
from sphinx.builders._epub_base import EpubBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxTranslator
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from stlite_docs import (
    OPTIONS,
    SETTINGS,
    STLITE_VERSION,
    AppError,
    AppErrors,
    AppSpec,
    ConfigError,
    Settings,
    SourceContext,
    __version__,
    build_app,
    element_id,
    render_mount,
)
from stlite_docs.assets import LOADER_CSS, LOADER_JS
from stlite_docs.checks import PageApp, check_page, duplicate_ids
from stlite_docs.fullpage import full_page_html, full_page_name
from stlite_docs.loader_tag import loader_attributes
from stlite_docs.render import loader_tag_early
from stlite_docs.worker_script import WorkerScript, site_files, site_worker

from . import self_contained
from .highlight import highlight_block
from .option_lines import option_location
from .raw_body import raw_directive_body

logger = logging.getLogger(__name__)

CONFIG_PREFIX = "stlite_"  # conf.py spells every site setting stlite_<name>
FULL_PAGE_DIR = "_stlite"  # each app's own page: _stlite/<docname>/<element id>.html


class stlite_app(nodes.General, nodes.Element):
    """One app. Its child is a literal block of the source, which is what
    non-HTML builders (LaTeX, text, man, texinfo, epub) render."""


@dataclass
class _DocState:
    """Per-document facts kept in the environment (merged after parallel reads)."""

    apps: int = 0
    errors: list[str] = field(default_factory=list)


def _states(env: BuildEnvironment) -> dict[str, _DocState]:
    states: dict[str, _DocState] | None = getattr(env, "stlite_docs_states", None)
    if states is None:
        states = {}
        env.stlite_docs_states = states  # type: ignore[attr-defined]
    return states


class _AnyOptionSpec(dict[str, Any]):
    """Lets unknown option names through to the core, which reports them as a
    located build error listing the valid names; docutils and MyST would drop
    the whole app with only a warning. ``sorted(spec)`` still shows real names."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class StliteDirective(SphinxDirective):
    """``.. stlite::`` with the app's source as body (or ``:file:``)."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1  # atsphinx-stlite's form: ``.. stlite:: ./app.py``
    option_spec: ClassVar[dict[str, Any]] = _AnyOptionSpec(
        {option.name: directives.unchanged for option in OPTIONS}
    )

    def run(self) -> list[nodes.Node]:
        state = _states(self.env).setdefault(self.env.docname, _DocState())
        body = "\n".join(self.content)
        if isinstance(self.state_machine, StateMachine):  # reST (MyST has its own)
            settings = self.state.document.settings
            raw = raw_directive_body(
                self.content, settings.input_encoding or "utf-8-sig", settings.tab_width
            )
            body = body if raw is None else raw
        ctx = _source_context(str(self.env.doc2path(self.env.docname)), str(self.env.srcdir))
        options = {k: ("" if v is None else str(v)) for k, v in self.options.items()}
        try:
            argument = self.arguments[0] if self.arguments else None
            built = build_app(body, options, ctx, argument)
        except AppErrors as exc:
            for error in exc.errors:
                location = self._error_location(error)
                logger.error(error.message, location=location, type="stlite", subtype="app")
                state.errors.append(f"{location}: {error.message}")
            block = nodes.literal_block(body, body, language="python")
            return [block]

        for dep in built.dependencies:
            self.env.note_dependency(str(dep))
        for warning in built.warnings:
            logger.warning(
                warning.message,
                location=self._location(warning.body_line),
                type="stlite",
                subtype=warning.subtype,
            )

        state.apps += 1
        index = self.env.new_serialno("stlite")
        node = stlite_app()
        node["spec"] = built.spec
        node["element_id"] = built.spec.element_id or element_id(self.env.docname, index)
        self.set_source_info(node)
        text_files = [(p, c) for p, c in built.spec.files if isinstance(c, str)]
        for path, content in text_files:
            if len(text_files) > 1:
                node += nodes.paragraph(path, "", nodes.literal(path, path))
            language = "python" if path.endswith(".py") else "text"
            node += nodes.literal_block(content, content, language=language)
        return [node]

    def _error_location(self, error: AppError) -> str:
        """Where to report an error: its body line, else its option's line, else the
        directive's first line."""
        if error.line is None and error.option is not None:
            option_line = option_location(self, error.option)
            if option_line is not None:
                return option_line
        return self._location(error.line)

    def _location(self, body_line: int | None) -> str:
        """``source:line`` of the directive, or of a line inside its body."""
        if body_line is not None and 0 < body_line <= len(self.content):
            source, offset = self.content.info(body_line - 1)
            if source is not None and offset is not None:
                state_machine: object = self.state_machine  # typed as docutils' own
                if not isinstance(state_machine, StateMachine):
                    # MyST's mock state machine numbers content lines from 0 and
                    # gives content_offset relative to the directive's own line.
                    return f"{source}:{self.lineno + self.content_offset + offset + 1}"
                return f"{source}:{offset + 1}"
        source, line = self.get_source_info()
        return f"{source}:{line}"


@lru_cache(maxsize=64)
def _source_context(doc_path: str, src_dir: str) -> SourceContext:
    """One per document, not per app: the same few paths for every app of a page."""
    return SourceContext(doc_dir=Path(doc_path).parent, root_dir=Path(src_dir))


def _is_live_html(builder: object) -> TypeGuard[StandaloneHTMLBuilder]:
    """Apps run in HTML pages, but not in e-books whose readers run no modules."""
    return isinstance(builder, StandaloneHTMLBuilder) and not isinstance(builder, EpubBuilder)


def visit_stlite_html(self: HTML5Translator, node: stlite_app) -> None:
    if not _is_live_html(self.builder):
        return  # the child literal block renders the source
    spec: AppSpec = node["spec"]

    def highlight(code: str, language: str) -> str:
        return highlight_block(self.highlighter, code, language, node)

    config = self.builder.config
    full_page = None
    if spec.wants_full_page(bool(config.stlite_full_page_links)):
        page = self.builder.get_target_uri(self.builder.current_docname)
        full_page = relative_uri(page, _full_page_path(self.builder.current_docname, node))
    share = bool(config.stlite_share_links)
    self.body.append(
        render_mount(
            spec, node["element_id"], highlight, share_links=share, full_page_href=full_page
        )
    )
    raise nodes.SkipNode


def _full_page_path(docname: str, node: stlite_app) -> str:
    """The app's own page, relative to the output folder (a URL path)."""
    return quote(f"{FULL_PAGE_DIR}/{full_page_name(docname, node['element_id'])}")


def _write_full_pages(app: Sphinx, pagename: str, doctree: nodes.document) -> None:
    """Each app of the page that asks for one gets its page, next to the site's pages."""
    settings = _settings(app.config)
    site_default = bool(app.config.stlite_full_page_links)
    title_node = next(iter(doctree.findall(nodes.title)), None)
    title = title_node.astext() if title_node is not None else pagename
    outdir = Path(app.outdir)
    for index, node in enumerate(doctree.findall(stlite_app), start=1):
        spec: AppSpec = node["spec"]
        if not spec.wants_full_page(site_default):
            continue
        path = _full_page_path(pagename, node)
        text = full_page_html(
            spec,
            node["element_id"],
            title=f"{title} (app {index})",
            loader_js=relative_uri(path, f"_static/{LOADER_JS}"),
            loader_css=relative_uri(path, f"_static/{LOADER_CSS}"),
            settings=settings,
            static_dir=outdir / "_static",
            worker=site_worker_of(app),
        )
        dest = outdir / unquote(path)
        data = text.encode("utf-8")
        if not dest.is_file() or dest.read_bytes() != data:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Apps of one page share one runtime: warn where their needs collide."""
    state = _states(app.env).get(app.env.docname)
    if state is None or state.apps < 2:
        return  # the directive counted this page's apps: no need to walk its doctree
    found = list(doctree.findall(stlite_app))
    if len(found) < 2:
        return
    wheres = [f"line {node.line}" for node in found]
    for index, message in duplicate_ids([node["element_id"] for node in found], wheres):
        location = f"{found[index].source}:{found[index].line}"
        logger.error(message, location=location, type="stlite", subtype="app")
        _states(app.env).setdefault(app.env.docname, _DocState()).errors.append(message)
    pages = [
        PageApp(
            where=f"app at line {node.line}",
            requirements=node["spec"].requirements,
            config=node["spec"].config,
        )
        for node in found
    ]
    for index, message in check_page(pages, _settings(app.config).inherited_theme_options()):
        logger.warning(message, location=found[index], type="stlite", subtype="conflict")


def _visit_children_only(self: SphinxTranslator, node: stlite_app) -> None:
    """Non-HTML output shows the source (the child literal block) and nothing else."""


def _depart_nothing(self: SphinxTranslator, node: stlite_app) -> None:
    pass


def site_settings(config: Config) -> Settings:
    """The site settings as conf.py gives them."""
    return Settings.read(config.__getitem__, CONFIG_PREFIX)


def _settings(config: Config) -> Settings:
    """The settings the pages use (a self-contained site's loader URLs point into it)."""
    settings = site_settings(config)
    return self_contained.loader_settings(settings) if settings.self_contained else settings


def on_config_inited(app: Sphinx, config: Config) -> None:
    try:
        site_settings(config).validated(CONFIG_PREFIX)
    except ConfigError as exc:
        raise SphinxConfigError(f"stlite-docs: {exc}") from None
    if config.stlite_default_version is not None:
        logger.warning(
            "stlite_default_version (an atsphinx-stlite setting) is ignored: stlite-docs pins "
            "@stlite/browser %s and never loads 'latest'. To use another build, set "
            "stlite_js_url and stlite_css_url to its stlite.js and stlite.css URLs.",
            STLITE_VERSION,
            type="stlite",
            subtype="deprecated",
        )


def on_html_page_context(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Loader and CSS only on pages that have an app (Sphinx resets per page), and each
    app's own page."""
    if not _is_live_html(app.builder) or doctree is None:
        return
    apps = [node["spec"] for node in doctree.findall(stlite_app)]
    if not apps:
        return
    settings = _settings(app.config)
    static = Path(app.outdir) / "_static"
    worker = site_worker_of(app)
    attrs: dict[str, Any] = {
        "type": "module",
        **loader_attributes(settings, static, worker, apps=apps),
    }
    app.add_css_file(LOADER_CSS)
    # where the theme renders scripts; moved before them once written (loader_tags_early)
    app.add_js_file(LOADER_JS, **attrs)
    _write_full_pages(app, pagename, doctree)


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _states(env).pop(docname, None)


def on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    theirs = _states(other)
    _states(env).update({d: theirs[d] for d in docnames if d in theirs})


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Copy the loader (and stlite's worker, where the site serves it) only into sites that
    use it, after reading and before any page is written: the pages' ``?v=<checksum>`` cache
    busters are computed from the copied files, so a first build and a rebuild must both find
    them. A self-contained site's worker comes from its vendored build (self_contained.py)."""
    app.stlite_docs_worker = None  # type: ignore[attr-defined]
    if _is_live_html(app.builder) and any(s.apps for s in _states(env).values()):
        worker = site_worker(site_settings(app.config))
        write_static(app, site_files(worker))
        app.stlite_docs_worker = worker  # type: ignore[attr-defined]
    return []


def write_static(app: Sphinx, files: dict[str, bytes]) -> None:
    """Write ``files`` into the site's ``_static`` (only what changed)."""
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        dest = static / name
        if not dest.exists() or dest.read_bytes() != data:
            dest.write_bytes(data)


def site_worker_of(app: Sphinx) -> WorkerScript | None:
    """The worker this build serves next to the loader (set in ``env-updated``)."""
    worker: WorkerScript | None = getattr(app, "stlite_docs_worker", None)
    return worker


def loader_tags_early(app: Sphinx) -> None:
    """The loader's tag into each written page's ``<head>``, before the theme's scripts
    (``render.loader_tag_early``): where a theme renders its scripts (Furo and Shibuya at the
    end of ``<body>``, after an inline script that waits for every stylesheet) is its
    template's choice, made after ``html-page-context``. Pages not written by this build were
    moved by the build that wrote them; a page already right is left alone."""
    if not _is_live_html(app.builder):
        return
    outdir = Path(app.outdir)
    for docname, state in _states(app.env).items():
        target = Path(app.builder.get_outfilename(docname))
        if not state.apps or not target.is_file() or outdir not in target.parents:
            continue
        page = target.read_text(encoding="utf-8")
        early = loader_tag_early(page, LOADER_JS)
        if early != page:
            target.write_text(early, encoding="utf-8")


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    """Place the loader's tags early; fail the build on app errors (each was reported where
    it happened)."""
    if exception is not None:
        return
    loader_tags_early(app)
    states = _states(app.env)
    broken = sorted(d for d, s in states.items() if s.errors)
    if broken:
        logger.error(
            "stlite: %d document(s) have app errors (reported above): %s",
            len(broken),
            ", ".join(broken),
            type="stlite",
            subtype="summary",
        )
        app.statuscode = 1


def setup(app: Sphinx) -> dict[str, Any]:
    for setting in SETTINGS:
        app.add_config_value(
            CONFIG_PREFIX + setting.name,
            setting.default,
            "html" if setting.affects_output else "",
            types=frozenset(setting.types),
        )
    # Recognised only to explain that it has no effect (atsphinx-stlite migration).
    app.add_config_value("stlite_default_version", None, "html", types=frozenset({str}))
    passthrough = (_visit_children_only, _depart_nothing)
    app.add_node(
        stlite_app,
        html=(visit_stlite_html, _depart_nothing),
        latex=passthrough,
        text=passthrough,
        man=passthrough,
        texinfo=passthrough,
    )
    app.add_directive("stlite", StliteDirective)
    app.connect("config-inited", on_config_inited)
    app.connect("html-page-context", on_html_page_context)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", on_build_finished)
    self_contained.setup(app)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
