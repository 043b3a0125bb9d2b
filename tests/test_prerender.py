"""App snapshots without a browser (``stlite_docs.prerender``): where they go in a built page,
what they are keyed by, how they are written, the settings and the command. The browser side
(made by a real Chromium, shown, taken over by the live app) is in
``tests/browser/test_browser_prerender.py``."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from stlite_docs import AppSpec, ConfigError, Settings, render_mount
from stlite_docs.cli import main
from stlite_docs.prerender import prerender_site
from stlite_docs.prerender.browser import find_browser
from stlite_docs.prerender.snapshot import (
    Shots,
    Snapshot,
    current_keys,
    page_apps,
    page_look,
    relative_urls,
    snapshot_html,
    snapshot_key,
    with_snapshots,
)
from stlite_docs.render import plain_source_html

LIGHT = Snapshot(
    html='<div class="stlite-docs-snap-app"><p>Hello</p></div>',
    css="p{color:red}",
    fonts="",
    text="Hello",
    height=40.0,
    scheme="light",
)
DARK = dataclasses.replace(LIGHT, css="p{color:white}", scheme="dark")


def _page(*specs: AppSpec) -> str:
    apps = "\n".join(
        render_mount(spec, f"stlite-index-{i}", plain_source_html) for i, spec in enumerate(specs)
    )
    return f"<html><head></head><body><h1>Title</h1>\n{apps}\n<p>after</p></body></html>"


def _spec(code: str = "import streamlit as st\n", **kw: object) -> AppSpec:
    return AppSpec(entrypoint="app.py", files=(("app.py", code),), **kw)  # type: ignore[arg-type]


def test_a_snapshot_replaces_what_the_box_shows_and_nothing_else() -> None:
    # source code with markup-like text and nested <div>s from the highlighter
    page = _page(_spec("x = '<div>'\n"), _spec(layout="code-above"))
    markup = snapshot_html(Shots(LIGHT), "k1")
    out = with_snapshots(page, {"stlite-index-0": markup})
    soup = BeautifulSoup(out, "html.parser")
    first, second = soup.select(".stlite-docs-app")
    (source,) = first.select(":scope > .stlite-docs-source")
    assert [getattr(c, "name", None) for c in source.children] == ["div"]
    assert source.div["class"] == ["stlite-docs-snapshot"]  # type: ignore[index]
    # the rest of the page is byte for byte as it was
    assert out.replace(markup, "") == re.sub(
        r'(<div class="stlite-docs-source">).*?(</div>\n</div>)',
        r"\1\2",
        page,
        count=1,
        flags=re.S,
    )
    # the second app keeps its placeholder; writing again replaces the snapshot
    assert "The live app runs here." in str(second)
    again = with_snapshots(out, {"stlite-index-0": snapshot_html(Shots(DARK), "k2")})
    assert "k1" not in again and dict(current_keys(again)) == {"stlite-index-0": "k2"}


def test_the_markup_is_a_declarative_shadow_root_with_its_styles() -> None:
    markup = snapshot_html(
        Shots(dataclasses.replace(LIGHT, css="p::after{content:'</style><script>x()'}")),
        "k",
        nonce='n"1',
    )
    soup = BeautifulSoup(markup, "html.parser")
    (host,) = soup.select(".stlite-docs-snapshot")
    (template,) = host.find_all("template", recursive=False)
    assert template["shadowrootmode"] == "open"
    assert "</style><script>" not in markup  # the CSS cannot end its <style> early
    assert "<\\/style><script>x()" in markup
    assert 'nonce="n&quot;1"' in markup
    assert not soup.find_all("script")


def test_a_pair_shows_the_systems_scheme_without_the_loader_where_the_site_follows_it() -> None:
    follows = snapshot_html(Shots(LIGHT, DARK, system=True), "k")
    light, dark = re.findall(r'data-scheme="(\w+)"', follows)
    assert (light, dark) == ("light", "dark")
    assert "@media (prefers-color-scheme:dark){:host{display:none}}" in follows
    assert "@media not all and (prefers-color-scheme:dark){:host{display:none}}" in follows
    toggle_only = snapshot_html(Shots(LIGHT, DARK, system=False), "k")
    assert ":host{display:none}" in toggle_only and "@media" not in toggle_only
    alone = snapshot_html(Shots(LIGHT), "k")
    assert ":host" not in alone


def test_fonts_go_in_the_page_beside_the_shadow_root() -> None:
    face = '@font-face { font-family: "Icons"; src: url("f.woff2"); }'
    markup = snapshot_html(Shots(dataclasses.replace(LIGHT, fonts=face)), "k")
    soup = BeautifulSoup(markup, "html.parser")
    host = soup.select_one(".stlite-docs-snapshot")
    assert host is not None
    outside = [c for c in host.children if getattr(c, "name", None) == "style"]
    assert len(outside) == 1 and "@font-face" in outside[0].text


def test_apps_that_opt_out_are_read_as_such() -> None:
    page = _page(_spec(), _spec(prerender=False))
    assert [(a.elem_id, a.wanted) for a in page_apps(page)] == [
        ("stlite-index-0", True),
        ("stlite-index-1", False),
    ]
    assert '"prerender":false' in page


def test_the_key_follows_everything_that_changes_a_snapshot(tmp_path: Path) -> None:
    css = tmp_path / "_static" / "site.css"
    css.parent.mkdir()
    css.write_text("body{color:black}")
    page = '<link rel="stylesheet" href="_static/site.css"><script data-stlite-js="a.js"></script>'
    look = page_look(page, tmp_path / "index.html", tmp_path)
    key = snapshot_key("{}", look, capture_js="c", width=1200)
    assert key == snapshot_key("{}", look, capture_js="c", width=1200)
    assert key != snapshot_key('{"a":1}', look, capture_js="c", width=1200)
    assert key != snapshot_key("{}", look, capture_js="c2", width=1200)
    assert key != snapshot_key("{}", look, capture_js="c", width=800)
    css.write_text("body{color:navy}")  # the site's look changed
    assert page_look(page, tmp_path / "index.html", tmp_path) != look
    other_stlite = page.replace("a.js", "b.js")
    assert page_look(other_stlite, tmp_path / "index.html", tmp_path) != look
    # the theme's scheme and palette in <body>'s attributes (Material's palette)
    themed = "<html><head></head><body data-md-color-scheme='slate'>" + page + "</body></html>"
    plain = themed.replace(" data-md-color-scheme='slate'", "")
    assert page_look(themed, tmp_path / "index.html", tmp_path) != page_look(
        plain, tmp_path / "index.html", tmp_path
    )
    # a snapshot written into the page leaves its look as it was
    written = plain.replace("</body>", snapshot_html(Shots(LIGHT), "k") + "</body>")
    assert page_look(written, tmp_path / "index.html", tmp_path) == page_look(
        plain, tmp_path / "index.html", tmp_path
    )


def test_the_build_servers_urls_become_the_sites() -> None:
    shot = dataclasses.replace(
        LIGHT,
        html='<img src="http://127.0.0.1:9/site/sub/a.png">',
        css='a{background:url("http://127.0.0.1:9/_dist/x.woff2")}'
        'b{background:url("https://cdn.example.org/y.png")}',
        fonts='@font-face{src:url("http://127.0.0.1:9/site/_static/f.woff2")}',
    )
    out = relative_urls(shot, "http://127.0.0.1:9/site/", "http://127.0.0.1:9/site/sub/page.html")
    assert out.html == '<img src="a.png">'
    assert 'url("/_dist/x.woff2")' in out.css  # outside the site: as the page named it
    assert 'url("https://cdn.example.org/y.png")' in out.css
    assert 'url("../_static/f.woff2")' in out.fonts


def test_a_missing_browser_is_an_error_that_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError, match="prerender_browser: '/nope/chrome' is not an exec"):
        find_browser("/nope/chrome", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="playwright install chromium"):
        find_browser("", str(tmp_path / "missing"))
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_browser("", None) == str(fake)


def test_a_site_whose_snapshots_are_cached_needs_no_browser(tmp_path: Path) -> None:
    """What a rebuild with no app changed does: the snapshot comes from the cache, and the
    browser setting (here a path that does not exist) is never looked at."""
    site = tmp_path / "site"
    site.mkdir()
    page = _page(_spec("import streamlit as st\nst.write('hi')\n"))
    (site / "index.html").write_text(page)
    look = page_look(page, site / "index.html", site)
    (app,) = page_apps(page)
    from stlite_docs.assets import PRERENDER_CAPTURE_JS, shipped_text
    from stlite_docs.prerender import WIDTH
    from stlite_docs.prerender.browser import STATE_JS

    key = snapshot_key(
        app.config, look, capture_js=shipped_text(PRERENDER_CAPTURE_JS) + STATE_JS, width=WIDTH
    )
    cache = tmp_path / "cache"
    (cache / "prerender").mkdir(parents=True)
    (cache / "prerender" / f"{key}.json").write_text(Shots(LIGHT, DARK, True).to_json())
    report = prerender_site(site, cache_dir=cache, browser="/nope/chrome")
    assert (report.rendered, report.cached, report.pages_written) == (0, 1, 1)
    written = (site / "index.html").read_text()
    assert dict(current_keys(written)) == {"stlite-index-0": key}
    again = prerender_site(site, cache_dir=cache, browser="/nope/chrome")
    assert (again.cached, again.unchanged, again.pages_written) == (0, 1, 0)


def test_the_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="stlite_prerender_timeout must be a positive number"):
        Settings(prerender_timeout=0).validated("stlite_")
    with pytest.raises(ConfigError, match="prerender_browser must be a path"):
        Settings(prerender_browser=3).validated()  # type: ignore[arg-type]


def test_the_markdown_extension_points_to_the_command() -> None:
    from markdown import Markdown

    with pytest.raises(ValueError, match="stlite-docs prerender SITE_DIR"):
        Markdown(
            extensions=["stlite_docs.markdown"],
            extension_configs={"stlite_docs.markdown": {"prerender": True}},
        ).convert("x")


def test_the_command_on_a_site_without_apps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.html").write_text("<p>no apps</p>")
    assert main(["prerender", str(tmp_path), "--browser", "/nope"]) == 0
    assert "0 rendered, 0 from the cache, 0 unchanged" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["prerender", str(tmp_path / "missing")])
    assert "is not a folder (build the site first)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["prerender", str(tmp_path), "--timeout", "0"])
    assert "--timeout must be a positive number" in capsys.readouterr().err


def test_snapshot_text_joins_the_mkdocs_search_index(tmp_path: Path) -> None:
    from stlite_docs.prerender import add_to_search_index

    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    index.write_text(
        '{"config": {}, "docs": [{"location": "", "title": "Home", "text": "intro"},'
        ' {"location": "#part", "title": "Part", "text": "x"},'
        ' {"location": "two/", "title": "Two", "text": "two"}]}'
    )
    add_to_search_index(tmp_path, {("", "stlite-index-0"): "appoutput", ("gone/", "a"): "no"})
    docs = json.loads(index.read_text())["docs"]
    assert [d["text"] for d in docs] == ["intro appoutput", "x", "two"]
    add_to_search_index(tmp_path / "nowhere", {("", "a"): "t"})  # no index: nothing to do
