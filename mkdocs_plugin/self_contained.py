"""MkDocs glue of self-contained sites (plugin option ``self_contained: true``).

The options (``browser_source``, ...) are declared and checked with all the others; this
module calls the core (:mod:`stlite_docs.selfcontained`) in ``on_env`` (every page's Markdown is
converted, so every app is known; no page is written yet), writing into
``<site_dir>/assets/stlite-docs/``, next to the loader. Requirement problems fail the build
with each app's ``page:line``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from stlite_docs import AppSpec, Settings
from stlite_docs.assets import write_file
from stlite_docs.errors import VendorError
from stlite_docs.worker_script import WorkerScript, site_worker

log = get_plugin_logger("stlite")


def loader_settings(settings: Settings) -> Settings:
    """The site's settings with the loader's URLs pointing at the vendored files."""
    from stlite_docs.selfcontained import vendored_settings

    return vendored_settings("", settings)


def vendor_site(
    apps: list[tuple[AppSpec, str]], settings: Settings, config: MkDocsConfig, asset_dir: str
) -> WorkerScript | None:
    """Vendor what the apps need into ``<site_dir>/<asset_dir>`` (``on_env``), and put
    stlite's worker out of the vendored build next to the loader: the worker the pages get."""
    from stlite_docs.selfcontained import STLITE_DIR, app_needs, vendor

    if not apps:
        return None
    needs = [app_needs(spec, where) for spec, where in apps]
    dest = Path(config.site_dir) / asset_dir
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    try:
        report = vendor(needs, dest, settings.resolved(base), log=log.info)
    except VendorError as exc:
        lines = [f"{p.where}: {p.message}" if p.where else p.message for p in exc.problems]
        raise PluginError(
            "plugin 'stlite': the site cannot be made self-contained:\n" + "\n".join(lines)
        ) from None
    log.info(report.summary())
    worker = site_worker(settings, dest / STLITE_DIR)
    if worker is not None:
        write_file(dest / worker.file_name, worker.site_source)
    return worker
