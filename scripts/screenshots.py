"""Render the README screenshots: the demo tutorial on both sites, light and dark.

Runs offline (stlite and Pyodide from the local distribution the tests use), so
the pictures can be made again on any machine with one command:
``.venv/bin/python scripts/screenshots.py`` (after ``./scripts/test`` or
``./scripts/demo`` installed the environment).
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "scripts")]

from browser_support import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from demo import OUT, build  # noqa: E402
from offline_dist import ensure_distribution  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

IMAGES = REPO / "docs" / "images"
PAGES = {"sphinx": "sphinx/tutorial.html", "mkdocs": "mkdocs/tutorial/index.html"}


def main() -> int:
    dist = ensure_distribution()
    build({
        "STLITE_JS_URL": "/_dist/stlite/stlite.js",
        "STLITE_CSS_URL": "/_dist/stlite/stlite.css",
        "STLITE_PYODIDE_URL": "/_dist/pyodide/pyodide.mjs",
    })
    IMAGES.mkdir(parents=True, exist_ok=True)
    mounts = {"/_dist": dist.root, "/sphinx": OUT / "sphinx", "/mkdocs": OUT / "mkdocs"}
    with serve(mounts) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for site, path in PAGES.items():
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport={"width": 1100, "height": 720},
                                        color_scheme=scheme)
                page.goto(f"{server.base_url}/{path}")
                apps = page.locator(".stlite-docs-app")
                for i in range(2):
                    output = apps.nth(i).locator(".stlite-docs-mount [data-testid=stMarkdown]")
                    output.first.wait_for(timeout=90_000)
                page.locator("h2").first.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -90)")
                page.wait_for_timeout(800)
                out = IMAGES / f"demo-{site}-{scheme}.png"
                page.screenshot(path=str(out))
                print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size // 1024} KB)")
                page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
