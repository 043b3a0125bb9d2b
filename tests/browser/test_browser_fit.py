"""Apps that fit the page, on eight themes, in the real browser.

For every theme (and its dark scheme where it has one) the default app box is as tall as the
app, starts without a header band, uses the page's type scale and background, keeps a
fixed-height app scrollable, shows a visible Run button, and causes no horizontal scrolling at
390 px. Every number lands in ``test-artifacts/theme-matrix.json`` (printed at the end of the
run) and every cell's screenshot in ``test-artifacts/theme-matrix/``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from browser.live import ARTIFACTS, Live
from browser.theme_matrix import APPS, MEASURE_JS, THEMES, Theme, build_theme_sites
from testbed.browser import Server, serve
from testbed.offline_dist import Distribution

MATRIX_JSON = ARTIFACTS / "theme-matrix.json"
SHOTS = ARTIFACTS / "theme-matrix"


@pytest.fixture(scope="module")
def matrix_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    sites = build_theme_sites(tmp_path_factory.mktemp("themes"))
    mounts: dict[str, Path] = {"/_dist": offline_dist.root}
    mounts.update({f"/{name}": path for name, path in sites.items()})
    with serve(mounts) as server:
        yield server


def _record(key: str, values: dict[str, Any]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    data = json.loads(MATRIX_JSON.read_text()) if MATRIX_JSON.exists() else {}
    data[key] = values
    MATRIX_JSON.write_text(json.dumps(data, indent=2, sort_keys=True))


def _contrast(a: list[float], b: list[float]) -> float:
    def lum(c: list[float]) -> float:
        parts = [v / 255 for v in c[:3]]
        lin = [p / 12.92 if p <= 0.04045 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _wait_for_apps(page: Page) -> None:
    apps = page.locator(".stlite-docs-app")
    for index, app in enumerate(APPS):
        box = apps.nth(index)
        box.scroll_into_view_if_needed()
        box.get_by_text(app.done, exact=True).first.wait_for(state="attached", timeout=90_000)
        page.wait_for_function(
            "el => el.dataset.stliteDocsState === 'running'", arg=box.element_handle()
        )


def _settle(page: Page) -> None:
    """Layout, Streamlit's re-render and any smooth scrolling (some themes scroll smoothly)
    are over: the page's scroll position held still for a few frames."""
    page.wait_for_timeout(300)
    page.evaluate("""() => new Promise((resolve) => {
        let last = -1, still = 0;
        const tick = () => {
          still = scrollY === last ? still + 1 : 0;
          last = scrollY;
          if (still >= 3) resolve(); else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })""")


def _assert_cell(name: str, m: dict[str, Any]) -> dict[str, float]:
    """The matrix's claims for one cell; returns the numbers that the table shows."""
    page, tall, fixed, widgets, editor = m["page"], m["tall"], m["fixed"], m["widgets"], m["editor"]
    below_last = tall["box_bottom"] - tall["last_bottom"]
    allowed_below = tall["line_height"] + tall["block_padding"] + 2
    numbers = {
        "below_last_px": round(below_last, 1),
        "allowed_below_px": round(allowed_below, 1),
        "above_first_px": round(tall["first_top"], 1),
        "text_ratio": round(tall["text"] / page["text"], 3),
        "code_ratio": round(widgets["code"] / page["code"], 3),
        "bg_distance": round(tall["bg_distance"], 1),
        "run_contrast": round(_contrast(editor["run_bg"], editor["run_fg"]), 2),
        "run_vs_page": round(math.dist(editor["run_bg"][:3], editor["page_bg"][:3]), 1),
        "editor_code_ratio": round(editor["area_size"] / page["code"], 3),
    }
    # The last line of a 30-line app is inside the box, with at most a line and the padding below.
    assert 0 <= below_last < allowed_below, (name, numbers)
    # No header band: the first element starts within a paragraph gap of the box's top.
    assert tall["first_top"] <= 1.25 * page["line_height"], (name, numbers, page)
    # The page's type scale: app text and app code within 10% of the page's.
    assert 0.9 <= numbers["text_ratio"] <= 1.1, (name, numbers)
    assert 0.9 <= numbers["code_ratio"] <= 1.1, (name, numbers)
    # The page's background, in the box and behind it.
    assert numbers["bg_distance"] <= 3, (name, numbers, tall["app_bg"], tall["page_bg"])
    # The editor: a visible Run button with readable text; the page's code font and size.
    assert editor["run_visible"], name
    assert numbers["run_vs_page"] >= 40, (name, numbers)
    assert numbers["run_contrast"] >= 4.5, (name, numbers)
    assert 0.9 <= numbers["editor_code_ratio"] <= 1.1, (name, numbers)
    assert editor["area_font"] == page["code_font"], (name, editor["area_font"], page["code_font"])
    # A fixed height keeps its box and scrolls inside, with a scrollbar that shows.
    assert abs(fixed["box_height"] - 220) <= 1, (name, fixed["box_height"])
    _, scroll_height, client_height = fixed["main_scroll"]
    assert scroll_height > client_height + 100, (name, fixed["main_scroll"])
    thumb = fixed["scrollbar"].split(")")[0]  # "<thumb colour> <track colour>"
    assert thumb not in ("auto", "rgba(0, 0, 0, 0"), (name, fixed["scrollbar"])
    return numbers


