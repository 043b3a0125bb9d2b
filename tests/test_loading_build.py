"""What readers load, in real builds: the start policies (the site setting and the app option
reach the loader) and each app's own page ("Open full page"), written by Sphinx and the MkDocs
plugin next to the site's pages, and by no Markdown extension (which writes no files)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from test_authoring_build import mkdocs, sphinx

from testbed.build import app_config, app_elements, loader_scripts, mkdocs_in_process, parse_html

TWO_APPS_RST = """\
Guide to apps
=============

.. stlite::
   :height: 300
   :layout: code-above
   :start: click

   import streamlit as st
   st.write(X)
   ## setup
   X = 1

.. stlite::
   :full_page: false

   import streamlit as st
"""
TWO_APPS_MD = """\
# Guide to apps

```stlite height="300" layout="code-above" start="click"
import streamlit as st
st.write(X)
## setup
X = 1
```

```stlite full_page="false"
import streamlit as st
```
"""
SITE = "http://site.example/docs/"


def _url(path: Path, root: Path) -> str:
    return SITE + path.relative_to(root).as_posix()


def _target(root: Path, page_url: str, href: str) -> Path:
    """The file a link of a page resolves to (a folder URL: its index.html)."""
    path = unquote(urlsplit(urljoin(page_url, href)).path).removeprefix("/docs/")
    return root / (path + "index.html" if path.endswith("/") or not path else path)


def _links(page: Path) -> list[str]:
    return [
        str(a["href"])
        for a in parse_html(page).select(".stlite-docs-links a")
        if a.get_text() == "Open full page"
    ]


def check_full_page(root: Path, page: Path, page_url: str) -> Path:
    """The page's first app links to its own page; that page holds the app alone, as it runs
    on its own, with the loader and settings of the docs page. Returns the page's file."""
    (href,) = _links(page)  # the second app asked for none
    full = _target(root, page_url, href)
    assert full.is_file(), full
    soup = parse_html(full)
    (element,) = app_elements(soup)
    docs_element = app_elements(parse_html(page))[0]
    assert element["id"] == docs_element["id"]
    expected = {**app_config(docs_element), "height": "auto", "start": "eager"}
    del expected["layout"]  # the app alone
    assert app_config(element) == expected
    assert expected["setup"] == "X = 1\n"
    assert soup.select_one("body.stlite-docs-full") is not None
    assert soup.select(".stlite-docs-links") == []  # no links to itself or to sharing
    # the site's own loader, by a relative URL, with the docs page's settings but the site's
    # look (a bare page has none to take)
    (script,) = loader_scripts(soup)
    (docs_script,) = loader_scripts(parse_html(page))
    loader = _target(root, _url(full, root), str(script["src"]).split("?")[0])
    assert loader == _target(root, page_url, str(docs_script["src"]).split("?")[0])
    assert loader.is_file()
    for name in ("data-stlite-js", "data-pyodide", "data-preload", "data-start"):
        assert script.get(name) == docs_script.get(name), name
    assert script["data-inherit"] == "" and docs_script["data-inherit"]
    assert "Guide to apps" in str(soup.title)
    return full


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_sphinx_writes_each_apps_own_page(tmp_path: Path, builder: str) -> None:
    pages = {
        "index.rst": "Home\n====\n\n.. toctree::\n\n   guide/apps\n",
        "guide/apps.rst": TWO_APPS_RST,
    }
    (tmp_path / "s" / "src" / "guide").mkdir(parents=True)
    out, log, code = sphinx(
        tmp_path / "s", pages, 'stlite_start = "visible"\n', "-W", "-b", builder
    )
    assert code == 0, log
    page = out / "guide" / ("apps.html" if builder == "html" else "apps/index.html")
    page_url = _url(page, out).removesuffix("index.html")
    full = check_full_page(out, page, page_url)
    assert full == out / "_stlite" / "guide" / "apps" / "stlite-guide-apps-0.html"
    (script,) = loader_scripts(parse_html(page))
    assert script["data-start"] == "visible"
    assert [c.get("start") for c in map(app_config, app_elements(parse_html(page)))] == [
        "click",
        None,
    ]
    # a rebuild writes the same bytes
    before = full.read_bytes()
    _, log, code = sphinx(
        tmp_path / "s", pages, 'stlite_start = "visible"\n', "-W", "-E", "-b", builder
    )
    assert code == 0, log
    assert full.read_bytes() == before


