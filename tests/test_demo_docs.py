"""The demo sites (what ``scripts/demo`` serves) build warning-free with -W / --strict."""

from __future__ import annotations

import os
from pathlib import Path

from build_support import app_elements, parse_html, run_module

DEMO = Path(__file__).resolve().parent.parent / "demo_docs"


def test_sphinx_demo_builds_strictly(tmp_path: Path) -> None:
    out = tmp_path / "html"
    result = run_module("sphinx", "-W", "-b", "html", str(DEMO / "sphinx"), str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(app_elements(parse_html(out / "tutorial.html"))) >= 4
    assert len(app_elements(parse_html(out / "authoring.html"))) == 3
    assert len(app_elements(parse_html(out / "charts.html"))) == 1
    about = (out / "about.html").read_text(encoding="utf-8")
    assert "stlite-docs.js" not in about and "stlite.js" not in about


def test_mkdocs_demo_builds_strictly(tmp_path: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = tmp_path / "site"
    result = run_module(
        "mkdocs", "build", "--strict", "-f", str(DEMO / "mkdocs" / "mkdocs.yml"), "-d", str(site),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(app_elements(parse_html(site / "tutorial" / "index.html"))) >= 4
    assert len(app_elements(parse_html(site / "authoring" / "index.html"))) == 3
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "stlite-docs.js" not in about and "stlite.js" not in about
