"""Pictures of apps' first screens, for outputs that cannot run an app (Sphinx's LaTeX/PDF,
text, epub, man and texinfo builders): a PNG above each app's source.

These builds write no HTML page to load, so each app is rendered on a page of its own, as its
"Open full page" page is (:mod:`stlite_docs.fullpage`: the app alone, in Streamlit's own look,
no site around it), with the site's stlite and Pyodide, in a folder served on localhost for
the time it takes. Cached like the snapshots, by the app's config and the site's stlite and
Pyodide URLs: a rebuild with no app changed starts no browser.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..app import AppSpec
from ..assets import LOADER_CSS, LOADER_JS, write_file
from ..fullpage import full_page_html
from ..selfcontained.cache import default_cache_dir
from ..settings import Settings
from ..worker_script import WorkerScript, site_files, site_worker
from .browser import RAISED, STATE_JS, launched, run, served, wait_ready

if TYPE_CHECKING:
    from playwright.async_api import Browser

#: The page's width (CSS pixels) and pixel density: about a printed page's text width, sharp
#: when printed.
WIDTH = 760
SCALE = 2
FORMAT = 1  # bump when a picture's making changes in a way its inputs do not show


@dataclass(frozen=True)
class Picture:
    """One app to picture: an id for it (unique in the build), its app, where it is
    (``document:line``, for messages)."""

    name: str
    spec: AppSpec
    where: str


def picture_key(spec: AppSpec, settings: Settings) -> str:
    """Everything that changes the picture: the app's config, the stlite and Pyodide URLs
    (which name their versions), the capture's own version and size."""
    digest = hashlib.sha256()
    for part in (
        str(FORMAT),
        str(spec.to_config()),
        settings.js_url,
        settings.css_url,
        settings.pyodide_url,
        f"{WIDTH}x{SCALE}",
        STATE_JS,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def _page(picture: Picture, settings: Settings, root: Path, worker: WorkerScript | None) -> str:
    return full_page_html(
        picture.spec,
        picture.name,
        title=picture.name,
        loader_js=LOADER_JS,
        loader_css=LOADER_CSS,
        settings=settings,
        static_dir=root,
        worker=worker,
    )


async def _shoot_all(
    browser: Browser,
    base: str,
    pictures: Sequence[Picture],
    timeout: float,
    progress: Callable[[int, int, str], None],
) -> list[bytes | str]:
    """Each app's page in turn, in one browser context: the first boots Python, the others
    find it warm (the site's runtime is kept across its pages)."""
    context = await browser.new_context(
        viewport={"width": WIDTH, "height": 900}, device_scale_factor=SCALE
    )
    shots: list[bytes | str] = []
    try:
        for done, picture in enumerate(pictures, start=1):
            tab = await context.new_page()
            try:
                await tab.goto(f"{base}{picture.name}.html?stlite=on", wait_until="load")
                state = await wait_ready(tab, picture.name, timeout)
                shots.append(
                    await tab.locator(f"#{picture.name}").screenshot(type="png")
                    if state == "ready"
                    else state
                )
            except Exception as exc:  # the page did not load, the browser went away
                shots.append(f"the app could not be pictured: {str(exc).strip()[:200]}")
            finally:
                await tab.close()
            progress(done, len(pictures), picture.where)
    finally:
        await context.close()
    return shots


def app_pictures(
    pictures: Sequence[Picture],
    settings: Settings,
    *,
    progress: Callable[[int, int, str], None] = lambda done, total, name: None,
) -> dict[str, Path | str]:
    """Each picture's PNG in the cache (``settings.cache_dir``, resolved), or why there is none
    (by ``Picture.name``). Apps whose first run raised are remembered as such, as snapshots
    are."""
    cache = (Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()) / "prerender"
    found: dict[str, Path | str] = {}
    todo: list[tuple[Picture, Path]] = []
    for picture in pictures:
        png = cache / f"{picture_key(picture.spec, settings)}.png"
        failed = png.with_suffix(".png-failed")
        if png.is_file():
            found[picture.name] = png
        elif failed.is_file():
            found[picture.name] = failed.read_text(encoding="utf-8")
        else:
            todo.append((picture, png))
    if not todo:
        return found
    with tempfile.TemporaryDirectory(prefix="stlite-docs-pictures-") as folder:
        root = Path(folder)
        worker = site_worker(settings)
        for name, data in site_files(worker).items():
            write_file(root / name, data)
        for picture, _png in todo:
            page = _page(picture, settings, root, worker)
            (root / f"{picture.name}.html").write_text(page, encoding="utf-8")

        async def all_of_them(base: str) -> list[bytes | str]:
            async with launched(settings.prerender_browser) as browser:
                return await _shoot_all(
                    browser,
                    base,
                    [p for p, _ in todo],
                    float(settings.prerender_timeout),
                    progress,
                )

        with served(root) as base:
            shots: list[bytes | str] = run(all_of_them(base))
    cache.mkdir(parents=True, exist_ok=True)
    for (picture, png), shot in zip(todo, shots, strict=True):
        if isinstance(shot, bytes):
            png.write_bytes(shot)
            found[picture.name] = png
        else:
            if shot.startswith(RAISED):
                png.with_suffix(".png-failed").write_text(shot, encoding="utf-8")
            found[picture.name] = shot
    return found
