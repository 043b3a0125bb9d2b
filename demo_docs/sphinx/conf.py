"""Demo site for stlite-docs (Sphinx + Furo + MyST)."""

import os

project = "stlite-docs demo"
author = "stlite-docs"
extensions = ["myst_parser", "stlite_docs.sphinx_ext"]
html_theme = "furo"
html_title = "stlite-docs demo (Sphinx)"
exclude_patterns = ["_build"]

# scripts/demo.py --offline points these at a local copy of stlite and Pyodide;
# by default the pinned public CDN URLs are used.
for _name in ("stlite_js_url", "stlite_css_url", "stlite_pyodide_url"):
    if os.environ.get(_name.upper()):
        globals()[_name] = os.environ[_name.upper()]
