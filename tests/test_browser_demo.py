"""The demo sites' pages run for real on the offline test bed (every app renders
without an exception). The charts page needs numpy/pandas from Pyodide's CDN, so it
is marked as such on the page and left out here."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import URLS, Server, serve
from conftest import Live
from offline_dist import Distribution
from playwright.sync_api import expect

DEMO = Path(__file__).resolve().parent.parent / "demo_docs"
OFFLINE_PAGES = [
    ("sphinx", "index.html"),
    ("sphinx", "tutorial.html"),
    ("sphinx", "widgets.html"),
    ("sphinx", "authoring.html"),
    ("mkdocs", "tutorial/index.html"),
    ("mkdocs", "authoring/index.html"),
]


@pytest.fixture(scope="module")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    out = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           **{f"STLITE_{k.upper()}": v for k, v in URLS.items()}}
    for cmd in (
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DEMO / "sphinx"),
         str(out / "sphinx")],
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
         str(DEMO / "mkdocs" / "mkdocs.yml"), "-d", str(out / "mkdocs")],
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
        app.locator(".stlite-docs-mount [data-testid=stMarkdown]").first.wait_for(
            timeout=90_000
        )
        expect(app).to_have_attribute("data-stlite-docs-state", "running")
        assert app.locator("[data-testid=stException]").count() == 0, f"app {i} raised"
