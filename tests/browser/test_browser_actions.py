"""The reader's actions under each app, in the real browser: Copy code and Download act on the
code as the page has it now (an editor's edits included); a multi-file app downloads as a zip
that Python's zipfile reads; the buttons are reachable from the keyboard."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import expect
from test_authoring_build import decode_payload

from browser.live import Live


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_copy_and_download_act_on_the_readers_edits(live: Live, site: str) -> None:
    live.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = live.page
    live.goto(site, "layouts")
    live.expect_text(0, "value a")
    block = page.locator(".stlite-docs-block").first
    copy = block.get_by_role("button", name="Copy code")
    download = block.get_by_role("button", name="Download")
    expect(copy).to_be_visible()
    expect(download).to_be_visible()
    editor = block.locator(".stlite-docs-editor .cm-content")
    editor.fill('import streamlit as st\nst.write("value copied")\n')
    # from the keyboard: the button takes the focus, Space (or Enter) presses it
    copy.focus()
    page.keyboard.press("Space")
    expect(block.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == (
        'import streamlit as st\nst.write("value copied")\n'
    )
    with page.expect_download() as caught:
        download.click()
    saved = caught.value
    assert saved.suggested_filename == "streamlit_app.py"
    path = saved.path()
    assert path.read_text(encoding="utf-8") == 'import streamlit as st\nst.write("value copied")\n'
    assert not live.page_errors, live.page_errors


def test_a_multi_file_app_downloads_as_a_zip(live: Live) -> None:
    page = live.page
    live.goto("sphinx", "editor-files")
    live.expect_text(0, "helper says hi")
    page.get_by_role("tab").nth(1).click()
    page.locator("[role=tabpanel]").nth(1).locator(".cm-content").fill(
        "def greeting():\n    return 'zipped'\n"
    )
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download").click()
    saved = caught.value
    assert saved.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(saved.path().read_bytes())) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == ["helper.py", "streamlit_app.py"]
        assert z.read("helper.py") == b"def greeting():\n    return 'zipped'\n"
        assert b"from helper import greeting" in z.read("streamlit_app.py")
    assert not live.page_errors, live.page_errors


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_open_full_page_opens_the_readers_edits(live: Live, site: str) -> None:
    """Under an editor app, Open full page opens the app's own page (a new tab) running the code
    as the reader edited it; opened again after a Reset, the author's code."""
    page = live.page
    live.goto(site, "layouts")
    live.expect_text(0, "value a")
    block = page.locator(".stlite-docs-block").first
    editor = block.locator(".stlite-docs-editor .cm-content")
    editor.fill('import streamlit as st\nst.write("value on its own page")\n')
    full = block.get_by_role("link", name="Open full page")
    with live.context.expect_page() as opened:
        full.click()
    own = opened.value
    try:
        done = own.locator(".stlite-docs-mount").get_by_text("value on its own page")
        expect(done).to_be_visible(timeout=120_000)
    finally:
        own.close()
    # the edits were taken once: the page opened again by itself shows the author's code
    block.get_by_role("button", name="Reset").click()
    with live.context.expect_page() as opened:
        full.click()
    own = opened.value
    try:
        expect(own.locator(".stlite-docs-mount").get_by_text("value a")).to_be_visible(
            timeout=120_000
        )
        assert "value on its own page" not in own.content()
    finally:
        own.close()


def test_stlite_sharing_links_carry_the_readers_edits(live: Live) -> None:
    """Under an editor app, the stlite sharing links open the code as edited: the address is
    made on the press, in the build's format (its payload decodes, with every file)."""
    page = live.page
    live.expected_off_hosts.add("share.stlite.net")
    live.context.route("https://share.stlite.net/**", lambda route: route.fulfill(body="ok"))
    live.goto("sphinx", "editor-files")
    live.expect_text(0, "helper says hi")
    built = page.get_by_role("link", name="Open in stlite sharing").get_attribute("href")
    assert built
    page.get_by_role("tab").nth(1).click()
    page.locator("[role=tabpanel]").nth(1).locator(".cm-content").fill(
        "def greeting():\n    return 'shared edit'\n"
    )
    with live.context.expect_page() as opened:
        page.get_by_role("link", name="Open in stlite sharing").click()
    shared = opened.value
    try:
        shared.wait_for_load_state()
        message = decode_payload(shared.url.split("#!", 1)[1])
    finally:
        shared.close()
    assert message.entrypoint == "streamlit_app.py"
    assert message.files["helper.py"].text == "def greeting():\n    return 'shared edit'\n"
    assert "from helper import greeting" in message.files["streamlit_app.py"].text
    # the build's link had the author's code (the loader's payload for the same code is the
    # build's, byte for byte: loader/test/actions.test.js)
    assert "helper says hi" in decode_payload(built.split("#!", 1)[1]).files["helper.py"].text
