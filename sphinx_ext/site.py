"""The site as the extension sees it: its settings from ``conf.py``, whether the builder makes
pages apps run in, and the files it writes into ``_static``."""

from __future__ import annotations

from pathlib import Path
from typing import TypeGuard

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config

from stlite_docs import Settings
from stlite_docs.assets import write_file

CONFIG_PREFIX = "stlite_"  # conf.py spells every site setting stlite_<name>
#: A self-contained site's vendor folder, relative to the loader (``_static/stlite-docs.js``).
VENDOR_DIR = "stlite-docs"


def site_settings(config: Config) -> Settings:
    """The site settings as conf.py gives them."""
    return Settings.read(config.__getitem__, CONFIG_PREFIX)


def page_settings(config: Config) -> Settings:
    """The settings the pages use (a self-contained site's loader URLs point into its vendor
    folder; the vendoring machinery is imported only by builds that vendor)."""
    settings = site_settings(config)
    if not settings.self_contained:
        return settings
    from stlite_docs.selfcontained import vendored_settings

    return vendored_settings(f"{VENDOR_DIR}/", settings)


def is_live_html(builder: object) -> TypeGuard[StandaloneHTMLBuilder]:
    """Apps run in HTML pages, but not in e-books (Sphinx's epub builders, ``epub*``) whose
    readers run no modules."""
    return isinstance(builder, StandaloneHTMLBuilder) and not builder.name.startswith("epub")


def write_static(outdir: str | Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into the site's ``_static`` (only what changed)."""
    for name, data in files.items():
        write_file(Path(outdir) / "_static" / name, data)