@pytest.mark.parametrize("directory_urls", [True, False])
def test_mkdocs_plugin_writes_each_apps_own_page(tmp_path: Path, directory_urls: bool) -> None:
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "guide" / "apps.md").write_text(TWO_APPS_MD, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nuse_directory_urls: {str(directory_urls).lower()}\n"
        "plugins:\n  - stlite:\n      start: visible\n"
    )
    code, log = mkdocs_in_process(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert code == 0, log
    site = tmp_path / "site"
    page = site / "guide" / ("apps/index.html" if directory_urls else "apps.html")
    page_url = _url(page, site).removesuffix("index.html")
    full = check_full_page(site, page, page_url)
    assert full.parent == site / "assets" / "stlite-docs" / "apps" / "guide" / "apps"
    (script,) = loader_scripts(parse_html(page))
    assert script["data-start"] == "visible"


def test_the_site_setting_turns_the_links_off(tmp_path: Path) -> None:
    out, log, code = sphinx(
        tmp_path / "s", {"index.rst": TWO_APPS_RST}, "stlite_full_page_links = False\n", "-W"
    )
    assert code == 0, log
    assert _links(out / "index.html") == [] and not (out / "_stlite").exists()
    site, log, code = mkdocs(
        tmp_path / "m", {"index.md": TWO_APPS_MD}, ":\n      full_page_links: false"
    )
    assert code == 0, log
    assert _links(site / "index.html") == []
    assert not (site / "assets" / "stlite-docs" / "apps").exists()
    # an app's own option wins over the site's
    on = TWO_APPS_MD.replace('start="click"', 'start="click" full_page="true"')
    site, log, code = mkdocs(tmp_path / "m2", {"index.md": on}, ":\n      full_page_links: false")
    assert code == 0, log
    assert len(_links(site / "index.html")) == 1


def test_start_setting_values_are_checked(tmp_path: Path) -> None:
    _, log, code = sphinx(tmp_path / "s", {"index.rst": TWO_APPS_RST}, 'stlite_start = "lazy"\n')
    assert code != 0
    assert "stlite_start: 'lazy' is not one of auto, eager, visible, click" in log, log
    _, log, code = mkdocs(tmp_path / "m", {"index.md": TWO_APPS_MD}, ":\n      start: lazy")
    assert code != 0
    assert "start: 'lazy' is not one of auto, eager, visible, click" in log, log
    # the default writes nothing: the loader's default is auto
    out, log, code = sphinx(tmp_path / "s2", {"index.rst": TWO_APPS_RST}, "", "-W")
    assert code == 0, log
    (script,) = loader_scripts(parse_html(out / "index.html"))
    assert not script.has_attr("data-start")


def test_a_markdown_extension_writes_no_full_pages(caplog: pytest.LogCaptureFixture) -> None:
    """Python-Markdown converts text and writes no files: no link, a warning where an app asks
    for one, and an error naming why for the site setting."""
    extensions = ["pymdownx.superfences", "stlite_docs.markdown"]
    with caplog.at_level(logging.WARNING, logger="stlite_docs"):
        html = markdown.markdown(
            TWO_APPS_MD.replace('start="click"', 'full_page="true"'), extensions=extensions
        )
    soup = BeautifulSoup(html, "html.parser")
    assert len(app_elements(soup)) == 2 and not soup.find(string="Open full page")
    assert "option 'full_page': this site generator writes no page of an app's own" in caplog.text
    with pytest.raises(
        ValueError,
        match="unknown setting 'full_page_links': an app's own page is a file the build writes",
    ):
        markdown.markdown(
            "x",
            extensions=extensions,
            extension_configs={"stlite_docs.markdown": {"full_page_links": True}},
        )


def test_the_loader_hints_the_chunk_only_when_it_starts_stlite(tmp_path: Path) -> None:
    """No page of any policy hints stlite in its head (that would fetch it before the loader
    decides): the chunk's URL travels on the loader's tag."""
    out, log, code = sphinx(tmp_path / "s", {"index.rst": TWO_APPS_RST}, "", "-W")
    assert code == 0, log
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "modulepreload" not in html and 'rel="preload"' not in html
    (script,) = loader_scripts(parse_html(out / "index.html"))
    assert str(script["data-preload"]).endswith(".js")
