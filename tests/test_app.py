"""``build_app``: from an author's body and options to a checked ``AppSpec``, every
problem located (``stlite_docs.app``, ``stlite_docs.checks``)."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import pytest

from stlite_docs import (
    OPTION_NAMES,
    OPTIONS,
    AppError,
    AppErrors,
    AppSpec,
    SourceContext,
    build_app,
)
from stlite_docs.checks import (
    check_syntax,
)
from stlite_docs.options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
)

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
        needs = {"line_numbers": {"layout": "editor"}}.get(option.name, {})
        built = build_app("x = 1\n", {**needs, option.name: option.example}, ctx)
        assert getattr(built.spec, option.field) == option.parse(option.example)
    assert {option.name for option in OPTIONS} == OPTION_NAMES


def test_line_numbers_need_the_editor(ctx: SourceContext) -> None:
    """Line numbers are the editor's: asked for without it, the build says so at the option
    (nothing is silently dropped); with it, the page's config asks the loader for them."""
    with pytest.raises(AppErrors) as caught:
        build_app("x = 1\n", {"line_numbers": "true"}, ctx)
    (error,) = caught.value.errors
    assert error.option == "line_numbers" and "layout: editor" in str(error)
    spec = build_app("x = 1\n", {"layout": "editor", "line_numbers": "true"}, ctx).spec
    assert spec.to_config()["lineNumbers"] is True
    assert "lineNumbers" not in build_app("x = 1\n", {"layout": "editor"}, ctx).spec.to_config()
    off = build_app("x = 1\n", {"line_numbers": "false"}, ctx).spec
    assert off.line_numbers is False


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
