"""A Zensical site (only the extension's config lines) in Chromium, offline.

One browser session: a page without apps loads nothing; instant navigation to the apps page
mounts the apps of plain text, an admonition and content tabs on ONE shared worker; they
react; navigating on to a second app page mounts its app on the same worker, with no second
loader started and no error; going back mounts the apps page's apps again on that worker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from host_sites import write_zensical, zensical_build
from playwright.sync_api import expect

from browser.live import Live
from testbed.browser import URLS, Server, serve
from testbed.offline_dist import Distribution

pytestmark = pytest.mark.zensical


@pytest.fixture(scope="module")
def zensical_server(
    offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("zensical-browser")
    with serve({"/_dist": offline_dist.root, "/zensical": root / "site"}) as server:
        # Instant navigation needs site_url, matched by protocol, host AND port.
        write_zensical(root, URLS, site_url=f"{server.base_url}/zensical/")
        result = zensical_build(root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "googleapis" not in (root / "site" / "apps.html").read_text()
        yield server


def test_zensical_site_runs_with_instant_navigation(live: Live, zensical_server: Server) -> None:
    live.server = zensical_server
    page = live.page
    page.goto(f"{zensical_server.base_url}/zensical/index.html")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert not [p for p in zensical_server.requests if p.startswith("/_dist/")], (
        "a page without apps loaded stlite"
    )
    page.evaluate("window.__sameDocument = true")

    page.locator("article").get_by_role("link", name="Apps").click()
    page.wait_for_url("**/apps.html")
    expect(page.locator(".stlite-docs-app")).to_have_count(4)
    live.expect_text(0, "plain ready True")  # height="220", requirements="packaging"
    expect(live.app(0)).to_have_css("height", "220px")
    live.app(1).get_by_role("button", name="Count").click()
    live.expect_text(1, "note clicks=1")
    live.expect_text(2, "tab one ready")
    page.get_by_text("Second tab").click()
    live.expect_text(3, "tab two ready")
    assert page.evaluate("window.__sameDocument") is True, "the theme reloaded the page"
    assert len(live.worker_targets()) == 1

    page.locator("article").get_by_role("link", name="To the second page").click()
    page.wait_for_url("**/second.html")
    # the URL changes first: wait until the new content replaced the apps page's
    expect(page.locator(".stlite-docs-app")).to_have_count(1)
    live.expect_text(0, "second slider=3")
    assert page.evaluate("window.__sameDocument") is True
    assert len(live.worker_targets()) == 1
    # the re-inserted loader script (same data: URL) did not start a second loader
    stlite_loads = [p for p in zensical_server.requests if p.endswith("/stlite/stlite.js")]
    assert len(stlite_loads) == 1, stlite_loads
    workers = [t["targetId"] for t in live.worker_targets()]

    # back by instant navigation: the apps page's apps mount again on the runtime that is up
    start = time.monotonic()
    page.go_back()
    page.wait_for_url(re.compile(r"/apps\.html(#.*)?$"))
    expect(page.locator(".stlite-docs-app")).to_have_count(4)
    live.expect_text(0, "plain ready True")
    back_s = time.monotonic() - start
    assert [t["targetId"] for t in live.worker_targets()] == workers, "Python booted again"
    assert back_s < 30, back_s  # the apps' runs, not a boot (1.2 s here; timing: benchmarks)
    assert page.evaluate("window.__sameDocument") is True
    assert not live.page_errors, live.page_errors
    assert not live.console_errors, live.console_errors


def test_the_inline_loaders_editor_is_a_text_area_that_reruns(
    live: Live, zensical_server: Server
) -> None:
    """A page carrying the loader inline has no folder to load CodeMirror from: its editor
    is a text area, with the same Run and Reset; no editor file is asked for."""
    live.server = zensical_server
    page = live.page
    page.goto(f"{zensical_server.base_url}/zensical/editor.html")
    live.expect_text(0, "plain editor a")
    area = page.locator("textarea.stlite-docs-plain-editor")
    expect(area).to_have_value('import streamlit as st\nst.write("plain editor a")\n')
    expect(page.locator(".cm-editor")).to_have_count(0)
    reset = page.get_by_role("button", name="Reset")
    expect(reset).to_be_disabled()
    area.fill('import streamlit as st\nst.write("plain editor b")\n')
    area.press("Control+Enter")
    live.expect_text(0, "plain editor b", timeout=30_000)
    reset.click()
    live.expect_text(0, "plain editor a", timeout=30_000)
    expect(area).to_have_value('import streamlit as st\nst.write("plain editor a")\n')
    assert not [p for p in zensical_server.requests if "stlite-docs-editor" in p]
    assert not live.page_errors, live.page_errors
