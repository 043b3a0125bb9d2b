"""The app element (``stlite_docs.render``): ids, JSON inside ``<script>``, escaping."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from stlite_docs import (
    AppSpec,
    element_id,
    json_for_script,
    render_mount,
)

# --- element ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "index", "expected"),
    [
        ("index", 0, "stlite-index-0"),
        ("index", 12, "stlite-index-12"),
        ("sub/page", 1, "stlite-sub-page-1"),
        ("Guide/Intro Page", 3, "stlite-guide-intro-page-3"),
        ("my_page", 0, "stlite-my_page-0"),
        ("", 0, "stlite-index-0"),
        ("héllo/wörld", 0, "stlite-h-llo-w-rld-0"),
    ],
)
def test_element_id(document: str, index: int, expected: str) -> None:
    assert element_id(document, index) == expected


@given(st.text(max_size=40), st.integers(min_value=0, max_value=10_000))
def test_element_id_is_css_safe_and_unique_per_index(document: str, index: int) -> None:
    elem_id = element_id(document, index)
    assert elem_id == element_id(document, index)
    assert elem_id.startswith("stlite-")
    assert elem_id.endswith(f"-{index}")
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in elem_id)
    assert element_id(document, index + 1) != elem_id


# --- JSON inside <script> ------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # includes control chars and lone surrogates
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(ANY_CHAR),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(ANY_CHAR, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(300))
@given(JSON_VALUES)
def test_json_for_script_round_trips_and_is_inert(value: object) -> None:
    text = json_for_script(value)
    assert json.loads(text) == value
    assert text.isascii()
    for char in "<>&\u2028\u2029":
        assert char not in text
    assert all(ord(c) >= 0x20 for c in text)  # no raw control characters either


@settings(max_examples=examples(150))
@given(st.text(ANY_CHAR, min_size=1))
def test_mount_element_round_trips_any_source(source: str) -> None:
    spec = AppSpec(entrypoint="streamlit_app.py", files=(("streamlit_app.py", source),))
    html = render_mount(spec, "stlite-x-0", lambda code, language: "<pre>shown</pre>")
    soup = BeautifulSoup(html, "html.parser")
    (element,) = soup.find_all("div", class_="stlite-docs-app")
    assert isinstance(element, Tag)
    config = element.find("template", class_="stlite-docs-config")
    assert isinstance(config, Tag)
    assert config.string is not None
    assert json.loads(config.string)["files"] == {"streamlit_app.py": source}
    assert html.count("</template") == 1 and "<script" not in html


def test_json_for_script_escapes_specific_sequences() -> None:
    text = json_for_script({"s": "</script><!-- ]]> & \u2028"})
    assert text == '{"s":"\\u003c/script\\u003e\\u003c!-- ]]\\u003e \\u0026 \\u2028"}'


def test_mount_element_escapes_what_it_does_not_trust() -> None:
    """No template autoescaping: every value put in the HTML is escaped by hand."""
    spec = AppSpec(
        entrypoint="a.py",
        files=(("a.py", "x = 1\n"), ('b"<i>&.py', "y = 2\n")),
        layout="code-above",
        share=True,
    )
    html = render_mount(spec, 'id"<b>&', lambda code, language: "<pre>ok</pre>")
    assert "<i>" not in html and "<b>" not in html
    assert 'data-path="b&quot;&lt;i&gt;&amp;.py"' in html
    assert '<div class="stlite-docs-filename">b&quot;&lt;i&gt;&amp;.py</div>' in html
    assert 'id="id&quot;&lt;b&gt;&amp;"' in html
    assert html.count("<pre>ok</pre>") == 2  # trusted highlighter output, as given
    soup = BeautifulSoup(html, "html.parser")
    assert [str(a["href"]).split("#!")[0] for a in soup.find_all("a")] == [
        "https://share.stlite.net/",
        "https://edit.share.stlite.net/",
    ]


def test_reader_actions_are_hidden_buttons_in_the_links_line() -> None:
    """The reader's Copy code and Download: buttons the loader shows (they need JavaScript),
    first in the line under the app, separated from the links after them; an app with no
    links still gets the line; with actions off, nothing of them."""
    spec = AppSpec(entrypoint="a.py", files=(("a.py", "x = 1\n"),))
    alone = BeautifulSoup(render_mount(spec, "a", lambda c, lang: c, actions=True), "html.parser")
    line = alone.select_one(".stlite-docs-block > .stlite-docs-links")
    assert isinstance(line, Tag)
    bar = line.select_one(".stlite-docs-actions")
    assert isinstance(bar, Tag) and bar.has_attr("hidden")
    buttons = bar.find_all("a")
    assert [b.get_text() for b in buttons] == ["Copy code", "Download"]
    assert [b["data-stlite-docs-action"] for b in buttons] == ["copy", "download"]
    assert all(b["role"] == "button" and b["href"] == "#" for b in buttons)
    assert line.get_text() == "Copy code · Download"
    linked = render_mount(spec, "a", lambda c, lang: c, full_page_href="a.html", actions=True)
    line = BeautifulSoup(linked, "html.parser").select_one(".stlite-docs-links")
    assert isinstance(line, Tag)
    assert line.get_text() == "Copy code · Download · Open full page"
    off = render_mount(spec, "a", lambda c, lang: c, actions=False)
    assert "stlite-docs-actions" not in off and "stlite-docs-block" not in off
