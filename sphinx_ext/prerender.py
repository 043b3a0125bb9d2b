"""Sphinx glue of app snapshots (``stlite_prerender = True``).

Once the site is written (``build-finished``, after the loader's tags are in place), the core
(:mod:`stlite_docs.prerender`) renders each app's first screen into its page, with Sphinx's
progress lines; an app without a snapshot is a warning at its ``document:line`` (``-W`` makes
it fatal). Only HTML builds that had no app errors render.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from stlite_docs.errors import ConfigError

from .nodes import stlite_app
from .site import is_live_html, site_settings
from .state import doc_states

logger = logging.getLogger(__name__)


def setup(app: Sphinx) -> None:
    # after events.on_build_finished (500), which places the loader's tags
    app.connect("build-finished", on_build_finished, priority=800)


def _apps_by_page(app: Sphinx) -> dict[tuple[str, str], nodes.Node]:
    """``(page relative to the site, box id)`` -> the app's node (its location)."""
    outdir = Path(app.outdir)
    found: dict[tuple[str, str], nodes.Node] = {}
    if not is_live_html(app.builder):
        return found
    for docname, state in doc_states(app.env).items():
        if not state.apps:
            continue
        page = Path(app.builder.get_outfilename(docname))
        rel = page.relative_to(outdir).as_posix() if outdir in page.parents else page.name
        for node in app.env.get_doctree(docname).findall(stlite_app):
            found[(rel, node["element_id"])] = node
    return found


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
    logger.info("stlite: %s", report.summary())
