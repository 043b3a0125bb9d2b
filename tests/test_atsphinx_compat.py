"""Documents written for atsphinx-stlite build unchanged (only the extension name
changes); ``browser/test_browser_atsphinx.py`` runs their apps in the real browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testbed.build import (
    ROOTS,
    app_config,
    app_elements,
    parse_html,
    sphinx_in_process,
    strip_colors,
)

ROOT = ROOTS / "test-atsphinx"
FORM_SOURCE = (ROOT / "apps" / "user_input_form.py").read_text(encoding="utf-8")


def build(src: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = sphinx_in_process("-W", "-b", "html", *extra, str(src), str(out), cwd=src)
    return result.returncode, strip_colors(result.stdout + result.stderr)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atsphinx") / "html"
    code, log = build(ROOT, out)
    assert code == 0, log  # -W: warning-free
    return out


def test_their_forms_give_the_expected_apps(built: Path) -> None:
    index = [app_config(e) for e in app_elements(parse_html(built / "index.html"))]
    myst = [app_config(e) for e in app_elements(parse_html(built / "myst_page.html"))]
    assert index[0]["files"] == {"streamlit_app.py": FORM_SOURCE}
    assert index[0]["width"] == "800px"
    assert index[1]["height"] == "400px"
    assert index[2]["config"] == {"client.toolbarMode": "viewer"}  # JSON
    assert index[3]["config"] == {"client.toolbarMode": "viewer"}  # TOML, multi-line
    assert index[4]["requirements"] == ["packaging", "six"]  # one per line
    assert (index[5]["width"], index[5]["height"]) == ("600px", "300px")
    assert myst[0]["files"] == {"streamlit_app.py": FORM_SOURCE}
    assert myst[0]["width"] == "80%"
    assert myst[1]["requirements"] == ["packaging", "six"]


def _page(tmp_path: Path, body: str) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "index.rst").write_text(body, encoding="utf-8")
    (src / "myst_page.md").unlink()
    return src


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (".. stlite:: ./apps/missing.py\n", 4, "option 'file': file not found: ./apps/missing.py"),
        (
            ".. stlite:: ./apps/user_input_form.py\n   :file: apps/user_input_form.py\n",
            5,
            "the app file is given twice: as the directive argument",
        ),
        (
            ".. stlite::\n   :config:\n      [client\n      x = 1\n\n   import streamlit\n",
            5,
            "option 'config': invalid TOML",
        ),
        (
            ".. stlite::\n   :id: demo\n\n   x = 1\n\n.. stlite::\n   :id: demo\n\n   y = 2\n",
            9,
            "id 'demo' is already used by the app at line 4",
        ),
        (".. stlite::\n   :id: 9lives\n\n   x = 1\n", 5, "option 'id': '9lives' is not a valid id"),
        (".. stlite::\n   :width: wide\n\n   x = 1\n", 5, "option 'width': 'wide' is not a width"),
    ],
)
def test_errors_are_located(tmp_path: Path, body: str, line: int, message: str) -> None:
    src = _page(tmp_path, "Errors\n======\n\n" + body)
    code, log = build(src, tmp_path / "out")
    assert code != 0
    assert f"index.rst:{line}: ERROR: {message}" in log, log


def test_stlite_default_version_is_explained_not_used(tmp_path: Path) -> None:
    src = _page(tmp_path, "V\n=\n\n.. stlite::\n\n   x = 1\n")
    code, log = build(src, tmp_path / "out", "-D", "stlite_default_version=latest")
    assert code != 0  # a warning, and -W is on
    assert "stlite_default_version (an atsphinx-stlite setting) is ignored" in log
    assert "[stlite.deprecated]" in log
    assert "latest" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
