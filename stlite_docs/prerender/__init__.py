"""Each app's first screen in the built page, made at build time (the ``prerender`` setting).

Once a site is written, the build opens its pages with apps in a headless Chromium (see
:mod:`.browser`), served from the site folder on localhost, lets every app finish its first
script run on the site's own stlite and Pyodide, and writes what each app shows into its box
(:mod:`.snapshot`): static HTML, no script, in a shadow root. Readers see it at once; the live
app takes its place when Python is up (the box's source element, which the loader already
hides once the app draws).

Snapshots are cached by a key of everything that changes them (:func:`.snapshot.snapshot_key`)
under the cache folder: a rebuild that changed no app renders nothing and starts no browser.
Pages render in parallel, each in a browser context of its own (its own Python). An app that
fails or times out keeps its page as it was and is reported, never written half.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..assets import PRERENDER_CAPTURE_JS, shipped_text
from ..selfcontained.cache import default_cache_dir
from ..settings import Settings
from .browser import RAISED, STATE_JS, launched, run, served, wait_ready
from .snapshot import (
    Shots,
    Snapshot,
    current_keys,
    page_apps,
    page_look,
    relative_urls,
    snapshot_html,
    snapshot_key,
)
from .snapshot import with_snapshots as with_snapshots

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

__all__ = [
    "Problem",
    "Report",
    "add_to_search_index",
    "prerender_built_site",
    "prerender_site",
    "with_snapshots",
]

#: The viewport snapshots are made at (CSS pixels): a desktop reader's; Streamlit's own
#: rules (in the snapshot) make it narrower on narrower screens, as they do the app.
WIDTH = 1200
_REMEMBERED = "(remembered from an earlier build; the app's next change tries again)"
#: In the page: whether the page is dark behind the app (box id).
_PAGE_DARK_JS = """id => {
  for (let n = document.getElementById(id)?.parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor.match(/[\\d.]+/g).map(Number);
    if (bg.length < 4 || bg[3] > 0.5) return (bg[0] + bg[1] + bg[2]) / 3 < 128;
  }
  return false;
}"""
_TO_DARK = "stliteDocsCapture.toScheme('dark')"
#: In the page: whether any of the apps (box ids) shows a dark background.
_DARK_JS = """ids => ids.some(id => {
  const app = document.getElementById(id)?.querySelector("[data-testid=stApp]");
  const bg = app ? getComputedStyle(app).backgroundColor : "rgb(255, 255, 255)";
  const rgb = bg.match(/[\\d.]+/g).map(Number);
  return (rgb[0] + rgb[1] + rgb[2]) / 3 < 128;
})"""


@dataclass(frozen=True)
class Problem:
    """An app that kept its page as it was: the page (relative to the site), its box id, why."""

    page: str
    elem_id: str
    message: str


@dataclass
class Report:
    """What a prerender did, for the host's log."""

    rendered: int = 0
    cached: int = 0
    unchanged: int = 0
    pages_written: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    #: (page, box id) -> the text of the app's snapshot, for every app that has one: the host
    #: adds it to the site's search index
    texts: dict[tuple[str, str], str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"app snapshots: {self.rendered} rendered, {self.cached} from the cache, "
            f"{self.unchanged} unchanged; {self.pages_written} page(s) written in "
            f"{self.seconds:.1f} s"
            + (f"; {len(self.problems)} app(s) without one" if self.problems else "")
        )


@dataclass
class _Page:
    path: Path
    rel: str
    text: str
    todo: dict[str, str] = field(default_factory=dict)  # box id -> key, to render
    markup: dict[str, str] = field(default_factory=dict)  # box id -> snapshot markup


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "prerender" / f"{key}.json"


