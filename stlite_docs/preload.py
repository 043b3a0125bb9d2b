"""``<head>`` hints that let a page with apps fetch stlite while it is still parsing.

Without them the browser learns of stlite.js only when the loader (a deferred
module) runs, and of stlite's 4.5 MB main chunk only once stlite.js has arrived:
two round trips one after the other before Python can start, when stlite starts
its own worker. Modulepreloading both from the head fetches them side by side
(about 0.55 s sooner over a 50 Mbit/s link in ``benchmarks/levers.py``).

Where the site serves stlite's worker itself (``worker_script.site_worker``), the
loader starts Python before stlite arrives, and stlite's chunk is no longer on the
way to the first app: hinted, its download and compilation compete with the
loader and the worker's start (the worker asked for Pyodide ~0.35 s later with the
hints in ``benchmarks/levers.py``), so such pages hint only stlite.css.

Only files the *page* imports are hinted: preloading the worker's files from the
page makes Chromium download ``pyodide.asm.wasm`` twice, because the worker does
not share the page's preload cache.
"""

from __future__ import annotations

import html
import posixpath
import re
from functools import cache
from pathlib import Path

from .settings import DEFAULT_JS_URL, Settings

# The chunk the pinned stlite.js imports statically (@stlite/browser 1.9.2); a
# test checks it against the real npm package. Chromium does not follow a
# modulepreload's own imports, so the chunk needs its own hint.
PINNED_STLITE_CHUNK = "index-g7ewbxvi-0eszC5oh.js"

_STATIC_IMPORT_RE = re.compile(r'^\s*import\s*(?:[^;"\'(]*?\bfrom\s*)?"(\./[^"]+\.js)"', re.M)


def static_imports(stlite_js: str) -> list[str]:
    """Relative modules a stlite.js build imports statically (its main chunk)."""
    return _STATIC_IMPORT_RE.findall(stlite_js)


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


def preload_tags(settings: Settings, loader_dir_href: str, static_dir: Path | None = None,
                 *, early_worker: bool = False) -> str:
    """The hints for one page. ``loader_dir_href`` is the loader's folder as seen
    from that page (e.g. ``../_static/``): relative stlite URLs resolve against
    the loader, so they must be rewritten to resolve the same way from the page.
    ``early_worker``: the page gets stlite's worker file (then only stlite.css)."""

    def href(url: str) -> str:
        if _is_absolute(url):
            return url
        return posixpath.normpath(posixpath.join(loader_dir_href, url))

    tags = [
        f'<link rel="modulepreload" href="{html.escape(href(url), quote=True)}">'
        for url in ([] if early_worker else preload_urls(settings, static_dir))
    ]
    css = html.escape(href(settings.css_url), quote=True)
    tags.append(f'<link rel="preload" as="style" href="{css}">')
    return "\n".join(tags) + "\n"
