"""What this package knows of the stlite build it pins, in one place at the bottom of the core.

Versions, the default CDN URLs, the name of stlite.js's main chunk, the sha256 of the worker
script inlined in it and the wheels stlite passes to that worker: facts about one release of
``@stlite/browser`` and Pyodide, checked against the real npm packages by the tests
(``tests/test_worker_script.py``, ``tests/test_loader_tag.py``). Moving to another stlite release
changes this file (and the worker shipped in ``static/``) and nothing else. It imports nothing
of the package, so every module may use it.
"""

from __future__ import annotations

import re

STLITE_VERSION = "1.9.2"
PYODIDE_VERSION = "0.29.3"

DEFAULT_JS_URL = f"https://cdn.jsdelivr.net/npm/@stlite/browser@{STLITE_VERSION}/build/stlite.js"
DEFAULT_CSS_URL = f"https://cdn.jsdelivr.net/npm/@stlite/browser@{STLITE_VERSION}/build/stlite.css"
DEFAULT_PYODIDE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.mjs"

# Where a self-contained build downloads from (``stlite_docs.selfcontained``).
DEFAULT_BROWSER_SOURCE = "https://registry.npmjs.org/"
DEFAULT_PYODIDE_SOURCE = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
DEFAULT_PACKAGE_INDEX = "https://pypi.org/simple/"

# The chunk the pinned stlite.js imports statically (@stlite/browser 1.9.2); a
# test checks it against the real npm package. Chromium does not follow a
# modulepreload's own imports, so the chunk needs its own hint.
PINNED_STLITE_CHUNK = "index-g7ewbxvi-0eszC5oh.js"

#: sha256 of the worker script inlined in ``@stlite/browser@1.9.2``'s main chunk
#: (``build/index-g7ewbxvi-0eszC5oh.js``); a test checks it against the real package.
PINNED_WORKER_SHA256 = "7b734e48da5b8657461a4afebba5eea01d95f1890a66ce8cf977584a7aebd39c"

#: The wheels the pinned stlite.js passes to its worker (relative to stlite.js).
PINNED_WHEELS = {
    "stliteLib": "wheels/stlite_lib-0.1.0-py3-none-any.whl",
    "streamlit": "wheels/streamlit-1.62.0-cp313-none-any.whl",
}
_STATIC_IMPORT_RE = re.compile(r'^\s*import\s*(?:[^;"\'(]*?\bfrom\s*)?"(\./[^"]+\.js)"', re.M)


def static_imports(stlite_js: str) -> list[str]:
    """Relative modules a stlite.js build imports statically (its main chunk)."""
    return _STATIC_IMPORT_RE.findall(stlite_js)