def _scroll_fixed_to_end(live: Live) -> dict[str, float]:
    """Wheel over the fixed app: it scrolls inside (the page does not) until its last line."""
    page = live.page
    fixed = live.app(1)
    fixed.scroll_into_view_if_needed()
    _settle(page)
    box = fixed.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    window_before = page.evaluate("scrollY")
    inside = "el => el.querySelector('[data-testid=stMain]').scrollTop"
    fixed.evaluate("el => { el.querySelector('[data-testid=stMain]').scrollTop = 0; }")
    page.mouse.wheel(0, 100)  # one notch
    page.wait_for_function(f"({inside})(document.querySelectorAll('.stlite-docs-app')[1]) > 0")
    _settle(page)
    state = (fixed.evaluate(inside), page.evaluate("scrollY"))
    assert state[1] == window_before, ("a notch over the app scrolled the page", state)
    fixed.evaluate(
        "el => { const m = el.querySelector('[data-testid=stMain]');"
        " m.scrollTop = m.scrollHeight; }"
    )
    _settle(page)
    last = fixed.get_by_text("line 30 of 30", exact=True).bounding_box()
    outer = fixed.bounding_box()
    assert last is not None and outer is not None
    assert outer["y"] <= last["y"] and last["y"] + last["height"] <= outer["y"] + outer["height"]
    return {"fixed_last_inside": 1.0}


def _gallery_shot(page: Page, path: Path) -> None:
    """The docs' gallery picture of a cell: the widgets app and the editor, with the page's
    prose and column around them (scripts/gallery.py puts it in the docs)."""
    region = page.evaluate("""() => {
        const apps = [...document.querySelectorAll('.stlite-docs-app')];
        const top = apps[2].getBoundingClientRect(), end = apps[3].closest('.stlite-docs-block')
          .getBoundingClientRect();
        return {x: Math.max(0, top.left - 32), y: top.top + scrollY - 48,
                width: top.width + 64, height: end.bottom - top.top + 96};
      }""")
    page.screenshot(path=str(path), clip=region, full_page=True, type="jpeg", quality=85)


def _switch_dark(page: Page, theme: Theme) -> None:
    assert theme.dark is not None
    element, attribute, value = theme.dark
    page.evaluate(
        """([element, attribute, value]) => {
             const node = element === 'html' ? document.documentElement : document.body;
             node.setAttribute(attribute, value);
             if (attribute === 'data-theme' && element === 'html') node.dataset.mode = value;
           }""",
        [element, attribute, value],
    )
    page.wait_for_function(
        """() => { const a = document.querySelector('.stlite-docs-app [data-testid=stApp]');
                   const c = getComputedStyle(a).backgroundColor.match(/\\d+/g).map(Number);
                   return c[0] + c[1] + c[2] < 3 * 128; }""",
        timeout=15_000,
    )
    _settle(page)


@pytest.mark.parametrize("theme", THEMES, ids=[t.name for t in THEMES])
def test_apps_fit_the_theme(live: Live, matrix_server: Server, theme: Theme) -> None:
    live.server = matrix_server
    live.expected_off_hosts.update(theme.off_hosts)
    page = live.page
    page.emulate_media(color_scheme="light")
    page.goto(f"{matrix_server.base_url}/{theme.name}/index.html")
    _wait_for_apps(page)
    _settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    schemes = ["light", "dark"] if theme.dark else ["light"]
    for scheme in schemes:
        if scheme == "dark":
            _switch_dark(page, theme)
        page.evaluate("scrollTo({top: 0, behavior: 'instant'})")
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{theme.name}-{scheme}.png"), full_page=True)
        _gallery_shot(page, SHOTS / f"{theme.name}-{scheme}-gallery.jpg")
        numbers = _assert_cell(f"{theme.name}/{scheme}", page.evaluate(MEASURE_JS))
        numbers.update(_scroll_fixed_to_end(live))
        page.set_viewport_size({"width": 390, "height": 844})
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{theme.name}-{scheme}-390.png"), full_page=True)
        narrow = page.evaluate(MEASURE_JS)
        numbers["overflow_390_px"] = narrow["overflow_from_apps"]
        assert narrow["overflow_from_apps"] <= 0, f"{theme.name}/{scheme}: apps widen the page"
        assert narrow["apps_outside"] == 0, f"{theme.name}/{scheme}: an app box leaves the screen"
        page.set_viewport_size({"width": 1280, "height": 900})
        _settle(page)
        _record(f"{theme.name}/{scheme}", numbers)
    errors = [e for e in live.page_errors if e not in theme.own_errors]
    assert not errors, errors


# The box follows its app, on the test bed's Sphinx (Alabaster) and MkDocs (Material) sites.

