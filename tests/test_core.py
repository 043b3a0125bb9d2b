"""The core (``stlite_docs``) on its own: option parsing, ids, JSON escaping,
``build_app`` and the promise that importing it pulls in no front end."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples
from offline_dist import Distribution

from stlite_docs import (
    OPTION_NAMES,
    OPTIONS,
    AppError,
    AppErrors,
    AppSpec,
    SourceContext,
    build_app,
    element_id,
    json_for_script,
    render_mount,
)
from stlite_docs.checks import (
    LOADER_CONFIG,
    PageApp,
    check_page,
    check_syntax,
    requirements_conflict,
)
from stlite_docs.loader_tag import loader_attributes, page_starts, preload_urls
from stlite_docs.options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
    is_bare_name,
    parse_entrypoint,
    parse_height,
    parse_requirements,
    requirement_name,
)
from stlite_docs.pinned import PINNED_STLITE_CHUNK, static_imports
from stlite_docs.render import loader_tag_early, loader_tags, with_loader
from stlite_docs.settings import DEFAULT_JS_URL, Settings
from stlite_docs.worker_script import WorkerScript

# --- requirements ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ()),
        (" , ,\n\n", ()),
        ("packaging", ("packaging",)),
        ("packaging, six", ("packaging", "six")),
        ("packaging,six", ("packaging", "six")),
        ("packaging\nsix\n", ("packaging", "six")),
        ("packaging,\n  six ,, altair", ("packaging", "six", "altair")),
        ("altair>=5,<6", ("altair>=5,<6",)),
        ("altair>=5, <6, six", ("altair>=5,<6", "six")),
        ("six>=1.16,!=1.17.0,~=1.16", ("six>=1.16,!=1.17.0,~=1.16",)),
        ("pandas[excel,performance]>=2, six", ("pandas[excel,performance]>=2", "six")),
        ("pandas[ excel , plot ]", ("pandas[ excel , plot ]",)),
        ('six; python_version >= "3.8", packaging', ('six; python_version >= "3.8"', "packaging")),
        (
            "https://example.org/wheels/pkg-1.0-py3-none-any.whl, six",
            ("https://example.org/wheels/pkg-1.0-py3-none-any.whl", "six"),
        ),
        ("./wheels/pkg-1.0-py3-none-any.whl", ("./wheels/pkg-1.0-py3-none-any.whl",)),
    ],
)
def test_parse_requirements(value: str, expected: tuple[str, ...]) -> None:
    assert parse_requirements(value) == expected


@pytest.mark.parametrize(
    ("value", "bad_item"),
    [
        ("not a valid!!", "not a valid!!"),
        ("six, numpy==", "numpy=="),
        (">=5", ">=5"),
        ("six,>=1", "six,>=1"),
        ("pandas[excel", "pandas[excel"),
        ("six\nfoo bar", "foo bar"),
    ],
)
def test_parse_requirements_rejects_bad_specifiers(value: str, bad_item: str) -> None:
    with pytest.raises(AppError) as info:
        parse_requirements(value)
    assert info.value.message.startswith(
        f"option 'requirements': {bad_item!r} is not a valid requirement"
    )
    assert info.value.line is None


@settings(max_examples=examples(300))
@given(st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,20}[A-Za-z0-9])?", fullmatch=True))
def test_bare_names_need_no_parser(name: str) -> None:
    """The fast path (no ``packaging``) for a requirement that is only a name must
    agree with packaging: valid, that name, no version, extras, marker or URL."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    assert is_bare_name(name)
    req = Requirement(name)
    assert (req.name, str(req.specifier), req.extras, req.marker, req.url) == (
        name,
        "",
        set(),
        None,
        None,
    )
    assert requirement_name(name) == canonicalize_name(name)
    assert parse_requirements(name) == (name,)


@pytest.mark.parametrize("text", ["six>=1", "six[x]", "six; python_version>'3'", "-six", "six-"])
def test_requirements_with_more_than_a_name_are_not_bare(text: str) -> None:
    assert not is_bare_name(text)


