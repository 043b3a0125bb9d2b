"""Apps follow the site's light/dark scheme, live, on Furo and on Material for MkDocs,
and take the site's body font and primary colour (in both schemes) unless told not to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_pages import App, counter

from browser.live import Live
from testbed.browser import DARK_BG, LIGHT_BG, SCHEME_SHOWN, URLS, Server, serve
from testbed.build import build_sphinx, run_module, sphinx_in_process
from testbed.offline_dist import Distribution

# A primary button shows the theme's primary colour as its background.
APP = App(counter("Count").source + 'st.button("Primary", type="primary")\n')
STREAMLIT_PRIMARY = "rgb(255, 75, 75)"  # Streamlit's own, in both schemes
GREEN = "rgb(0, 170, 0)"  # the app-level config's primary colour below
APP_BODY = "".join(f"   {line}\n" for line in APP.source.splitlines())
CONFIG_PAGE = (
    ":orphan:\n\nOwn colour\n==========\n\n.. stlite::\n   :height: 250\n"
    '   :config: {"theme": {"primaryColor": "#00aa00"}}\n\n' + APP_BODY
)

# Alabaster's backgrounds, dark (what a theme's dark stylesheet does)
SWITCHED_DARK_CSS = """
body, div.document, div.body, div.footer { background: #1b1b1b !important; color: #ddd !important; }
"""

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
      primary: teal
      toggle: {icon: material/brightness-4, name: Switch to light mode}
plugins:
  - stlite:
"""


@pytest.fixture(scope="module")
def theme_server(
    tmp_path_factory: pytest.TempPathFactory, offline_dist: Distribution
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("themes")
    # "furo" inherits the site's font and colour (the default); "furo-plain" turns that off.
    for name, extra in (("furo", ""), ("furo-plain", "stlite_inherit = []\n")):
        furo_src = root / name
        furo_src.mkdir()
        conf = ['extensions = ["stlite_docs.sphinx_ext"]', 'html_theme = "furo"']
        conf += [f"stlite_{k} = {v!r}" for k, v in URLS.items()]
        (furo_src / "conf.py").write_text("\n".join(conf) + "\n" + extra)
        (furo_src / "index.rst").write_text(
            f"Furo\n====\n\n.. stlite::\n   :height: 250\n\n{APP_BODY}"
        )
        (furo_src / "config.rst").write_text(CONFIG_PAGE)
        result = sphinx_in_process(
            "-W", "-b", "html", str(furo_src), str(root / f"{name}-html"), cwd=root
        )
        assert result.returncode == 0, result.stdout + result.stderr

    # a theme that switches by a stylesheet's media, as CPython's does (no attribute, no class)
    switcher = root / "switcher"
    (switcher / "_static").mkdir(parents=True)
    (switcher / "_static" / "dark.css").write_text(SWITCHED_DARK_CSS)
    conf = ['extensions = ["stlite_docs.sphinx_ext"]', 'html_static_path = ["_static"]']
    conf.append('html_css_files = [("dark.css", {"media": "not all", "id": "site-dark"})]')
    conf += [f"stlite_{k} = {v!r}" for k, v in URLS.items()]
    (switcher / "conf.py").write_text("\n".join(conf) + "\n")
    (switcher / "index.rst").write_text(
        f"Switched\n========\n\n.. stlite::\n   :height: 250\n\n{APP_BODY}"
    )
    build_sphinx(switcher, root / "switcher-html")

    material = root / "material"
    (material / "docs").mkdir(parents=True)
    opts = "".join(f"      {k}: {v}\n" for k, v in URLS.items())
    (material / "mkdocs.yml").write_text(MATERIAL_YML + opts)
    (material / "docs" / "index.md").write_text(
        f'# Material\n\n```stlite height="250"\n{APP.source}```\n'
    )
    result = run_module(
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(material / "mkdocs.yml"),
        "-d",
        str(root / "material-html"),
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    mounts = {
        "/_dist": offline_dist.root,
        "/furo": root / "furo-html",
        "/furo-plain": root / "furo-plain-html",
        "/material": root / "material-html",
        "/switcher": root / "switcher-html",
    }
    with serve(mounts) as server:
        yield server


def app_background(live: Live) -> str:
    return str(
        live.app(0)
        .locator("[data-testid=stApp]")
        .evaluate("el => getComputedStyle(el).backgroundColor")
    )


def primary_background(live: Live) -> str:
    return str(
        live.app(0)
        .locator("[data-testid=stBaseButton-primary]")
        .evaluate("el => getComputedStyle(el).backgroundColor")
    )


def app_font(live: Live) -> str:
    return str(
        live.app(0)
        .locator("[data-testid=stMarkdown] p")
        .first.evaluate("el => getComputedStyle(el).fontFamily")
    )


def site_font(live: Live) -> str:
    return str(live.page.evaluate("getComputedStyle(document.body).fontFamily"))


def site_color(live: Live, variable: str) -> str:
    """The site's colour variable on <body> now, as a computed ``rgb(...)`` string."""
    return str(
        live.page.evaluate(
            """v => { const i = document.body.appendChild(document.createElement('i'));
        i.style.color = `var(${v})`; const c = getComputedStyle(i).color;
        i.remove(); return c; }""",
            variable,
        )
    )


def wait_for_primary(live: Live, color: str) -> None:
    live.page.wait_for_function(
        "c => getComputedStyle(document.querySelector('[data-testid=stBaseButton-primary]'))"
        ".backgroundColor === c",
        arg=color,
        timeout=10_000,
    )


def count_once(live: Live) -> None:
    live.expect_text(0, "Count clicks=0")
    live.app(0).get_by_role("button", name="Count").click()
    live.expect_text(0, "Count clicks=1")


def test_furo_toggle(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    count_once(live)
    assert live.page.evaluate(SCHEME_SHOWN, "light")
    # The site's font and Furo's light brand colour (#0a4bff), not Streamlit's own.
    light_primary = site_color(live, "--color-brand-primary")
    assert light_primary == "rgb(10, 75, 255)"
    assert primary_background(live) == light_primary
    assert app_font(live).startswith(site_font(live)), (app_font(live), site_font(live))
    # Furo's toggle cycles auto -> dark -> light; with a light system, auto looks light.
    toggle = live.page.locator("button.theme-toggle:visible").first
    toggle.click()
    assert live.page.evaluate("document.body.dataset.theme") == "dark"
    live.page.wait_for_function(SCHEME_SHOWN, arg="dark", timeout=10_000)
    live.expect_text(0, "Count clicks=1")  # followed without a remount: state kept
    # Furo's dark brand colour (#3d94ff), read when the app mounted in the light scheme.
    dark_primary = site_color(live, "--color-brand-primary")
    assert dark_primary == "rgb(61, 148, 255)"
    wait_for_primary(live, dark_primary)
    toggle.click()
    assert live.page.evaluate("document.body.dataset.theme") == "light"
    live.page.wait_for_function(SCHEME_SHOWN, arg="light", timeout=10_000)


def test_furo_auto_follows_the_system_scheme(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.emulate_media(color_scheme="dark")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    live.expect_text(0, "Count clicks=0")
    assert live.page.evaluate("document.body.dataset.theme") == "auto"
    assert live.page.evaluate(SCHEME_SHOWN, "dark")
    live.page.emulate_media(color_scheme="light")
    live.page.wait_for_function(SCHEME_SHOWN, arg="light", timeout=10_000)


def test_a_stylesheet_switch_is_followed(live: Live, theme_server: Server) -> None:
    """A theme that switches its scheme by its dark stylesheet's ``media`` (CPython's theme
    does), not by an attribute: the app follows, live, both ways (back in light, in the
    site's own background again)."""
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/switcher/index.html")
    count_once(live)
    assert live.page.evaluate(SCHEME_SHOWN, "light")
    live.page.evaluate("document.getElementById('site-dark').media = 'all'")
    # dark: Streamlit's own dark background (a theme whose switch the loader does not know
    # gives the site's colours of the scheme shown when the app mounted only)
    live.page.wait_for_function(
        "() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        f".backgroundColor === {DARK_BG!r}",
        timeout=10_000,
    )
    live.expect_text(0, "Count clicks=1")  # followed without a remount: state kept
    live.page.evaluate("document.getElementById('site-dark').media = 'not all'")
    live.page.wait_for_function(SCHEME_SHOWN, arg="light", timeout=10_000)


def test_material_palette_toggle(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.goto(f"{theme_server.base_url}/material/index.html")
    count_once(live)
    assert live.page.evaluate(SCHEME_SHOWN, "light")
    light_primary = site_color(live, "--md-primary-fg-color")  # indigo
    assert light_primary == "rgb(64, 81, 181)"
    assert primary_background(live) == light_primary
    assert app_font(live).startswith(site_font(live)), (app_font(live), site_font(live))
    live.page.locator("form[data-md-component=palette] label:visible").first.click()
    assert live.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    live.page.wait_for_function(SCHEME_SHOWN, arg="dark", timeout=10_000)
    live.expect_text(0, "Count clicks=1")
    # The slate palette's own primary (teal), from its palette toggle's attributes.
    dark_primary = site_color(live, "--md-primary-fg-color")
    assert dark_primary not in (light_primary, STREAMLIT_PRIMARY)
    wait_for_primary(live, dark_primary)


def test_app_config_wins_over_the_site(live: Live, theme_server: Server) -> None:
    """An app's own theme.primaryColor beats the site's, in both schemes; the font is still
    the site's and the app still follows the site's scheme."""
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo/config.html")
    count_once(live)
    assert primary_background(live) == GREEN
    assert app_font(live).startswith(site_font(live))
    live.page.locator("button.theme-toggle:visible").first.click()
    live.page.wait_for_function(SCHEME_SHOWN, arg="dark", timeout=10_000)
    assert primary_background(live) == GREEN
    live.expect_text(0, "Count clicks=1")


def test_inherit_off_keeps_streamlit_defaults(live: Live, theme_server: Server) -> None:
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo-plain/index.html")
    live.expect_text(0, "Count clicks=0")
    assert live.page.locator("script[data-inherit]").first.get_attribute("data-inherit") == ""
    assert primary_background(live) == STREAMLIT_PRIMARY
    assert app_font(live).startswith('"Source Sans"'), app_font(live)
    assert app_background(live) == LIGHT_BG


def test_host_matchmedia_is_untouched(live: Live, theme_server: Server) -> None:
    """Only stlite's own queries see the site's scheme; the page's code sees the system's."""
    live.server = theme_server
    live.page.emulate_media(color_scheme="light")
    live.page.goto(f"{theme_server.base_url}/furo/index.html")
    live.expect_text(0, "Count clicks=0")
    live.page.locator("button.theme-toggle:visible").first.click()
    assert live.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
    assert isinstance(live.page.evaluate("matchMedia('(prefers-color-scheme: dark)')"), dict)
