"""The files a site ships for its pages: the browser loader and its stylesheet.

They live in ``static/`` as commented sources; :func:`shipped_files` gives them as
written into a site, as small as they safely get (a page with apps pays for
every byte).
"""

from __future__ import annotations

import re
from pathlib import Path

# The loader, as built from loader/src by ``npm run build`` (committed; a test checks it is
# fresh): the entry every page with apps loads, and the part it imports when an app starts.
LOADER_JS = "stlite-docs.js"
LOADER_MOUNT_JS = "stlite-docs-mount.js"
LOADER_CSS = "stlite-docs.css"
# The entry with the mount part in one file, for a loader inlined into the page as a data: URL
# (stlite_docs.markdown), where no second file can be imported next to it.
LOADER_INLINE_JS = "stlite-docs-inline.js"
# The anywidget module of stlite-docs-myst (mystmd copies a widget as one file).
MYST_WIDGET = "stlite-docs-myst.mjs"
# Every file of the loader a site gets, side by side in one folder (the entry imports the
# second file relative to itself).
LOADER_FILES = (LOADER_JS, LOADER_MOUNT_JS, LOADER_CSS)
STATIC_DIR = Path(__file__).parent / "static"

_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE_RE = re.compile(r"\s*([{};,>])\s*")
_CSS_QUOTED_ATTR_RE = re.compile(r'="([A-Za-z_][\w-]*)"\]')  # [a="b"] -> [a=b]
_CSS_LEADING_ZERO_RE = re.compile(r"(?<![\w.#-])0\.(\d)")  # 0.5em -> .5em


def shipped_text(name: str) -> str:
    """The file as written into sites, as small as it safely gets: a page with
    apps pays for every byte. The loader's JavaScript is shipped as built (bundled
    and minified by esbuild from loader/src); the stylesheet loses comments and
    insignificant spaces."""
    if name.endswith(".js"):
        return (STATIC_DIR / name).read_text(encoding="utf-8")
    text = _CSS_COMMENT_RE.sub("", (STATIC_DIR / name).read_text(encoding="utf-8"))
    text = " ".join(text.split())
    text = _CSS_SPACE_RE.sub(r"\1", text).replace(": ", ":").replace(";}", "}")
    text = _CSS_QUOTED_ATTR_RE.sub(r"=\1]", text.replace(" !important", "!important"))
    return _CSS_LEADING_ZERO_RE.sub(r".\1", text) + "\n"


def shipped_files() -> dict[str, str]:
    """File name -> content for the site's static folder."""
    return {name: shipped_text(name) for name in LOADER_FILES}
