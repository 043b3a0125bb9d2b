"""Authoring features in the real browser: multi-file, data files, multipage, layouts, editor."""

from __future__ import annotations

import pytest
from browser_pages import PNG_1PX
from playwright.sync_api import expect

from browser.live import ARTIFACTS, KEEP_KERNELS, Live


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_multifile_data_files_and_multipage(live: Live, site: str) -> None:
    live.goto(site, "authoring")
    live.expect_text(0, "utils says hi")
    live.expect_text(1, f"png bytes={len(PNG_1PX)} magic=PNG")
    live.expect_text(1, "csv rows=3 first=Zürich")
    live.expect_text(2, "main page here")
    href = live.page.evaluate("location.href")
    history_length = live.page.evaluate("history.length")
    multipage = live.app(2)
    multipage.get_by_role("link", name="Details").first.click()
    live.expect_text(2, "details page here")
    assert live.page.evaluate("location.href") == href
    assert live.page.evaluate("history.length") == history_length
    multipage.get_by_role("link", name="streamlit app").first.click()
    live.expect_text(2, "main page here")
    assert live.page.evaluate("location.href") == href
    assert not live.dialogs


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_editor_reruns_the_changed_app_in_place(live: Live, site: str) -> None:
    live.page.add_init_script(KEEP_KERNELS)
    live.goto(site, "layouts")
    live.expect_text(0, "value a")
    live.expect_text(1, "value a")
    editor = live.page.locator(".stlite-docs-layout-editor .stlite-docs-editor .cm-content")
    expect(editor).to_have_count(1)
    expect(editor).to_have_text('import streamlit as stst.write("value a")')
    workers_before = live.worker_targets()
    live.page.evaluate("window.__sameDocument = true")
    mount = ".stlite-docs-layout-editor .stlite-docs-mount"
    live.page.evaluate(f"document.querySelector({mount!r}).__before = true")
    # an editor on the page when the runtime starts: Streamlit's file watcher is on
    assert live.streamlit_options("server.fileWatcherType") == ["auto"]
    editor.fill('import streamlit as st\nst.write("value b")\n')
    live.page.locator(".stlite-docs-layout-editor .stlite-docs-run").click()
    live.expect_text(0, "value b", timeout=30_000)
    # rerun in place: the same Streamlit view, not a new mount
    assert live.page.evaluate(f"document.querySelector({mount!r}).__before") is True
    # only that app changed; the page and the runtime were not reloaded
    expect(live.app(1).locator(".stlite-docs-mount")).to_contain_text("value a")
    expect(live.app(1).locator(".stlite-docs-mount")).not_to_contain_text("value b")
    assert live.page.evaluate("window.__sameDocument") is True
    assert live.worker_targets() == workers_before

    # Ctrl+Enter runs too
    editor.fill('import streamlit as st\nst.write("value c")\n')
    editor.press("Control+Enter")
    live.expect_text(0, "value c", timeout=30_000)


def test_a_waiting_editor_has_one_run_control_and_shows_all_its_code(live: Live) -> None:
    """At 390 px, an editor app that waits for a press: one Run control in its box (the
    page's, which says what it downloads), every wrapped line of the code in view (no inner
    scroll, no cut line); the press runs the code as edited; then the editor's Run is there."""
    live.page.set_viewport_size({"width": 390, "height": 800})
    live.goto("sphinx", "editor-click")
    block = live.page.locator(".stlite-docs-layout-editor")
    editor = block.locator(".stlite-docs-editor .cm-content")
    expect(editor).to_be_visible()
    runs = block.get_by_role("button", name="Run")
    expect(runs).to_have_count(1)
    expect(runs).to_contain_text("Run this app")
    # the editor's own Run waits: the page's Run button starts the app
    expect(block.locator(".stlite-docs-run")).to_be_hidden()
    scroller = block.locator(".stlite-docs-editor .cm-scroller")
    sizes = scroller.evaluate("a => [a.scrollHeight, a.clientHeight, a.scrollWidth, a.clientWidth]")
    assert sizes[0] <= sizes[1] + 1, f"the code scrolls inside the editor: {sizes}"
    assert sizes[2] <= sizes[3] + 1, sizes
    assert live.page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    block.screenshot(path=ARTIFACTS / "editor-waiting-390.png")
    editor.fill('import streamlit as st\nst.write("edited before the start")\n')
    runs.click()
    live.expect_text(0, "edited before the start")
    expect(block.get_by_role("button", name="Run")).to_have_count(1)
    expect(block.locator(".stlite-docs-run")).to_be_visible()
    block.screenshot(path=ARTIFACTS / "editor-started-390.png")


