"""The leak metric on every theme of the matrix: how much of the documentation page's CSS
reaches into an app, measured against the app's own full page (no theme CSS), not against
any knowledge of the theme.

The test proves the metric sees a leak (a page with one hostile rule, ``div.body h3 {
margin-top: 77px }``, is caught at that heading) and writes the themes' leaks to
``test-artifacts/leaks.json``. It does not yet require zero leaks: that is the isolation work
the numbers are for. By default it measures three themes (Furo, Material, Alabaster: the suite's
time); ``STLITE_DOCS_LEAK_THEMES=all`` measures every theme of the matrix.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from browser_support import Server, serve
from offline_dist import Distribution
from playwright.sync_api import Browser, expect

from browser.leaks import LEAK_APP, Leak, leaks, measure, settled
from browser.live import ARTIFACTS
from browser.theme_matrix import THEMES, build_theme_sites

HOSTILE = "div.body h3 { margin-top: 77px; }\n"
MEASURED = (
    THEMES
    if os.environ.get("STLITE_DOCS_LEAK_THEMES") == "all"
    else tuple(t for t in THEMES if t.name in {"furo", "material", "alabaster"})
)
PLANTED = "alabaster-hostile"


@pytest.fixture(scope="module")
def leak_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("leaks")
    sites = build_theme_sites(work / "themes", apps=(LEAK_APP,), themes=MEASURED)
    alabaster = tuple(t for t in THEMES if t.name == "alabaster")
    sites[PLANTED] = build_theme_sites(
        work / "hostile", apps=(LEAK_APP,), themes=alabaster, css=HOSTILE
    )["alabaster"]
    with serve({"/_dist": offline_dist.root, **{f"/{k}": v for k, v in sites.items()}}) as server:
        yield server


def _leaks_of(browser: Browser, server: Server, site: str) -> tuple[list[Leak], int, float]:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(f"{server.base_url}/{site}/index.html")
        app = page.locator(".stlite-docs-app").first
        app.locator(".stlite-docs-mount").get_by_text(LEAK_APP.done).wait_for(timeout=120_000)
        settled(page)
        docs = measure(page)
        href = (
            page.locator(".stlite-docs-block")
            .first.get_by_role("link", name="Open full page")
            .get_attribute("href")
        )
        assert href, site
        page.goto(f"{page.url.rsplit('/', 1)[0]}/{href}")
        done = page.locator(".stlite-docs-mount").get_by_text(LEAK_APP.done)
        expect(done).to_be_visible(timeout=120_000)
        settled(page)
        own = measure(page)
        found, unmatched = leaks(docs, own)
        return found, unmatched, float(own["base"])  # type: ignore[arg-type]
    finally:
        page.close()


def test_the_leak_metric_sees_page_css_in_apps(browser: Browser, leak_server: Server) -> None:
    report: dict[str, object] = {}
    for site in [*(t.name for t in MEASURED), PLANTED]:
        found, unmatched, base = _leaks_of(browser, leak_server, site)
        report[site] = {
            "leaks": len(found),
            "unmatched_elements": unmatched,
            "elements": len({leak.place for leak in found}),
            "details": [asdict(leak) | {"text": str(leak)} for leak in found],
        }
        if site == PLANTED:
            planted = [
                leak
                for leak in found
                if leak.prop == "margin-top" and leak.element.startswith("h3")
            ]
            assert planted, [str(leak) for leak in found]
            assert abs(float(planted[0].docs) * base - 77) < 2, planted  # type: ignore[arg-type]
    ARTIFACTS.mkdir(exist_ok=True)
    out = Path(ARTIFACTS) / "leaks.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {site: (r["leaks"], r["elements"]) for site, r in report.items()}  # type: ignore[index]
    print("leaks (properties, elements) per theme:", summary)
