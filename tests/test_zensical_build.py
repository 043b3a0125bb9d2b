"""Real ``zensical build`` runs of a site configured with ONLY the extension's lines.

Zensical runs no MkDocs plugin; the ``stlite_docs.markdown`` extension registers the fence
with SuperFences and inlines the loader with each page's first app. Fences with options
render (and leave the rest of the page alone), errors fail the build at ``page.md:line``,
and ``stlite-docs vendor`` makes the built site self-contained afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from host_sites import ZENSICAL_PAGES, write_zensical, zensical_build

from stlite_docs.assets import LOADER_FILES, LOADER_INLINE_JS, shipped_text
from stlite_docs.settings import DEFAULT_JS_URL
from stlite_docs.worker_script import shipped_worker, worker_from_build
from testbed.build import app_elements, line_of, page_configs, parse_html, run_module
from testbed.offline_dist import Distribution

pytestmark = pytest.mark.zensical

SETTINGS = {"pyodide_url": "https://mirror.example.org/pyodide/v0.29.3/pyodide.mjs"}


def loaders(soup: BeautifulSoup) -> list[Tag]:
    scripts = [s for s in soup.find_all("script") if isinstance(s, Tag)]
    return [s for s in scripts if s.has_attr("data-stlite-js")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("zensical")
    write_zensical(root, SETTINGS, site_url="http://127.0.0.1:8000/")
    result = zensical_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return root / "site", output


def test_build_is_clean(site: tuple[Path, str]) -> None:
    _, output = site
    assert "No issues found" in output
    assert "stlite" not in output  # no warning of ours
    assert "Traceback" not in output


def test_apps_in_text_admonitions_and_tabs(site: tuple[Path, str]) -> None:
    out, _ = site
    soup = parse_html(out / "apps.html")
    apps = app_elements(soup)
    assert [a["id"] for a in apps] == [f"stlite-apps-{i}" for i in range(4)]
    configs = [c for _, c in page_configs(out / "apps.html")]
    assert configs[0]["height"] == "220px"
    assert configs[0]["requirements"] == ["packaging"]
    assert "plain ready" in str(configs[0]["files"])
    note = apps[1].find_parent("div", class_="admonition")
    assert note is not None
    panels = [a.find_parent("div", class_="tabbed-block") for a in apps[2:]]
    assert all(p is not None for p in panels)
    assert panels[0] is not panels[1]
    assert [c["height"] for c in configs] == ["220px", "200px", "180px", "180px"]


def test_fences_with_options_leave_the_rest_of_the_page_alone(site: tuple[Path, str]) -> None:
    out, _ = site
    soup = parse_html(out / "apps.html")
    headings = [h.get_text(strip=True) for h in soup.select("article h2")]
    assert headings == ["After the first app", "The end"]
    text = soup.select_one("article")
    assert text is not None
    assert "```" not in text.get_text()  # no fence left over as page text
    assert not text.find_all("code", class_="language-stlite")


def test_loader_inlined_once_before_the_first_app_and_only_there(site: tuple[Path, str]) -> None:
    out, _ = site
    for page, apps in (("apps.html", 4), ("second.html", 1)):
        soup = parse_html(out / page)
        (script,) = loaders(soup)
        assert len(app_elements(soup)) == apps
        assert script["type"] == "module"
        src = str(script["src"])
        assert src.startswith("data:text/javascript,")
        assert unquote(src.removeprefix("data:text/javascript,")) == shipped_text(LOADER_INLINE_JS)
        assert script["data-stlite-js"] == DEFAULT_JS_URL
        assert script["data-pyodide"] == SETTINGS["pyodide_url"]
        styles = soup.find_all("style", class_="stlite-docs-style")
        assert len(styles) == 1
        assert styles[0].get_text() == shipped_text("stlite-docs-inline.css").strip()
        # before the first app, in document order
        first_app = app_elements(soup)[0].sourceline
        assert script.sourceline is not None and first_app is not None
        assert script.sourceline <= first_app
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "stlite-docs" not in index and "data-stlite" not in index


# --- errors, warnings and the MkDocs plugin left in the config --------------------------------


BAD_PAGES = {
    "unknown-option": ('```stlite height="300" heigth="300"\n', "unknown option 'heigth'"),
    "unreadable-header": (
        '```stlite heig-ht="300"\n',
        'this stlite fence is not an app: write its options as name="value"',
    ),
    "bad-height": ('```stlite height="tall"\n', "option 'height': 'tall' is not a height"),
}


@pytest.mark.parametrize("case", sorted(BAD_PAGES))
def test_bad_fence_fails_the_build_at_its_line(tmp_path: Path, case: str) -> None:
    opener, message = BAD_PAGES[case]
    page = (
        "---\ntitle: Bad\n---\n\n# Bad\n\n```stlite\nimport streamlit as st\n```\n\n"
        f"Text.\n\n{opener}import streamlit as st\n```\n\n## After\n"
    )
    write_zensical(tmp_path, {}, pages={"index.md": "# Home\n", "bad.md": page})
    result = zensical_build(tmp_path)
    output = result.stdout + result.stderr
    line = line_of(tmp_path / "docs" / "bad.md", "```stlite ")
    assert result.returncode != 0
    assert f"stlite: bad.md:{line}: {message}" in output.splitlines()[1], output


def test_syntax_error_warns_at_the_body_line(tmp_path: Path) -> None:
    page = (
        "# Syntax\n\n!!! note\n\n"
        '    ```stlite\n    import streamlit as st\n    st.write("x"\n    ```\n'
    )
    write_zensical(tmp_path, {}, pages={"index.md": page})
    result = zensical_build(tmp_path)
    assert result.returncode == 0
    line = line_of(tmp_path / "docs" / "index.md", 'st.write("x"')
    assert f"stlite: index.md:{line}: Python syntax error in the app (app line 2)" in result.stderr


def test_mkdocs_plugin_in_the_config_is_reported_once(tmp_path: Path) -> None:
    pages = {"a.md": ZENSICAL_PAGES["second.md"], "b.md": ZENSICAL_PAGES["second.md"]}
    write_zensical(tmp_path, {}, pages=pages)
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text() + "plugins:\n  - search\n  - stlite:\n      theme: dark\n")
    result = zensical_build(tmp_path)
    assert result.returncode == 0
    warning = "mkdocs.yml lists the MkDocs plugin 'stlite', which Zensical does not run"
    assert result.stderr.count(warning) == 1, result.stderr
    assert "remove 'stlite' from plugins" in result.stderr


def test_a_zensical_toml_without_zensicals_defaults_is_warned_once(tmp_path: Path) -> None:
    """A zensical.toml translated from the README's mkdocs.yml lines lists only SuperFences
    and the extension: Zensical's defaults are gone, and an app in a note would be a code
    block. The build says so, once, and the apps outside the note still render."""
    pages = {"a.md": ZENSICAL_PAGES["second.md"], "b.md": ZENSICAL_PAGES["second.md"]}
    write_zensical(tmp_path, {}, pages=pages)
    (tmp_path / "mkdocs.yml").unlink()
    (tmp_path / "zensical.toml").write_text(
        '[project]\nsite_name = "Apps"\nuse_directory_urls = false\n'
        "[project.theme]\nfont = false\n"
        "[project.markdown_extensions.pymdownx.superfences]\n"
        '[project.markdown_extensions."stlite_docs.markdown"]\n',
        encoding="utf-8",
    )
    result = run_module("zensical", "build", "--clean", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    warning = "the site lists markdown_extensions, which replaces Zensical's default ones"
    assert result.stderr.count(warning) == 1, result.stderr
    assert "admonition, " in result.stderr
    assert app_elements(parse_html(tmp_path / "site" / "a.html"))


def test_invalid_setting_names_the_extension(tmp_path: Path) -> None:
    write_zensical(tmp_path, {"theme": "blue"}, pages={"index.md": ZENSICAL_PAGES["second.md"]})
    result = zensical_build(tmp_path)
    assert result.returncode != 0
    assert "stlite_docs.markdown: theme: 'blue' is not one of auto, light, dark, off" in (
        result.stderr
    )


# --- loader files in the docs (strict CSP) and the self-contained command -------------------


def stlite_docs_command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stlite_docs.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_loader_files_in_the_docs(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n", "deep/er/page.md": ZENSICAL_PAGES["second.md"]}
    write_zensical(
        tmp_path, {"loader_dir": "assets/stlite-docs", "js_url": "vendor/stlite.js"}, pages=pages
    )
    made = stlite_docs_command("loader", "docs/assets/stlite-docs", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    result = zensical_build(tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "site"
    page = out / "deep" / "er" / "page.html"
    soup = parse_html(page)
    (script,) = loaders(soup)
    page_url = "http://example.org/" + page.relative_to(out).as_posix()
    js = urljoin(page_url, str(script["src"]))
    assert urlsplit(js).path == "/assets/stlite-docs/stlite-docs.js"
    # relative settings are taken from the site's root, resolved against the loader file
    assert urlsplit(urljoin(js, str(script["data-stlite-js"]))).path == "/vendor/stlite.js"
    (link,) = [x for x in soup.find_all("link") if "stlite-docs.css" in str(x.get("href"))]
    css = urlsplit(urljoin(page_url, str(link["href"]))).path
    assert css == "/assets/stlite-docs/stlite-docs.css"
    for name in LOADER_FILES:  # the entry imports its second part next to itself
        assert (out / "assets" / "stlite-docs" / name).read_text() == shipped_text(name)
    assert not soup.find_all("style", class_="stlite-docs-style")
    # the command writes stlite's worker next to the loader; pages on the default stlite name
    # it (this site's custom js_url: not)
    assert (out / "assets" / "stlite-docs" / shipped_worker().file_name).read_bytes() == (
        shipped_worker().site_source
    )
    assert not script.has_attr("data-stlite-worker")


def test_vendor_command_makes_the_built_site_self_contained(
    tmp_path: Path, offline_dist: Distribution
) -> None:
    pages = {"index.md": ZENSICAL_PAGES["index.md"], "sub/apps.md": ZENSICAL_PAGES["apps.md"]}
    write_zensical(tmp_path, {}, pages=pages)
    assert zensical_build(tmp_path).returncode == 0
    (tmp_path / "wheels").mkdir()
    result = stlite_docs_command(
        "vendor",
        "site",
        "--browser-source",
        str(offline_dist.stlite_dir),
        "--pyodide-source",
        str(offline_dist.pyodide_dir),
        "--package-index",
        "wheels",
        "--cache-dir",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-contained site:" in result.stdout and "1 pages point at it" in result.stdout
    out = tmp_path / "site"
    page = out / "sub" / "apps.html"
    (script,) = loaders(parse_html(page))
    # an inlined loader resolves its settings against the page
    targets = {"data-stlite-js": "stlite/stlite.js", "data-pyodide": "pyodide/pyodide.mjs"}
    for attr, target in targets.items():
        resolved = (page.parent / str(script[attr])).resolve()
        assert resolved == (out / "assets" / "stlite-docs" / target).resolve()
        assert resolved.is_file()
    # the chunk the loader hints is the vendored one, not the CDN's
    (hint,) = str(script["data-preload"]).split()
    chunk = (page.parent / hint).resolve()
    assert chunk.parent == (out / "assets" / "stlite-docs" / "stlite").resolve()
    assert chunk.is_file() and chunk.name.startswith("index-")
    lock = (out / "assets" / "stlite-docs" / "pyodide" / "pyodide-lock.json").read_text()
    assert '"packaging"' in lock  # an app's requirement, shipped
    # stlite's worker out of the vendored build, in the vendor folder, named relative to the
    # page as the other settings of an inlined loader
    worker = worker_from_build(out / "assets" / "stlite-docs" / "stlite")
    resolved = (page.parent / str(script["data-stlite-worker"])).resolve()
    assert resolved == (out / "assets" / "stlite-docs" / worker.file_name).resolve()
    assert resolved.read_bytes() == worker.site_source
    assert script["data-stlite-worker-check"] == worker.data_url_check
    assert str(script["data-stlite-wheels"]).split() == [  # relative to stlite.js
        f"{name}={path}" for name, path in sorted(worker.wheels.items())
    ]
    before = page.read_bytes()
    again = stlite_docs_command(
        "vendor",
        "site",
        "--browser-source",
        str(offline_dist.stlite_dir),
        "--pyodide-source",
        str(offline_dist.pyodide_dir),
        "--package-index",
        "wheels",
        "--cache-dir",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )
    assert again.returncode == 0
    assert page.read_bytes() == before  # idempotent
    assert "data-stlite" not in (out / "index.html").read_text()