def test_requirement_names_and_conflicts() -> None:
    assert requirement_name("Foo_Bar.baz>=1") == "foo-bar-baz"
    assert requirement_name("https://example.org/w/pkg-1.0-py3-none-any.whl") is None
    assert requirements_conflict("six>=2", "Six<1")
    assert not requirements_conflict("six", "six<1")  # a bare name takes any version
    assert not requirements_conflict("six>=1", "six<2")
    apps = [
        PageApp("app 1", ("Six>=2",), ()),
        PageApp("app 2", ("six",), ()),
        PageApp("app 3", ("six<1",), ()),
    ]
    assert [index for index, _ in check_page(apps)] == [2]


# --- height --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("420", "420px"),
        (" 420 ", "420px"),
        ("12.5", "12.5px"),
        ("420px", "420px"),
        ("30em", "30em"),
        ("1.5rem", "1.5rem"),
        ("60vh", "60vh"),
        ("80dvh", "80dvh"),
    ],
)
def test_parse_height(value: str, expected: str) -> None:
    assert parse_height(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tall", "is not a height"),
        ("", "is not a height"),
        ("px", "is not a height"),
        ("-5", "is not a height"),
        ("420 px", "is not a height"),
        ("1e3", "is not a height"),
        ("calc(100vh - 2em)", "is not a height"),
        ("50%", "is not a height"),
        ("100%", "is not a height"),
        ("0", "must be greater than zero"),
        ("0px", "must be greater than zero"),
        ("0.0em", "must be greater than zero"),
    ],
)
def test_parse_height_rejects(value: str, message: str) -> None:
    with pytest.raises(AppError) as info:
        parse_height(value)
    assert info.value.message.startswith(f"option 'height': {value!r}")
    assert message in info.value.message


def test_default_height_is_a_valid_height() -> None:
    assert parse_height(DEFAULT_HEIGHT) == DEFAULT_HEIGHT


# --- entrypoint ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["streamlit_app.py", "app.py", "pages/1_Intro.py", "a-b/c_d.e.py", "_x.py"]
)
def test_parse_entrypoint_accepts_relative_py_paths(value: str) -> None:
    assert parse_entrypoint(f"  {value} ") == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "app",
        "app.txt",
        "../app.py",
        "/app.py",
        "pages/../app.py",
        "a b.py",
        ".hidden.py",
        "pages//app.py",
        "app.py/",
        "C:\\app.py",
        "pages\\app.py",
        ".py",
    ],
)
def test_parse_entrypoint_rejects(value: str) -> None:
    with pytest.raises(AppError, match=r"^option 'entrypoint': .* must be a relative \.py file"):
        parse_entrypoint(value)


def test_default_entrypoint_is_valid() -> None:
    assert parse_entrypoint(DEFAULT_ENTRYPOINT) == DEFAULT_ENTRYPOINT


# --- element ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "index", "expected"),
    [
        ("index", 0, "stlite-index-0"),
        ("index", 12, "stlite-index-12"),
        ("sub/page", 1, "stlite-sub-page-1"),
        ("Guide/Intro Page", 3, "stlite-guide-intro-page-3"),
        ("my_page", 0, "stlite-my_page-0"),
        ("", 0, "stlite-index-0"),
        ("héllo/wörld", 0, "stlite-h-llo-w-rld-0"),
    ],
)
def test_element_id(document: str, index: int, expected: str) -> None:
    assert element_id(document, index) == expected


@given(st.text(max_size=40), st.integers(min_value=0, max_value=10_000))
def test_element_id_is_css_safe_and_unique_per_index(document: str, index: int) -> None:
    elem_id = element_id(document, index)
    assert elem_id == element_id(document, index)
    assert elem_id.startswith("stlite-")
    assert elem_id.endswith(f"-{index}")
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in elem_id)
    assert element_id(document, index + 1) != elem_id


# --- JSON inside <script> ------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # includes control chars and lone surrogates
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(ANY_CHAR),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(ANY_CHAR, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(300))
@given(JSON_VALUES)
def test_json_for_script_round_trips_and_is_inert(value: object) -> None:
    text = json_for_script(value)
    assert json.loads(text) == value
    assert text.isascii()
    for char in "<>&\u2028\u2029":
        assert char not in text
    assert all(ord(c) >= 0x20 for c in text)  # no raw control characters either


