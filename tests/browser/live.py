"""``Live``: one page of the browser test bed and everything a test may assert on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page

from testbed.browser import Server

#: Screenshots and measurements of the browser tests (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

#: An init script (``page.add_init_script``, before the page loads) that keeps stlite's
#: kernels, the EventTargets that report ``loadFinished``, in ``window.__kernels``: what
#: :meth:`Live.streamlit_options` asks.
KEEP_KERNELS = """
window.__kernels = [];
const dispatch = EventTarget.prototype.dispatchEvent;
EventTarget.prototype.dispatchEvent = function (e) {
  const kernels = window.__kernels;
  if (e && e.type === "loadFinished" && !kernels.includes(this)) kernels.push(this);
  return dispatch.call(this, e);
};
"""


@dataclass
class Live:
    """One page of the test bed, its browser context, and what the page reported."""

    page: Page
    context: BrowserContext
    browser: Browser
    server: Server
    context_id: str = ""  # the CDP browser context id, for the off-host guard
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    #: hosts this test expects the page to reach (and the proxy to refuse), e.g. a theme's
    #: web font; any other host fails the test
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

    def streamlit_options(self, *names: str) -> list[Any]:
        """Streamlit's config values in the runtime of the app started last (on the shared
        runtime, every app's; an app gone with instant navigation answers nothing), asked
        through stlite's kernel (``runPython``, stlite 1.9.2); the page must have been
        loaded with :data:`KEEP_KERNELS`."""
        code = f"from streamlit import config\n[config.get_option(n) for n in {list(names)!r}]"
        ask = "code => window.__kernels.at(-1).runPython(code)"
        values: list[Any] = self.page.evaluate(ask, code)
        return values

    def worker_targets(self, kind: str = "shared_worker") -> list[dict[str, Any]]:
        """CDP targets of ``kind`` in this page's browser context."""
        cdp = self.browser.new_browser_cdp_session()
        try:
            infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
        finally:
            cdp.detach()
        return [
            t for t in infos if t["type"] == kind and t.get("browserContextId") == self.context_id
        ]


def context_id(context: BrowserContext, page: Page) -> str:
    """The CDP id of ``context`` (its targets carry it), read from one of its pages."""
    cdp = context.new_cdp_session(page)
    try:
        return str(cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"])
    finally:
        cdp.detach()
