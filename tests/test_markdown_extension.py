"""The ``stlite_docs.markdown`` extension and the pure fence functions, in-process.

Plain ``markdown.markdown()`` calls: the same mount element as the MkDocs plugin and Sphinx,
the loader once per page and only with apps, the state reset between conversions of one
``Markdown`` instance, any listing order, and located errors for every bad fence.
"""

from __future__ import annotations

import functools
import pickle
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from stlite_docs import OPTION_NAMES, Settings
from stlite_docs.assets import LOADER_INLINE_JS, shipped_text
from stlite_docs.markdown import StliteExtension, formatter, validator
from stlite_docs.markdown.fence import FenceError
from stlite_docs.worker_script import shipped_worker
from testbed.build import HOSTILE_SOURCE, app_config, app_elements

APP = 'import streamlit as st\nst.write("hello")\n'


def convert(text: str, *, order: str = "superfences-first", **settings: Any) -> str:
    extensions = ["pymdownx.superfences", "stlite_docs.markdown"]
    if order != "superfences-first":
        extensions.reverse()
    return markdown.markdown(
        text, extensions=extensions, extension_configs={"stlite_docs.markdown": settings}
    )


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def loader_scripts(page: BeautifulSoup) -> list[Tag]:
    scripts = [s for s in page.find_all("script") if isinstance(s, Tag)]
    return [s for s in scripts if s.has_attr("data-stlite-js")]


def test_fence_becomes_the_same_mount_element_as_in_mkdocs() -> None:
    html = convert(f'```stlite height="220" requirements="packaging"\n{HOSTILE_SOURCE}```\n')
    (app,) = app_elements(soup(html))
    assert app["id"] == "stlite-index-0"
    assert app_config(app) == {
        "entrypoint": "streamlit_app.py",
        "files": {"streamlit_app.py": HOSTILE_SOURCE},
        "requirements": ["packaging"],
        "height": "220px",
    }


def test_loader_once_per_page_and_only_with_apps() -> None:
    page = soup(convert(f"# A\n\n```stlite\n{APP}```\n\n## B\n\n```stlite\n{APP}```\n"))
    assert len(app_elements(page)) == 2
    (script,) = loader_scripts(page)
    src = str(script["src"])
    assert unquote(src.removeprefix("data:text/javascript,")) == shipped_text(LOADER_INLINE_JS)
    assert script["data-theme"] == "auto"
    assert len(page.find_all("style", class_="stlite-docs-style")) == 1
    plain = convert("# No apps\n\n```python\nprint(1)\n```\n")
    assert "stlite" not in plain


def test_one_markdown_instance_converts_pages_independently() -> None:
    md = markdown.Markdown(extensions=["pymdownx.superfences", "stlite_docs.markdown"])
    first = soup(md.convert(f"```stlite\n{APP}```\n"))
    md.reset()
    assert "stlite" not in md.convert("# Nothing\n")
    md.reset()
    second = soup(md.convert(f"```stlite\n{APP}```\n\n```stlite\n{APP}```\n"))
    assert len(loader_scripts(first)) == len(loader_scripts(second)) == 1
    assert [a["id"] for a in app_elements(second)] == ["stlite-index-0", "stlite-index-1"]


@pytest.mark.parametrize("order", ["superfences-first", "extension-first"])
def test_any_listing_order_and_superfences_added_when_missing(order: str) -> None:
    html = convert(f"```stlite\n{APP}```\n", order=order)
    assert len(app_elements(soup(html))) == 1
    alone = markdown.markdown(f"```stlite\n{APP}```\n", extensions=["stlite_docs.markdown"])
    assert len(app_elements(soup(alone))) == 1


def test_options_do_not_swallow_the_rest_of_the_page() -> None:
    text = (
        f'```stlite height="220" layout="code-above"\n{APP}```\n\n## After\n\n'
        "```python\nprint(1)\n```\n"
    )
    page = soup(convert(text))
    assert [h.get_text() for h in page.find_all("h2")] == ["After"]
    assert len(app_elements(page)) == 1


