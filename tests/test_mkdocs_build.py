"""Real ``mkdocs build`` runs of small sites written to a temporary folder.

The fence renders in plain text, lists, admonitions and content tabs; a fence
shown inside an outer ````markdown fence stays literal; the loader is linked
only from pages with apps; the same app gives the same config as in Sphinx;
errors fail the build naming ``page.md:line`` without a traceback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import Tag
from sphinx.testing.util import SphinxTestApp

import stlite_docs
from stlite_docs import OPTION_NAMES
from stlite_docs.assets import shipped_text
from stlite_docs.pinned import PINNED_STLITE_CHUNK
from stlite_docs.settings import DEFAULT_CSS_URL, DEFAULT_JS_URL, DEFAULT_PYODIDE_URL
from stlite_docs.worker_script import SHIPPED_WORKER, shipped_worker
from testbed.build import (
    HOSTILE_SOURCE,
    ROOTS,
    app_elements,
    line_of,
    loader_links,
    loader_scripts,
    mkdocs_in_process,
    page_configs,
    parse_html,
    preload_hints,
    raw_config_text,
    run_module,
)

STATIC = Path(stlite_docs.__file__).parent / "static"
DEFAULT_ENTRY = "streamlit_app.py"
DEFAULT_ATTRS = {
    "data-stlite-js": DEFAULT_JS_URL,
    "data-stlite-css": DEFAULT_CSS_URL,
    "data-pyodide": DEFAULT_PYODIDE_URL,
    **shipped_worker().script_attributes(),  # stlite's worker, next to the loader
}


def fence(source: str, attrs: str = "", indent: str = "", ticks: str = "```") -> str:
    """A ```stlite fence around ``source``, every line indented by ``indent``."""
    opener = f"{ticks}stlite {attrs}".rstrip()
    lines = [opener, *source.splitlines(), ticks]
    return "".join(f"{indent}{line}\n" if line else "\n" for line in lines)


# The same apps as tests/roots/test-basic, written as MkDocs fences, so both
# front ends can be compared page by page.
PAGES: dict[str, str] = {
    "index.md": "# Home\n\nNo app on this page.\n\n```python\nprint('a plain code block')\n```\n",
    "plain.md": (
        "# Plain paragraphs\n\nAn app between two paragraphs, with every option set.\n\n"
        + fence(
            'import streamlit as st\n\nst.write("alpha")\n',
            'requirements="packaging, six>=1.16" height="420" entrypoint="hello.py"',
        )
        + "\nText between two apps.\n\n"
        + fence(
            "import streamlit as st\n"
            'name = st.text_input("Name", "beta")\n'
            'st.write(f"Hello, {name}")\n'
        )
        + "\nClosing paragraph.\n"
    ),
    "lists.md": (
        "# Lists\n\n- First item, no app.\n- Second item with an app:\n\n"
        + fence('import streamlit as st\nst.write("gamma")\n', 'height="30em"', "    ")
        + "\n- Third item.\n\n    1. A nested enumerated item with an app:\n\n"
        + fence(
            'import streamlit as st\nst.write("delta")\n', 'requirements="altair>=5,<6"', " " * 8
        )
    ),
    "admonitions.md": (
        "# Admonitions\n\n!!! note\n\n    A note with an app inside.\n\n"
        + fence('import streamlit as st\nst.button("epsilon")\n', 'height="60vh"', "    ")
    ),
    "hostile.md": "# Hostile source\n\n" + fence(HOSTILE_SOURCE),
    "tabs.md": (
        '# Tabs\n\n=== "First"\n\n'
        + fence('import streamlit as st\nst.write("tab one")\n', "", "    ")
        + '\n=== "Second"\n\n'
        + fence('import streamlit as st\nst.write("tab two")\n', 'height="200px"', "    ")
    ),
    "literal.md": (
        "# Literal\n\nHow to write an app:\n\n````markdown\n"
        + fence('import streamlit as st\nst.write("literal")\n')
        + "````\n\nAnd a real one:\n\n"
        + fence('import streamlit as st\nst.write("real")\n')
    ),
    "sub/page.md": (
        "---\ntitle: A nested page\n---\n\n# Nested\n\n"
        + fence('import streamlit as st\nst.write("nested")\n')
        + "\nFrom a file:\n\n"
        + fence("", 'file="../apps/hello.py" height="250"')
    ),
}
HELLO_PY = 'import streamlit as st\n\nst.write("from hello.py")\n'
PAGES_WITH_APPS = [
    "plain.md",
    "lists.md",
    "admonitions.md",
    "hostile.md",
    "tabs.md",
    "literal.md",
    "sub/page.md",
]

BASE_CONFIG = """\
site_name: Build test
plugins:
  - stlite
markdown_extensions:
  - admonition
  - pymdownx.tabbed:
      alternate_style: true
"""


@dataclass
class Site:
    root: Path
    site_dir: Path
    returncode: int
    output: str

    def html(self, page: str) -> Path:
        """The output file of ``page`` (``use_directory_urls: true``)."""
        stem = page.removesuffix(".md")
        if stem == "index":
            return self.site_dir / "index.html"
        return self.site_dir / stem / "index.html"


def mkdocs_build(
    root: Path,
    pages: dict[str, str],
    config: str = BASE_CONFIG,
    *,
    strict: bool = True,
    files: dict[str, str] | None = None,
    command: bool = False,
) -> Site:
    """Build in this process, or with the ``mkdocs`` command (``command=True``)."""
    docs = root / "docs"
    for name, text in {**pages, **(files or {})}.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site_dir = root / "site"
    if not command:
        code, log = mkdocs_in_process(root / "mkdocs.yml", site_dir, strict=strict)
        return Site(root, site_dir, code, log)
    args = ["build", "-f", str(root / "mkdocs.yml"), "-d", str(site_dir)]
    if strict:
        args.insert(1, "--strict")
    result = run_module("mkdocs", *args, cwd=root)
    return Site(root, site_dir, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("mkdocs-site")
    built = mkdocs_build(root, PAGES, files={"apps/hello.py": HELLO_PY}, command=True)
    assert built.returncode == 0, built.output
    return built


def test_strict_build_is_clean(site: Site) -> None:
    assert "WARNING" not in site.output
    assert "ERROR" not in site.output


def test_superfences_is_enabled_for_the_user(site: Site) -> None:
    """BASE_CONFIG does not list pymdownx.superfences; the fences still render
    and ordinary code blocks stay ordinary."""
    assert "pymdownx.superfences" not in BASE_CONFIG
    assert len(page_configs(site.html("plain.md"))) == 2
    soup = parse_html(site.html("index.md"))
    assert not app_elements(soup)
    assert "print('a plain code block')" in soup.get_text()


def configs_of(site: Site, page: str) -> list[dict[str, object]]:
    return [config for _, config in page_configs(site.html(page))]


def test_fences_in_lists_admonitions_and_tabs(site: Site) -> None:
    lists = app_elements(parse_html(site.html("lists.md")))
    assert len(lists) == 2
    assert all(el.find_parent("li") is not None for el in lists)
    assert lists[1].find_parent("ol") is not None
    (note_app,) = app_elements(parse_html(site.html("admonitions.md")))
    note = note_app.find_parent("div", class_="admonition")
    assert note is not None
    assert "note" in (note.get("class") or [])
    tabs = app_elements(parse_html(site.html("tabs.md")))
    assert len(tabs) == 2
    panels = [el.find_parent("div", class_="tabbed-block") for el in tabs]
    assert all(p is not None for p in panels)
    assert panels[0] is not panels[1]
    assert [c["files"] for c in configs_of(site, "tabs.md")] == [
        {DEFAULT_ENTRY: 'import streamlit as st\nst.write("tab one")\n'},
        {DEFAULT_ENTRY: 'import streamlit as st\nst.write("tab two")\n'},
    ]
    assert [c["height"] for c in configs_of(site, "tabs.md")] == ["auto", "200px"]


def test_fence_inside_outer_markdown_fence_stays_literal(site: Site) -> None:
    soup = parse_html(site.html("literal.md"))
    ((elem_id, config),) = page_configs(site.html("literal.md"))
    assert elem_id == "stlite-literal-0"
    assert config["files"] == {DEFAULT_ENTRY: 'import streamlit as st\nst.write("real")\n'}
    code_texts = [pre.get_text() for pre in soup.find_all("pre")]
    assert any(
        '```stlite\nimport streamlit as st\nst.write("literal")\n```' in text for text in code_texts
    ), code_texts


def test_nested_page_ids_file_option_and_front_matter(site: Site) -> None:
    apps = page_configs(site.html("sub/page.md"))
    assert [elem_id for elem_id, _ in apps] == ["stlite-sub-page-0", "stlite-sub-page-1"]
    assert apps[0][1]["files"] == {DEFAULT_ENTRY: 'import streamlit as st\nst.write("nested")\n'}
    assert apps[1][1]["files"] == {DEFAULT_ENTRY: HELLO_PY}
    assert apps[1][1]["height"] == "250px"


def test_hostile_source_round_trips(site: Site) -> None:
    ((elem_id, config),) = page_configs(site.html("hostile.md"))
    assert config["files"] == {DEFAULT_ENTRY: HOSTILE_SOURCE}
    raw = raw_config_text(site.html("hostile.md").read_text(encoding="utf-8"), elem_id)
    for dangerous in ("</script", "<!--", "<", ">", "&", "]]>"):
        assert dangerous not in raw


@pytest.mark.parametrize("page", PAGES_WITH_APPS)
def test_loader_linked_once_with_a_correct_relative_url(site: Site, page: str) -> None:
    path = site.html(page)
    soup = parse_html(path)
    page_url = "http://example.org/" + path.relative_to(site.site_dir).as_posix()
    scripts = loader_scripts(soup)
    assert len(scripts) == 1
    script = scripts[0]
    assert script.get("type") == "module"
    assert not str(script["src"]).startswith("/")  # works under any site sub-path
    resolved = urlsplit(urljoin(page_url, str(script["src"]))).path
    assert resolved == "/assets/stlite-docs/stlite-docs.js"
    for name, value in DEFAULT_ATTRS.items():
        assert script.get(name) == value
    links = loader_links(soup)
    assert len(links) == 1
    assert urlsplit(urljoin(page_url, str(links[0]["href"]))).path == (
        "/assets/stlite-docs/stlite-docs.css"
    )
    head = soup.find("head")
    assert head is not None
    assert script.find_parent("head") is head
    # the loader's tag before the theme's scripts (which wait for its stylesheets), the
    # loader's stylesheet after the theme's; the start policies of the page's apps on it
    in_head = [t for t in head.find_all(["script", "link"]) if isinstance(t, Tag)]
    scripts_in_head = [t for t in in_head if t.name == "script"]
    sheets = [t for t in in_head if t.name == "link" and "stylesheet" in (t.get("rel") or [])]
    assert scripts_in_head[0] is script
    assert sheets[-1] is links[0]
    assert set(str(script["data-page-starts"]).split()) <= {"auto", "eager", "visible", "click"}
    chunk = DEFAULT_JS_URL.rsplit("/", 1)[0] + "/" + PINNED_STLITE_CHUNK
    assert preload_hints(soup, page_url) == [DEFAULT_JS_URL, chunk]


def test_no_loader_on_pages_without_apps(site: Site) -> None:
    for path in (site.html("index.md"), site.site_dir / "404.html"):
        assert "stlite-docs" not in path.read_text(encoding="utf-8"), path.name


def test_assets_are_emitted(site: Site) -> None:
    for name in ("stlite-docs.js", "stlite-docs.css"):
        emitted = site.site_dir / "assets" / "stlite-docs" / name
        assert emitted.read_text(encoding="utf-8") == shipped_text(name)
    worker = site.site_dir / "assets" / "stlite-docs" / shipped_worker().file_name
    assert worker.read_bytes() == shipped_worker().site_source
    assert worker.read_bytes().startswith((STATIC / SHIPPED_WORKER).read_bytes())


# --- the same mount element as Sphinx -------------------------------------


def test_same_config_as_sphinx(
    site: Site, make_app: Callable[..., SphinxTestApp], tmp_path: Path
) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-basic", src)
    app = make_app("html", srcdir=src, builddir=tmp_path / "build", freshenv=True)
    app.build()
    assert app.statuscode == 0
    outdir = Path(app.outdir)
    for page in ("plain.md", "lists.md", "admonitions.md", "hostile.md"):
        docname = page.removesuffix(".md")
        sphinx_apps = page_configs(outdir / f"{docname}.html")
        mkdocs_apps = page_configs(site.html(page))
        assert sphinx_apps, docname
        # Same document name -> same ids; same app -> same config, byte for byte.
        assert [i for i, _ in mkdocs_apps] == [i for i, _ in sphinx_apps]
        assert [c for _, c in mkdocs_apps] == [c for _, c in sphinx_apps]
        sphinx_html = (outdir / f"{docname}.html").read_text(encoding="utf-8")
        mkdocs_html = site.html(page).read_text(encoding="utf-8")
        for elem_id, _ in sphinx_apps:
            assert raw_config_text(mkdocs_html, elem_id) == raw_config_text(sphinx_html, elem_id)


# --- user configuration -----------------------------------------------------

CUSTOM_CONFIG = """\
site_name: Custom
use_directory_urls: false
plugins:
  - stlite:
      js_url: https://mirror.example.org/stlite/1.9.2/stlite.js
      css_url: /_dist/stlite.css
      pyodide_url: https://mirror.example.org/pyodide/v0.29.3/pyodide.mjs
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: diagram
          class: diagram
          format: !!python/name:pymdownx.superfences.fence_div_format
"""


def test_user_superfences_config_and_custom_urls(tmp_path: Path) -> None:
    pages = {
        "index.md": "# Home\n\n```diagram\ngraph TD; A-->B\n```\n",
        "deep/er/page.md": "# Deep\n\n```diagram\nx\n```\n\n" + fence("import streamlit\n"),
    }
    built = mkdocs_build(tmp_path, pages, CUSTOM_CONFIG)
    assert built.returncode == 0, built.output
    page = built.site_dir / "deep" / "er" / "page.html"
    soup = parse_html(page)
    assert soup.find("div", class_="diagram") is not None  # the user's fence still works
    ((elem_id, config),) = page_configs(page)
    assert elem_id == "stlite-deep-er-page-0"
    assert config["files"] == {DEFAULT_ENTRY: "import streamlit\n"}
    (script,) = loader_scripts(soup)
    assert script["src"] == "../../assets/stlite-docs/stlite-docs.js"
    assert script["data-stlite-js"] == "https://mirror.example.org/stlite/1.9.2/stlite.js"
    assert script["data-stlite-css"] == "/_dist/stlite.css"
    assert script["data-pyodide"] == "https://mirror.example.org/pyodide/v0.29.3/pyodide.mjs"
    # another stlite's worker is unknown: no worker file, stlite starts its own
    assert not [name for name in script.attrs if name.startswith("data-stlite-w")]
    assert not (built.site_dir / "assets" / "stlite-docs" / shipped_worker().file_name).exists()
    index = (built.site_dir / "index.html").read_text(encoding="utf-8")
    assert "stlite-docs" not in index


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("pyodide_url", "42", "option 'pyodide_url': Expected type: <class 'str'>"),
        (
            "pyodide_url",
            '"not a url with spaces"',
            "plugin 'stlite': pyodide_url: 'not a url with spaces' is not an http(s) URL",
        ),
        ("js_url", '"https://cdn.example.org/stlite.css"', "js_url: 'https://cdn.example"),
        ("colour", '"red"', "colour"),
    ],
)
def test_invalid_plugin_option_is_a_clear_error(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    config = f"site_name: Bad\nplugins:\n  - stlite:\n      {option}: {value}\n"
    built = mkdocs_build(tmp_path, {"index.md": "# Home\n"}, config)
    assert built.returncode != 0
    assert message in built.output
    assert "Traceback" not in built.output


# --- errors and warnings ---------------------------------------------------

GOOD_APP = fence('import streamlit as st\nst.write("a good app before the bad one")\n')

ERROR_CASES = [
    pytest.param(
        fence("import streamlit as st\n", 'height="300" heigth="300"'),
        "unknown option 'heigth' (valid options: " + ", ".join(sorted(OPTION_NAMES)) + ")",
        id="unknown-option",
    ),
    pytest.param(fence("", 'height="300"'), "empty app", id="empty-app"),
    pytest.param(
        fence("import streamlit as st\n", 'height="tall"'),
        "option 'height': 'tall' is not a height",
        id="bad-height",
    ),
    pytest.param(
        fence("import streamlit as st\n", 'requirements="six, not a valid!!"'),
        "option 'requirements': 'not a valid!!' is not a valid requirement",
        id="bad-requirement",
    ),
    pytest.param(
        fence("", 'file="apps/nope.py"'), "option 'file': file not found", id="missing-file"
    ),
    pytest.param(
        fence("import streamlit as st\n", 'file="apps/ok.py"'),
        "the app is given twice",
        id="body-and-file",
    ),
    pytest.param(
        fence("", 'file="../outside.py"'),
        "option 'file': '../outside.py' points outside",
        id="escaping-file",
    ),
    pytest.param(
        "!!! note\n\n    Text.\n\n" + fence("import streamlit as st\n", 'height="50%"', "    "),
        "option 'height': '50%' is not a height",
        id="in-admonition",
    ),
    pytest.param(
        "- item\n\n    - nested\n\n" + fence("x = 1\n", 'entrypoint="../x.py"', " " * 8),
        "option 'entrypoint': '../x.py' must be a relative .py file",
        id="in-nested-list",
    ),
]


@pytest.mark.parametrize(("bad", "message"), ERROR_CASES)
def test_invalid_fence_fails_the_build_at_the_fence_line(
    tmp_path: Path, bad: str, message: str
) -> None:
    # Front matter (which MkDocs strips before plugins see the page) and a
    # literal ```stlite shown inside ````markdown must not shift the line.
    page = (
        "---\ntitle: Bad\n---\n\n# Bad\n\n"
        + GOOD_APP
        + "\n````markdown\n"
        + fence("", 'heigth="literal, not an app"')
        + "````\n\nSome text.\n\n"
        + bad
    )
    (tmp_path / "outside.py").write_text("SECRET = 1\n", encoding="utf-8")
    built = mkdocs_build(
        tmp_path,
        {"index.md": "# Home\n", "bad.md": page},
        files={"apps/ok.py": "import streamlit as st\n"},
    )
    line = line_of(tmp_path / "docs" / "bad.md", "```stlite")
    assert built.returncode == 1
    assert f"bad.md:{line}: {message}" in built.output
    assert "Traceback" not in built.output
    assert "SECRET" not in built.output


