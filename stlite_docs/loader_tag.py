"""The loader's ``<script>`` tag: the contract between a build and the page's loader.

Every front end writes the tag from :func:`loader_attributes`: the site's settings, stlite's
worker where the site serves it, the page's start policies, and fetch hints that let a page
fetch stlite's main chunk alongside stlite.js.

Without them the browser learns of stlite's 4.5 MB main chunk only once stlite.js
has arrived: two round trips one after the other before Python can start.
Modulepreloading both fetches them side by side (about 0.55 s sooner over a 50 Mbit/s
link in ``benchmarks/levers.py``). The hints are not ``<head>`` links: whether a page
fetches stlite at all is the loader's decision (the start policies: nothing before the
reader acts under ``visible`` and ``click``, or where the reader's browser asks to save
data), so the build writes the chunk's URL on the loader's tag (``data-preload``) and the
loader hints it when it starts stlite. Only files the *page* imports are hinted:
preloading the worker's files from the page makes Chromium download ``pyodide.asm.wasm``
twice, because the worker does not share the page's preload cache. Where the site
serves stlite's worker itself (``worker_script.site_worker``), the loader starts
Python first and hints the chunk only after the worker is on its way.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .pinned import DEFAULT_JS_URL, PINNED_STLITE_CHUNK, static_imports
from .settings import Settings

if TYPE_CHECKING:
    from .app import AppSpec
    from .worker_script import WorkerScript


@cache
def _local_imports(path: Path, mtime_ns: int) -> tuple[str, ...]:
    return tuple(static_imports(path.read_text(encoding="utf-8", errors="replace")))


def _is_absolute(url: str) -> bool:
    return "://" in url.split("?", 1)[0] or url.startswith("/")


def preload_urls(settings: Settings, static_dir: Path | None = None) -> list[str]:
    """Modules to preload, as URLs relative to the loader's folder (or absolute).

    The chunk's name is known for the pinned CDN build, and read from the file
    when stlite is served from the site itself (``static_dir`` is the site folder
    that holds the loader, e.g. a self-contained build); for any other stlite
    URL only stlite.js is hinted rather than guessing a name that may not exist.
    """
    js_url = settings.js_url
    chunks: tuple[str, ...] = ()
    if js_url == DEFAULT_JS_URL:
        chunks = (f"./{PINNED_STLITE_CHUNK}",)
    elif static_dir is not None and not _is_absolute(js_url):
        local = static_dir / js_url.split("?", 1)[0].split("#", 1)[0]
        if local.is_file():
            chunks = _local_imports(local, local.stat().st_mtime_ns)
    base = js_url[: js_url.rfind("/") + 1]
    return [js_url, *(base + chunk[2:] for chunk in chunks)]


def page_starts(settings: Settings, apps: Iterable[AppSpec]) -> list[str]:
    """The start policies of a page's apps that run on the shared runtime (each app's
    ``start``, else the site's), once each: what the loader needs to know, before the
    browser has parsed any app, whether one of them starts at once for this reader (the
    reader's connection and choices are only known in the browser, policy.js)."""
    return sorted({app.start or settings.start for app in apps if app.worker == "shared"})


def loader_attributes(
    settings: Settings,
    static_dir: Path | None = None,
    worker: WorkerScript | None = None,
    *,
    apps: Iterable[AppSpec] = (),
) -> dict[str, str]:
    """The attributes of the loader's ``<script>`` tag: the settings, and the modules the
    loader hints besides stlite.js when it starts stlite (``data-preload``, space
    separated, relative to the loader like the other URLs). ``static_dir``: see
    :func:`preload_urls`; ``worker``: stlite's worker served by the site
    (``worker_script.site_worker``).

    ``async``: the loader runs as soon as it arrives, while the page is still parsing and
    its stylesheets load, so an app that starts at once has Python on its way within
    ~0.1 s of navigation rather than after the page's last stylesheet (the loader takes
    each app only once its config has been parsed, stlite-docs.js).

    ``apps``: the page's apps, for front ends that write the tag in ``<head>`` knowing them
    all. Where the site serves stlite's worker, their start policies (:func:`page_starts`,
    ``data-page-starts``) let the loader start Python the moment it runs, rather than once
    the parser has reached the first app, which comes after every stylesheet and blocking
    script of the theme's ``<head>``."""
    chunks = preload_urls(settings, static_dir)[1:]
    hints = {"data-preload": " ".join(chunks)} if chunks else {}
    starts = page_starts(settings, apps) if worker else []
    early = {"data-page-starts": " ".join(starts)} if starts else {}
    served = worker.script_attributes() if worker else {}
    return {"async": "", **settings.script_attributes(), **served, **hints, **early}
