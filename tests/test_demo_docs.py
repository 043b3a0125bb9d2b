"""The demo sites (what ``scripts/demo`` serves) build warning-free with -W / --strict."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from testbed.build import app_elements, parse_html, run_module, sphinx_in_process

DEMO = Path(__file__).resolve().parent.parent / "demo_docs"


def test_sphinx_demo_builds_strictly(tmp_path: Path) -> None:
    out = tmp_path / "html"
    result = sphinx_in_process("-W", "-b", "html", str(DEMO / "sphinx"), str(out), cwd=tmp_path)
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
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(DEMO / "mkdocs" / "mkdocs.yml"),
        "-d",
        str(site),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(app_elements(parse_html(site / "tutorial" / "index.html"))) >= 4
    assert len(app_elements(parse_html(site / "authoring" / "index.html"))) == 3
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "stlite-docs.js" not in about and "stlite.js" not in about


@pytest.mark.zensical
def test_zensical_demo_builds_cleanly(tmp_path: Path) -> None:
    import shutil

    from host_sites import zensical_build

    shutil.copytree(DEMO / "zensical", tmp_path / "z")
    result = zensical_build(tmp_path / "z")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout + result.stderr
    assert "stlite" not in result.stdout + result.stderr
    site = tmp_path / "z" / "site"
    assert len(app_elements(parse_html(site / "index.html"))) == 4
    assert len(app_elements(parse_html(site / "tutorial" / "index.html"))) >= 4
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "data-stlite-js" not in about and "stlite-docs-app" not in about


def test_jupyter_book_demo_builds_strictly(tmp_path: Path) -> None:
    """With the test theme in place of the book theme (which mystmd downloads)."""
    import json
    import shutil
    import sys

    from host_sites import ensure_myst_theme, myst_build

    work = tmp_path / "jb"
    shutil.copytree(DEMO / "jupyter-book", work)
    config = (work / "myst.yml").read_text(encoding="utf-8")
    plugin = Path(sys.executable).parent / "stlite-docs-myst"
    config = config.replace("../../.venv/bin/stlite-docs-myst", str(plugin))
    config = config.replace("template: book-theme", f"template: {ensure_myst_theme()}")
    (work / "myst.yml").write_text(config, encoding="utf-8")
    result = myst_build(work, {}, "--site", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    for page, apps in (("index", 2), ("tutorial", 4)):
        text = (work / "_build" / "site" / "content" / f"{page}.json").read_text()
        assert text.count('"type":"anywidget"') == apps, page
        assert json.loads(text)["mdast"]
