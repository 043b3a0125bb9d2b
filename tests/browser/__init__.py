"""Real-browser tests: real builds served from localhost to headless Chromium (Playwright).

Everything here needs Chromium at ``/usr/bin/chromium`` and the offline stlite/Pyodide
distribution (built on first use from the npm registry and PyPI into ``.cache/``), so the quick
loop (``pytest --quick``) leaves this folder out; ``./scripts/test`` runs it.
"""