def _plan(site_dir: Path, cache_dir: Path, capture: str, nonce: str, report: Report) -> list[_Page]:
    """Every page with apps, each with the snapshots it can have from the cache and the apps
    left to render."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "stlite-docs-config" not in text or 'class="stlite-docs-full"' in text:
            continue  # no apps, or an app's own page (it starts at once anyway)
        page = _Page(path, path.relative_to(site_dir).as_posix(), text)
        look = page_look(text, path, site_dir)
        held = dict(current_keys(text))
        for app in page_apps(text):
            if not app.wanted:
                continue
            key = snapshot_key(app.config, look, capture_js=capture + STATE_JS, width=WIDTH)
            cached = _cache_path(cache_dir, key)
            failed = cached.with_suffix(".failed")
            shots = (
                Shots.from_json(cached.read_text(encoding="utf-8")) if cached.is_file() else None
            )
            if shots:
                report.texts[(page.rel, app.elem_id)] = shots.light.text
            if held.get(app.elem_id) == key:
                report.unchanged += 1
                continue
            if shots:
                page.markup[app.elem_id] = snapshot_html(shots, key, nonce)
                report.cached += 1
            elif failed.is_file():
                message = failed.read_text(encoding="utf-8")
                report.problems.append(Problem(page.rel, app.elem_id, f"{message} {_REMEMBERED}"))
            else:
                page.todo[app.elem_id] = key
        if page.todo or page.markup:
            pages.append(page)
    return pages


async def _capture(tab: Page, snap: str, elem_id: str, timeout: float) -> Snapshot | str:
    """The app's snapshot, taken again while it holds a placeholder (an element whose code
    was still loading when the app looked drawn), a few times; else why there is none."""
    for _ in range(5):
        shot = Snapshot(**await tab.evaluate(snap, elem_id))
        if 'data-testid="stSkeleton"' not in shot.html:
            return shot
        await asyncio.sleep(1.0)
        state = await wait_ready(tab, elem_id, timeout)
        if state != "ready":
            return state
    return "the app kept showing a placeholder (an element still loading)"


async def _page_dark(tab: Page, elem_id: str) -> bool:
    """Whether the page turned dark behind the app (within a second: a theme's transition)."""
    for _ in range(6):
        if await tab.evaluate(_PAGE_DARK_JS, elem_id):
            return True
        await asyncio.sleep(0.2)
    return False


async def _turn_dark(tab: Page, ids: list[str], seconds: float) -> bool:
    """Whether an app turned dark within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await tab.evaluate(_DARK_JS, ids):
            return True
        await asyncio.sleep(0.2)
    return False


async def _render_page(
    browser: Browser, site_url: str, page: _Page, capture: str, timeout: float
) -> dict[str, Shots | str]:
    """Open a page, start its apps, and snapshot those to render: in the site's light scheme,
    then in its dark one where it has one (a snapshot pair, or why there is none)."""
    context = await browser.new_context(
        viewport={"width": WIDTH, "height": 900}, color_scheme="light"
    )
    results: dict[str, Shots | str] = {}
    snap = f"async id => {{ {capture}; return stliteDocsCapture.capture(id); }}"
    try:
        tab = await context.new_page()
        await tab.goto(f"{site_url}{quote(page.rel)}?stlite=on", wait_until="load")
        light: dict[str, Snapshot] = {}
        for elem_id in page.todo:
            await tab.evaluate(
                "id => document.getElementById(id)?.scrollIntoView({block: 'center'})", elem_id
            )
            state = await wait_ready(tab, elem_id, timeout)
            if state != "ready":
                results[elem_id] = state
                continue
            shot = await _capture(tab, snap, elem_id, timeout)
            if isinstance(shot, str):
                results[elem_id] = shot
                continue
            light[elem_id] = relative_urls(shot, site_url, tab.url)
        ids = [i for i, shot in light.items() if shot.scheme == "light"]
        # the reader's system in dark, then (a site that does not follow it) the site's switch;
        # the page shows at once whether the site has a dark scheme, the apps follow it
        await tab.emulate_media(color_scheme="dark")
        system = bool(ids) and await _page_dark(tab, ids[0])
        switched = system or (
            bool(ids)
            and await tab.evaluate(f"() => {{ {capture}; return {_TO_DARK}; }}")
            and await _page_dark(tab, ids[0])
        )
        switched = switched and await _turn_dark(tab, ids, timeout)
        for elem_id, shot in light.items():
            dark = None
            if switched and elem_id in ids and await wait_ready(tab, elem_id, timeout) == "ready":
                other = await _capture(tab, snap, elem_id, timeout)
                if isinstance(other, Snapshot) and other.scheme == "dark":
                    dark = relative_urls(other, site_url, tab.url)
            results[elem_id] = Shots(shot, dark, system)
    finally:
        await context.close()
    return results


async def _render_all(
    pages: list[_Page],
    base_url: str,
    *,
    capture: str,
    timeout: float,
    jobs: int,
    browser_setting: str,
    launch_args: Sequence[str],
    progress: Callable[[int, int, str], None],
) -> list[dict[str, Shots | str]]:
    todo = [p for p in pages if p.todo]
    if not todo:
        return [{} for _ in pages]
    done = 0
    gate = asyncio.Semaphore(jobs)
    async with launched(browser_setting, launch_args) as browser:

        async def one(page: _Page) -> dict[str, Shots | str]:
            nonlocal done
            if not page.todo:
                return {}
            async with gate:
                try:
                    result = await _render_page(browser, base_url, page, capture, timeout)
                except Exception as exc:  # the page did not load, the browser went away
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                    result = dict.fromkeys(page.todo, f"the page could not be rendered: {reason}")
            done += 1
            progress(done, len(todo), page.rel)
            return result

        return list(await asyncio.gather(*(one(p) for p in pages)))


def prerender_site(
    site_dir: Path,
    *,
    cache_dir: Path,
    base_url: str | None = None,
    timeout: float = 60.0,
    browser: str = "",
    jobs: int | None = None,
    nonce: str = "",
    launch_args: Sequence[str] = (),
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
) -> Report:
    """Write a snapshot of each app's first screen into the built site's pages.

    ``base_url``: where the site is served already (it needs a server of its own, e.g. its
    pages load stlite from a root-relative path outside the site folder); else the site folder
    is served on a loopback port for the time it takes. ``timeout``: seconds an app's first
    run may take. ``browser``: the browser executable (default: found, see :mod:`.browser`).
    ``jobs``: pages rendered at once (default: one per two cores, at most 4: each boots a
    Python, which takes a core and more, and the build machine has other work). ``nonce``: the
    site's CSP nonce for the snapshots' ``<style>``. ``launch_args``: more browser arguments
    (a program that reaches stlite's host through a proxy). ``progress(done, total, page)``:
    after each page rendered.
    """
    started = time.monotonic()
    report = Report()
    capture = shipped_text(PRERENDER_CAPTURE_JS)
    pages = _plan(site_dir, cache_dir, capture, nonce, report)
    if any(p.todo for p in pages):
        with contextlib.ExitStack() as stack:
            url = base_url if base_url else stack.enter_context(served(site_dir))
            results = run(
                _render_all(
                    pages,
                    url.rstrip("/") + "/",
                    capture=capture,
                    timeout=timeout,
                    jobs=jobs or max(1, min((os.cpu_count() or 1) // 2, 4)),
                    browser_setting=browser,
                    launch_args=launch_args,
                    progress=progress,
                )
            )
        for page, result in zip(pages, results, strict=True):
            for elem_id, outcome in result.items():
                key = page.todo[elem_id]
                cached = _cache_path(cache_dir, key)
                cached.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(outcome, str):
                    report.problems.append(Problem(page.rel, elem_id, outcome))
                    if outcome.startswith(RAISED):  # the app's own doing: the same next time
                        cached.with_suffix(".failed").write_text(outcome, encoding="utf-8")
                    continue
                cached.write_text(outcome.to_json(), encoding="utf-8")
                page.markup[elem_id] = snapshot_html(outcome, key, nonce)
                report.texts[(page.rel, elem_id)] = outcome.light.text
                report.rendered += 1
    for page in pages:
        if page.markup:
            page.path.write_text(with_snapshots(page.text, page.markup), encoding="utf-8")
            report.pages_written += 1
    report.seconds = time.monotonic() - started
    return report


def prerender_built_site(
    site_dir: Path,
    settings: Settings,
    *,
    base_url: str | None = None,
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
) -> Report:
    """:func:`prerender_site` with a site's settings (``prerender_timeout``,
    ``prerender_browser``, ``style_nonce``, ``cache_dir``, resolved: see
    ``Settings.resolved``): how every host calls it."""
    cache = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    return prerender_site(
        site_dir,
        cache_dir=cache,
        base_url=base_url,
        timeout=float(settings.prerender_timeout),
        browser=settings.prerender_browser,
        nonce=settings.style_nonce,
        progress=progress,
    )


def add_to_search_index(site_dir: Path, texts: dict[tuple[str, str], str]) -> None:
    """The snapshots' text (``Report.texts``, keyed by page URL as the index names it) into
    the ``search/search_index.json`` of MkDocs' search plugin (MkDocs' own or Material's),
    where the site has one: appended to the text of their page's entry."""
    index = site_dir / "search" / "search_index.json"
    if not texts or not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    by_url: dict[str, list[str]] = {}
    for (url, _elem_id), text in sorted(texts.items()):
        by_url.setdefault(url, []).append(text)
    for doc in data.get("docs", []):
        if doc.get("location") in by_url:
            doc["text"] = " ".join([doc.get("text", ""), *by_url.pop(doc["location"])])
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
