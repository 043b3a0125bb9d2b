"""Apps follow the site's light/dark scheme, live, on Furo and on Material for MkDocs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_pages import counter
from browser_support import URLS, Server, serve
from build_support import run_module
from conftest import Live
from offline_dist import Distribution

APP = counter("Count")
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(14, 17, 23)"

MATERIAL_YML = """\
site_name: theme test
use_directory_urls: false
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
plugins:
  - stlite:
"""


@pytest.fixture(scope="module")
def theme_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("themes")
    furo_src = root / "furo"
    furo_src.mkdir()
    conf = ['extensions = ["stlite_docs.sphinx_ext"]', 'html_theme = "furo"']
    conf += [f"stlite_{k} = {v!r}" for k, v in URLS.items()]
    (furo_src / "conf.py").write_text("\n".join(conf) + "\n")
    body = "".join(f"   {line}\n" for line in APP.source.splitlines())
    (furo_src / "index.rst").write_text(f"Furo\n====\n\n.. stlite::\n   :height: 250\n\n{body}")
    result = run_module("sphinx", "-W", "-b", "html", str(furo_src), str(root / "furo-html"),
                        cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr

    material = root / "material"
    (material / "docs").mkdir(parents=True)
    opts = "".join(f"      {k}: {v}\n" for k, v in URLS.items())
    (material / "mkdocs.yml").write_text(MATERIAL_YML + opts)
    (material / "docs" / "index.md").write_text(
        f'# Material\n\n```stlite height="250"\n{APP.source}```\n'
    )
    result = run_module("mkdocs", "build", "--strict", "-f", str(material / "mkdocs.yml"), "-d",
                        str(root / "material-html"), cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    mounts = {"/_dist": offline_dist.root, "/furo": root / "furo-html",
              "/material": root / "material-html"}
    with serve(mounts) as server:
        yield server


def app_background(live: Live) -> str:
    return str(live.app(0).locator("[data-testid=stApp]").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    ))


def count_once(live: Live) -> None:
    live.expect_text(0, "Count clicks=0")
    live.app(0).get_by_role("button", name="Count").click()
    live.expect_text(0, "Count clicks=1")


def test_furo_toggle(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    count_once(live)
    assert app_background(live) == LIGHT_BG
    # Furo's toggle cycles auto -> dark -> light; with a light system, auto looks light.
    toggle = live.page.locator("button.theme-toggle:visible").first
    toggle.click()
    assert live.page.evaluate("document.body.dataset.theme") == "dark"
    live.page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        f".backgroundColor === '{DARK_BG}'", timeout=10_000
    )
    live.expect_text(0, "Count clicks=1")  # followed without a remount: state kept
    toggle.click()
    assert live.page.evaluate("document.body.dataset.theme") == "light"
    live.page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        f".backgroundColor === '{LIGHT_BG}'", timeout=10_000
    )


def test_furo_auto_follows_the_system_scheme(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.emulate_media(color_scheme="dark")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    live.expect_text(0, "Count clicks=0")
    assert live.page.evaluate("document.body.dataset.theme") == "auto"
    assert app_background(live) == DARK_BG
    live.page.emulate_media(color_scheme="light")
    live.page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        f".backgroundColor === '{LIGHT_BG}'", timeout=10_000
    )


def test_material_palette_toggle(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.goto(f"{theme_server.base_url}/material/index.html")
    count_once(live)
    assert app_background(live) == LIGHT_BG
    live.page.locator("form[data-md-component=palette] label:visible").first.click()
    assert live.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    live.page.wait_for_function(
        f"() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        f".backgroundColor === '{DARK_BG}'", timeout=10_000
    )
    live.expect_text(0, "Count clicks=1")


def test_host_matchmedia_is_untouched(live: Live, theme_server: Server) -> None:
    """Only stlite's own queries see the site's scheme; the page's code sees the system's."""
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    live.expect_text(0, "Count clicks=0")
    live.page.locator("button.theme-toggle:visible").first.click()
    assert live.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
    assert isinstance(live.page.evaluate("matchMedia('(prefers-color-scheme: dark)')"), dict)