@pytest.mark.parametrize(
    ("opener", "message"),
    [
        ('```stlite heigth="300"', "unknown option 'heigth' (valid options: "),
        ('```stlite heig-ht="300"', "this stlite fence is not an app: write its options as"),
        ('```stlite height="tall"', "option 'height': 'tall' is not a height"),
        ('```stlite width="-3"', "option 'width'"),
    ],
)
def test_bad_fences_are_errors_at_their_line(
    opener: str, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    text = f"# Title\n\n```stlite\n{APP}```\n\nText.\n\n{opener}\n{APP}```\n\n## After\n"
    with pytest.raises(FenceError) as info:
        convert(text)
    logged = [r.getMessage() for r in caplog.records if r.name == "stlite_docs"]
    assert any(m.startswith(f"stlite: <markdown>:10: {message}") for m in logged), logged
    if "names:" in str(info.value) or "valid options" in message:
        assert any(", ".join(sorted(OPTION_NAMES)) in m for m in logged)


def test_every_bad_option_is_reported_before_the_page_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = (
        f'```stlite height="tall" worker="mine"\n{APP}```\n\n'
        f'```stlite layout="sideways"\n{APP}```\n'
    )
    with pytest.raises(FenceError) as info:
        convert(text)
    assert str(info.value) == "<markdown>: 2 app(s) of this page have errors (reported above)"
    logged = [r.getMessage() for r in caplog.records if r.name == "stlite_docs"]
    for expected in (
        "stlite: <markdown>:1: option 'height': 'tall' is not a height",
        "stlite: <markdown>:1: option 'worker': 'mine' is not one of shared, own",
        "stlite: <markdown>:6: option 'layout': 'sideways' is not one of",
    ):
        assert any(m.startswith(expected) for m in logged), (expected, logged)


def test_duplicate_id_is_an_error_naming_both_places() -> None:
    text = f'```stlite id="a"\n{APP}```\n\n```stlite id="a"\n{APP}```\n'
    with pytest.raises(FenceError) as info:
        convert(text)
    assert str(info.value) == "<markdown>:6: id 'a' is already used by the app at <markdown>:1"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"theme": "blue"}, "stlite_docs.markdown: theme: 'blue' is not one of"),
        ({"js_url": "javascript:alert(1)"}, "stlite_docs.markdown: js_url: 'javascript:alert(1)'"),
        ({"colour": "red"}, "unknown setting 'colour' (settings: app_actions, css_url, "),
        ({"self_contained": True}, "'stlite-docs vendor SITE_DIR'"),
        ({"inherit": "font"}, "inherit must be a list of"),
    ],
)
def test_bad_settings_are_clear_errors(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=r"stlite_docs\.markdown") as info:
        convert("x", **settings)
    assert message in str(info.value)


def test_settings_reach_the_loader_tag() -> None:
    html = convert(
        f"```stlite\n{APP}```\n",
        js_url="https://mirror.example.org/s/stlite.js",
        theme="dark",
        inherit=["font"],
        style_nonce="abc123",
        share_links=True,
    )
    page = soup(html)
    (script,) = loader_scripts(page)
    assert script["data-stlite-js"] == "https://mirror.example.org/s/stlite.js"
    assert script["data-theme"] == "dark"
    assert script["data-inherit"] == "font codeFont"
    assert script["data-style-nonce"] == "abc123"
    assert page.find("style", class_="stlite-docs-style")["nonce"] == "abc123"  # type: ignore[index]
    assert "Open in stlite sharing" in html
    # an inlined loader has no folder for stlite's worker: stlite starts its own
    (default,) = loader_scripts(soup(convert(f"```stlite\n{APP}```\n")))
    assert not [name for name in default.attrs if name.startswith("data-stlite-w")]


def test_loader_dir_links_the_files_instead(tmp_path: Path) -> None:
    page = soup(convert(f"```stlite\n{APP}```\n", loader_dir="/static/stlite-docs/"))
    (script,) = loader_scripts(page)
    assert script["src"] == "static/stlite-docs/stlite-docs.js"
    assert not page.find_all("style")
    links = [link["href"] for link in page.find_all("link")]
    assert links == ["static/stlite-docs/stlite-docs.css"]
    # with the loader files comes stlite's worker ('stlite-docs loader' writes it), named
    # relative to the loader; not for another stlite
    assert script["data-stlite-worker"] == shipped_worker().file_name
    assert script["data-stlite-worker-check"] == shipped_worker().data_url_check
    custom = soup(
        convert(
            f"```stlite\n{APP}```\n",
            loader_dir="/static/stlite-docs/",
            js_url="https://mirror.example.org/s/stlite.js",
        )
    )
    assert not [
        name for name in loader_scripts(custom)[0].attrs if name.startswith("data-stlite-w")
    ]


def test_fence_functions_are_picklable_for_zensical() -> None:
    """Zensical hashes its configuration with pickle: a hand-written custom_fences entry
    naming these functions (or a partial of them) must survive it."""
    fence = {"name": "stlite", "class": "stlite", "format": formatter, "validator": validator}
    assert pickle.loads(pickle.dumps(fence)) == fence
    assert pickle.loads(pickle.dumps(functools.partial(formatter))).func is formatter
    extension = StliteExtension(theme="dark")
    assert extension.settings.theme == "dark"
    assert extension.settings.inherited() == Settings().inherited()


def test_formatter_outside_a_page_falls_back_to_the_source() -> None:
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "stlite",
                        "class": "stlite",
                        "format": formatter,
                        "validator": validator,
                    }
                ]
            }
        },
    )
    html = md.convert(f"```stlite\n{APP}```\n")
    assert "stlite-docs-app" not in html and "st.write" in html
