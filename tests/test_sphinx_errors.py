"""Sphinx error and warning cases, each located at the right ``document:line``.

Each case is one document of ``roots/test-errors``; a test builds only that
document. The bad app is always the LAST ``stlite`` directive of its document
(a good app precedes it), so the expected line is computed from the fixture.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sphinx
from sphinx.testing.util import SphinxTestApp

from stlite_docs import OPTION_NAMES
from testbed.build import ROOTS, line_of, page_configs, sphinx_in_process, strip_colors

RST_DIRECTIVE = ".. stlite::"
MYST_DIRECTIVE = "```{stlite}"


@pytest.fixture(scope="module")
def errors_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of test-errors, with a readable file just outside of it and a
    symlink inside it that points there."""
    base = tmp_path_factory.mktemp("errors")
    src = base / "src"
    shutil.copytree(ROOTS / "test-errors", src)
    outside = base / "outside.py"
    outside.write_text('SECRET = "outside the docs"\n', encoding="utf-8")
    # Written here, not kept in the root, so linters of the repo never see it.
    broken = 'import streamlit as st\n\nst.write("broken"\n'
    (src / "apps" / "broken.py").write_text(broken, encoding="utf-8")
    (src / "apps" / "link.py").symlink_to(outside)
    return src


def build_one(
    make_app: Callable[..., SphinxTestApp],
    src: Path,
    document: str,
    builddir: Path,
    **overrides: object,
) -> tuple[SphinxTestApp, str]:
    docname = document.rsplit(".", 1)[0]
    app = make_app(
        "html",
        srcdir=src,
        builddir=builddir,
        freshenv=True,
        confoverrides={"root_doc": docname, "include_patterns": [document], **overrides},
    )
    app.build()
    return app, strip_colors(app.warning.getvalue())


def stlite_lines(warnings: str, kind: str) -> list[str]:
    return [line for line in warnings.splitlines() if line.endswith(f"[stlite.{kind}]")]


# (document, the line the error is reported at (None: the directive's first line), message)
ERROR_CASES = [
    (
        "unknown_option.rst",
        ":heigth:",
        "unknown option 'heigth' (valid options: " + ", ".join(sorted(OPTION_NAMES)) + ")",
    ),
    ("empty_app.rst", None, "empty app"),
    ("bad_height.rst", ":height:", "option 'height': 'tall' is not a height"),
    ("missing_file.rst", ":file:", "option 'file': file not found: apps/nope.py"),
    (
        "bad_requirement.rst",
        ":requirements:",
        "option 'requirements': 'not a valid!!' is not a valid requirement",
    ),
    ("body_and_file.rst", ":file:", "the app is given twice"),
    ("escape_file.rst", ":file:", "option 'file': '../outside.py' points outside"),
    ("escape_rooted_file.rst", ":file:", "option 'file': '/../outside.py' points outside"),
    ("escape_symlink.rst", ":file:", "option 'file': 'apps/link.py' points outside"),
    (
        "bad_entrypoint.rst",
        ":entrypoint:",
        "option 'entrypoint': '../app.py' must be a relative .py file",
    ),
    ("myst_unknown_option.md", ":heigth:", "unknown option 'heigth'"),
    ("myst_bad_height.md", "height: 50%", "option 'height': '50%' is not a height"),
]


@pytest.mark.parametrize(("document", "expected"), [(d, (w, m)) for d, w, m in ERROR_CASES])
def test_app_error_fails_the_build_at_its_line(
    make_app: Callable[..., SphinxTestApp],
    errors_src: Path,
    tmp_path: Path,
    document: str,
    expected: tuple[str | None, str],
) -> None:
    """An option's error at the option's own line; any other at the directive's."""
    where, message = expected
    directive = MYST_DIRECTIVE if document.endswith(".md") else RST_DIRECTIVE
    line = line_of(errors_src / document, where or directive)
    app, warnings = build_one(make_app, errors_src, document, tmp_path / "build")

    errors = stlite_lines(warnings, "app")
    assert len(errors) == 1, warnings
    assert errors[0].startswith(f"{errors_src / document}:{line}: ERROR: "), errors[0]
    assert message in errors[0]
    assert app.statuscode == 1
    assert "1 document(s) have app errors" in warnings
    # The good app before the bad one still renders; the bad one does not.
    html = Path(app.outdir) / f"{document.rsplit('.', 1)[0]}.html"
    assert [elem_id for elem_id, _ in page_configs(html)] == [
        f"stlite-{document.rsplit('.', 1)[0]}-0"
    ]
    assert "outside the docs" not in html.read_text(encoding="utf-8")


# Every bad option of every app, each at its own line: reST (a value continued on a second
# line before them, an app nested in a list), MyST's ":name:" lines and its YAML block.
TWO_BAD_OPTIONS = {
    "two_bad_options.rst": [
        (":height: tall", "option 'height': 'tall' is not a height"),
        (":worker: mine", "option 'worker': 'mine' is not one of shared, own"),
        (":start: soon", "option 'start': 'soon' is not one of auto, eager, visible, click"),
        (":heigth: 300", "unknown option 'heigth'"),
        (":files: data/nope.csv", "option 'files': file not found: data/nope.csv"),
    ],
    "myst_two_bad_options.md": [
        (":height: tall", "option 'height': 'tall' is not a height"),
        (":worker: mine", "option 'worker': 'mine' is not one of shared, own"),
        ("width: wide", "option 'width': 'wide' is not a width"),
        ("layout: sideways", "option 'layout': 'sideways' is not one of"),
        ("start: later", "option 'start': 'later' is not one of auto, eager, visible, click"),
    ],
}


