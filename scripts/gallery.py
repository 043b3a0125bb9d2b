"""Put the theme matrix's pictures and numbers into the documentation.

The browser test ``tests/browser/test_browser_fit.py`` (the theme matrix) builds one page per
theme with the real theme, measures every cell and writes ``test-artifacts/theme-matrix.json``
and a picture per cell. This script copies the pictures to the docs and writes the gallery
page from that JSON, so the page shows what the test measured::

    .venv/bin/python -m pytest tests/browser/test_browser_fit.py -k theme
    .venv/bin/python scripts/gallery.py

It also shows the code editor on Furo and Material for MkDocs, light and dark, 1200 and 390 px
wide, as ``tests/browser/test_browser_editor.py`` pictured it (``editor-*.png``), and the leak
test's app on every theme it measured, with what it found (``leaks.json`` and ``leaks/``, from
``STLITE_DOCS_LEAK_THEMES=all pytest tests/browser/test_browser_leaks.py``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the test bed (testbed/); the tests

from browser.theme_matrix import MORE_THEMES, THEMES  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"
DOCS = REPO / "demo_docs" / "sphinx"
IMAGES = DOCS / "_static" / "gallery"
EDITOR_IMAGES = DOCS / "_static" / "editor"
LEAK_IMAGES = DOCS / "_static" / "leaks"
#: (site, its name) x scheme x width: the editor test's pictures
EDITOR_SITES = (("furo", "Furo"), ("material", "Material for MkDocs"))
PAGE = DOCS / "gallery.rst"

COLUMNS = (
    ("text_ratio", "app text / page text"),
    ("code_ratio", "app code / page code"),
    ("above_first_px", "space above the first line, px"),
    ("below_last_px", "space below the last line, px"),
    ("bg_distance", "background distance from the page"),
    ("run_contrast", "Run button contrast"),
    ("overflow_390_px", "extra width at 390 px"),
)


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int) -> str:
    return _WORDS[n] if n < len(_WORDS) else str(n)


def _figure(path: str, alt: str, width: str, caption: str) -> list[str]:
    """One picture of the page, with its alt text and caption."""
    head = [f".. figure:: {path}", f"   :alt: {alt}", f"   :width: {width}"]
    return [*head, "", f"   {caption}", ""]


def render_leaks(report: dict[str, dict[str, object]]) -> list[str]:
    """The leak test's app on each theme, and how many of its elements' properties differ from
    the app's own full page."""
    labels = {t.name: t.label for t in (*THEMES, *MORE_THEMES)}
    themes = [name for name in report if name in labels]
    lines = ["The site's CSS stays out of apps", "-" * 32, ""]
    lines += [
        f"One app with headings, lists, code, a table, a metric, an expander and widgets on "
        f"{_count(len(themes))}",
        "themes, in the scheme the theme shows for a light and a dark system setting, measured",
        "against the same app on its own full page (see :doc:`appearance`): properties of",
        "Streamlit's elements that differ.",
        "",
        ".. list-table:: Measured by the leak test (test-artifacts/leaks.json)",
        "   :header-rows: 1",
        "",
        "   * - theme",
        "     - properties that differ",
        "     - elements compared in both views",
    ]
    for name in themes:
        row = report[name]
        lines += [f"   * - {labels[name]}", f"     - {row['leaks']}", f"     - {row['compared']}"]
    lines.append("")
    for name in themes:
        for scheme in ("light", "dark"):
            image = f"{name}-{scheme}.jpg"
            if (LEAK_IMAGES / image).exists():
                lines += _figure(
                    f"_static/leaks/{image}",
                    f"The leak test's app on {labels[name]}, {scheme} system setting",
                    "48%",
                    f"{labels[name]}, {scheme} system setting",
                )
    return lines


