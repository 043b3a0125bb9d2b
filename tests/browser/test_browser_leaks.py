"""No page CSS reaches into an app, on any theme: the leak metric (``leaks.py``) compares each
of Streamlit's elements in the documentation page with the same app on its own full page (no
theme CSS), with no knowledge of the theme, and finds nothing.

A planted page proves both sides: a hostile rule of the kind themes have (``div.body h3 {
margin-top: 77px }``) does not reach the app, and an author's rule that names the app
(``div.stlite-docs-app h3 { padding-left: 33px }``) does, and is the one difference the metric
sees there (so the metric sees leaks). Without the loader's isolation the themes leak (0-70
properties each on the matrix's themes before it). The numbers go to
``test-artifacts/leaks.json`` and pictures of each theme's app, light and dark (the system's
scheme, which every theme here follows by default), to ``test-artifacts/leaks/``. By default
three themes are measured (Furo, Material, Alabaster: the suite's time);
``STLITE_DOCS_LEAK_THEMES=all`` measures the matrix's and six more from real projects.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from browser.leaks import LEAK_APP, Leak, leaks, measure, settled
from browser.live import ARTIFACTS
from browser.theme_matrix import MORE_THEMES, THEMES, build_theme_sites
from testbed.browser import Server, serve
from testbed.offline_dist import Distribution

HOSTILE = "div.body h3 { margin-top: 77px; }\ndiv.stlite-docs-app h3 { padding-left: 33px; }\n"
MEASURED = (
    THEMES + MORE_THEMES
    if os.environ.get("STLITE_DOCS_LEAK_THEMES") == "all"
    else tuple(t for t in THEMES if t.name in {"furo", "material", "alabaster"})
)
PICTURES = Path(ARTIFACTS) / "leaks"
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


def _leaks_of(browser: Browser, server: Server, site: str) -> tuple[list[Leak], int, float, int]:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(f"{server.base_url}/{site}/index.html")
        app = page.locator(".stlite-docs-app").first
        app.locator(".stlite-docs-mount").get_by_text(LEAK_APP.done).wait_for(timeout=120_000)
        settled(page)
        docs = measure(page)
        PICTURES.mkdir(parents=True, exist_ok=True)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(700)
            # the page's own picture, cut to the app: no sticky header over it
            box = page.evaluate(
                """() => { const r = document.querySelector('.stlite-docs-block')
                             .getBoundingClientRect();
                           return {x: r.left, y: r.top + scrollY, width: r.width,
                                   height: r.height}; }"""
            )
            page.screenshot(
                path=str(PICTURES / f"{site}-{scheme}.jpg"),
                full_page=True,
                clip=box,
                type="jpeg",
                quality=85,
            )
        page.emulate_media(color_scheme="light")
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
        sizes = [len(side["elements"]) for side in (docs, own)]  # type: ignore[arg-type]
        compared = (sum(sizes) - unmatched) // 2
        return found, unmatched, float(own["base"]), compared  # type: ignore[arg-type]
    finally:
        page.close()


def test_no_page_css_reaches_into_apps(browser: Browser, leak_server: Server) -> None:
    report: dict[str, object] = {}
    for site in [*(t.name for t in MEASURED), PLANTED]:
        found, unmatched, base, compared = _leaks_of(browser, leak_server, site)
        report[site] = {
            "leaks": len(found),
            "unmatched_elements": unmatched,
            "compared": compared,
            "elements": len({leak.place for leak in found}),
            "details": [asdict(leak) | {"text": str(leak)} for leak in found],
        }
        assert unmatched == 0, f"{site}: the two views differ in {unmatched} elements"
        if site == PLANTED:
            # the author's rule, which names the app, and nothing else (not the hostile one)
            assert [(leak.element, leak.prop) for leak in found] == [
                ("h3 in stHeadingWithActionElements", "padding-left")
            ], [str(leak) for leak in found]
            assert abs(float(found[0].docs) * base - 33) < 1, found[0]  # type: ignore[arg-type]
    ARTIFACTS.mkdir(exist_ok=True)
    out = Path(ARTIFACTS) / "leaks.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {site: (r["leaks"], r["elements"]) for site, r in report.items()}  # type: ignore[index]
    print("leaks (properties, elements) per theme:", summary)
    leaking = {site: n for site, (n, _) in summary.items() if site != PLANTED and n}
    assert not leaking, {site: report[site]["details"][:5] for site in leaking}  # type: ignore[index]