@pytest.mark.parametrize("document", sorted(TWO_BAD_OPTIONS))
def test_every_bad_option_is_an_error_at_its_line(
    make_app: Callable[..., SphinxTestApp], errors_src: Path, tmp_path: Path, document: str
) -> None:
    app, warnings = build_one(make_app, errors_src, document, tmp_path / "build")
    expected = [
        (f"{errors_src / document}:{line_of(errors_src / document, needle)}: ERROR: ", message)
        for needle, message in TWO_BAD_OPTIONS[document]
    ]
    errors = stlite_lines(warnings, "app")
    assert len(errors) == len(expected), warnings
    for error, (start, message) in zip(errors, expected, strict=True):
        assert error.startswith(start + message), (error, start, message)
    assert app.statuscode == 1
    assert len(page_configs(Path(app.outdir) / f"{document.rsplit('.', 1)[0]}.html")) == 1


def test_error_exit_code_of_sphinx_build(errors_src: Path, tmp_path: Path) -> None:
    line = line_of(errors_src / "unknown_option.rst", ":heigth:")
    result = sphinx_in_process(
        "-b",
        "html",
        "-q",
        "-D",
        "root_doc=unknown_option",
        "-D",
        "include_patterns=unknown_option.rst",
        str(errors_src),
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert f"unknown_option.rst:{line}: ERROR: unknown option 'heigth'" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_bad_option_fails_sphinx_build_W(errors_src: Path, tmp_path: Path) -> None:
    document = errors_src / "two_bad_options.rst"
    # Before Sphinx 8.1, -W stopped at the first problem unless told to keep going.
    keep_going = ("--keep-going",) if sphinx.version_info < (8, 1) else ()
    result = sphinx_in_process(
        "-b",
        "html",
        "-q",
        "-W",
        *keep_going,
        "-D",
        "root_doc=two_bad_options",
        "-D",
        "include_patterns=two_bad_options.rst",
        str(errors_src),
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    for needle, message in TWO_BAD_OPTIONS["two_bad_options.rst"]:
        assert f"two_bad_options.rst:{line_of(document, needle)}: ERROR: {message}" in (
            result.stderr
        ), result.stderr
    assert "Traceback" not in result.stderr


SYNTAX_CASES = ["syntax.rst", "myst_syntax.md"]


@pytest.mark.parametrize("document", SYNTAX_CASES)
def test_syntax_error_is_a_warning_at_the_body_line(
    make_app: Callable[..., SphinxTestApp], errors_src: Path, tmp_path: Path, document: str
) -> None:
    """The reported line is the line INSIDE the body, mapped to the document."""
    line = line_of(errors_src / document, 'st.write("unclosed"')
    app, warnings = build_one(make_app, errors_src, document, tmp_path / "build")
    (warning,) = stlite_lines(warnings, "syntax")
    assert warning.startswith(
        f"{errors_src / document}:{line}: WARNING: Python syntax error in the app (app line 2)"
    ), warning
    assert "'(' was never closed" in warning
    assert app.statuscode == 0
    # A warning, not an error: the app is still on the page.
    assert len(page_configs(Path(app.outdir) / f"{document.rsplit('.', 1)[0]}.html")) == 2


def test_syntax_error_in_a_file_names_the_file(
    make_app: Callable[..., SphinxTestApp], errors_src: Path, tmp_path: Path
) -> None:
    line = line_of(errors_src / "syntax_file.rst", RST_DIRECTIVE)
    broken_line = line_of(errors_src / "apps" / "broken.py", 'st.write("broken"')
    app, warnings = build_one(make_app, errors_src, "syntax_file.rst", tmp_path / "build")
    (warning,) = stlite_lines(warnings, "syntax")
    assert warning.startswith(
        f"{errors_src / 'syntax_file.rst'}:{line}: WARNING: Python syntax error in the app "
        f"(apps/broken.py, line {broken_line})"
    ), warning
    assert app.statuscode == 0


def test_syntax_warning_can_be_suppressed_by_type(
    make_app: Callable[..., SphinxTestApp], errors_src: Path, tmp_path: Path
) -> None:
    app, warnings = build_one(
        make_app,
        errors_src,
        "syntax.rst",
        tmp_path / "build",
        suppress_warnings=["stlite.syntax"],
    )
    assert warnings == ""
    assert app.statuscode == 0


def test_syntax_warning_fails_with_W(errors_src: Path, tmp_path: Path) -> None:
    line = line_of(errors_src / "syntax.rst", 'st.write("unclosed"')
    common = ("-D", "root_doc=syntax", "-D", "include_patterns=syntax.rst")
    plain = sphinx_in_process(
        "-b", "html", "-q", *common, str(errors_src), str(tmp_path / "a"), cwd=tmp_path
    )
    assert plain.returncode == 0, plain.stderr
    assert f"syntax.rst:{line}: WARNING: Python syntax error" in plain.stderr
    strict = sphinx_in_process(
        "-b",
        "html",
        "-q",
        "-W",
        *common,
        str(errors_src),
        str(tmp_path / "b"),
        cwd=tmp_path,
    )
    assert strict.returncode == 1
    assert f"syntax.rst:{line}: WARNING: Python syntax error" in strict.stderr
