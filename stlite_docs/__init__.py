"""stlite-docs: live Streamlit apps in Sphinx and MkDocs pages, one Pyodide per page.

This package is the core shared by both front ends; it imports nothing from
Sphinx, docutils, Markdown or MkDocs, so each front end pays only for itself.
The flow: ``options`` (the option table) -> ``app`` (``build_app``: a validated
``AppSpec``) -> ``render`` (the mount element); ``settings`` holds the site
settings (pure data over ``pinned``, what the package knows of the stlite build it pins),
``assets`` and ``worker_script`` the files a site ships, ``loader_tag`` the loader's tag,
``selfcontained`` the self-contained build, ``errors`` every error. No module imports one that
imports it back (``tests/test_import_graph.py``).
"""

from __future__ import annotations

from .app import AppSpec, BuiltApp, build_app
from .errors import AppError, AppErrors, AppWarning, ConfigError
from .options import OPTION_NAMES, OPTIONS, OptionDef
from .paths import SourceContext
from .render import element_id, json_for_script, render_mount
from .settings import PYODIDE_VERSION, SETTINGS, STLITE_VERSION, SettingDef, Settings

__version__ = "0.1.0"

__all__ = [
    "OPTIONS",
    "OPTION_NAMES",
    "PYODIDE_VERSION",
    "SETTINGS",
    "STLITE_VERSION",
    "AppError",
    "AppErrors",
    "AppSpec",
    "AppWarning",
    "BuiltApp",
    "ConfigError",
    "OptionDef",
    "SettingDef",
    "Settings",
    "SourceContext",
    "__version__",
    "build_app",
    "element_id",
    "json_for_script",
    "render_mount",
]
