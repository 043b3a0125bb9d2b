"""The demo sites' pages run for real on the offline test bed (every app renders
without an exception). The charts page needs numpy/pandas from Pyodide's CDN, so it
is marked as such on the page and left out here. On each demo site, the site's own
theme toggle switches the apps between light and dark, and they keep their state."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.live import Live
from testbed.browser import SCHEME_SHOWN, URLS, Server, serve
from testbed.offline_dist import Distribution

DEMO = Path(__file__).resolve().parents[2] / "demo_docs"
OFFLINE_PAGES = [
    ("sphinx", "index.html"),
    ("sphinx", "tutorial.html"),
    ("sphinx", "widgets.html"),
    ("sphinx", "authoring.html"),
    ("sphinx", "options.html"),
    ("sphinx", "loading.html"),
    ("mkdocs", "tutorial/index.html"),
    ("mkdocs", "authoring/index.html"),
]


@pytest.fixture(scope="module")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        **{f"STLITE_{k.upper()}": v for k, v in URLS.items()},
    }
    for cmd in (
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(DEMO / "sphinx"),
            str(out / "sphinx"),
        ],
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(DEMO / "mkdocs" / "mkdocs.yml"),
            "-d",
            str(out / "mkdocs"),
        ],
    ):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    mounts = {"/_dist": offline_dist.root, "/sphinx": out / "sphinx", "/mkdocs": out / "mkdocs"}
    with serve(mounts) as server:
        yield server


@pytest.mark.parametrize(("site", "page"), OFFLINE_PAGES)
def test_demo_page_runs_offline(live: Live, demo_server: Server, site: str, page: str) -> None:
    live.server = demo_server
    if site == "mkdocs":
        live.expected_off_hosts.add("fonts.googleapis.com")  # Material's own web font request
    live.page.goto(f"{demo_server.base_url}/{site}/{page}")
    apps = live.page.locator(".stlite-docs-app")
    count = apps.count()
    assert count >= 1
    for i in range(count):
        app = apps.nth(i)
        app.scroll_into_view_if_needed()
        if app.get_attribute("data-stlite-docs-state") == "click":  # start: click, as a reader
            app.get_by_role("button", name="Run this app").click()
        app.locator(".stlite-docs-mount [data-testid=stMarkdown]").first.wait_for(timeout=90_000)
        expect(app).to_have_attribute("data-stlite-docs-state", "running")
        assert app.locator("[data-testid=stException]").count() == 0, f"app {i} raised"


# site -> (page, the site's theme toggle, where the site keeps its scheme, its dark value)
THEME_TOGGLES = {
    "sphinx": (
        "index.html",
        "button.theme-toggle:visible",  # Furo: auto -> dark -> light
        "document.body.dataset.theme",
        "dark",
    ),
    "mkdocs": (
        "index.html",
        "form[data-md-component=palette] label:visible",
        "document.body.dataset.mdColorScheme",
        "slate",
    ),
}


@pytest.mark.parametrize("site", THEME_TOGGLES)
def test_demo_app_follows_the_site_theme_toggle(live: Live, demo_server: Server, site: str) -> None:
    """One page load per site: the first app (a text input) starts light with the site's
    font, turns dark with the site's toggle, and keeps what the reader typed."""
    page, toggle, scheme, dark = THEME_TOGGLES[site]
    live.server = demo_server
    if site == "mkdocs":
        live.expected_off_hosts.add("fonts.googleapis.com")  # Material's own web font request
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{demo_server.base_url}/{site}/{page}")
    live.expect_text(0, "Nice to meet you, reader")
    field = live.app(0).locator(".stlite-docs-mount input[type=text]").first
    field.fill("theme tester")
    field.press("Enter")
    live.expect_text(0, "Nice to meet you, theme tester")
    assert live.page.evaluate(SCHEME_SHOWN, "light")  # the site's own background
    body_font = live.page.evaluate("getComputedStyle(document.body).fontFamily")
    app_font = (
        live.app(0)
        .locator("[data-testid=stMarkdown] p")
        .first.evaluate("el => getComputedStyle(el).fontFamily")
    )
    assert app_font.startswith(body_font), (app_font, body_font)  # inherited by default

    live.page.locator(toggle).first.click()
    assert live.page.evaluate(scheme) == dark
    live.page.wait_for_function(SCHEME_SHOWN, arg="dark", timeout=10_000)
    assert field.input_value() == "theme tester"  # no remount: the app kept its state
    live.expect_text(0, "Nice to meet you, theme tester")
