"""Fixtures of the offline real-browser test bed.

The fixtures build the real distribution (stlite from npm, Pyodide from npm plus wheels from
PyPI, see ``testbed/offline_dist.py``) and the real sites; if any of that fails, the tests
error with the reason. They are never skipped. Every test that uses ``live`` fails if its page,
frames or workers requested anything from a host other than localhost (``offhost.py``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import build_sites
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Error,
    Playwright,
    sync_playwright,
)

from browser.live import ARTIFACTS, Live, context_id
from browser.offhost import RequestLog, devtools_url, launch_args
from testbed.browser import CHROMIUM, CHROMIUM_ARGS, Server, blocking_proxy, serve
from testbed.offline_dist import Distribution


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_sites(tmp_path_factory.mktemp("sites"))


@pytest.fixture(scope="session")
def server(offline_dist: Distribution, sites: dict[str, Path]) -> Iterator[Server]:
    mounts = {"/_dist": offline_dist.root, "/sphinx": sites["sphinx"], "/mkdocs": sites["mkdocs"]}
    with serve(mounts) as srv:
        yield srv


@pytest.fixture(scope="session")
def proxy() -> Iterator[tuple[str, list[str]]]:
    """Chromium's proxy for every non-loopback request: it refuses them all (the browser's
    own background calls too), so nothing leaves the machine whatever the guard decides."""
    with blocking_proxy() as p:
        yield p


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser_and_log(
    playwright: Playwright, proxy: tuple[str, list[str]]
) -> Iterator[tuple[Browser, RequestLog]]:
    proxy_url, _ = proxy
    marker = uuid.uuid4().hex
    b = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, f"--proxy-server={proxy_url}", *launch_args(marker)],
    )
    log = RequestLog(devtools_url(marker))
    yield b, log
    log.close()
    b.close()


@pytest.fixture(scope="session")
def browser(browser_and_log: tuple[Browser, RequestLog]) -> Browser:
    return browser_and_log[0]


@pytest.fixture(scope="session")
def request_log(browser_and_log: tuple[Browser, RequestLog]) -> RequestLog:
    """What every page, frame and worker of the session's browser requested."""
    return browser_and_log[1]


@pytest.fixture
def live(
    browser: Browser, server: Server, request_log: RequestLog, request: pytest.FixtureRequest
) -> Iterator[Live]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    live = Live(
        page=page,
        context=context,
        browser=browser,
        server=server,
        context_id=context_id(context, page),
    )
    since = request_log.mark()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            live.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")
        elif message.type == "warning":
            live.console_warnings.append(message.text)

    def on_dialog(dialog: Dialog) -> None:
        live.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_page_error(error: Error) -> None:
        live.page_errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("dialog", on_dialog)
    yield live
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):  # a failed screenshot must not hide the result
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=False)
    context.close()
    request_log.settle(live.context_id)
    request_log.check(live.context_id, since, live.expected_off_hosts)
