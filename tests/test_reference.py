"""The documentation's option and settings reference is the tables' own output."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from stlite_docs import OPTIONS, SETTINGS
from stlite_docs.reference import options_reference, pages, settings_reference

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "demo_docs" / "sphinx" / "reference"


def test_committed_reference_pages_match_the_tables() -> None:
    for name, text in pages().items():
        committed = (REFERENCE / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run 'python scripts/reference.py'"


def test_reference_lists_every_option_and_setting() -> None:
    options = options_reference()
    for option in OPTIONS:
        assert f"   * - ``{option.name}``\n" in options
        assert f"``:{option.name}: {option.example}``" in options
    settings = settings_reference()
    for setting in SETTINGS:
        assert f"   * - ``stlite_{setting.name}``\n     - ``{setting.name}``\n" in settings


def test_reference_script_checks_and_reports_a_stale_page(tmp_path: Path) -> None:
    script = REPO / "scripts" / "reference.py"
    ok = subprocess.run(
        [sys.executable, str(script), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    # the same script against a copy whose options page was edited by hand
    copy = tmp_path / "scripts" / "reference.py"
    copy.parent.mkdir()
    copy.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    reference = tmp_path / "demo_docs" / "sphinx" / "reference"
    reference.mkdir(parents=True)
    for name, text in pages().items():
        (reference / name).write_text(text, encoding="utf-8")
    (reference / "options.rst").write_text("edited by hand\n", encoding="utf-8")
    stale = subprocess.run(
        [sys.executable, str(copy), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert stale.returncode == 1
    assert "stale:" in stale.stderr and "options.rst" in stale.stderr
    assert (reference / "options.rst").read_text(encoding="utf-8") == "edited by hand\n"
    rewrite = subprocess.run([sys.executable, str(copy)], check=False, timeout=60)
    assert rewrite.returncode == 0
    assert (reference / "options.rst").read_text(encoding="utf-8") == options_reference()


def test_every_option_has_a_live_example_in_the_docs() -> None:
    """The docs' "Every option, live" page uses each option of the table in an app."""
    from stlite_docs.options import OPTIONS

    page = (REPO / "demo_docs" / "sphinx" / "options.rst").read_text(encoding="utf-8")
    missing = [o.name for o in OPTIONS if f"\n   :{o.name}:" not in page]
    assert not missing, f"options without a live example in options.rst: {missing}"


def test_the_readme_shows_every_option_and_setting_with_an_example() -> None:
    """Every option in the README's table with a `:name: value` example, every site setting in
    its settings table with a conf.py example of its own (in a grouped row too), and nothing there
    that does not exist."""
    from pathlib import Path

    from stlite_docs.markdown import StliteExtension
    from stlite_docs.options import OPTIONS
    from stlite_docs.settings import SETTINGS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    options = readme.split("| option | example |", 1)[1].split("\n\n", 1)[0]
    for option in OPTIONS:
        assert f"`:{option.name}: " in options, option.name
    settings = readme.split("| setting | example (Sphinx) |", 1)[1].split("\n\n", 1)[0]
    rows = [row for row in settings.splitlines()[2:] if row.startswith("|")]
    documented = {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    extension_only = set(StliteExtension().config) - {s.name for s in SETTINGS}
    assert documented == {s.name for s in SETTINGS} | extension_only
    for row in rows:
        names = re.findall(r"`(\w+)`", row.split("|")[1])
        for name in names:  # each setting its own example, grouped ones too
            assert re.search(rf"`(stlite_{name} = |{name}: ).+?`", row.split("|")[2]), name
