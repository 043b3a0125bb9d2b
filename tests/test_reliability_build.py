"""Build side of the reliability work: the style nonce setting (CSP) in both front
ends, and the loader on every page of a Material site with instant navigation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from build_support import loader_links, loader_scripts, parse_html
from sphinx.application import Sphinx
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.testing.util import _clean_up_global_state

from stlite_docs import ConfigError, Settings

APP = "```stlite\nimport streamlit as st\nst.write('x')\n```\n"


@pytest.mark.parametrize("nonce", ["abc123", "c3RsaXRl+/=", "**CSP_NONCE**", "{{nonce}}"])
def test_style_nonce_reaches_the_loader_tag(nonce: str) -> None:
    attrs = Settings(style_nonce=nonce).validated({}).script_attributes()
    assert attrs["data-style-nonce"] == nonce


def test_no_style_nonce_attribute_by_default() -> None:
    assert "data-style-nonce" not in Settings().script_attributes()


@pytest.mark.parametrize("nonce", ["a b", 'a"b', "a'b", "a<b", "a&b", "é", "a\nb"])
def test_invalid_style_nonce_is_a_config_error(nonce: str) -> None:
    with pytest.raises(ConfigError, match="stlite_style_nonce"):
        Settings(style_nonce=nonce).validated({"style_nonce": "stlite_style_nonce"})


def _sphinx(tmp_path: Path, conf: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f'extensions = ["stlite_docs.sphinx_ext"]\n{conf}\n', encoding="utf-8"
    )
    (src / "index.rst").write_text(
        "T\n=\n\n.. stlite::\n\n   import streamlit as st\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    try:
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / "dt"), "html",
                     status=None, warning=io.StringIO(), freshenv=True)
        app.build(False, [])
    finally:
        _clean_up_global_state()  # docutils registrations, as sphinx.testing's apps do
    return out / "index.html"


def test_sphinx_style_nonce(tmp_path: Path) -> None:
    page = _sphinx(tmp_path, 'stlite_style_nonce = "n0nce"')
    (script,) = loader_scripts(parse_html(page))
    assert script.get("data-style-nonce") == "n0nce"


def test_sphinx_invalid_style_nonce(tmp_path: Path) -> None:
    with pytest.raises(SphinxConfigError, match="stlite_style_nonce"):
        _sphinx(tmp_path, 'stlite_style_nonce = "two words"')


def _mkdocs(tmp_path: Path, config: str, pages: dict[str, str]) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nuse_directory_urls: false\n{config}", encoding="utf-8"
    )
    site = tmp_path / "site"
    build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site)))
    return site


INSTANT = "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"


def test_mkdocs_style_nonce(tmp_path: Path) -> None:
    site = _mkdocs(tmp_path, "plugins:\n  - stlite:\n      style_nonce: n0nce\n",
                   {"index.md": "# T\n\n" + APP})
    (script,) = loader_scripts(parse_html(site / "index.html"))
    assert script.get("data-style-nonce") == "n0nce"


def test_instant_navigation_puts_the_loader_on_every_page(tmp_path: Path) -> None:
    site = _mkdocs(tmp_path, INSTANT + "plugins:\n  - stlite\n",
                   {"index.md": "# Home\n", "apps.md": "# Apps\n\n" + APP})
    for name in ("index.html", "apps.html"):
        soup = parse_html(site / name)
        assert len(loader_scripts(soup)) == 1, name
        assert len(loader_links(soup)) == 1, name


def test_instant_navigation_site_without_apps_gets_no_loader(tmp_path: Path) -> None:
    site = _mkdocs(tmp_path, INSTANT + "plugins:\n  - stlite\n", {"index.md": "# Home\n"})
    assert loader_scripts(parse_html(site / "index.html")) == []


def test_without_instant_navigation_pages_without_apps_get_no_loader(tmp_path: Path) -> None:
    site = _mkdocs(tmp_path, "theme:\n  name: material\n  font: false\nplugins:\n  - stlite\n",
                   {"index.md": "# Home\n", "apps.md": "# Apps\n\n" + APP})
    assert loader_scripts(parse_html(site / "index.html")) == []
    assert len(loader_scripts(parse_html(site / "apps.html"))) == 1
