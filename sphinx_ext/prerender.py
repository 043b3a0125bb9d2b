"""Sphinx glue of app snapshots (``stlite_prerender = True``).

Builds whose output cannot run apps (LaTeX/PDF, text, epub, man, texinfo) get a picture of each
app's first screen above its source instead (:mod:`stlite_docs.prerender.images`: made once all
documents are read, put in place as each is resolved). HTML: once the site is written
(``build-finished``, after the loader's tags are in place), the core
(:mod:`stlite_docs.prerender`) renders each app's first screen into its page, with Sphinx's
progress lines; an app without a snapshot is a warning at its ``document:line`` (``-W`` makes
it fatal); the snapshots' text goes into the search index. Only HTML builds that had no app
errors render.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from stlite_docs.errors import ConfigError

from .nodes import stlite_app
from .site import is_live_html, site_settings
from .state import build_state, doc_states

logger = logging.getLogger(__name__)


def setup(app: Sphinx) -> None:
    # after events.on_build_finished (500), which places the loader's tags
    app.connect("build-finished", on_build_finished, priority=800)
    # outputs that cannot run apps (LaTeX, text, epub...): a picture above each app's source
    app.connect("env-updated", on_env_updated)
    app.connect("doctree-resolved", on_doctree_resolved)


def _wants_pictures(app: Sphinx) -> bool:
    """A build whose output cannot run apps, with prerender on (HTML builds get snapshots)."""
    return bool(app.config.stlite_prerender) and not is_live_html(app.builder)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every app's picture, made (or taken from the cache) once all documents are read, before
    any is written."""
    build = build_state(app)
    build.pictures = {}
    if not _wants_pictures(app):
        return []
    from stlite_docs.prerender.images import Picture, app_pictures, picture_key

    settings = site_settings(app.config).resolved(Path(app.confdir))
    pictures: dict[str, Picture] = {}
    nodes_by_key: dict[str, list[stlite_app]] = {}
    for docname in sorted(d for d, state in doc_states(env).items() if state.apps):
        for node in env.get_doctree(docname).findall(stlite_app):
            spec = node["spec"]
            if not spec.prerender:
                continue
            key = picture_key(spec, settings)
            pictures.setdefault(key, Picture(f"app-{key[:16]}", spec, f"{docname}:{node.line}"))
            nodes_by_key.setdefault(key, []).append(node)

    def progress(done: int, total: int, where: str) -> None:
        logger.info("picturing apps... " + f"[{100 * done // total:3d}%] {where}")

    try:
        made = app_pictures(list(pictures.values()), settings, progress=progress)
    except ConfigError as exc:
        logger.error("stlite: %s", exc, type="stlite", subtype="prerender")
        app.statuscode = 1
        return []
    for key, picture in pictures.items():
        outcome = made.get(picture.name, "no picture was made")
        build.pictures[key] = outcome
        if isinstance(outcome, str):
            for node in nodes_by_key[key]:
                logger.warning(
                    "stlite: no picture of this app: %s",
                    outcome,
                    location=node,
                    type="stlite",
                    subtype="prerender",
                )
    return []


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each app's picture above its source."""
    pictures = build_state(app).pictures
    if not pictures or not _wants_pictures(app):
        return
    from stlite_docs.prerender.images import picture_key

    settings = site_settings(app.config).resolved(Path(app.confdir))
    for node in doctree.findall(stlite_app):
        png = pictures.get(picture_key(node["spec"], settings))
        if not isinstance(png, Path):
            continue
        uri = str(png)
        app.env.images.add_file(docname, uri)
        image = nodes.image(uri=uri, alt="The app's first screen", candidates={"*": uri})
        node.insert(0, image)


def _pages(app: Sphinx) -> dict[str, str]:
    """The written pages with apps (relative to the site) -> their documents."""
    outdir = Path(app.outdir)
    found: dict[str, str] = {}
    if not is_live_html(app.builder):
        return found
    for docname, state in doc_states(app.env).items():
        written = Path(app.builder.get_outfilename(docname))
        if state.apps and outdir in written.parents:
            found[written.relative_to(outdir).as_posix()] = docname
    return found


def _apps_by_page(app: Sphinx) -> dict[tuple[str, str], nodes.Node]:
    """``(page relative to the site, box id)`` -> the app's node (its location)."""
    return {
        (page, node["element_id"]): node
        for page, docname in _pages(app).items()
        for node in app.env.get_doctree(docname).findall(stlite_app)
    }


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    settings = site_settings(app.config)
    if exception is not None or not settings.prerender or not is_live_html(app.builder):
        return
    if app.statuscode or not any(s.apps for s in doc_states(app.env).values()):
        return
    from stlite_docs.prerender import prerender_built_site

    def progress(done: int, total: int, page: str) -> None:
        logger.info("rendering app snapshots... " + f"[{100 * done // total:3d}%] {page}")

    try:
        report = prerender_built_site(
            Path(app.outdir), settings.resolved(Path(app.confdir)), progress=progress
        )
    except ConfigError as exc:
        logger.error("stlite: %s", exc, type="stlite", subtype="prerender")
        app.statuscode = 1
        return
    where = _apps_by_page(app)
    for problem in report.problems:
        node = where.get((problem.page, problem.elem_id))
        logger.warning(
            "stlite: no snapshot of this app (%s): %s",
            problem.elem_id if node is None else f"app {problem.elem_id}",
            problem.message,
            location=node if node is not None else problem.page,
            type="stlite",
            subtype="prerender",
        )
    _index_texts(app, report.texts)
    logger.info("stlite: %s", report.summary())


def _index_texts(app: Sphinx, texts: dict[tuple[str, str], str]) -> None:
    """The snapshots' text into the site's search index: each document with snapshots is
    indexed again with their text after its own (the builder's index was written before the
    snapshots were made), and the index written again."""
    builder = app.builder
    if not texts or not is_live_html(builder) or builder.indexer is None:
        return
    docnames = _pages(app)
    by_doc: dict[str, list[str]] = {}
    for (page, _elem_id), text in sorted(texts.items()):
        if page in docnames:
            by_doc.setdefault(docnames[page], []).append(text)
    for docname, parts in by_doc.items():
        doctree = app.env.get_and_resolve_doctree(docname, builder)
        doctree.append(nodes.paragraph(text="\n".join(parts)))
        title_node = app.env.longtitles.get(docname)
        title = builder.render_partial(title_node)["title"] if title_node else ""
        builder.index_page(docname, doctree, title)
    builder.dump_search_index()
