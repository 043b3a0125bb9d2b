"""A mystmd site (``stlite-docs-myst``, the test theme built from @myst-theme packages) in
Chromium, offline: two ``{stlite}`` apps of a page render from inside MyST's anywidget shadow
roots, in the light DOM, on ONE shared worker; they react; they follow <html class="dark">;
a widget taken out of the page leaves its neighbour running.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from host_sites import built_myst_site
from playwright.sync_api import expect

from browser.live import Live
from testbed.browser import Server, serve
from testbed.offline_dist import Distribution


@pytest.fixture(scope="module")
def myst_server(offline_dist: Distribution) -> Iterator[Server]:
    with serve({"/_dist": offline_dist.root, "/myst": built_myst_site()}) as server:
        yield server


def _background(live: Live, index: int) -> str:
    return str(
        live.app(index)
        .locator("[data-testid=stApp]")
        .evaluate("el => getComputedStyle(el).backgroundColor")
    )


# The test theme's page background in each scheme (tests/myst_theme/render.mjs): apps take it.
LIGHT_PAGE, DARK_PAGE = "rgb(255, 255, 255)", "rgb(17, 17, 17)"


def test_two_myst_apps_on_one_shared_worker(live: Live, myst_server: Server) -> None:
    live.server = myst_server
    page = live.page
    page.goto(f"{myst_server.base_url}/myst/index.html")
    # mounted by the widget in the light DOM (the loader and Playwright's CSS see them)
    expect(page.locator(".stlite-docs-app")).to_have_count(2)
    hosts = page.locator(".myst-anywidget").evaluate_all(
        "els => els.filter(e => e.shadowRoot).map(e => e.shadowRoot.innerHTML)"
    )
    assert hosts == ["<slot></slot>", "<slot></slot>"]
    live.expect_text(0, "myst one ready")
    expect(live.app(0)).to_have_css("height", "220px")
    live.expect_text(1, "myst two ready")
    live.app(1).get_by_role("button", name="Click").click()
    live.expect_text(1, "clicked")
    assert len(live.worker_targets()) == 1
    stlite_loads = [p for p in myst_server.requests if p.endswith("/stlite/stlite.js")]
    assert len(stlite_loads) == 1, "a second loader started"

    # the page's font, not Streamlit's Source Sans (the theme's CSS stays out of the app)
    fonts = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.stlite-docs-app')).fontFamily,
                  getComputedStyle(document.querySelector(
                    '.stlite-docs-app [data-testid=stMarkdownContainer] p')).fontFamily]"""
    )
    # (a generic family comes after a "_" that matches no font: Streamlit reads a bare
    # "sans-serif" as its own Source Sans)
    families = [[f.strip() for f in font.split(",") if f.strip() != "_"] for font in fonts]
    assert families[1][0] == families[0][0], fonts
    assert _background(live, 0) == LIGHT_PAGE
    page.locator("#theme-toggle").click()  # the theme's <html class="dark">
    page.wait_for_function(
        "c => getComputedStyle(document.querySelector('.stlite-docs-app [data-testid=stApp]'))"
        ".backgroundColor === c",
        arg=DARK_PAGE,
        timeout=10_000,
    )
    assert _background(live, 1) == DARK_PAGE

    # a widget removed from the page: its app leaves, the other one keeps running
    page.locator(".myst-anywidget").first.evaluate("el => el.remove()")
    expect(page.locator(".stlite-docs-app")).to_have_count(1)
    page.get_by_role("button", name="Click").click()
    live.expect_text(0, "clicked")
    assert not live.page_errors, live.page_errors
