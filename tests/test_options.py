"""Option parsing (``stlite_docs.options``): requirements, heights, entry points."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from stlite_docs import (
    AppError,
)
from stlite_docs.checks import (
    PageApp,
    check_page,
    requirements_conflict,
)
from stlite_docs.options import (
    DEFAULT_ENTRYPOINT,
    DEFAULT_HEIGHT,
    is_bare_name,
    parse_entrypoint,
    parse_height,
    parse_requirements,
    requirement_name,
)

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
