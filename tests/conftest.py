"""Fixtures: Sphinx testing roots, and the offline real-browser test bed.

The browser fixtures build the real distribution (stlite from npm, Pyodide from
npm plus wheels from PyPI) and the real sites; if any of that fails, the tests
error with the reason. They are never skipped.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    blocking_proxy,
    build_sites,
    serve,
)
from offline_dist import Distribution, ensure_distribution
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Error,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Chromium's own service calls (sign-in, component updates, autofill), made by the browser
# process whatever the page does, also on about:blank. Anything else reaching the proxy
# came from a page or a worker and fails the test.
BROWSER_SERVICE_HOSTS = {
    "accounts.google.com",
    "update.googleapis.com",
    "content-autofill.googleapis.com",
    "optimizationguide-pa.googleapis.com",
    "clientservices.googleapis.com",
}


def _proxied_host(record: str) -> str:
    """Host of a proxy log line: ``CONNECT host:443`` or ``GET http://host/...``."""
    target = record.split(" ", 1)[1]
    if "://" in target:
        return urlsplit(target).hostname or ""
    return target.rsplit(":", 1)[0]


@pytest.fixture(scope="session")
def offline_dist() -> Distribution:
    return ensure_distribution()


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
    with blocking_proxy() as p:
        yield p


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright, proxy: tuple[str, list[str]]) -> Iterator[Browser]:
    proxy_url, _ = proxy
    b = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, f"--proxy-server={proxy_url}"],
    )
    yield b
    b.close()


@dataclass
class Live:
    """One page of the test bed with everything a test may assert on."""

    page: Page
    context: BrowserContext
    browser: Browser
    server: Server
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    expected_off_hosts: set[str] = field(default_factory=set)
    started: float = 0.0

    def goto(self, site: str, name: str) -> None:
        self.started = time.monotonic()
        self.page.goto(f"{self.server.base_url}/{site}/{name}.html")

    def app(self, index: int) -> Locator:
        return self.page.locator(".stlite-docs-app").nth(index)

    def expect_text(self, index: int, text: str, timeout: float = 90_000) -> None:
        """Scroll app ``index`` into view and wait until ``text`` shows inside it."""
        app = self.app(index)
        app.scroll_into_view_if_needed()
        app.locator(".stlite-docs-mount").get_by_text(text, exact=False).first.wait_for(
            state="visible", timeout=timeout
        )

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def worker_targets(self, kind: str = "shared_worker") -> list[dict[str, Any]]:
        """CDP targets of ``kind`` in this page's browser context."""
        cdp = self.browser.new_browser_cdp_session()
        try:
            infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
        finally:
            cdp.detach()
        page_ctx = {
            t.get("browserContextId")
            for t in infos
            if t["type"] == "page" and t["url"].startswith(self.server.base_url)
        }
        return [t for t in infos if t["type"] == kind and t.get("browserContextId") in page_ctx]


@pytest.fixture
def live(
    browser: Browser, server: Server, proxy: tuple[str, list[str]], request: pytest.FixtureRequest
) -> Iterator[Live]:
    _, proxied = proxy
    proxied_before = len(proxied)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    live = Live(page=page, context=context, browser=browser, server=server)

    def guard(route: Any) -> None:
        url = route.request.url
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            live.blocked.append(url)
            route.abort()

    context.route("**/*", guard)
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
    allowed = BROWSER_SERVICE_HOSTS | live.expected_off_hosts
    off_host = [u for u in live.blocked if urlsplit(u).hostname not in allowed] + [
        p for p in proxied[proxied_before:] if _proxied_host(p) not in allowed
    ]
    assert not off_host, f"requests to hosts other than localhost were attempted: {off_host}"
