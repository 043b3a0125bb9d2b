"""The loader's ``<script>`` tag (``stlite_docs.loader_tag``, ``render``): fetch hints,
start policies, and its place in a theme's ``<head>``."""

from __future__ import annotations

from pathlib import Path

from stlite_docs import (
    AppSpec,
)
from stlite_docs.loader_tag import loader_attributes, page_starts, preload_urls
from stlite_docs.pinned import PINNED_STLITE_CHUNK, static_imports
from stlite_docs.render import loader_tag_early, loader_tags, with_loader
from stlite_docs.settings import DEFAULT_JS_URL, Settings
from stlite_docs.worker_script import WorkerScript
from testbed.offline_dist import Distribution

# --- early fetch hints --------------------------------------------------------


def test_pinned_chunk_is_the_one_the_real_stlite_js_imports(offline_dist: Distribution) -> None:
    """The hinted chunk of the pinned CDN build is the npm package's real import."""
    stlite_js = (offline_dist.stlite_dir / "stlite.js").read_text(encoding="utf-8")
    assert static_imports(stlite_js) == [f"./{PINNED_STLITE_CHUNK}"]
    assert (offline_dist.stlite_dir / PINNED_STLITE_CHUNK).stat().st_size > 1_000_000


def test_preloads_read_a_local_stlite_build(tmp_path: Path) -> None:
    stlite = tmp_path / "vendor" / "stlite"
    stlite.mkdir(parents=True)
    (stlite / "stlite.js").write_text(
        'import { a as b } from "./index-abc.js";\nimport "./side.js";\nexport { b as mount };\n'
    )
    local = Settings(js_url="vendor/stlite/stlite.js")
    assert preload_urls(local, tmp_path) == [
        "vendor/stlite/stlite.js",
        "vendor/stlite/index-abc.js",
        "vendor/stlite/side.js",
    ]
    # without the file (or for another remote build) only stlite.js is hinted
    assert preload_urls(local, tmp_path / "elsewhere") == ["vendor/stlite/stlite.js"]
    # the loader hints what stlite.js imports when it starts stlite: the chunks travel on
    # its tag, relative to it like every other URL; nothing when there are none
    remote = Settings(js_url="https://mirror.example.org/stlite.js")
    assert "data-preload" not in loader_attributes(remote, tmp_path)
    assert loader_attributes(local, tmp_path)["data-preload"] == (
        "vendor/stlite/index-abc.js vendor/stlite/side.js"
    )
    assert loader_attributes(Settings())["data-preload"] == (
        DEFAULT_JS_URL.rsplit("/", 1)[0] + "/" + PINNED_STLITE_CHUNK
    )
    # the loader runs as soon as it arrives, not after the page's stylesheets (async), on
    # every front end's tag
    assert loader_attributes(Settings())["async"] == ""
    assert ' async=""' in loader_tags("l.js", "l.css", Settings())


def test_the_loader_tag_lists_the_start_policies_of_the_pages_shared_apps() -> None:
    """Where the site serves stlite's worker, the tag says how the page's apps on the shared
    runtime start (each app's ``start``, else the site's), so the loader can start Python
    before the parser reaches them; apps with a runtime of their own do not count."""
    worker = WorkerScript(
        source=b"",
        sha256="0" * 64,
        data_url_check="1:0",
        wheels={"stliteLib": "a.whl", "streamlit": "b.whl"},
    )

    def app(**options: str | None) -> AppSpec:
        return AppSpec(entrypoint="a.py", files=(("a.py", ""),), **options)  # type: ignore[arg-type]

    apps = [app(), app(start="click"), app(start="eager", worker="own"), app()]
    assert page_starts(Settings(), apps) == ["auto", "click"]
    assert page_starts(Settings(start="visible"), apps) == ["click", "visible"]
    assert page_starts(Settings(), [app(worker="own")]) == []
    attrs = loader_attributes(Settings(), worker=worker, apps=apps)
    assert attrs["data-page-starts"] == "auto click"
    assert 'data-page-starts="auto click"' in loader_tags(
        "l.js", "l.css", Settings(), worker=worker, apps=apps
    )
    # nothing to start early without the worker file, or without a shared app
    assert "data-page-starts" not in loader_attributes(Settings(), apps=apps)
    assert "data-page-starts" not in loader_attributes(
        Settings(), worker=worker, apps=[app(worker="own")]
    )


def test_a_themes_page_gets_the_loader_tag_before_its_head_scripts() -> None:
    """The tag before the first script of ``<head>`` (those wait for every stylesheet), the
    stylesheet after the theme's; a head without scripts gets both at its end."""
    theme = (
        '<html><head><link rel="stylesheet" href="t.css"><script src="t.js"></script>'
        '</head><body><script src="b.js"></script></body></html>'
    )
    page = with_loader(theme, "l.js", "l.css", Settings())
    head = page[: page.index("</head>")]
    assert head.index('src="l.js"') < head.index('src="t.js"')
    assert head.index('href="t.css"') < head.index('href="l.css"')
    assert page.count('src="l.js"') == 1 and page.count('href="l.css"') == 1
    bare = with_loader(
        "<html><head><title>x</title></head><body></body></html>", "l.js", "l.css", Settings()
    )
    assert bare.index("<title>") < bare.index('src="l.js"') < bare.index("</head>")
    assert with_loader("<p>no head</p>", "l.js", "l.css", Settings()).endswith("<p>no head</p>")


def test_a_written_pages_loader_tag_moves_before_its_head_scripts() -> None:
    """A theme that writes its scripts at the end of ``<body>`` (Furo) or after an inline
    script of its own gets the loader's tag moved where ``with_loader`` puts it; a page whose
    tag is already there, a page without it and a page without ``<head>`` stay as they are."""
    tag = '<script async="" type="module" src="_static/stlite-docs.js?v=1"></script>\n'
    in_body = (
        '<html><head><link rel="stylesheet" href="t.css"><style>x{}</style></head>'
        f'<body><script>wait()</script><p>app</p>{tag}<script src="t.js"></script>'
        "</body></html>"
    )
    moved = loader_tag_early(in_body, "stlite-docs.js")
    assert moved.index(tag) < moved.index("</head>") and moved.count(tag) == 1
    assert moved.replace(tag, "") == in_body.replace(tag, "")
    after_inline = f'<html><head><script>mode()</script><link href="t.css">{tag}</head></html>'
    first = loader_tag_early(after_inline, "stlite-docs.js")
    assert first.index(tag) < first.index("<script>mode()")
    assert loader_tag_early(moved, "stlite-docs.js") == moved
    assert loader_tag_early(first, "stlite-docs.js") == first
    other = '<html><head></head><body><script src="my-stlite-docs.js"></script></body></html>'
    assert loader_tag_early(other, "stlite-docs.js") == other
    assert loader_tag_early(f"<p>{tag}</p>", "stlite-docs.js") == f"<p>{tag}</p>"
