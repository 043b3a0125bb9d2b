"""The extension's work at each step of a Sphinx build (connected in ``setup``).

Reading: page-level checks once a document is read; the documents' states purged and merged.
Once all are read (``env-updated``): the loader files, and stlite's worker where the site
serves it, into ``_static``. Writing: the loader's tags on pages with apps, and each app's own
page. At the end: the loader's tag moved before the theme's scripts, and the build failed if
any app had an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util import logging

from stlite_docs import STLITE_VERSION, AppSpec, ConfigError
from stlite_docs.assets import LOADER_CSS, LOADER_JS
from stlite_docs.checks import PageApp, check_page, duplicate_ids
from stlite_docs.fullpage import write_full_page
from stlite_docs.loader_tag import loader_attributes
from stlite_docs.render import loader_tag_early
from stlite_docs.worker_script import site_files, site_worker

from .nodes import full_page_path, stlite_app
from .site import CONFIG_PREFIX, is_live_html, page_settings, site_settings, write_static
from .state import build_state, doc_state, doc_states

logger = logging.getLogger(__name__)


def _write_full_pages(app: Sphinx, pagename: str, doctree: nodes.document) -> None:
    """Each app of the page that asks for one gets its page, next to the site's pages."""
    settings = page_settings(app.config)
    site_default = bool(app.config.stlite_full_page_links)
    title_node = next(iter(doctree.findall(nodes.title)), None)
    title = title_node.astext() if title_node is not None else pagename
    outdir = Path(app.outdir)
    for index, node in enumerate(doctree.findall(stlite_app), start=1):
        spec: AppSpec = node["spec"]
        if not spec.wants_full_page(site_default):
            continue
        write_full_page(
            outdir,
            unquote(full_page_path(pagename, node)),
            spec,
            node["element_id"],
            title=f"{title} (app {index})",
            loader_dir="_static",
            settings=settings,
            worker=build_state(app).worker,
        )


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Apps of one page share one runtime: warn where their needs collide."""
    state = doc_states(app.env).get(app.env.docname)
    if state is None or state.apps < 2:
        return  # the directive counted this page's apps: no need to walk its doctree
    found = list(doctree.findall(stlite_app))
    if len(found) < 2:
        return
    wheres = [f"line {node.line}" for node in found]
    for index, message in duplicate_ids([node["element_id"] for node in found], wheres):
        location = f"{found[index].source}:{found[index].line}"
        logger.error(message, location=location, type="stlite", subtype="app")
        doc_state(app.env, app.env.docname).errors.append(message)
    pages = [
        PageApp(
            where=f"app at line {node.line}",
            requirements=node["spec"].requirements,
            config=node["spec"].config,
        )
        for node in found
    ]
    for index, message in check_page(pages, page_settings(app.config).inherited_theme_options()):
        logger.warning(message, location=found[index], type="stlite", subtype="conflict")


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
    if not is_live_html(app.builder) or doctree is None:
        return
    apps = [node["spec"] for node in doctree.findall(stlite_app)]
    if not apps:
        return
    settings = page_settings(app.config)
    static = Path(app.outdir) / "_static"
    worker = build_state(app).worker
    attrs: dict[str, Any] = {
        "type": "module",
        **loader_attributes(settings, static, worker, apps=apps),
    }
    app.add_css_file(LOADER_CSS)
    # where the theme renders scripts; moved before them once written (loader_tags_early)
    app.add_js_file(LOADER_JS, **attrs)
    _write_full_pages(app, pagename, doctree)


def on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    doc_states(env).pop(docname, None)


def on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    theirs = doc_states(other)
    doc_states(env).update({d: theirs[d] for d in docnames if d in theirs})


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Copy the loader (and stlite's worker, where the site serves it) only into sites that
    use it, after reading and before any page is written: the pages' ``?v=<checksum>`` cache
    busters are computed from the copied files, so a first build and a rebuild must both find
    them. A self-contained site's worker comes from its vendored build (self_contained.py)."""
    build = build_state(app)
    build.worker = None
    if is_live_html(app.builder) and any(s.apps for s in doc_states(env).values()):
        build.worker = site_worker(site_settings(app.config))
        write_static(app.outdir, site_files(build.worker))
    return []


def loader_tags_early(app: Sphinx) -> None:
    """The loader's tag into each written page's ``<head>``, before the theme's scripts
    (``render.loader_tag_early``): where a theme renders its scripts (Furo and Shibuya at the
    end of ``<body>``, after an inline script that waits for every stylesheet) is its
    template's choice, made after ``html-page-context``. Pages not written by this build were
    moved by the build that wrote them; a page already right is left alone."""
    if not is_live_html(app.builder):
        return
    outdir = Path(app.outdir)
    for docname, state in doc_states(app.env).items():
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
    states = doc_states(app.env)
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
