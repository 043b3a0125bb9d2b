"""Sphinx builds of the ``tests/roots/test-*`` projects: the output contract.

Every app's JSON config must carry the exact source, requirements, height and
entrypoint; ids are deterministic; the loader is referenced once on pages with
apps and nowhere else; non-HTML builders show the source; parallel, serial and
repeated builds produce the same bytes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.parallel import parallel_available

import stlite_docs
from stlite_docs.assets import shipped_text
from stlite_docs.pinned import PINNED_STLITE_CHUNK
from stlite_docs.settings import DEFAULT_CSS_URL, DEFAULT_JS_URL, DEFAULT_PYODIDE_URL
from stlite_docs.worker_script import SHIPPED_WORKER, shipped_worker
from testbed.build import (
    HOSTILE_SOURCE,
    ROOTS,
    app_config,
    app_elements,
    loader_links,
    loader_scripts,
    page_configs,
    parse_html,
    preload_hints,
    raw_config_text,
    sphinx_in_process,
    strip_colors,
)

STATIC = Path(stlite_docs.__file__).parent / "static"
EXTENSION = "stlite_docs.sphinx_ext"
DEFAULT_ENTRY = "streamlit_app.py"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-<name>`` folders."""
    return ROOTS


@dataclass(frozen=True)
class App:
    source: str
    requirements: tuple[str, ...] = ()
    height: str = "auto"
    entrypoint: str = DEFAULT_ENTRY


# What the pages of roots/test-basic must produce, app by app, in document order.
BASIC_APPS: dict[str, list[App]] = {
    "plain": [
        App(
            'import streamlit as st\n\nst.write("alpha")\n',
            ("packaging", "six>=1.16"),
            "420px",
            "hello.py",
        ),
        App(
            "import streamlit as st\n"
            'name = st.text_input("Name", "beta")\n'
            'st.write(f"Hello, {name}")\n'
        ),
    ],
    "lists": [
        App('import streamlit as st\nst.write("gamma")\n', height="30em"),
        App('import streamlit as st\nst.write("delta")\n', ("altair>=5,<6",)),
    ],
    "admonitions": [App('import streamlit as st\nst.button("epsilon")\n', height="60vh")],
    "tables": [App('import streamlit as st\nst.write("zeta")\n', height="200px")],
    "myst_page": [
        App('import streamlit as st\nst.write("eta")\n', ("packaging", "six"), "300px"),
        App('import streamlit as st\nst.write("theta")\n', entrypoint="pages/app.py"),
    ],
    "hostile": [App(HOSTILE_SOURCE)],
}
BASIC_PAGES_WITHOUT_APPS = ["index", "noapp", "genindex", "search"]


@dataclass
class Build:
    """The outcome of one Sphinx build, kept after the app is cleaned up."""

    srcdir: Path
    outdir: Path
    status: str
    warnings: str
    statuscode: int
    dependencies: dict[str, set[str]]
    extension_metadata: dict[str, bool]

    def html(self, docname: str) -> Path:
        return self.outdir / f"{docname}.html"


def sphinx_build(
    srcdir: Path,
    builddir: Path,
    buildername: str = "html",
    *,
    freshenv: bool = True,
    parallel: int = 0,
    confoverrides: dict[str, Any] | None = None,
    on_app: Callable[[SphinxTestApp], None] | None = None,
) -> Build:
    status, warning = StringIO(), StringIO()
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        builddir=builddir,
        freshenv=freshenv,
        parallel=parallel,
        confoverrides=confoverrides,
        status=status,
        warning=warning,
    )
    try:
        if on_app is not None:
            on_app(app)
        app.build()
        ext = app.extensions[EXTENSION]
        return Build(
            srcdir=srcdir,
            outdir=Path(app.outdir),
            status=strip_colors(status.getvalue()),
            warnings=strip_colors(warning.getvalue()),
            statuscode=app.statuscode,
            dependencies={d: {str(p) for p in deps} for d, deps in app.env.dependencies.items()},
            extension_metadata={
                "parallel_read_safe": bool(ext.parallel_read_safe),
                "parallel_write_safe": bool(ext.parallel_write_safe),
                "read_allowed": app.is_parallel_allowed("read"),
                "write_allowed": app.is_parallel_allowed("write"),
            },
        )
    finally:
        app.cleanup()