TWO_BAD_APPS = {
    "a.md": "# A\n\n" + GOOD_APP + "\n" + fence("x = 1\n", 'height="tall" worker="mine"'),
    "b/c.md": "# C\n\n- item\n\n"
    + fence("x = 1\n", 'heigth="3" layout="sideways" start="later"', "    "),
}


@pytest.mark.parametrize("strict", [False, True])
def test_every_bad_option_of_every_app_is_reported(tmp_path: Path, strict: bool) -> None:
    """Each error at the line of its fence (whose first line holds the options); the
    build fails only once every page was read, so one build shows them all."""
    built = mkdocs_build(tmp_path, {"index.md": "# Home\n", **TWO_BAD_APPS}, strict=strict)
    a = line_of(tmp_path / "docs" / "a.md", 'height="tall"')
    c = line_of(tmp_path / "docs" / "b" / "c.md", "```stlite")
    for expected in (
        f"ERROR   -  stlite: a.md:{a}: option 'height': 'tall' is not a height",
        f"ERROR   -  stlite: a.md:{a}: option 'worker': 'mine' is not one of shared, own",
        f"ERROR   -  stlite: b/c.md:{c}: unknown option 'heigth'",
        f"ERROR   -  stlite: b/c.md:{c}: option 'layout': 'sideways' is not one of",
        f"ERROR   -  stlite: b/c.md:{c}: option 'start': 'later' is not one of auto, eager, "
        "visible, click",
    ):
        assert expected in built.output, built.output
    assert "plugin 'stlite': 2 app(s) have errors (reported above)" in built.output
    assert built.returncode == 1
    assert "Traceback" not in built.output
    assert not (built.site_dir / "a" / "index.html").exists()


SYNTAX_PAGE = (
    "# Syntax\n\n"
    + GOOD_APP
    + "\n- In a list:\n\n"
    + fence(
        'import streamlit as st\nst.write("unclosed"\nst.write("next")\n', 'height="300"', "    "
    )
)


@pytest.mark.parametrize("strict", [False, True])
def test_syntax_error_is_a_warning_at_the_body_line(tmp_path: Path, strict: bool) -> None:
    built = mkdocs_build(
        tmp_path, {"index.md": "# Home\n", "syntax.md": SYNTAX_PAGE}, strict=strict
    )
    line = line_of(tmp_path / "docs" / "syntax.md", 'st.write("unclosed"')
    expected = (
        f"WARNING -  stlite: syntax.md:{line}: Python syntax error in the app (app line 2): "
        "'(' was never closed"
    )
    assert expected in built.output
    assert "Traceback" not in built.output
    if strict:
        assert built.returncode == 1
        assert "Aborted with 1 warnings in strict mode" in built.output
    else:
        assert built.returncode == 0, built.output
        assert len(page_configs(built.site_dir / "syntax" / "index.html")) == 2
