"""``stlite-docs-myst``, the executable plugin for mystmd (Jupyter Book 2).

The protocol as mystmd speaks it (no argument: the spec; ``--directive stlite``: directive
data on stdin, AST nodes out), the node's contract (an ``anywidget`` whose model carries the
same mount element and config as every other host, and the loader's settings), located
errors, the staged widget, and a real ``myst build`` with the test theme.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from host_sites import MYST_PAGES, built_myst_site, ensure_myst_theme, myst_build, write_myst

from stlite_docs import OPTION_NAMES, SourceContext, build_app
from stlite_docs.assets import MYST_WIDGET, STATIC_DIR, shipped_text
from stlite_docs.settings import DEFAULT_CSS_URL
from testbed.build import app_config, app_elements

PLUGIN = str(Path(sys.executable).parent / "stlite-docs-myst")
REPO = Path(__file__).resolve().parent.parent
APP = 'import streamlit as st\nst.write("hello")'


def run_plugin(
    *args: str, data: dict[str, Any] | None = None, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PLUGIN, *args],
        input=None if data is None else json.dumps(data),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )


def directive_data(body: str, options: dict[str, str], line: int = 5) -> dict[str, Any]:
    """What mystmd 1.11 sends for a directive starting at ``line`` (positions as it gives them)."""
    children: list[dict[str, Any]] = [
        {"type": "mystOption", "name": k, "value": v, "position": {"start": {"line": line + i + 1}}}
        for i, (k, v) in enumerate(options.items())
    ]
    children.append(
        {
            "type": "mystDirectiveBody",
            "value": body,
            "position": {"start": {"line": line + len(options) + 1}},
        }
    )
    node = {
        "type": "mystDirective",
        "name": "stlite",
        "options": options,
        "value": body,
        "position": {"start": {"line": line}},
        "children": children,
    }
    # mystmd passes the declared options only; any other stays in the node, with a warning
    declared = {k: v for k, v in options.items() if k in OPTION_NAMES}
    return {"name": "stlite", "node": node, "options": declared, "body": body}


def test_no_argument_prints_the_spec_naming_the_directive(tmp_path: Path) -> None:
    result = run_plugin(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    spec = json.loads(result.stdout)
    (directive,) = spec["directives"]
    assert directive["name"] == "stlite"
    assert set(directive["options"]) == OPTION_NAMES
    assert directive["body"]["type"] == directive["arg"]["type"] == "string"


def test_directive_becomes_an_anywidget_with_the_shared_contract(tmp_path: Path) -> None:
    options = {"height": "220", "requirements": "packaging"}
    result = run_plugin(
        "--directive",
        "stlite",
        data=directive_data(APP, options),
        cwd=tmp_path,
        env={"STLITE_DOCS_THEME": "dark", "STLITE_DOCS_INHERIT": "font"},
    )
    assert result.returncode == 0, result.stderr
    (node,) = json.loads(result.stdout)
    assert node["type"] == "anywidget"
    assert node["esm"] == "/_build/stlite-docs/stlite-docs-myst.mjs"
    assert node["css"] == "/_build/stlite-docs/stlite-docs-inline.css"
    model = node["model"]
    (app,) = app_elements(BeautifulSoup(model["html"], "html.parser"))
    ctx = SourceContext(doc_dir=tmp_path, root_dir=tmp_path)
    assert app_config(app) == build_app(APP, options, ctx).spec.to_config()
    assert app["id"] == node["id"]
    assert model["settings"]["data-theme"] == "dark"
    assert model["settings"]["data-inherit"] == "font codeFont"
    assert model["settings"]["data-stlite-css"] == DEFAULT_CSS_URL
    staged = tmp_path / "_build" / "stlite-docs"
    widget = STATIC_DIR / MYST_WIDGET
    assert (staged / "stlite-docs-myst.mjs").read_bytes() == widget.read_bytes()
    assert (staged / "stlite-docs-inline.css").read_text() == shipped_text("stlite-docs-inline.css")
    again = run_plugin("--directive", "stlite", data=directive_data(APP, options), cwd=tmp_path)
    assert json.loads(again.stdout)[0]["id"] == node["id"]  # deterministic


@pytest.mark.parametrize(
    ("options", "body", "message"),
    [
        ({"heigth": "3"}, APP, "stlite: line 6: unknown option 'heigth' (valid options: "),
        ({"start": "click", "height": "tall"}, APP, "stlite: line 7: option 'height': 'tall' is"),
        ({}, "x = 1\n## file: a.py\nx\n## file: a.py\ny", "stlite: line 9: file 'a.py' is given"),
        ({"file": "../outside.py"}, "", "stlite: line 6: option 'file': '../outside.py' points"),
    ],
)
def test_bad_directive_is_an_error_at_its_line(
    tmp_path: Path, options: dict[str, str], body: str, message: str
) -> None:
    result = run_plugin("--directive", "stlite", data=directive_data(body, options), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr


def test_bad_site_setting_names_the_variable(tmp_path: Path) -> None:
    result = run_plugin(
        "--directive",
        "stlite",
        data=directive_data(APP, {}),
        cwd=tmp_path,
        env={"STLITE_DOCS_PYODIDE_URL": "https://example.org/pyodide.js"},
    )
    assert result.returncode == 1
    assert "STLITE_DOCS_PYODIDE_URL: 'https://example.org/pyodide.js' should end with .mjs" in (
        result.stderr
    )


def test_every_setting_a_myst_site_can_take_is_a_variable(tmp_path: Path) -> None:
    """The variables come from the settings table: a setting added there is one here too."""
    env = {"STLITE_DOCS_KEEP_WARM": "false", "STLITE_DOCS_START": "click", "STLITE_DOCS_X": "1"}
    result = run_plugin(
        "--directive", "stlite", data=directive_data(APP, {}), cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)[0]["model"]["settings"]
    assert settings["data-keep-warm"] == "false" and settings["data-start"] == "click"
    bad = {"STLITE_DOCS_SHARE_LINKS": "maybe"}
    result = run_plugin(
        "--directive", "stlite", data=directive_data(APP, {}), cwd=tmp_path, env=bad
    )
    assert result.returncode == 1
    assert "STLITE_DOCS_SHARE_LINKS: 'maybe' is not true or false" in result.stderr


def test_myst_build_with_the_test_theme(tmp_path: Path) -> None:
    html = built_myst_site()
    page = json.loads(
        (html / "index.html").read_text().split('id="myst-page">', 1)[1].split("</script>")[0]
    )
    widgets = [n for n in _walk(page["mdast"]) if n.get("type") == "anywidget"]
    assert len(widgets) == 2
    for widget in widgets:
        assert (html / "build" / widget["esm"].lstrip("/")).read_bytes() == (
            STATIC_DIR / MYST_WIDGET
        ).read_bytes()
    bad = dict(MYST_PAGES, **{"bad.md": "# Bad\n\n```{stlite}\n:height: tall\nx = 1\n```\n"})
    write_myst(tmp_path, bad, ensure_myst_theme())
    # mystmd reports a file's error and goes on; --strict makes errors fail the build
    failed = myst_build(tmp_path, {}, "--site", "--strict")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "bad.md" in output
    assert "stlite: line 4: option 'height': 'tall' is not a height" in output
    # an option mystmd does not know is the plugin's error too, at the option's line
    typo = dict(MYST_PAGES, **{"typo.md": "# Typo\n\n```{stlite}\n:heigth: 300\nx = 1\n```\n"})
    write_myst(tmp_path / "typo", typo, ensure_myst_theme())
    failed = myst_build(tmp_path / "typo", {}, "--site", "--strict")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert "typo.md" in output
    assert "stlite: line 4: unknown option 'heigth'" in output


def _walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("children", []) for n in _walk(child))]