def copy_root(name: str, dest: Path) -> Path:
    src = dest / "src"
    shutil.copytree(ROOTS / f"test-{name}", src)
    return src


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("basic")
    return sphinx_build(copy_root("basic", base), base / "build")


# --- the mount elements ---------------------------------------------------


def test_basic_build_succeeds_without_warnings(basic: Build) -> None:
    assert basic.statuscode == 0
    assert basic.warnings == ""


@pytest.mark.parametrize("docname", sorted(BASIC_APPS))
def test_each_app_config_is_exact(basic: Build, docname: str) -> None:
    apps = page_configs(basic.html(docname))
    expected = BASIC_APPS[docname]
    assert [elem_id for elem_id, _ in apps] == [
        f"stlite-{docname}-{i}" for i in range(len(expected))
    ]
    for (_, config), want in zip(apps, expected, strict=True):
        assert config["entrypoint"] == want.entrypoint
        assert config["files"] == {want.entrypoint: want.source}
        assert config["requirements"] == list(want.requirements)
        assert config["height"] == want.height


def test_apps_sit_where_they_were_written(basic: Build) -> None:
    """In the list item, the note, the table cell: not hoisted out of them."""
    lists = app_elements(parse_html(basic.html("lists")))
    assert [el.find_parent("li") is not None for el in lists] == [True, True]
    assert lists[1].find_parent("ol") is not None
    (note_app,) = app_elements(parse_html(basic.html("admonitions")))
    note = note_app.find_parent("div", class_="admonition")
    assert note is not None
    assert "note" in (note.get("class") or [])
    (table_app,) = app_elements(parse_html(basic.html("tables")))
    assert table_app.find_parent("td") is not None
    myst = app_elements(parse_html(basic.html("myst_page")))
    assert [el.find_parent("li") is not None for el in myst] == [False, True]


def test_source_shown_as_highlighted_code_until_mounted(basic: Build) -> None:
    for docname, expected in BASIC_APPS.items():
        for element, want in zip(
            app_elements(parse_html(basic.html(docname))), expected, strict=True
        ):
            assert element.get("data-stlite-docs-state") == "source"
            pre = element.select_one("div.stlite-docs-source div.highlight pre")
            assert pre is not None, docname
            assert pre.get_text() == want.source
            assert pre.select("span.kn"), "the fallback code is not highlighted"


def test_hostile_source_round_trips(basic: Build) -> None:
    html = basic.html("hostile").read_text(encoding="utf-8")
    (element,) = app_elements(parse_html(basic.html("hostile")))
    assert app_config(element)["files"] == {DEFAULT_ENTRY: HOSTILE_SOURCE}
    raw = raw_config_text(html, "stlite-hostile-0")
    for dangerous in ("</script", "<!--", "<", ">", "&", "]]>"):
        assert dangerous not in raw
    # The regex cut the script at the first "</script>": the whole JSON is there.
    assert json.loads(raw)["files"][DEFAULT_ENTRY] == HOSTILE_SOURCE


# --- the loader ------------------------------------------------------------


def assert_loader_once(page: Path, outdir: Path, attrs: dict[str, str]) -> None:
    soup = parse_html(page)
    scripts = loader_scripts(soup)
    assert len(scripts) == 1, f"{page.name}: {len(scripts)} loader scripts"
    script = scripts[0]
    assert script.get("type") == "module"
    for name, value in attrs.items():
        assert script.get(name) == value, name
    page_url = "http://site/" + page.relative_to(outdir).as_posix()
    assert urlsplit(urljoin(page_url, str(script["src"]))).path == "/_static/stlite-docs.js"
    links = loader_links(soup)
    assert len(links) == 1
    assert urlsplit(urljoin(page_url, str(links[0]["href"]))).path == "/_static/stlite-docs.css"


