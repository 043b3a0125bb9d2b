"""The build's headless browser: found as users have one, driven through Playwright; the
site served to it, and how it tells that an app's first run is over.

Playwright is an optional dependency (``stlite-docs[prerender]``), imported only here and only
by builds that make snapshots. The browser is the first of: the site's ``prerender_browser``
setting (a path), Playwright's own Chromium (``playwright install chromium``), a Chromium or
Chrome on ``PATH`` (Debian's ``chromium``, ``google-chrome``...).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

#: Names of Chromium-based browsers on PATH, most likely first.
_ON_PATH = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
)
_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"]
_INSTALL = (
    "install it with 'pip install \"stlite-docs[prerender]\"' (and 'playwright install chromium' "
    "where no Chromium is on PATH)"
)


def _playwright() -> Any:
    try:
        from playwright import async_api
    except ImportError:
        raise ConfigError(
            f"making app snapshots (prerender) needs Playwright, which is not installed: {_INSTALL}"
        ) from None
    return async_api


def find_browser(setting: str, playwright_path: str | None) -> str:
    """The browser executable to use (see the module's doc); a clear error naming the fix
    when there is none."""
    if setting:
        path = Path(setting).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ConfigError(f"prerender_browser: {setting!r} is not an executable file")
        return str(path)
    if playwright_path and Path(playwright_path).is_file():
        return playwright_path
    for name in _ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(
        "making app snapshots (prerender) needs a Chromium-based browser, and none was found: "
        "run 'playwright install chromium', or install Chromium or Chrome, or set "
        "prerender_browser to the browser's executable"
    )


@asynccontextmanager
async def launched(setting: str, extra_args: Sequence[str] = ()) -> AsyncIterator[Browser]:
    """A headless browser for the build, closed at the end (``extra_args``: more command-line
    arguments, e.g. a proxy)."""
    api = _playwright()
    async with api.async_playwright() as pw:
        try:
            own: str | None = pw.chromium.executable_path
        except Exception:  # Playwright without its browsers: no path to give
            own = None
        executable = find_browser(setting, own)
        try:
            browser = await pw.chromium.launch(
                executable_path=executable, args=[*_ARGS, *extra_args]
            )
        except api.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise ConfigError(f"could not start {executable} for app snapshots: {first}") from None
        try:
            yield browser
        finally:
            await browser.close()


_MIME = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

#: In the page: "ready" once the app's first run is over and drawn, "error: <text>" if it
#: failed, else "" (still going). Drawn: Streamlit shows no script running and no placeholder
#: (an element whose code is still loading), and the app's elements have not changed for
#: QUIET_MS (a run's last elements can come a moment after its end on a busy machine).
QUIET_MS = 800
STATE_JS = """id => {
  const el = document.getElementById(id);
  if (!el) return "error: the app's box is not on the page";
  const state = el.getAttribute("data-stlite-docs-state");
  const status = el.querySelector(".stlite-docs-status")?.textContent || "";
  if (state === "error") return "error: " + status;
  if (state !== "running") return "";
  const m = el.querySelector(":scope > .stlite-docs-mount");
  if (m && !m.stliteDocsChanged) {
    m.stliteDocsChanged = performance.now();
    new MutationObserver(() => { m.stliteDocsChanged = performance.now(); })
      .observe(m, { childList: true, subtree: true, characterData: true });
  }
  const busy = !m || !m.querySelector("[data-testid=stToolbar]")
    || m.querySelector("[data-testid=stStatusWidget]")
    || m.querySelector("[data-testid$=Skeleton]")
    || performance.now() - m.stliteDocsChanged < QUIET_MS;
  if (busy) return "";
  const raised = m.querySelector("[data-testid=stException]");
  if (raised) {
    const text = raised.innerText.trim().split("\\n")[0];
    return "error: RAISED (" + text + ")";
  }
  return "ready";
}"""
#: Why an app has no snapshot, when its first run raised an exception: remembered in the cache
#: (the same app raises the same next time; a page load that failed or timed out is tried again).
RAISED = "its first run raised an exception"
STATE_JS = STATE_JS.replace("RAISED", RAISED).replace("QUIET_MS", str(QUIET_MS))


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class reads it; never changed)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **_MIME,
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(site_dir: Path) -> Iterator[str]:
    """The site folder on a loopback port, for the build's browser."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


async def wait_ready(tab: Page, elem_id: str, timeout: float) -> str:
    """Until the app's first run is over and drawn: "ready", or why not."""
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        state = await tab.evaluate(STATE_JS, elem_id)
        if state:
            break
        await asyncio.sleep(0.2)
    if state == "ready":
        await asyncio.sleep(0.3)  # let the last render settle
        state = await tab.evaluate(STATE_JS, elem_id)
    if state == "ready":
        return state
    if state:
        return state.removeprefix("error: ").strip() or "the app failed to start"
    return f"the app's first run did not end within {timeout:g} s"


def run(coroutine: Any) -> Any:
    """Run the build's browser work to its end, also from a thread that has an event loop
    (an async host): in a fresh thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