def render(numbers: dict[str, dict[str, float]], leaks: dict[str, dict[str, object]]) -> str:
    lines = [
        ".. This page is written by scripts/gallery.py from the theme matrix test's results.",
        "",
        "Theme gallery",
        "=============",
        "",
        "The same four apps (30 lines of output, a 220 px box that scrolls, widgets with an",
        f"expander and code, an editor) on {_count(len(THEMES))} documentation themes, in each "
        "theme's light and",
        "dark scheme, with stlite-docs' defaults: nothing set but the theme. The browser tests",
        "build these pages with the real themes, measure them in headless Chromium, and fail",
        "when a number leaves its bounds: app text and code within 10% of the page's, the first",
        "line a paragraph gap from the box's top, at most a line and the padding below the last",
        "line, the page's own background, a Run button with readable contrast (4.5:1), and no",
        "sideways scrolling at 390 px.",
        "",
        ".. list-table:: Measured on each theme (test-artifacts/theme-matrix.json)",
        "   :header-rows: 1",
        "",
        "   * - theme, scheme",
    ]
    lines += [f"     - {title}" for _, title in COLUMNS]
    for theme in THEMES:
        for scheme in ("light", "dark"):
            cell = numbers.get(f"{theme.name}/{scheme}")
            if cell is None:
                continue
            lines.append(f"   * - {theme.label}, {scheme}")
            lines += [f"     - {cell[key]:g}" for key, _ in COLUMNS]
    lines.append("")
    for theme in THEMES:
        lines += [theme.label, "-" * len(theme.label), ""]
        for scheme in ("light", "dark"):
            image = f"{theme.name}-{scheme}.jpg"
            if (IMAGES / image).exists():
                lines += _figure(
                    f"_static/gallery/{image}",
                    f"Apps on {theme.label}, {scheme} scheme",
                    "100%",
                    f"{theme.label}, {scheme}",
                )
        if theme.dark is None:
            lines += [f"{theme.label} has no dark scheme.", ""]
    if leaks:
        lines += render_leaks(leaks)
    lines += ["The editor", "----------", ""]
    lines += [
        "The ``editor`` layout in the site's code colours, light and dark, at 1200 and 390 px",
        "(pictured by the browser test of the editor).",
        "",
    ]
    for site, label in EDITOR_SITES:
        for scheme in ("light", "dark"):
            for width in (1200, 390):
                image = f"editor-{site}-{scheme}-{width}.png"
                if (EDITOR_IMAGES / image).exists():
                    lines += _figure(
                        f"_static/editor/{image}",
                        f"The editor on {label}, {scheme} scheme, {width} px wide",
                        "100%" if width > 390 else "390px",
                        f"{label}, {scheme}, {width} px",
                    )
    return "\n".join(lines)


def main() -> int:
    results = ARTIFACTS / "theme-matrix.json"
    if not results.exists():
        print(f"{results} is missing: run the theme matrix test first", file=sys.stderr)
        return 1
    numbers = json.loads(results.read_text(encoding="utf-8"))
    IMAGES.mkdir(parents=True, exist_ok=True)
    EDITOR_IMAGES.mkdir(parents=True, exist_ok=True)
    for shot in sorted(ARTIFACTS.glob("editor-*-*-*.png")):
        shutil.copyfile(shot, EDITOR_IMAGES / shot.name)
    leaks_file = ARTIFACTS / "leaks.json"
    leaks = json.loads(leaks_file.read_text(encoding="utf-8")) if leaks_file.exists() else {}
    if leaks:
        LEAK_IMAGES.mkdir(parents=True, exist_ok=True)
        for shot in sorted((ARTIFACTS / "leaks").glob("*.jpg")):
            shutil.copyfile(shot, LEAK_IMAGES / shot.name)
    for theme in THEMES:
        for scheme in ("light", "dark"):
            shot = ARTIFACTS / "theme-matrix" / f"{theme.name}-{scheme}-gallery.jpg"
            if shot.exists():
                shutil.copyfile(shot, IMAGES / f"{theme.name}-{scheme}.jpg")
    PAGE.write_text(render(numbers, leaks) + "\n", encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO)} and {IMAGES.relative_to(REPO)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
