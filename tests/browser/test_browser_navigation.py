"""Leaving, coming back, removing apps, and Material's instant navigation.

Apps must mount again after navigation, and apps taken out of the page must be
unmounted (their workers gone). Material for MkDocs with ``navigation.instant``
swaps pages without running the new page's <head> scripts, so the plugin puts
the loader on every page of such a site; on a page without apps it loads nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_pages import EDITABLE, App, _md_app, counter, ready
from playwright.sync_api import expect

from browser.live import KEEP_KERNELS, Live
from testbed.browser import URLS, Server, serve
from testbed.build import build_mkdocs
from testbed.offline_dist import Distribution


def test_navigate_away_and_back_mounts_again(live: Live) -> None:
    live.goto("sphinx", "three")
    live.expect_text(0, "three-0 ready")
    live.page.goto(f"{live.server.base_url}/sphinx/index.html")
    live.page.go_back()
    live.expect_text(0, "three-0 ready")
    live.expect_text(2, "three-2 ready")
    assert len(live.worker_targets()) == 1
    assert live.page_errors == []


def _remove(live: Live, index: int) -> None:
    live.page.evaluate("i => document.querySelectorAll('.stlite-docs-app')[i].remove()", index)


def test_removed_apps_are_unmounted_and_their_workers_end(live: Live) -> None:
    # One dedicated worker per app (the fallback), so each app's worker is visible.
    live.page.add_init_script("delete window.SharedWorker;")
    live.goto("sphinx", "three")
    for i in range(3):
        live.expect_text(i, f"three-{i} ready")
    assert len(live.page.workers) == 3
    _remove(live, 0)
    live.page.wait_for_function("document.querySelectorAll('.stlite-docs-app').length === 2")
    expect(live.app(0)).to_have_attribute("data-stlite-docs-state", "running")
    for _ in range(50):
        if len(live.page.workers) == 2:
            break
        live.page.wait_for_timeout(100)
    assert len(live.page.workers) == 2
    _remove(live, 0)
    _remove(live, 0)
    for _ in range(50):
        if not live.page.workers:
            break
        live.page.wait_for_timeout(100)
    assert live.page.workers == [], "workers leaked after every app was removed"
    assert live.page_errors == []


def test_removed_app_leaves_shared_neighbours_running(live: Live) -> None:
    live.goto("sphinx", "interact")
    live.expect_text(2, "Add A clicks=0")
    live.expect_text(3, "Add B clicks=0")
    _remove(live, 2)  # "Add A": unmounted from the shared worker
    live.app(2).get_by_role("button", name="Add B").click()
    live.expect_text(2, "Add B clicks=1")
    assert len(live.worker_targets()) == 1
    assert live.page_errors == []


# --- Material for MkDocs, navigation.instant ------------------------------------------


@pytest.fixture(scope="module")
def instant_server(
    offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("instant")
    docs = root / "docs"
    docs.mkdir()
    out = root / "site"
    with serve({"/_dist": offline_dist.root, "/instant": out}) as server:
        # Instant navigation needs site_url: Material takes its links from the sitemap,
        # and matches them by protocol, host AND port, so the build gets the server's.
        plugin_opts = "".join(f"      {k}: {v}\n" for k, v in URLS.items())
        (root / "mkdocs.yml").write_text(
            f"site_name: instant\nsite_url: {server.base_url}/instant/\n"
            "use_directory_urls: false\n"
            "theme:\n  name: material\n  font: false\n  features: [navigation.instant]\n"
            f"plugins:\n  - search\n  - stlite:\n{plugin_opts}",
            encoding="utf-8",
        )
        (docs / "index.md").write_text(
            "# Home\n\nNo apps here. [To the apps](apps.md)\n", encoding="utf-8"
        )
        apps = [ready("instant-0"), counter("Instant")]
        fences = "".join(f"```stlite\n{app.source}```\n\n" for app in apps)
        (docs / "apps.md").write_text(
            f"# Apps\n\n[Back home](index.md) [To the editor](editor.md)\n\n{fences}",
            encoding="utf-8",
        )
        (docs / "editor.md").write_text(
            f"# Editor\n\n{_md_app(App(EDITABLE, {'layout': 'editor'}))}", encoding="utf-8"
        )
        build_mkdocs(root / "mkdocs.yml", out)
        yield server


def test_material_instant_navigation_mounts_apps(live: Live, instant_server: Server) -> None:
    live.server = instant_server  # worker_targets() looks for pages of this server
    page = live.page
    page.goto(f"{instant_server.base_url}/instant/index.html")
    page.wait_for_load_state("load")
    assert page.locator("script[src*='stlite-docs.js']").count() == 1
    page.wait_for_timeout(1000)
    assert not [p for p in instant_server.requests if p.startswith("/_dist/")], (
        "a page without apps loaded stlite"
    )
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("link", name="To the apps").first.click()
    page.wait_for_url("**/apps.html")
    live.expect_text(0, "instant-0 ready")
    live.expect_text(1, "Instant clicks=0")
    live.app(1).get_by_role("button", name="Instant").click()
    live.expect_text(1, "Instant clicks=1")
    assert page.evaluate("window.__sameDocument") is True, "Material reloaded the page"

    page.get_by_role("link", name="Back home").first.click()
    page.wait_for_url("**/index.html")
    expect(page.locator(".stlite-docs-app")).to_have_count(0)
    page.get_by_role("link", name="To the apps").first.click()
    page.wait_for_url("**/apps.html")
    live.expect_text(0, "instant-0 ready")
    live.expect_text(1, "Instant clicks=0")  # a fresh mount, fresh session
    assert page.evaluate("window.__sameDocument") is True
    assert len(live.worker_targets()) == 1
    # Material re-runs each inline <script> of the new page as JavaScript; the configs
    # are inert <template>s, so nothing of ours runs and nothing fails.
    assert not live.page_errors, live.page_errors
    assert not [e for e in live.console_errors if "SyntaxError" in e], live.console_errors


def test_an_editor_reached_by_instant_navigation_runs_edits(
    live: Live, instant_server: Server
) -> None:
    """The runtime started on a page without editors has no file watcher (Streamlit reads
    its config once per runtime): an editor that comes later by instant navigation runs on
    it all the same, each edit mounting the app afresh."""
    live.server = instant_server
    page = live.page
    page.add_init_script(KEEP_KERNELS)
    page.goto(f"{instant_server.base_url}/instant/apps.html")
    live.expect_text(0, "instant-0 ready")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="To the editor").first.click()
    page.wait_for_url("**/editor.html")
    expect(page.locator(".stlite-docs-app")).to_have_count(1)  # the old page's app is gone
    expect(page.locator(".stlite-docs-layout-editor")).to_have_count(1)
    live.expect_text(0, "value a")
    assert live.streamlit_options("server.fileWatcherType") == ["none"]
    editor = page.locator(".stlite-docs-layout-editor .stlite-docs-editor .cm-content")
    editor.fill('import streamlit as st\nst.write("value b")\n')
    page.locator(".stlite-docs-layout-editor .stlite-docs-run").click()
    live.expect_text(0, "value b", timeout=30_000)
    expect(live.app(0).locator(".stlite-docs-mount")).to_have_count(1)
    expect(live.app(0).locator(".stlite-docs-mount")).not_to_contain_text("value a")
    editor.fill('import streamlit as st\nst.write("value c")\n')
    editor.press("Control+Enter")
    live.expect_text(0, "value c", timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True, "Material reloaded the page"
    assert len(live.worker_targets()) == 1
    assert not live.page_errors, live.page_errors
