"""Failure isolation and exact sources in a real browser (offline test bed).

One broken thing (stlite or Pyodide unreachable, an app that never ends, a busy
app) must stay in its own app element: clear messages, the page usable, no
unhandled promise rejection, neighbours running where they can.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator

import pytest
from browser_pages import SELF_SOURCE
from playwright.sync_api import Route, expect

from browser.live import Live
from browser.test_browser_runtime import _record

# Page-side recorders, installed before any page script runs.
WATCH_INIT = """
window.__rejections = [];
window.addEventListener("unhandledrejection", (e) => {
  window.__rejections.push(String(e.reason && (e.reason.stack || e.reason.message) || e.reason));
});
"""


@pytest.fixture
def watched(live: Live) -> Iterator[Live]:
    live.page.add_init_script(WATCH_INIT)
    yield live
    live.server.missing.clear()


def rejections(live: Live) -> list[str]:
    result: list[str] = live.page.evaluate("window.__rejections")
    return result


def _assert_page_usable(live: Live) -> None:
    """The host page still reacts: its links work and its scripts run."""
    assert live.page.evaluate("1 + 1") == 2
    heading = live.page.locator("h1").first
    expect(heading).to_be_visible()
    live.page.mouse.wheel(0, 400)
    assert live.page.evaluate("document.readyState") == "complete"


def _expect_all_failed(live: Live, count: int, words: list[str]) -> list[str]:
    texts = []
    for i in range(count):
        app = live.app(i)
        app.scroll_into_view_if_needed()
        expect(app).to_have_attribute("data-stlite-docs-state", "error", timeout=90_000)
        status = app.locator(".stlite-docs-status")
        expect(status).to_be_visible()
        expect(status).to_have_attribute("role", "alert")
        text = status.inner_text()
        for word in words:
            assert word in text, text
        # styled as an error, not as the plain loading pill
        colour = status.evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(253, 236, 234)", colour
        # the source is still shown to the reader
        expect(app.locator(".stlite-docs-source")).to_be_visible()
        texts.append(text)
    return texts


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_stlite_unreachable(watched: Live, site: str) -> None:
    watched.server.missing.add("/_dist/stlite/stlite.js")
    watched.goto(site, "three")
    texts = _expect_all_failed(watched, 3, ["Could not load stlite", "/_dist/stlite/stlite.js"])
    _record(f"{site}-stlite-unreachable", message=texts[0])
    _assert_page_usable(watched)
    assert rejections(watched) == []
    assert watched.page_errors == []
    assert watched.worker_targets() == []


def test_pyodide_unreachable(watched: Live) -> None:
    watched.server.missing.add("/_dist/pyodide/pyodide.mjs")
    watched.goto("sphinx", "three")
    texts = _expect_all_failed(watched, 3, ["Python", "/_dist/pyodide/pyodide.mjs"])
    _record("sphinx-pyodide-unreachable", message=texts[0])
    _assert_page_usable(watched)
    assert rejections(watched) == []
    assert watched.page_errors == []


def test_loader_second_part_unreachable(watched: Live) -> None:
    """The part of the loader imported when an app starts is missing (a half-copied
    site): each app says so, naming the file; nothing else breaks."""
    watched.server.missing.add("/sphinx/_static/stlite-docs-mount.js")
    watched.goto("sphinx", "three")
    _expect_all_failed(watched, 3, ["Could not load the app loader", "stlite-docs-mount.js?v="])
    _assert_page_usable(watched)
    assert rejections(watched) == []
    assert watched.page_errors == []
    assert watched.worker_targets() == []


def test_damaged_config_is_reported_in_its_own_box(watched: Live) -> None:
    """An app whose config is damaged (a height that is not a CSS length string) shows a
    message naming the key; the page's other apps run."""

    def damage(route: Route) -> None:
        response = route.fetch()
        html = response.text()
        assert html.count('"height":"') == 3
        route.fulfill(response=response, body=html.replace('"height":"', '"height":1,"x":"', 1))

    watched.page.route("**/sphinx/three.html", damage)
    watched.goto("sphinx", "three")
    texts = _expect_all_failed(watched, 1, ['Invalid app configuration: "height"'])
    assert watched.app(0).locator(".stlite-docs-mount").count() == 0
    watched.expect_text(1, "three-1 ready")
    watched.expect_text(2, "three-2 ready")
    expect(watched.app(0).locator(".stlite-docs-status")).to_have_text(texts[0])
    assert rejections(watched) == []
    assert watched.page_errors == []


