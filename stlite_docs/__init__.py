"""stlite-docs: live Streamlit apps in Sphinx and MkDocs pages, one Pyodide per page.

This package is the core shared by both front ends; it imports nothing from
Sphinx, docutils, Markdown or MkDocs, so each front end pays only for itself.
"""

from __future__ import annotations

from .app import AppSpec, BuiltApp, build_app
from .assets import PYODIDE_VERSION, STLITE_VERSION, ConfigError, Settings
from .errors import AppError, AppWarning
from .options import OPTION_NAMES, OPTIONS, OptionDef
from .paths import SourceContext
from .render import element_id, json_for_script, render_mount

__version__ = "0.1.0"

__all__ = [
    "OPTIONS",
    "OPTION_NAMES",
    "PYODIDE_VERSION",
    "STLITE_VERSION",
    "AppError",
    "AppSpec",
    "AppWarning",
    "BuiltApp",
    "ConfigError",
    "OptionDef",
    "Settings",
    "SourceContext",
    "__version__",
    "build_app",
    "element_id",
    "json_for_script",
    "render_mount",
]