def test_a_dialog_stays_in_its_apps_box(live: Live) -> None:
    """Streamlit's modal dialog (st.dialog; a script error's dialog) covers its app, not the
    documentation page: the page's top stays the page's, the other app stays usable."""
    live.goto("sphinx", "overlays")
    live.expect_text(0, "dialog app ready")
    live.expect_text(1, "overlay-neighbour ready")
    live.app(0).get_by_role("button", name="Open the dialog").click()
    dialog = live.page.get_by_role("dialog")
    expect(dialog).to_contain_text("inside the dialog")
    app = live.app(0).bounding_box()
    assert app is not None
    overlay = live.page.locator(".stDialog").bounding_box()
    assert overlay is not None
    # from the app box's top, its width, at least its height
    assert abs(overlay["y"] - app["y"]) <= 1 and abs(overlay["x"] - app["x"]) <= 1, (overlay, app)
    assert abs(overlay["width"] - app["width"]) <= 1 and overlay["height"] >= app["height"] - 1
    # what is at the top of the window is the page's, not the dialog's backdrop
    top = "() => !!document.elementFromPoint(innerWidth / 2, 5)?.closest('.stDialog')"
    assert live.page.evaluate(top) is False
    ARTIFACTS.mkdir(exist_ok=True)
    live.page.screenshot(path=ARTIFACTS / "dialog-over-its-app.png")


def test_a_toast_shows_in_its_apps_box(live: Live) -> None:
    """st.toast: Streamlit puts its toasts at the window's top right, over the site's header;
    here they show in the box of the app that made them, at its bottom right."""
    live.goto("sphinx", "overlays")
    live.expect_text(0, "dialog app ready")
    live.app(0).get_by_role("button", name="Toast").click()
    # (every app's view shows the toasts of the page: Streamlit's toast queue is one per page;
    # they lie one over the other)
    toasts = live.page.locator("[data-testid=stToast]")
    expect(toasts.first).to_contain_text("a toast for this app")
    live.page.wait_for_timeout(500)  # its entrance animation
    app = live.app(0).bounding_box()
    assert app is not None
    for toast in toasts.all():
        box = toast.bounding_box()
        assert box is not None
        assert app["x"] <= box["x"] and box["x"] + box["width"] <= app["x"] + app["width"], box
        assert app["y"] <= box["y"] and box["y"] + box["height"] <= app["y"] + app["height"], box
    # and the site's CSS does not reach it (the guard covers Streamlit's toasts too)
    guarded = live.page.evaluate(
        "() => [...document.styleSheets].some(s => { try { return [...s.cssRules].some("
        "r => /stToastContainer\"?\\] \\*/.test(r.selectorText || '')) } catch { return false } })"
    )
    assert guarded


def test_code_layouts_show_the_source_and_the_app(live: Live) -> None:
    live.goto("sphinx", "layouts")
    above = live.page.locator(".stlite-docs-layout-code-above")
    beside = live.page.locator(".stlite-docs-layout-code-beside")
    expect(above.locator(".stlite-docs-code")).to_contain_text('st.write("code-above ready")')
    expect(beside.locator(".stlite-docs-code")).to_contain_text('st.write("code-beside ready")')
    live.expect_text(2, "code-above ready")
    live.expect_text(3, "code-beside ready")
    code_box = above.locator(".stlite-docs-code").bounding_box()
    app_box = live.app(2).bounding_box()
    assert code_box is not None and app_box is not None
    assert code_box["y"] + code_box["height"] <= app_box["y"] + 1  # source above the app
    code_box = beside.locator(".stlite-docs-code").bounding_box()
    app_box = live.app(3).bounding_box()
    assert code_box is not None and app_box is not None
    assert code_box["x"] + code_box["width"] <= app_box["x"] + 1  # side by side (wide screen)
    assert abs(code_box["y"] - app_box["y"]) < 5
