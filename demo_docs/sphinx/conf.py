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


def _benchmark_report() -> None:
    """The numbers of the performance and loading pages, rendered from the benchmark's results
    file (the one source of the published numbers) into files those pages include."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from report import policy_table, render

    results = json.loads((REPO / "benchmarks" / "results" / "results.json").read_text())
    generated = HERE / "_generated"
    generated.mkdir(exist_ok=True)
    policies = policy_table(results["summary"])
    if policies.count("\n") < 2:  # a results file from before the start policies
        policies = "*This results file has no runs of the start policies.*"
    for name, text in (("benchmark.md", render(results)), ("policies.md", policies + "\n")):
        out = generated / name
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.write_text(text, encoding="utf-8")


_benchmark_report()
