"""The leak metric: does the documentation page's CSS reach into an app?

One app with the elements themes style (headings h1-h4, paragraphs, lists, inline and block
code, a Markdown table, a metric, an expander, widgets) is measured twice: in the docs page,
and on its own full page, which has no theme CSS at all (the build writes it; stlite-docs' own
stylesheet is there too). Every Streamlit element is matched by its place in the app, and
compared on what the page must not change: margins, paddings, border widths, font size and
line height (each relative to the app's own base font size: the app deliberately takes the
site's type scale), list style and display. Fonts and colours are left out: the app takes
those from the site on purpose, and so is st.code's font size where the box was given the
site's code size.

A difference above ``TOLERANCE_EM`` (of the app's base font size) is a leak. Used by
``test_browser_leaks.py``, which writes every theme's leaks to ``test-artifacts/leaks.json``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from playwright.sync_api import Page

from browser.theme_matrix import MatrixApp

LEAK_SOURCE = """\
import streamlit as st
st.title("Title one")
st.header("Header two")
st.subheader("Subheader three")
st.markdown("#### Heading four")
st.markdown("A paragraph with `inline code` and **bold** text.\\n\\nA second paragraph.")
st.markdown("- one\\n- two\\n    - nested\\n\\n1. first\\n2. second")
st.markdown("| a | b |\\n|---|---|\\n| 1 | 2 |")
st.code("x = 1\\nprint(x)")
st.metric("Metric", 42, 3)
with st.expander("Expander"):
    st.write("inside the expander")
st.slider("Slider", 0, 10, 3)
st.button("Button")
st.text_input("Text")
st.write("leak app done")
"""
LEAK_APP = MatrixApp("leaks", LEAK_SOURCE, {}, "leak app done")
TOLERANCE_EM = 0.05

#: What is compared of every element: lengths (relative to the app's base font size), ratios,
#: and keywords.
LENGTHS = (
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "border-top-width",
    "border-bottom-width",
    "border-left-width",
    "border-right-width",
    "font-size",
)
KEYWORDS = ("list-style-type", "display")

#: Every element of the app's view, in document order, with its place and what it is; the
#: app's base font size (its first paragraph's). Playwright takes a bare function.
MEASURE = """
([lengths, keywords]) => {
  const root = document.querySelector('.stlite-docs-mount [data-testid=stMainBlockContainer]')
    || document.querySelector('[data-testid=stMainBlockContainer]');
  const first = [...root.querySelectorAll('p')]
    .find((p) => p.textContent.startsWith('A paragraph'));
  const base = parseFloat(getComputedStyle(first).fontSize);
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('[data-testid=stToolbar], [data-testid=stStatusWidget]')) continue;
    const testid = el.closest('[data-testid]')?.getAttribute('data-testid') || '';
    const s = getComputedStyle(el);
    const values = {};
    for (const name of lengths) values[name] = parseFloat(s.getPropertyValue(name)) / base;
    const size = parseFloat(s.fontSize);
    values['line-height'] = s.lineHeight === 'normal' ? 'normal' : parseFloat(s.lineHeight) / size;
    for (const name of keywords) values[name] = s.getPropertyValue(name);
    out.push({ tag: el.tagName.toLowerCase(), testid, values });
  }
  return { base, elements: out, codeSize: !!root.closest('[data-stlite-docs-code]') };
}
"""


@dataclass(frozen=True)
class Leak:
    """One property of one element that differs between the docs page and the app's own."""

    place: int  # the element's index in the app's view, in document order
    element: str  # its tag and the nearest data-testid
    prop: str
    docs: object
    own: object

    def __str__(self) -> str:
        return (
            f"{self.element} #{self.place}: {self.prop} {self.docs} on the page, {self.own} alone"
        )


def settled(page: Page) -> None:
    """Wait for the app's lazily loaded elements (st.code, widgets: a skeleton until their code
    is in) and their last styles (the expander's, the metric's)."""
    page.wait_for_function(
        "() => !document.querySelector('.stlite-docs-mount [data-testid=stSkeleton],"
        " [data-testid=stMainBlockContainer] [data-testid=stSkeleton]')",
        timeout=60_000,
    )
    page.wait_for_timeout(500)


def measure(page: Page) -> dict[str, object]:
    """The app's elements and their styles on ``page`` (its first app, or an app's own page)."""
    result: dict[str, object] = page.evaluate(MEASURE, [list(LENGTHS), list(KEYWORDS)])
    return result


def leaks(docs: dict[str, object], own: dict[str, object]) -> tuple[list[Leak], int]:
    """Every difference above the tolerance between the two measurements of one app, and how
    many elements are in one view only (Streamlit's views can differ in a hover layer or a
    widget's inner parts; those are left out, the elements matched by tag and data-testid,
    in order, are compared)."""
    found: list[Leak] = []
    docs_elements: list[dict[str, object]] = docs["elements"]  # type: ignore[assignment]
    own_elements: list[dict[str, object]] = own["elements"]  # type: ignore[assignment]
    keys = [[f"{e['tag']} {e['testid']}" for e in side] for side in (docs_elements, own_elements)]
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    matched = 0
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            place = block.a + i
            a, b = docs_elements[place], own_elements[block.b + i]
            matched += 1
            element = f"{a['tag']} in {a['testid'] or 'the app'}"
            va: dict[str, object] = a["values"]  # type: ignore[assignment]
            vb: dict[str, object] = b["values"]  # type: ignore[assignment]
            for prop, value in va.items():
                other = vb[prop]
                if prop == "font-size" and a["testid"] == "stCode" and docs.get("codeSize"):
                    continue  # st.code takes the site's code size on purpose (app.css)
                if isinstance(value, float) and isinstance(other, float):
                    if abs(value - other) > TOLERANCE_EM:
                        found.append(Leak(place, element, prop, round(value, 3), round(other, 3)))
                elif value != other:
                    found.append(Leak(place, element, prop, value, other))
    unmatched = len(docs_elements) + len(own_elements) - 2 * matched
    return found, unmatched
