"""Build side of the reliability work: the style nonce setting (CSP) in both front
ends, and the loader on every page of a Material site with instant navigation; the
``inherit`` setting (site font and primary colour for apps) in the core and both front
ends, and the page check for apps that override an inherited theme option."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.testing.util import _clean_up_global_state

from stlite_docs import ConfigError, Settings
from stlite_docs.checks import PageApp, check_page
from testbed.build import loader_links, loader_scripts, parse_html

APP = "```stlite\nimport streamlit as st\nst.write('x')\n```\n"


@pytest.mark.parametrize("nonce", ["abc123", "c3RsaXRl+/=", "**CSP_NONCE**", "{{nonce}}"])
def test_style_nonce_reaches_the_loader_tag(nonce: str) -> None:
    attrs = Settings(style_nonce=nonce).validated().script_attributes()
    assert attrs["data-style-nonce"] == nonce


def test_no_style_nonce_attribute_by_default() -> None:
    assert "data-style-nonce" not in Settings().script_attributes()


@pytest.mark.parametrize("nonce", ["a b", 'a"b', "a'b", "a<b", "a&b", "é", "a\nb"])
def test_invalid_style_nonce_is_a_config_error(nonce: str) -> None:
    with pytest.raises(ConfigError, match="stlite_style_nonce"):
        Settings(style_nonce=nonce).validated("stlite_")


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
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(tmp_path / "dt"),
            "html",
            status=None,
            warning=io.StringIO(),
            freshenv=True,
        )
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
    site = _mkdocs(
        tmp_path, "plugins:\n  - stlite:\n      style_nonce: n0nce\n", {"index.md": "# T\n\n" + APP}
    )
    (script,) = loader_scripts(parse_html(site / "index.html"))
    assert script.get("data-style-nonce") == "n0nce"


def test_instant_navigation_puts_the_loader_on_every_page(tmp_path: Path) -> None:
    site = _mkdocs(
        tmp_path,
        INSTANT + "plugins:\n  - stlite\n",
        {"index.md": "# Home\n", "apps.md": "# Apps\n\n" + APP},
    )
    for name in ("index.html", "apps.html"):
        soup = parse_html(site / name)
        assert len(loader_scripts(soup)) == 1, name
        assert len(loader_links(soup)) == 1, name


def test_instant_navigation_site_without_apps_gets_no_loader(tmp_path: Path) -> None:
    site = _mkdocs(tmp_path, INSTANT + "plugins:\n  - stlite\n", {"index.md": "# Home\n"})
    assert loader_scripts(parse_html(site / "index.html")) == []


def test_without_instant_navigation_pages_without_apps_get_no_loader(tmp_path: Path) -> None:
    site = _mkdocs(
        tmp_path,
        "theme:\n  name: material\n  font: false\nplugins:\n  - stlite\n",
        {"index.md": "# Home\n", "apps.md": "# Apps\n\n" + APP},
    )
    assert loader_scripts(parse_html(site / "index.html")) == []
    assert len(loader_scripts(parse_html(site / "apps.html"))) == 1


ALL_INHERITED = (
    "font codeFont primaryColor backgroundColor secondaryBackgroundColor codeBackgroundColor "
    "textColor linkColor borderColor codeTextColor baseFontSize codeFontSize"
)


@pytest.mark.parametrize(
    ("inherit", "attribute"),
    [
        (("font", "primary_color"), "font codeFont primaryColor"),
        (["primary_color", "font", "font"], "font codeFont primaryColor"),
        (["primary_color"], "primaryColor"),
        (
            ["font_size", "background"],
            "backgroundColor secondaryBackgroundColor "
            "codeBackgroundColor baseFontSize codeFontSize",
        ),
        ([], ""),
        (False, ""),
        (True, ALL_INHERITED),
    ],
)
def test_inherit_reaches_the_loader_tag(inherit: list[str] | bool, attribute: str) -> None:
    attrs = Settings(inherit=inherit).validated().script_attributes()
    assert attrs["data-inherit"] == attribute


def test_inherit_defaults_to_everything() -> None:
    assert Settings().script_attributes()["data-inherit"] == ALL_INHERITED
    assert Settings().inherited_theme_options() == tuple(ALL_INHERITED.split())


@pytest.mark.parametrize(
    ("inherit", "message"),
    [
        ("font", "must be a list of 'font', 'primary_color', 'background', 'text', 'font_size'"),
        (["colour"], "'colour' is not one of 'font', 'primary_color'"),
        ([1], "1 is not one of"),
        (None, "must be a list"),
    ],
)
def test_invalid_inherit_is_a_config_error(inherit: object, message: str) -> None:
    with pytest.raises(ConfigError, match="stlite_inherit") as info:
        Settings(inherit=inherit).validated("stlite_")  # type: ignore[arg-type]
    assert message in str(info.value)


def test_sphinx_inherit(tmp_path: Path) -> None:
    page = _sphinx(tmp_path, 'stlite_inherit = ["font"]')
    (script,) = loader_scripts(parse_html(page))
    assert script.get("data-inherit") == "font codeFont"


def test_sphinx_invalid_inherit(tmp_path: Path) -> None:
    with pytest.raises(SphinxConfigError, match="stlite_inherit: 'color' is not one of"):
        _sphinx(tmp_path, 'stlite_inherit = ["color"]')


@pytest.mark.parametrize(
    ("option", "attribute"), [("[primary_color]", "primaryColor"), ("false", "")]
)
def test_mkdocs_inherit(tmp_path: Path, option: str, attribute: str) -> None:
    site = _mkdocs(
        tmp_path, f"plugins:\n  - stlite:\n      inherit: {option}\n", {"index.md": "# T\n\n" + APP}
    )
    (script,) = loader_scripts(parse_html(site / "index.html"))
    assert script.get("data-inherit") == attribute


def test_mkdocs_invalid_inherit(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        _mkdocs(
            tmp_path,
            "plugins:\n  - stlite:\n      inherit: [fonts]\n",
            {"index.md": "# T\n\n" + APP},
        )
    assert "plugin 'stlite': inherit: 'fonts' is not one of 'font', 'primary_color'" in (
        caplog.text
    )


def _page_app(where: str, **config: object) -> PageApp:
    return PageApp(where=where, requirements=(), config=tuple(config.items()))


INHERITED = ("font", "primaryColor")


def test_overriding_an_inherited_option_on_one_app_is_a_conflict() -> None:
    """The loader gives the second app the site's colour, the first its own; only the
    first app to mount sets the page's (one) Streamlit theme."""
    apps = [_page_app("a", **{"theme.primaryColor": "#f00"}), _page_app("b")]
    ((index, message),) = check_page(apps, INHERITED)
    assert index == 1
    assert "theme.primaryColor='#f00' (a) replaces the site's primaryColor, which b inherits" in (
        message
    )
    # one section is enough to replace the inherited option
    apps = [_page_app("a"), _page_app("b", **{"theme.dark.font": "serif"})]
    assert [i for i, _ in check_page(apps, INHERITED)] == [1]


def test_inherited_options_without_conflict() -> None:
    own = {"theme.primaryColor": "#f00"}
    assert check_page([_page_app("a", **own), _page_app("b", **own)], INHERITED) == []
    assert check_page([_page_app("a"), _page_app("b")], INHERITED) == []
    # inheritance off: the app's colour is nobody else's business
    assert check_page([_page_app("a", **own), _page_app("b")], ()) == []
    # a theme option the site does not give
    other = {"theme.baseRadius": "small"}
    assert check_page([_page_app("a", **other), _page_app("b")], INHERITED) == []
