"""Render the README screenshots: the demo pages on every host, light and dark.

Runs offline (stlite and Pyodide from the local distribution the tests use), so
the pictures can be made again on any machine with one command:
``.venv/bin/python scripts/screenshots.py`` (after ``./scripts/test`` or
``./scripts/demo`` installed the environment); name sites to make only theirs
(``scripts/screenshots.py zensical jupyter-book``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "scripts")]  # the test bed (testbed/); demo.py

from demo import build  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from testbed.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from testbed.offline_dist import ensure_distribution  # noqa: E402

IMAGES = REPO / "docs" / "images"
# site: (page, element to scroll to the top, schemes); the Jupyter Book test theme switches
# its scheme with a button, not with the reader's system setting.
Scheme = Literal["light", "dark"]
PAGES: dict[str, tuple[str, str, tuple[Scheme, ...]]] = {
    "sphinx": ("sphinx/tutorial.html", "h2", ("light", "dark")),
    "mkdocs": ("mkdocs/tutorial/index.html", "h2", ("light", "dark")),
    "zensical": ("zensical/index.html", "article h1", ("light", "dark")),
    "jupyter-book": ("jupyter-book/index.html", "h1", ("light",)),
}


def main(argv: list[str] | None = None) -> int:
    wanted = (sys.argv[1:] if argv is None else argv) or list(PAGES)
    dist = ensure_distribution()
    built = build(
        {
            "STLITE_JS_URL": "/_dist/stlite/stlite.js",
            "STLITE_CSS_URL": "/_dist/stlite/stlite.css",
            "STLITE_PYODIDE_URL": "/_dist/pyodide/pyodide.mjs",
        },
        offline=True,
    )
    IMAGES.mkdir(parents=True, exist_ok=True)
    mounts = {"/_dist": dist.root, **{f"/{site}": path for site, path in built.items()}}
    with serve(mounts) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for site in wanted:
            path, top, schemes = PAGES[site]
            for scheme in schemes:
                page = browser.new_page(
                    viewport={"width": 1100, "height": 720}, color_scheme=scheme
                )
                page.goto(f"{server.base_url}/{path}")
                apps = page.locator(".stlite-docs-app")
                for i in range(2):
                    output = apps.nth(i).locator(".stlite-docs-mount [data-testid=stMarkdown]")
                    output.first.wait_for(timeout=90_000)
                page.locator(top).first.scroll_into_view_if_needed()
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