FITS_JS = """
([index, text]) => {
  const app = document.querySelectorAll('.stlite-docs-app')[index];
  const box = app.getBoundingClientRect();
  const ps = [...app.querySelectorAll('[data-testid=stMainBlockContainer] *')].filter(
    (e) => e.children.length === 0 && e.textContent.includes(text));
  const last = ps.at(-1).getBoundingClientRect();
  const main = app.querySelector('[data-testid=stMain]');
  const zoom = app.querySelector('.stlite-docs-mount').currentCSSZoom || 1;
  const pad = parseFloat(getComputedStyle(
    app.querySelector('[data-testid=stMainBlockContainer]')).paddingBottom) * zoom;
  return { height: box.height, below: box.bottom - app.clientTop - last.bottom, pad,
           line: parseFloat(getComputedStyle(ps.at(-1)).lineHeight) * zoom || 24,
           scrolls: main.scrollHeight > main.clientHeight + 1 };
}
"""


def _fits(live: Live, index: int, text: str) -> float:
    """App ``index`` shows ``text`` as its last line, inside the box, nothing to scroll, and at
    most a line plus the padding below it. Returns the box's height."""
    live.page.wait_for_timeout(300)  # the box follows Streamlit's re-render
    m = live.page.evaluate(FITS_JS, [index, text])
    assert not m["scrolls"], (index, m)
    assert 0 <= m["below"] < m["line"] + m["pad"] + 24, (index, m)
    return float(m["height"])


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_the_box_follows_its_app(live: Live, site: str) -> None:
    live.goto(site, "fit")
    page = live.page
    # More output after a rerun.
    live.expect_text(0, "row 3 of 3")
    short = _fits(live, 0, "row 3 of 3")
    live.app(0).get_by_role("button", name="More rows").click()
    live.expect_text(0, "row 23 of 23")
    assert _fits(live, 0, "row 23 of 23") > short + 300
    # An expander opening.
    live.expect_text(1, "expander below")
    closed = live.app(1).bounding_box()
    assert closed is not None
    live.app(1).get_by_test_id("stExpander").get_by_text("Details").click()
    live.expect_text(1, "detail 15 of 15")
    assert _fits(live, 1, "detail 15 of 15") > closed["height"] + 200
    # A traceback.
    live.expect_text(2, "fails on click")
    live.app(2).get_by_role("button", name="Fail").click()
    live.expect_text(2, "failed on purpose")
    error = live.app(2).locator("[data-testid=stException]")
    inner, outer = error.bounding_box(), live.app(2).bounding_box()
    assert inner is not None and outer is not None
    assert outer["y"] < inner["y"] and inner["y"] + inner["height"] < outer["y"] + outer["height"]
    # max_height: the box stops growing there and the app scrolls inside it.
    live.expect_text(3, "long 1 of 40")
    assert abs(live.app(3).evaluate("el => el.getBoundingClientRect().height") - 302) <= 1
    assert live.app(3).evaluate(
        "el => { const m = el.querySelector('[data-testid=stMain]');"
        " return m.scrollHeight > m.clientHeight + 100 }"
    )
    # A multipage app: its second page's content, in the same box (the first page is as tall
    # as the sidebar's page list).
    live.expect_text(4, "first page, short")
    first_page = live.app(4).evaluate("el => el.getBoundingClientRect().height")
    live.app(4).get_by_role("link", name="Long").first.click()
    live.expect_text(4, "second page 25 of 25")
    assert _fits(live, 4, "second page 25 of 25") > first_page + 300
    # The app menu: hidden until the app has the pointer or the keyboard focus, then reachable.
    menu = live.app(0).locator("[data-testid=stMainMenu]")
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    expect(menu).to_have_css("opacity", "0")
    live.app(0).locator("[data-testid=stMainMenuButton]").focus()
    expect(menu).to_have_css("opacity", "1")
    assert not live.page_errors


def test_the_page_holds_still_while_apps_above_grow(live: Live) -> None:
    """A reader who goes straight to the last of six tall apps: the apps above it start (their
    boxes grow from their short source to 30 lines) without moving what the reader sees."""
    live.goto("sphinx", "anchor")
    page = live.page
    last = live.app(5)
    # room below it, so it can sit at the top of the window as a reader scrolls to it
    last.evaluate(
        "el => { const room = document.createElement('div');"
        " room.style.height = '3000px'; el.after(room);"
        " el.scrollIntoView({block: 'start', behavior: 'instant'}); }"
    )
    top = last.evaluate("el => el.getBoundingClientRect().top")
    live.app(5).locator(".stlite-docs-mount").get_by_text("anchor5 30").wait_for(timeout=90_000)
    # the apps above it are within reach: they start after it, and grow above the viewport
    page.wait_for_function(
        "() => [...document.querySelectorAll('.stlite-docs-app')].slice(2, 5)"
        ".every((a) => a.dataset.stliteDocsState === 'running')",
        timeout=90_000,
    )
    page.wait_for_timeout(500)
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.stlite-docs-app')].map((a) => a.offsetHeight)"
    )
    assert min(heights[2:5]) > 900, heights  # they did grow
    moved = last.evaluate("el => el.getBoundingClientRect().top") - top
    assert abs(moved) <= 2, f"the page moved by {moved} px while apps above the reader grew"