DEFAULT_ATTRS = {
    "data-stlite-js": DEFAULT_JS_URL,
    "data-stlite-css": DEFAULT_CSS_URL,
    "data-pyodide": DEFAULT_PYODIDE_URL,
    # stlite's worker, next to the loader: pages start Python before stlite's bundle
    "data-stlite-worker": shipped_worker().file_name,
    "data-stlite-worker-check": shipped_worker().data_url_check,
    "data-stlite-wheels": "stliteLib=wheels/stlite_lib-0.1.0-py3-none-any.whl "
    "streamlit=wheels/streamlit-1.62.0-cp313-none-any.whl",
}
WORKER_ATTRS = ("data-stlite-worker", "data-stlite-worker-check", "data-stlite-wheels")


def test_loader_once_on_pages_with_apps(basic: Build) -> None:
    for docname in BASIC_APPS:
        assert_loader_once(basic.html(docname), basic.outdir, DEFAULT_ATTRS)


PINNED_PRELOADS = [
    DEFAULT_JS_URL,
    DEFAULT_JS_URL.rsplit("/", 1)[0] + "/" + PINNED_STLITE_CHUNK,
]


def test_pages_with_apps_tell_the_loader_to_hint_stlite_and_its_chunk(basic: Build) -> None:
    for docname in BASIC_APPS:
        page = basic.html(docname)
        page_url = "http://site/" + page.relative_to(basic.outdir).as_posix()
        assert preload_hints(parse_html(page), page_url) == PINNED_PRELOADS, docname


@pytest.mark.parametrize("docname", BASIC_PAGES_WITHOUT_APPS)
def test_no_loader_on_pages_without_apps(basic: Build, docname: str) -> None:
    html = basic.html(docname).read_text(encoding="utf-8")
    assert "stlite-docs" not in html


def test_default_urls_are_pinned() -> None:
    for url in DEFAULT_ATTRS.values():
        assert "latest" not in url
    assert "@stlite/browser@1.9.2/" in DEFAULT_JS_URL
    assert "@stlite/browser@1.9.2/" in DEFAULT_CSS_URL
    assert "/pyodide/v0.29.3/" in DEFAULT_PYODIDE_URL


def test_loader_files_are_copied(basic: Build) -> None:
    for name in ("stlite-docs.js", "stlite-docs.css"):
        assert (basic.outdir / "_static" / name).read_text(encoding="utf-8") == shipped_text(name)
    # and stlite's worker, which the loader tag names relative to the loader
    worker = (basic.outdir / "_static" / shipped_worker().file_name).read_bytes()
    assert worker == shipped_worker().site_source
    assert worker.startswith((STATIC / SHIPPED_WORKER).read_bytes())


def test_loader_not_copied_into_sites_without_apps(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"extensions = [{EXTENSION!r}]\n")
    (src / "index.rst").write_text("Title\n=====\n\nNo apps.\n")
    build = sphinx_build(src, tmp_path / "build")
    assert build.statuscode == 0
    assert (build.outdir / "_static").is_dir()
    assert not (build.outdir / "_static" / "stlite-docs.js").exists()
    assert not (build.outdir / "_static" / SHIPPED_WORKER).exists()
    assert "stlite-docs" not in build.html("index").read_text(encoding="utf-8")


# --- determinism and parallel builds --------------------------------------


