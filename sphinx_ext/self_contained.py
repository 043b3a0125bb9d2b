"""Sphinx glue of self-contained sites (``stlite_self_contained = True``).

Translates conf.py values into the core's :class:`~stlite_docs.vendor.Sources`, and calls the
core once all documents are read (``env-updated``: every app's requirements are known, no page
is written yet), writing into ``_static/stlite-docs/``. Requirement problems are errors at the
app's ``document:line`` and fail the build; the vendor folder then stays as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util import logging

from stlite_docs import ConfigError, Settings
from stlite_docs.assets import (
    DEFAULT_BROWSER_SOURCE,
    DEFAULT_PACKAGE_INDEX,
    DEFAULT_PYODIDE_SOURCE,
)

if TYPE_CHECKING:
    from stlite_docs.vendor import Sources

logger = logging.getLogger(__name__)

#: The vendor folder, relative to the loader (``_static/stlite-docs.js``).
VENDOR_DIR = "stlite-docs"
_SOURCE_NAMES = {
    "browser": "stlite_browser_source",
    "pyodide": "stlite_pyodide_source",
    "index": "stlite_package_index",
    "cache_dir": "stlite_cache_dir",
}
_URL_NAMES = {field: f"stlite_{field}" for field in ("js_url", "css_url", "pyodide_url")}


def setup(app: Sphinx) -> None:
    # The vendoring machinery (stlite_docs.vendor) is imported only by builds that vendor.
    str_only = frozenset({str})
    app.add_config_value("stlite_self_contained", False, "html", types=frozenset({bool}))
    app.add_config_value("stlite_browser_source", DEFAULT_BROWSER_SOURCE, "html", types=str_only)
    app.add_config_value("stlite_pyodide_source", DEFAULT_PYODIDE_SOURCE, "html", types=str_only)
    app.add_config_value("stlite_package_index", DEFAULT_PACKAGE_INDEX, "html", types=str_only)
    app.add_config_value("stlite_cache_dir", None, "", types=frozenset({str, type(None)}))
    app.connect("config-inited", on_config_inited)
    app.connect("env-updated", on_env_updated)
    app.connect("build-finished", on_build_finished)


def enabled(config: Config) -> bool:
    return bool(getattr(config, "stlite_self_contained", False))


def loader_settings(settings: Settings) -> Settings:
    """The site's settings with the loader's URLs pointing into the vendor folder."""
    from stlite_docs.vendor import vendored_settings

    return vendored_settings(f"{VENDOR_DIR}/", settings)


def _sources(app: Sphinx) -> Sources:
    from stlite_docs.vendor import Sources

    config = app.config
    return Sources(
        browser=config.stlite_browser_source,
        pyodide=config.stlite_pyodide_source,
        index=config.stlite_package_index,
        cache_dir=config.stlite_cache_dir,
    ).validated(_SOURCE_NAMES).resolved(Path(app.confdir))


def on_config_inited(app: Sphinx, config: Config) -> None:
    if not enabled(config):
        return
    from stlite_docs.vendor import refuse_custom_urls

    try:
        _sources(app)
        site = Settings(**{f: config[name] for f, name in _URL_NAMES.items()})
        refuse_custom_urls(site, {**_SOURCE_NAMES, **_URL_NAMES}, "stlite_self_contained = True")
    except ConfigError as exc:
        raise SphinxConfigError(f"stlite-docs: {exc}") from None


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Vendor what the site's apps need into ``_static/stlite-docs/``."""
    from . import _is_live_html, _states, stlite_app

    if not enabled(app.config) or not _is_live_html(app.builder):
        return []
    from stlite_docs.vendor import VendorError, app_needs, vendor

    needs = []
    for docname in sorted(d for d, state in _states(env).items() if state.apps):
        for node in env.get_doctree(docname).findall(stlite_app):
            source = node.source or env.doc2path(docname)
            where = f"{source}:{node.line}" if node.line else str(source)
            needs.append(app_needs(node["spec"], where))
    if not needs:
        return []
    dest = Path(app.outdir) / "_static" / VENDOR_DIR
    try:
        report = vendor(needs, dest, _sources(app), log=_info)
    except VendorError as exc:
        # Reported like the extension's other errors: each where it happened, the build goes
        # on and fails at the end; the vendor folder is left as it was.
        for problem in exc.problems:
            logger.error(
                problem.message, location=problem.where, type="stlite", subtype="self_contained"
            )
        app.stlite_docs_vendor_failed = len(exc.problems)  # type: ignore[attr-defined]
        return []
    logger.info("stlite-docs: %s", report.summary())
    return []


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    failed = getattr(app, "stlite_docs_vendor_failed", 0)
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

