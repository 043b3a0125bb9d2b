"""MkDocs glue of self-contained sites (plugin option ``self_contained: true``).

Translates plugin options into the core's :class:`~stlite_docs.vendor.Sources` and calls the
core in ``on_env`` (every page's Markdown is converted, so every app is known; no page is
written yet), writing into ``<site_dir>/assets/stlite-docs/``, next to the loader. Requirement
problems fail the build with each app's ``page:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from stlite_docs import AppSpec, ConfigError, Settings

log = get_plugin_logger("stlite")

_URL_FIELDS = ("js_url", "css_url", "pyodide_url")
_SOURCE_NAMES = {
    "browser": "browser_source",
    "pyodide": "pyodide_source",
    "index": "package_index",
    "cache_dir": "cache_dir",
}


def _sources(options: Any, config: MkDocsConfig) -> Any:
    from stlite_docs.vendor import (
        DEFAULT_BROWSER_SOURCE,
        DEFAULT_PACKAGE_INDEX,
        DEFAULT_PYODIDE_SOURCE,
        Sources,
    )

    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    return Sources(
        browser=options.browser_source or DEFAULT_BROWSER_SOURCE,
        pyodide=options.pyodide_source or DEFAULT_PYODIDE_SOURCE,
        index=options.package_index or DEFAULT_PACKAGE_INDEX,
        cache_dir=options.cache_dir,
    ).validated(_SOURCE_NAMES).resolved(base)


def configure(options: Any, config: MkDocsConfig, settings: Settings) -> Settings:
    """Check the options (``on_config``); the loader settings of a self-contained site."""
    from stlite_docs.vendor import refuse_custom_urls, vendored_settings

    try:
        _sources(options, config)
        site = Settings(**{name: options[name] for name in _URL_FIELDS})
        names = {**_SOURCE_NAMES, **{name: name for name in _URL_FIELDS}}
        refuse_custom_urls(site, names, "self_contained: true")
    except ConfigError as exc:
        raise PluginError(f"plugin 'stlite': {exc}") from None
    return vendored_settings("", settings)


def vendor_site(
    apps: list[tuple[AppSpec, str]], options: Any, config: MkDocsConfig, asset_dir: str
) -> None:
    """Vendor what the apps need into ``<site_dir>/<asset_dir>`` (``on_env``)."""
    from stlite_docs.vendor import VendorError, app_needs, vendor

    if not apps:
        return
    needs = [app_needs(spec, where) for spec, where in apps]
    dest = Path(config.site_dir) / asset_dir
    try:
        report = vendor(needs, dest, _sources(options, config), log=log.info)
    except VendorError as exc:
        lines = [f"{p.where}: {p.message}" if p.where else p.message for p in exc.problems]
        raise PluginError(
            "plugin 'stlite': the site cannot be made self-contained:\n" + "\n".join(lines)
        ) from None
    log.info(report.summary())
