"""Readers decide what loads: start policies, the reader's own choices, each app's own page.

Asserted on the request log of the page's browser context (``offhost.RequestLog``: the page,
its frames and its workers, each request as CDP announced it) and on the test server's own log:

* ``click`` and ``visible`` apps make no request for stlite or Pyodide before the reader acts;
  a press on the Run button (a real, focusable ``<button>`` inside the app element, saying what
  a first visit downloads) starts that app only; a ``visible`` app starts once scrolled near;
* hidden setup code (a ``## setup`` section) runs, and its text is nowhere in the page's
  visible text;
* ``auto`` with Save-Data behaves as ``click``; ``?stlite=off`` and ``?stlite=on`` override
  for one visit; the remembered "always run apps on this site" starts apps without a press and
  can be taken back;
* each app's own page (``Open full page``) runs the app, with state of its own, and multipage
  navigation inside it.

The page ``policies`` (tests/browser_pages.py): app 0 waits for a press and has setup code,
app 1 (a counter) waits for a press, app 2 is ``visible``, four screens below the fold.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from browser_pages import SETUP_MARKER
from playwright.sync_api import Page

from browser.live import Live
from browser.offhost import RequestLog

DIST = "/_dist/"
#: Long enough for a page that would fetch stlite at load (the loader runs at once) to do so.
QUIET_MS = 2500
SAVE_DATA = (
    "Object.defineProperty(Navigator.prototype, 'connection', "
    "{get: () => ({saveData: true, effectiveType: '4g'})})"
)


def dist_requests(live: Live, log: RequestLog, since: int, served_since: int) -> list[str]:
    """stlite or Pyodide requests of this test's context since the marks: the CDP log (every
    target, workers included) and the server's own log must agree."""
    seen = [
        r.url for r in log.requests(live.context_id, since) if urlsplit(r.url).path.startswith(DIST)
    ]
    served = [p for p in live.server.requests[served_since:] if p.startswith(DIST)]
    assert bool(seen) == bool(served), (seen, served)
    return seen


def states(page: Page) -> list[str | None]:
    found: list[str | None] = page.eval_on_selector_all(
        ".stlite-docs-app", "els => els.map(e => e.getAttribute('data-stlite-docs-state'))"
    )
    return found


def open_quietly(live: Live, log: RequestLog, url: str, page: Page | None = None) -> list[str]:
    """Open ``url``, wait until the page is idle, and return its stlite/Pyodide requests."""
    page = page or live.page
    # leave the last page first: its workers' requests in flight settle before the marks
    page.goto("about:blank")
    page.wait_for_timeout(QUIET_MS)
    since, served = log.mark(), len(live.server.requests)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(QUIET_MS)
    return dist_requests(live, log, since, served)


def test_click_and_visible_apps_load_nothing_until_the_reader_acts(
    live: Live, request_log: RequestLog
) -> None:
    page = live.page
    url = f"{live.server.base_url}/sphinx/policies.html"
    assert open_quietly(live, request_log, url) == []
    assert states(page) == ["click", "click", "source"]
    buttons = page.locator(".stlite-docs-app > .stlite-docs-start > button")
    assert buttons.count() == 2
    button = live.app(0).get_by_role("button", name="Run this app")
    assert "about 22 MB the first time, cached after" in button.inner_text()
    assert SETUP_MARKER not in page.inner_text("body")
    assert "FROM_SETUP = " not in page.inner_text("body")

    # the keyboard reaches the button and presses it: that app starts, and only that one
    button.focus()
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    live.expect_text(0, "setup says hidden-setup-ran")
    assert states(page)[1:] == ["click", "source"]
    assert live.app(1).locator(".stlite-docs-mount").count() == 0
    choice = page.locator(".stlite-docs-choice input[type=checkbox]")
    assert choice.count() == 1 and not choice.is_checked()
    assert page.evaluate("document.activeElement.type") == "checkbox"  # the focus moved on
    # hidden setup code ran, and is nowhere in what the page shows (code, app, text)
    assert SETUP_MARKER not in page.inner_text("body")

    # the visible app starts once the reader scrolls near it
    assert states(page)[2] == "source"
    live.expect_text(2, "visible-far ready")
    # the other click app still waits for its press, and starts on it (the runtime is warm)
    assert states(page)[1] == "click"
    live.app(1).get_by_role("button", name="Run this app").click()
    live.expect_text(1, "Press B clicks=0")
    live.app(1).get_by_role("button", name="Press B").click()
    live.expect_text(1, "Press B clicks=1")

    # its own page: the app runs there at once (the reader asked by opening it), with state of
    # its own; the docs page's app keeps its state
    link = page.locator(".stlite-docs-block").nth(1).get_by_role("link", name="Open full page")
    full = live.context.new_page()
    full.goto(urljoin(page.url, str(link.get_attribute("href"))))
    full.locator(".stlite-docs-mount").get_by_text("Press B clicks=0").wait_for(timeout=90_000)
    full.get_by_role("button", name="Press B").click()
    full.locator(".stlite-docs-mount").get_by_text("Press B clicks=1").wait_for(timeout=30_000)
    full.get_by_role("button", name="Press B").click()
    full.locator(".stlite-docs-mount").get_by_text("Press B clicks=2").wait_for(timeout=30_000)
    live.expect_text(1, "Press B clicks=1")
    assert "FROM_SETUP" not in full.inner_text("body")
    full.close()
    assert not live.page_errors


