"""Sphinx glue of self-contained sites (``stlite_self_contained = True``).

The settings (``stlite_browser_source``, ...) are declared and checked with all the others;
this module calls the core (:mod:`stlite_docs.selfcontained`) once all documents are read
(``env-updated``: every app's requirements are known, no page is written yet), writing into
``_static/stlite-docs/``. Requirement problems are errors at the app's ``document:line`` and
fail the build; the vendor folder then stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from stlite_docs.errors import VendorError

from .nodes import stlite_app
from .site import VENDOR_DIR, is_live_html, site_settings, write_static
from .state import build_state, doc_states

logger = logging.getLogger(__name__)


def setup(app: Sphinx) -> None:
    # The vendoring machinery (stlite_docs.selfcontained) is imported only by builds that vendor.
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", on_build_finished)


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Vendor what the site's apps need into ``_static/stlite-docs/``."""
    settings = site_settings(app.config)
    if not settings.self_contained or not is_live_html(app.builder):
        return []
    from stlite_docs.selfcontained import STLITE_DIR, app_needs, vendor
    from stlite_docs.worker_script import site_worker

    needs = []
    for docname in sorted(d for d, state in doc_states(env).items() if state.apps):
        for node in env.get_doctree(docname).findall(stlite_app):
            source = node.source or env.doc2path(docname)
            where = f"{source}:{node.line}" if node.line else str(source)
            needs.append(app_needs(node["spec"], where))
    if not needs:
        return []
    dest = Path(app.outdir) / "_static" / VENDOR_DIR
    try:
        report = vendor(needs, dest, settings.resolved(Path(app.confdir)), log=_info)
    except VendorError as exc:
        # Reported like the extension's other errors: each where it happened, the build goes
        # on and fails at the end; the vendor folder is left as it was.
        for problem in exc.problems:
            logger.error(
                problem.message, location=problem.where, type="stlite", subtype="self_contained"
            )
        build_state(app).vendor_failed = len(exc.problems)
        return []
    logger.info("stlite-docs: %s", report.summary())
    # stlite's worker out of the vendored build, next to the loader (worker_script.site_worker)
    worker = site_worker(settings, dest / STLITE_DIR)
    if worker is not None:
        write_static(app.outdir, {worker.file_name: worker.site_source})
    build_state(app).worker = worker
    return []


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    failed = build_state(app).vendor_failed
    if exception is None and failed:
        logger.error(
            "stlite: the site could not be made self-contained (%d problem(s) reported above)",
            failed,
            type="stlite",
            subtype="summary",
        )
        app.statuscode = 1


def _info(message: str) -> None:
    logger.info(message)