def test_missing_package_is_contained(watched: Live) -> None:
    """micropip's failed PyPI lookup rejects a promise inside stlite's code; the
    loader marks the app instead of leaving an unhandled rejection."""
    watched.expected_off_hosts.add("pypi.org")
    watched.goto("sphinx", "errors")
    watched.expect_text(2, "neighbour ready")
    expect(watched.app(1)).to_have_attribute("data-stlite-docs-state", "error", timeout=90_000)
    watched.page.wait_for_timeout(1000)
    assert rejections(watched) == []
    assert watched.page_errors == []


def test_real_page_errors_are_not_hidden(watched: Live) -> None:
    """The containment only takes stlite's own rejections: a page's stays visible."""
    watched.goto("sphinx", "three")
    watched.expect_text(0, "three-0 ready")
    watched.page.evaluate("Promise.reject(new Error('page-owned failure')); 0")
    watched.page.wait_for_timeout(500)
    assert any("page-owned failure" in r for r in rejections(watched))


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_source_reaches_the_app_exactly(live: Live, site: str) -> None:
    live.goto(site, "selfsource")
    sha = hashlib.sha256(SELF_SOURCE.source.encode()).hexdigest()
    live.expect_text(0, f"self-source sha={sha}")
    shown = live.app(0).locator('.stlite-docs-mount [data-testid="stText"]').first.inner_text()
    assert json.loads(shown) == SELF_SOURCE.source
    assert live.page_errors == []
    assert live.dialogs == []  # the alert() in the app's comment never ran


def _clicks_after(live: Live, busy_index: int, busy_label: str) -> float:
    """Click the busy button of app ``busy_index``, then the neighbour's button;
    seconds until the neighbour shows the click."""
    neighbour = live.app(2)
    before = int(
        neighbour.locator(".stlite-docs-mount")
        .get_by_text("Neighbour clicks=")
        .first.inner_text()
        .rsplit("=", 1)[1]
    )
    live.app(busy_index).get_by_role("button", name=busy_label).click()
    live.page.wait_for_timeout(300)  # the busy run has started
    start = time.monotonic()
    neighbour.get_by_role("button", name="Neighbour").click()
    live.expect_text(2, f"Neighbour clicks={before + 1}", timeout=60_000)
    return time.monotonic() - start


def test_busy_app_delays_shared_neighbours_not_own_worker(live: Live) -> None:
    """Measured, and documented in the docs (failures.md): a busy app in the shared runtime
    holds up its neighbours for as long as it runs; with ``worker: own`` it does not."""
    live.goto("sphinx", "busy")
    live.expect_text(0, "Busy shared ready")
    live.expect_text(1, "Busy own ready")
    live.expect_text(2, "Neighbour clicks=0")
    start = time.monotonic()  # a click alone: the baseline
    live.app(2).get_by_role("button", name="Neighbour").click()
    live.expect_text(2, "Neighbour clicks=1")
    idle = time.monotonic() - start
    own = _clicks_after(live, 1, "Busy own")
    live.expect_text(1, "Busy own done", timeout=60_000)
    shared = _clicks_after(live, 0, "Busy shared")
    live.expect_text(0, "Busy shared done", timeout=60_000)
    _record(
        "busy-neighbour",
        idle_click_s=round(idle, 2),
        own_worker_busy_6s_click_s=round(own, 2),
        shared_busy_6s_click_s=round(shared, 2),
    )
    assert shared > 4.0, shared  # waited for most of the 6 s busy run
    assert own < 3.0, own
    assert len(live.worker_targets()) == 1  # the shared one; the own app has a dedicated worker
    assert len(live.page.workers) == 1


def test_endless_app_in_own_worker_does_not_block_neighbours(live: Live) -> None:
    live.goto("sphinx", "isolation")
    # The endless app's output never leaves its worker (the script never yields), so
    # only the neighbour's output is awaited; the endless app keeps its own worker busy.
    live.expect_text(1, "Still alive clicks=0")
    assert len(live.page.workers) == 1  # the endless app's own (dedicated) worker
    assert len(live.worker_targets()) == 1  # the neighbour's shared one
    for n in (1, 2):
        live.app(1).get_by_role("button", name="Still alive").click()
        live.expect_text(1, f"Still alive clicks={n}", timeout=20_000)
    expect(live.app(1)).to_have_attribute("data-stlite-docs-state", "running")
    assert live.page_errors == []
