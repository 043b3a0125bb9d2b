"""The files a site ships for its pages: the browser loader and its stylesheet.

They live in ``static/`` as commented sources; :func:`shipped_files` gives them as
written into a site, as small as they safely get (a page with apps pays for
every byte).
"""

from __future__ import annotations

import re
from pathlib import Path

LOADER_JS = "stlite-docs.js"
LOADER_CSS = "stlite-docs.css"
LOADER_MIN_JS = "stlite-docs.min.js"
STATIC_DIR = Path(__file__).parent / "static"

_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE_RE = re.compile(r"\s*([{};,>])\s*")
_CSS_QUOTED_ATTR_RE = re.compile(r'="([A-Za-z_][\w-]*)"\]')  # [a="b"] -> [a=b]
_CSS_LEADING_ZERO_RE = re.compile(r"(?<![\w.#-])0\.(\d)")  # 0.5em -> .5em


def shipped_text(name: str) -> str:
    """The file as written into sites, as small as it safely gets: a page with
    apps pays for every byte. The loader ships as ``stlite-docs.min.js``, made
    from the commented, typed source by terser (``npm run minify``; a test checks
    it is up to date); the stylesheet loses comments and insignificant spaces."""
    if name == LOADER_JS:
        return (STATIC_DIR / LOADER_MIN_JS).read_text(encoding="utf-8")
    text = _CSS_COMMENT_RE.sub("", (STATIC_DIR / name).read_text(encoding="utf-8"))
    text = " ".join(text.split())
    text = _CSS_SPACE_RE.sub(r"\1", text).replace(": ", ":").replace(";}", "}")
    text = _CSS_QUOTED_ATTR_RE.sub(r"=\1]", text.replace(" !important", "!important"))
    return _CSS_LEADING_ZERO_RE.sub(r".\1", text) + "\n"


def shipped_files() -> dict[str, str]:
    """File name -> content for the site's static folder."""
    return {name: shipped_text(name) for name in (LOADER_JS, LOADER_CSS)}