def html_snapshot(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def test_rebuild_is_byte_identical(basic: Build, tmp_path: Path) -> None:
    """Two real ``sphinx-build -E`` runs into one folder, as a user rebuilds.

    Separate processes matter: Sphinx caches asset checksums per process, which
    would hide a ``?v=`` cache buster that only appears on the second build."""
    out = tmp_path / "html"
    args = ("-b", "html", "-E", "-q", str(basic.srcdir), str(out))
    first = sphinx_in_process(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    first_pages = html_snapshot(out)
    again = sphinx_in_process(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    again_pages = html_snapshot(out)
    assert sorted(first_pages) == sorted(again_pages)
    assert [name for name in first_pages if first_pages[name] != again_pages[name]] == []
    # The loader URL carries the checksum of the file that was copied.
    script = loader_scripts(parse_html(out / "plain.html"))[0]
    assert "?v=" in str(script["src"])


def test_setup_metadata_declares_parallel_safety(basic: Build) -> None:
    assert basic.extension_metadata == {
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "read_allowed": True,
        "write_allowed": True,
    }


def test_parallel_build_equals_serial(basic: Build, tmp_path: Path) -> None:
    merges: list[int] = []

    def count_merges(app: SphinxTestApp) -> None:
        app.connect("env-merge-info", lambda *args: merges.append(len(args[2])))

    parallel = sphinx_build(basic.srcdir, tmp_path / "build", parallel=2, on_app=count_merges)
    assert parallel_available
    assert len(merges) >= 2, "the documents were not read in parallel"
    assert parallel.statuscode == 0
    assert parallel.warnings == ""
    serial, par = html_snapshot(basic.outdir), html_snapshot(parallel.outdir)
    assert sorted(serial) == sorted(par)
    assert [name for name in serial if serial[name] != par[name]] == []
    assert (parallel.outdir / "_static" / "stlite-docs.js").is_file()


# --- other builders --------------------------------------------------------


@pytest.fixture(scope="module")
def basic_text(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("basic-text")
    return sphinx_build(copy_root("basic", base), base / "build", "text")


@pytest.fixture(scope="module")
def basic_latex(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("basic-latex")
    return sphinx_build(copy_root("basic", base), base / "build", "latex")


def test_text_builder_shows_every_source(basic_text: Build) -> None:
    assert basic_text.statuscode == 0
    for docname, expected in BASIC_APPS.items():
        text = (basic_text.outdir / f"{docname}.txt").read_text(encoding="utf-8")
        assert "stlite-docs" not in text
        for app in expected:
            for line in app.source.splitlines():
                if line:
                    assert line in text, (docname, line)


def test_latex_builder_shows_the_sources(basic_latex: Build) -> None:
    assert basic_latex.statuscode == 0
    (tex_file,) = basic_latex.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert "stlite-docs" not in tex
    # Pygments' LaTeX output splits code into tokens; each app's distinctive
    # string literal survives as a token of its own.
    for word in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"):
        assert f"\\PYG{{l+s+s2}}{{{word}}}" in tex, word
    assert tex.count("\\begin{sphinxVerbatim}") >= sum(len(a) for a in BASIC_APPS.values())


@pytest.mark.parametrize(
    ("buildername", "pattern", "shown"),
    [
        ("man", "*.1", "st.write(\\(dqsmall\\(dq)"),
        ("texinfo", "*.texi", 'st.write("small")'),
        ("epub", "index.xhtml", None),
    ],
)
def test_other_builders_show_source_without_loader(
    tmp_path: Path, buildername: str, pattern: str, shown: str | None
) -> None:
    build = sphinx_build(copy_root("small", tmp_path), tmp_path / "build", buildername)
    assert build.statuscode == 0
    (out,) = build.outdir.rglob(pattern)
    text = out.read_text(encoding="utf-8")
    if shown is None:  # XHTML: the highlighted code block, read as text
        shown = 'import streamlit as st\nst.write("small")'
        text = parse_html(out).get_text()
    assert shown in text
    assert "stlite-docs" not in out.read_text(encoding="utf-8")
    assert not list(build.outdir.rglob("stlite-docs.js"))


@pytest.mark.parametrize(
    ("buildername", "page", "other"),
    [("dirhtml", "index.html", "other/index.html"), ("singlehtml", "index.html", None)],
)
def test_other_html_builders_mount_apps(
    tmp_path: Path, buildername: str, page: str, other: str | None
) -> None:
    build = sphinx_build(copy_root("small", tmp_path), tmp_path / "build", buildername)
    assert build.statuscode == 0
    ((elem_id, config),) = page_configs(build.outdir / page)
    assert elem_id == "stlite-index-0"
    assert config["files"] == {DEFAULT_ENTRY: 'import streamlit as st\nst.write("small")\n'}
    assert config["requirements"] == ["six"]
    assert_loader_once(build.outdir / page, build.outdir, DEFAULT_ATTRS)
    if other is not None:
        assert "stlite-docs" not in (build.outdir / other).read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_the_loader_tag_is_the_pages_first_script(tmp_path: Path, theme: str) -> None:
    """Whatever the theme does with scripts (Furo writes them all at the end of
    ``<body>``, after an inline script that waits for every stylesheet), the loader's tag is
    in ``<head>`` before any other script: the parser creates it, and Python starts, while
    the page's stylesheets load."""
    build = sphinx_build(
        copy_root("small", tmp_path), tmp_path / "build", confoverrides={"html_theme": theme}
    )
    assert build.statuscode == 0, build.warnings
    page = build.outdir / "index.html"
    assert_loader_once(page, build.outdir, DEFAULT_ATTRS)
    soup = parse_html(page)
    (loader,) = loader_scripts(soup)
    assert loader.find_parent("head") is not None, theme
    assert soup.find("script") is loader, (theme, soup.find("script"))
    # a second build that writes nothing leaves the pages as they are
    before = page.read_bytes()
    again = sphinx_build(
        build.srcdir, tmp_path / "build", freshenv=False, confoverrides={"html_theme": theme}
    )
    assert again.statuscode == 0 and page.read_bytes() == before


# --- configuration ---------------------------------------------------------

CUSTOM_URLS = {
    "stlite_js_url": "https://mirror.example.org/stlite/1.9.2/stlite.js",
    "stlite_css_url": "/_dist/stlite/stlite.css",
    "stlite_pyodide_url": "https://mirror.example.org/pyodide/v0.29.3/pyodide.mjs?x=1&y=2",
}


@pytest.mark.sphinx("html", testroot="small", srcdir="small-custom-urls", confoverrides=CUSTOM_URLS)
def test_custom_urls_reach_the_loader(app: SphinxTestApp) -> None:
    app.build()
    assert app.statuscode == 0
    outdir = Path(app.outdir)
    assert_loader_once(
        outdir / "index.html",
        outdir,
        {
            "data-stlite-js": CUSTOM_URLS["stlite_js_url"],
            "data-stlite-css": CUSTOM_URLS["stlite_css_url"],
            "data-pyodide": CUSTOM_URLS["stlite_pyodide_url"],
        },
    )
    html = (outdir / "index.html").read_text(encoding="utf-8")
    assert DEFAULT_PYODIDE_URL not in html
    # another stlite's worker is unknown: no worker file, stlite starts its own
    (script,) = loader_scripts(parse_html(outdir / "index.html"))
    assert not [name for name in WORKER_ATTRS if script.has_attr(name)]
    assert not (outdir / "_static" / SHIPPED_WORKER).exists()
    # another build: only its stlite.js is hinted (its chunk's name is unknown)
    hints = preload_hints(parse_html(outdir / "index.html"), "http://site/index.html")
    assert hints == [CUSTOM_URLS["stlite_js_url"]]
    assert 'pyodide.mjs?x=1&amp;y=2"' in html  # attribute-escaped


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("stlite_pyodide_url", "not a url with spaces", "is not an http(s) URL or a path"),
        ("stlite_pyodide_url", "https://cdn.example.org/pyodide/", "should end with .mjs"),
        ("stlite_js_url", "", "must be a non-empty URL string"),
        ("stlite_js_url", 42, "must be a non-empty URL string"),
        ("stlite_css_url", "javascript:alert(1)//.css", "is not an http(s) URL or a path"),
        ("stlite_css_url", "//cdn.example.org/x.css", "is not an http(s) URL or a path"),
    ],
)
def test_invalid_config_is_a_config_error(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, name: str, value: object, message: str
) -> None:
    src = copy_root("small", tmp_path)
    with pytest.raises(ConfigError) as info:
        make_app("html", srcdir=src, confoverrides={name: value})
    assert name in str(info.value)
    assert message in str(info.value)


# --- :file: ----------------------------------------------------------------


@pytest.fixture
def file_root(tmp_path: Path) -> Path:
    return copy_root("file", tmp_path)


def test_file_option_relative_rooted_and_up_within_tree(file_root: Path, tmp_path: Path) -> None:
    build = sphinx_build(file_root, tmp_path / "build")
    assert build.statuscode == 0, build.warnings
    hello = (file_root / "apps" / "hello.py").read_text(encoding="utf-8")
    rooted = (file_root / "apps" / "rooted.py").read_text(encoding="utf-8")
    index = page_configs(build.html("index"))
    assert [c["files"] for _, c in index] == [{DEFAULT_ENTRY: hello}, {DEFAULT_ENTRY: rooted}]
    assert index[1][1]["requirements"] == ["six"]
    ((nested_id, nested),) = page_configs(build.outdir / "sub" / "nested.html")
    assert nested_id == "stlite-sub-nested-0"
    assert nested["files"] == {DEFAULT_ENTRY: hello}
    assert nested["height"] == "250px"
    assert_loader_once(build.outdir / "sub" / "nested.html", build.outdir, DEFAULT_ATTRS)


def test_file_option_is_a_rebuild_dependency(file_root: Path, tmp_path: Path) -> None:
    build = sphinx_build(file_root, tmp_path / "build")
    hello = (file_root / "apps" / "hello.py").resolve()
    rooted = (file_root / "apps" / "rooted.py").resolve()

    def resolved(docname: str) -> set[Path]:
        return {(file_root / p).resolve() for p in build.dependencies.get(docname, set())}

    assert {hello, rooted} <= resolved("index")
    assert hello in resolved("sub/nested")
    assert rooted not in resolved("sub/nested")

    hello.write_text('import streamlit as st\nst.write("edited")\n', encoding="utf-8")
    again = sphinx_build(file_root, tmp_path / "build", freshenv=False)
    assert "2 changed" in again.status
    edited = {DEFAULT_ENTRY: 'import streamlit as st\nst.write("edited")\n'}
    assert page_configs(again.html("index"))[0][1]["files"] == edited
    assert page_configs(again.outdir / "sub" / "nested.html")[0][1]["files"] == edited


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("import streamlit as st\n\nst.write('<b>&</b>')\n", "python"),
        (">>> 1 + 1\n2\n", "python"),
        ('[theme]\nbase = "dark"\n', "toml"),
        ("a,b\n1,2\n", "text"),
        ("price = 3 $ 4\n", "python"),  # a lexing error: Sphinx's relaxed retry
        ("", "python"),
    ],
)
def test_app_highlighting_is_sphinx_highlighting(code: str, language: str) -> None:
    """Apps reuse one Pygments formatter per build; the HTML must be exactly what
    Sphinx's own ``highlight_block`` makes for a code block."""
    import importlib

    from sphinx.highlighting import PygmentsBridge

    # (imported by its installed name, which mypy does not map to sphinx_ext/)
    highlight_block = importlib.import_module("stlite_docs.sphinx_ext.highlight").highlight_block

    for style in ("sphinx", "monokai"):
        bridge = PygmentsBridge("html", style)
        expected = bridge.highlight_block(code, language)
        assert highlight_block(bridge, code, language, None) == expected
        assert highlight_block(bridge, code, language, None) == expected  # formatter reused
