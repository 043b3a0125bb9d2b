"""The stlite-docs documentation (Sphinx + Furo + MyST), built with stlite-docs itself."""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

project = "stlite-docs"
author = "stlite-docs"
extensions = ["myst_parser", "stlite_docs.sphinx_ext"]
html_theme = "furo"
html_title = "stlite-docs"
exclude_patterns = ["_build", "_generated"]

# scripts/demo.py --offline points these at a local copy of stlite and Pyodide;
# by default the pinned public CDN URLs are used.
for _name in ("stlite_js_url", "stlite_css_url", "stlite_pyodide_url"):
    if os.environ.get(_name.upper()):
        globals()[_name] = os.environ[_name.upper()]
# STLITE_PRERENDER=1 ./scripts/demo: the apps' snapshots in the pages (needs a Chromium).
stlite_prerender = os.environ.get("STLITE_PRERENDER") == "1"


def _benchmark_report() -> None:
    """The performance page's numbers, rendered from the benchmark's results file (the one
    source of the published numbers) into a file the page includes."""
    if str(REPO) not in sys.path:  # last: the installed stlite_docs stays the one imported
        sys.path.append(str(REPO))
    from benchmarks.report import render

    results = json.loads((REPO / "benchmarks" / "results" / "results.json").read_text())
    out = HERE / "_generated" / "benchmark.md"
    out.parent.mkdir(exist_ok=True)
    text = render(results)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


_benchmark_report()
