"""The files a site ships for its pages: the browser loader and its stylesheet, and stlite's
worker where the site serves it.

They live in ``static/`` as built from ``loader/src`` (``npm run build``);
:func:`shipped_files` gives them as written into a site (``worker_script.site_files`` adds the
worker).
"""

from __future__ import annotations

import os
from pathlib import Path

# The loader, as built from loader/src by ``npm run build`` (committed; a test checks it is
# fresh): the entry every page with apps loads, and the part it imports when an app starts.
LOADER_JS = "stlite-docs.js"
LOADER_MOUNT_JS = "stlite-docs-mount.js"
LOADER_CSS = "stlite-docs.css"
LOADER_MOUNT_CSS = "stlite-docs-mount.css"
# CodeMirror, the editor of editor-layout apps, which the mount part imports (next to itself)
# only on pages with such an app.
LOADER_EDITOR_JS = "stlite-docs-editor.js"
# The entry with the mount part in one file, for a loader inlined into the page as a data: URL
# (stlite_docs.markdown), where no second file can be imported next to it.
LOADER_INLINE_JS = "stlite-docs-inline.js"
# The anywidget module of stlite-docs-myst (mystmd copies a widget as one file).
MYST_WIDGET = "stlite-docs-myst.mjs"
# Both stylesheets in one, for those one-file loaders: the page carries it, as a <style>
# (stlite_docs.markdown) or as the widget's stylesheet (mystmd).
LOADER_INLINE_CSS = "stlite-docs-inline.css"
# What the build's headless browser runs in a page to snapshot an app (stlite_docs.prerender);
# never part of a site.
PRERENDER_CAPTURE_JS = "stlite-docs-capture.js"
# Every file of the loader a site gets, side by side in one folder (the entry imports the
# second file relative to itself, which loads its stylesheet the same way).
LOADER_FILES = (LOADER_JS, LOADER_MOUNT_JS, LOADER_CSS, LOADER_MOUNT_CSS, LOADER_EDITOR_JS)
STATIC_DIR = Path(__file__).parent / "static"


def shipped_text(name: str) -> str:
    """The file as written into sites: as built (bundled and minified by esbuild from
    loader/src), since a page with apps pays for every byte."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def shipped_files() -> dict[str, str]:
    """File name -> content for the site's static folder."""
    return {name: shipped_text(name) for name in LOADER_FILES}


def write_file(dest: Path, data: bytes) -> bool:
    """Write ``data`` to ``dest`` (and its folders) unless it holds them already; True when it
    wrote. A rebuild then leaves unchanged files alone (their times, so servers' caches and
    live reloads see no change), and the file is replaced in one step (another process, such
    as mystmd's per-app plugin runs, never reads half a file)."""
    try:
        if dest.read_bytes() == data:
            return False
    except OSError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(dest)
    return True