@settings(max_examples=examples(150))
@given(st.text(ANY_CHAR, min_size=1))
def test_mount_element_round_trips_any_source(source: str) -> None:
    spec = AppSpec(entrypoint="streamlit_app.py", files=(("streamlit_app.py", source),))
    html = render_mount(spec, "stlite-x-0", lambda code, language: "<pre>shown</pre>")
    soup = BeautifulSoup(html, "html.parser")
    (element,) = soup.find_all("div", class_="stlite-docs-app")
    assert isinstance(element, Tag)
    config = element.find("template", class_="stlite-docs-config")
    assert isinstance(config, Tag)
    assert config.string is not None
    assert json.loads(config.string)["files"] == {"streamlit_app.py": source}
    assert html.count("</template") == 1 and "<script" not in html


def test_json_for_script_escapes_specific_sequences() -> None:
    text = json_for_script({"s": "</script><!-- ]]> & \u2028"})
    assert text == '{"s":"\\u003c/script\\u003e\\u003c!-- ]]\\u003e \\u0026 \\u2028"}'


# --- build_app ---------------------------------------------------------------------


@pytest.fixture
def ctx(tmp_path: Path) -> SourceContext:
    docs = tmp_path / "docs"
    (docs / "guide" / "apps").mkdir(parents=True)
    (docs / "apps").mkdir()
    (docs / "guide" / "apps" / "local.py").write_text("print('local')\n", encoding="utf-8")
    (docs / "apps" / "root.py").write_text("print('root')", encoding="utf-8")
    (docs / "apps" / "empty.py").write_text("  \n", encoding="utf-8")
    (docs / "apps" / "latin1.py").write_bytes(b"s = '\xe9'\n")
    (docs / "apps" / "notes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "outside.py").write_text("SECRET = 1\n", encoding="utf-8")
    return SourceContext(doc_dir=docs / "guide", root_dir=docs)


def test_build_app_keeps_the_body_and_defaults(ctx: SourceContext) -> None:
    body = "import streamlit as st\n\n  # indented comment stays\nst.write('x')  "
    built = build_app(body, {}, ctx)
    assert built.spec.to_config() == {
        "entrypoint": DEFAULT_ENTRYPOINT,
        "files": {DEFAULT_ENTRYPOINT: body + "\n"},
        "requirements": [],
        "height": DEFAULT_HEIGHT,
    }
    assert built.dependencies == ()
    assert built.warnings == ()


def test_build_app_with_every_option(ctx: SourceContext) -> None:
    built = build_app(
        "x = 1\n",
        {"requirements": "six, altair>=5,<6", "height": "30em", "entrypoint": "pages/a.py"},
        ctx,
    )
    assert built.spec.to_config() == {
        "entrypoint": "pages/a.py",
        "files": {"pages/a.py": "x = 1\n"},
        "requirements": ["six", "altair>=5,<6"],
        "height": "30em",
    }


@pytest.mark.parametrize(
    ("value", "source", "dependency"),
    [
        ("apps/local.py", "print('local')\n", "guide/apps/local.py"),
        ("/apps/root.py", "print('root')", "apps/root.py"),
        ("../apps/root.py", "print('root')", "apps/root.py"),
    ],
)
def test_build_app_from_file(ctx: SourceContext, value: str, source: str, dependency: str) -> None:
    built = build_app("", {"file": value}, ctx)
    assert built.spec.entrypoint_source == source
    assert built.dependencies == ((ctx.root_dir / dependency).resolve(),)


@pytest.mark.parametrize(
    ("body", "options", "message"),
    [
        ("x = 1", {"heigth": "3", "colour": "red"}, "unknown option 'colour'"),
        ("", {}, "empty app"),
        (" \n\t\n", {"height": "300"}, "empty app"),
        ("x = 1", {"file": "apps/local.py"}, "given twice"),
        ("", {"file": "../../outside.py"}, "points outside"),
        ("", {"file": "/../outside.py"}, "points outside"),
        ("", {"file": "apps/missing.py"}, "file not found: apps/missing.py"),
        ("", {"file": "../apps/notes.txt"}, "is not a .py file"),
        ("", {"file": "../apps/empty.py"}, "is empty"),
        ("", {"file": "../apps/latin1.py"}, "is not UTF-8 text"),
        ("", {"file": ""}, "is not a .py file"),
        ("x = 1", {"height": "0"}, "greater than zero"),
    ],
)
def test_build_app_errors(
    ctx: SourceContext, body: str, options: dict[str, str | None], message: str
) -> None:
    with pytest.raises(AppError) as info:
        build_app(body, options, ctx)
    assert message in info.value.message
    assert "SECRET" not in info.value.message


def test_unknown_option_message_lists_the_vocabulary(ctx: SourceContext) -> None:
    with pytest.raises(AppError) as info:
        build_app("x = 1", {"heigth": "3"}, ctx)
    assert info.value.message == (
        "unknown option 'heigth' (valid options: " + ", ".join(sorted(OPTION_NAMES)) + ")"
    )


def test_every_bad_option_is_reported_in_the_order_written(ctx: SourceContext) -> None:
    options = {
        "width": "wide",
        "heigth": "3",
        "layout": "app",
        "files": "apps/missing.csv, ../apps/notes.txt, ../apps/gone.png",
        "height": "tall",
        "worker": "mine",
    }
    with pytest.raises(AppErrors) as info:
        build_app("x = 1\n", options, ctx)
    errors = info.value.errors
    assert [(error.option, error.line) for error in errors] == [
        ("width", None),
        ("heigth", None),
        ("files", None),
        ("files", None),
        ("height", None),
        ("worker", None),
    ]
    assert errors[0].message.startswith("option 'width': 'wide' is not a width")
    assert errors[2].message.startswith("option 'files': file not found: apps/missing.csv")
    assert errors[3].message.startswith("option 'files': file not found: ../apps/gone.png")
    assert info.value.message == "\n".join(error.message for error in errors)


def test_an_option_error_does_not_hide_a_body_error(ctx: SourceContext) -> None:
    with pytest.raises(AppErrors) as info:
        build_app("x = 1\n## file: a.py\ny = 2\n## file: a.py\n", {"height": "0"}, ctx)
    assert [(error.option, error.line) for error in info.value.errors] == [
        ("height", None),
        (None, 4),
    ]


def test_option_table_drives_parsing_and_defaults(ctx: SourceContext) -> None:
    """Each option's example is valid, its default is the app's value without it, and
    the AppSpec field it fills gets the parsed value."""
    spec_defaults = {f.name: f.default for f in dataclasses.fields(AppSpec)}
    for option in OPTIONS:
        assert option.summary and option.example, option.name
        option.parse(option.example)
        if option.field is None:
            continue
        assert spec_defaults[option.field] == option.default, option.name
        built = build_app("x = 1\n", {option.name: option.example}, ctx)
        assert getattr(built.spec, option.field) == option.parse(option.example)
    assert {option.name for option in OPTIONS} == OPTION_NAMES


def test_sphinx_directive_options_come_from_the_vocabulary() -> None:
    directive = importlib.import_module("stlite_docs.sphinx_ext").StliteDirective
    assert set(directive.option_spec) == set(OPTION_NAMES)
    assert {"requirements", "height", "entrypoint", "file"} <= OPTION_NAMES


def test_syntax_warning_points_inside_the_body(ctx: SourceContext) -> None:
    built = build_app("import streamlit as st\n\nst.write(\n", {}, ctx)
    (warning,) = built.warnings
    assert warning.subtype == "syntax"
    assert warning.body_line == 3
    assert "app line 3" in warning.message
    # The app is still built: a syntax error is a warning, not an error.
    assert built.spec.entrypoint_source == "import streamlit as st\n\nst.write(\n"


def test_syntax_warning_in_a_file_names_the_file() -> None:
    (warning,) = check_syntax("x = 1\ny = )\n", "streamlit_app.py", "apps/broken.py")
    assert warning.body_line is None
    assert "apps/broken.py, line 2" in warning.message


def test_nul_byte_is_a_syntax_warning_not_a_crash() -> None:
    (warning,) = check_syntax("x = 1\x00\n", "streamlit_app.py", None)
    assert warning.subtype == "syntax"


def test_valid_source_has_no_warning() -> None:
    assert check_syntax("import streamlit as st\nst.write('ok')\n", "a.py", None) == ()


# --- import isolation --------------------------------------------------------------


def test_core_imports_no_front_end(tmp_path: Path) -> None:
    code = (
        "import sys, stlite_docs, stlite_docs.app, stlite_docs.assets, stlite_docs.checks, "
        "stlite_docs.errors, stlite_docs.options, stlite_docs.paths, stlite_docs.render, "
        "stlite_docs.settings, stlite_docs.selfcontained\n"
        "banned = {'sphinx', 'docutils', 'markdown', 'mkdocs', 'pymdownx', 'myst_parser'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    # run outside the checkout, so the installed package is imported, not the source tree
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.stdout.strip() == "[]"
    # And the check itself can see a front end when one is imported.
    result = subprocess.run(
        [sys.executable, "-c", code.replace("import sys,", "import sys, stlite_docs.sphinx_ext,")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "'docutils" in result.stdout
    assert "'sphinx" in result.stdout


REPO = Path(__file__).resolve().parent.parent
# What the loader may cost a page with apps: loader/budgets.json, the one place it is written
# (benchmarks/run.py checks the same on real builds).
_BUDGETS = json.loads((REPO / "loader" / "budgets.json").read_text(encoding="utf-8"))
BEFORE_START_BYTES: int = _BUDGETS["before_start_bytes"]
TOTAL_BYTES: int = _BUDGETS["total_bytes"]


def _node(script: str, stdin: str = "") -> str:
    """Run an ES module snippet with node in the repo; its output."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow  # needs node (and npm ci)
def test_shipped_loader_is_built_from_the_source_and_small(tmp_path: Path) -> None:
    """Sites get the loader as ``npm run build`` makes it from loader/src: the committed
    files must be that build's output (so an edit without a rebuild fails here), parse as
    modules, and stay within the byte budget, before an app starts and in all."""
    from stlite_docs.assets import (
        LOADER_CSS,
        LOADER_FILES,
        LOADER_INLINE_CSS,
        LOADER_INLINE_JS,
        LOADER_JS,
        LOADER_MOUNT_CSS,
        LOADER_MOUNT_JS,
        MYST_WIDGET,
        STATIC_DIR,
        shipped_files,
        shipped_text,
    )

    assert (REPO / "node_modules" / "esbuild").is_dir(), "run 'npm ci' (scripts/test does)"
    out = tmp_path / "built"
    subprocess.run(
        ["node", "loader/build.mjs", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    from stlite_docs.worker_script import WARM_PART

    # ... and the warm runtime, which the site's worker file carries after stlite's worker
    built = [*LOADER_FILES, LOADER_INLINE_JS, MYST_WIDGET, LOADER_INLINE_CSS, WARM_PART]
    assert sorted(p.name for p in out.iterdir()) == sorted(built)
    shipped = shipped_files()
    assert tuple(shipped) == LOADER_FILES
    for name in built:
        fresh = (out / name).read_text(encoding="utf-8")
        committed = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert committed == fresh, f"{name} is stale: run 'npm run build'"
        if name in shipped:
            assert shipped[name] == fresh
        if name.endswith((".js", ".mjs")):
            module = tmp_path / f"{name}.mjs"
            module.write_text(fresh, encoding="utf-8")
            assert subprocess.run(["node", "--check", str(module)], check=False).returncode == 0
    # The entry imports the second file next to itself, keyed by its content and its
    # stylesheet's for caches (mount.js loads the stylesheet with the same query).
    digest = hashlib.sha256(
        shipped[LOADER_MOUNT_JS].encode() + shipped[LOADER_MOUNT_CSS].encode()
    ).hexdigest()[:8]
    # one-file loaders carry both stylesheets in one, and load none themselves
    assert shipped_text(LOADER_INLINE_CSS) == shipped[LOADER_CSS] + shipped[LOADER_MOUNT_CSS]
    for name in (LOADER_INLINE_JS, MYST_WIDGET):
        assert LOADER_MOUNT_CSS not in shipped_text(name), name
    assert f'import("./{LOADER_MOUNT_JS}?v={digest}")' in shipped[LOADER_JS]
    size = {name: len(text.encode()) for name, text in shipped.items()}
    assert size[LOADER_JS] + size[LOADER_CSS] <= BEFORE_START_BYTES, size
    assert sum(size.values()) <= TOTAL_BYTES, size
    # the loader inlined into pages (one file with the mount part) costs what the files do
    inline = len(shipped_text(LOADER_INLINE_JS).encode()) + len(
        shipped_text(LOADER_INLINE_CSS).encode()
    )
    assert inline <= TOTAL_BYTES, inline


@pytest.mark.slow  # needs node (and npm ci)
def test_loader_defaults_match_the_page_checks() -> None:
    """The loader passes a default Streamlit config to every app (``STREAMLIT_DEFAULTS``
    in loader/src/options.js), and check_page counts it as part of each app's config
    (``LOADER_CONFIG``): both must hold the same values."""
    out = _node(
        'import { STREAMLIT_DEFAULTS } from "./loader/src/options.js";'
        "console.log(JSON.stringify(STREAMLIT_DEFAULTS));"
    )
    assert json.loads(out) == LOADER_CONFIG


@pytest.mark.slow  # needs node (and npm ci)
def test_loader_reads_the_config_the_build_writes() -> None:
    """The contract between the build and the loader: configs as the page carries them
    (``json_for_script(spec.to_config())``), with every key, text and binary files and
    text that looks like HTML, parsed and decoded by the loader's own modules in node,
    are what the build meant."""
    specs = [
        AppSpec(entrypoint="streamlit_app.py", files=(("streamlit_app.py", "import streamlit\n"),)),
        AppSpec(
            entrypoint="pages/main.py",
            files=(
                ("pages/main.py", "x = '</template><script>&amp;'\n\x00 ü"),
                ("logo.png", bytes(range(256))),
            ),
            requirements=("six", "packaging>=23"),
            height="30em",
            layout="editor",
            config=(("theme.base", "dark"), ("server.runOnSave", False)),
            worker="own",
            width="600px",
        ),
    ]
    script = """
import { readFileSync } from "node:fs";
import { parseAppConfig } from "./loader/src/config.js";
import { decodeFiles } from "./loader/src/options.js";
const configs = JSON.parse(readFileSync(0, "utf8")).map((text) => {
  const cfg = parseAppConfig(text);
  const files = Object.entries(decodeFiles(cfg.files))
    .map(([path, content]) => [path, typeof content === "string" ? content : [...content]]);
  return { ...cfg, files: Object.fromEntries(files) };
});
console.log(JSON.stringify(configs));
"""
    read = json.loads(_node(script, json.dumps([json_for_script(s.to_config()) for s in specs])))
    for spec, config in zip(specs, read, strict=True):
        files = {p: c if isinstance(c, str) else list(c) for p, c in spec.files}
        assert config == {**spec.to_config(), "files": files}


def test_mount_element_escapes_what_it_does_not_trust() -> None:
    """No template autoescaping: every value put in the HTML is escaped by hand."""
    spec = AppSpec(
        entrypoint="a.py",
        files=(("a.py", "x = 1\n"), ('b"<i>&.py', "y = 2\n")),
        layout="code-above",
        share=True,
    )
    html = render_mount(spec, 'id"<b>&', lambda code, language: "<pre>ok</pre>")
    assert "<i>" not in html and "<b>" not in html
    assert 'data-path="b&quot;&lt;i&gt;&amp;.py"' in html
    assert '<div class="stlite-docs-filename">b&quot;&lt;i&gt;&amp;.py</div>' in html
    assert 'id="id&quot;&lt;b&gt;&amp;"' in html
    assert html.count("<pre>ok</pre>") == 2  # trusted highlighter output, as given
    soup = BeautifulSoup(html, "html.parser")
    assert [str(a["href"]).split("#!")[0] for a in soup.find_all("a")] == [
        "https://share.stlite.net/",
        "https://edit.share.stlite.net/",
    ]


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