def test_readers_choices_save_data_query_and_remembered(
    live: Live, request_log: RequestLog
) -> None:
    base = f"{live.server.base_url}/mkdocs"
    # auto (the default) where the browser asks to save data: every app waits for a press
    saver = live.context.new_page()
    saver.add_init_script(SAVE_DATA)
    assert open_quietly(live, request_log, f"{base}/three.html", saver) == []
    assert states(saver) == ["click"] * 3
    saver.close()
    # ?stlite=off, for this visit: the same on a page that would start at once
    page = live.page
    assert open_quietly(live, request_log, f"{base}/three.html?stlite=off") == []
    assert states(page) == ["click"] * 3
    assert page.locator(".stlite-docs-start > button").count() == 3

    # ?stlite=on: click apps start without a press (the visible one still waits to be seen)
    page.goto(f"{base}/policies.html?stlite=on")
    live.expect_text(0, "setup says hidden-setup-ran")
    assert page.locator(".stlite-docs-start").count() == 0
    assert SETUP_MARKER not in page.inner_text("body")

    # the remembered choice: offered after a press, then apps start without one...
    assert open_quietly(live, request_log, f"{base}/policies.html") == []
    live.app(1).get_by_role("button", name="Run this app").click()
    choice = page.locator(".stlite-docs-choice input[type=checkbox]")
    choice.check()
    page.goto(f"{base}/policies.html")
    page.locator(".stlite-docs-choice input[type=checkbox]").wait_for()
    assert page.locator(".stlite-docs-start").count() == 0
    assert states(page)[2] == "source"
    assert [s in ("pending", "loading", "running") for s in states(page)[:2]] == [True, True]
    # ... shown (checked) under the first of them, where it is taken back
    assert page.locator(".stlite-docs-app + .stlite-docs-choice").count() == 1
    choice = page.locator(".stlite-docs-choice input[type=checkbox]")
    assert choice.is_checked()
    choice.uncheck()
    assert open_quietly(live, request_log, f"{base}/policies.html") == []
    assert states(page) == ["click", "click", "source"]
    assert not live.page_errors


def test_full_page_view_runs_a_multipage_app_on_its_own(
    live: Live, request_log: RequestLog
) -> None:
    page = live.page
    # read the docs page without starting its apps (?stlite=off)
    docs = f"{live.server.base_url}/sphinx/authoring.html?stlite=off"
    assert open_quietly(live, request_log, docs) == []
    links = page.get_by_role("link", name="Open full page")
    assert links.count() == 3  # one per app, by default
    href = str(links.nth(2).get_attribute("href"))
    assert href.startswith("_stlite/authoring/") and href.endswith(".html")
    page.goto(urljoin(page.url, href))
    assert page.locator(".stlite-docs-app").count() == 1
    full_url = page.url
    mount = page.locator(".stlite-docs-mount")
    mount.get_by_text("main page here").wait_for(timeout=120_000)
    mount.get_by_role("link", name="Details").click()
    mount.get_by_text("details page here").wait_for(timeout=60_000)
    assert page.url == full_url  # navigation inside the app leaves the page's URL alone
    # the app fills the page's width: no docs column around it
    assert page.evaluate("document.querySelector('.stlite-docs-app').offsetWidth") >= 1200
    assert not live.page_errors
