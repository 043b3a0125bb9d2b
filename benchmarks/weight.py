"""Page weight: the bytes of our loader and CSS that pages built by the real Sphinx and MkDocs
reference, before any app starts and in all once one does, and on a page without apps."""

from __future__ import annotations

import gzip
import re
import textwrap
from pathlib import Path
from typing import Any

from benchmarks.targets import LOADER_BYTES, LOADER_TOTAL_BYTES
from stlite_docs.assets import LOADER_EDITOR_JS, LOADER_FILES, STATIC_DIR
from testbed.build import build_mkdocs, build_sphinx

_ASSET_REF = re.compile(r"""(?:src|href)=["']([^"']*stlite-docs\.(?:js|css)[^"']*)["']""")
# The loader's own relative imports (its second part, imported when an app starts).
# import("./x.js?v=...") and the mount part's `./stlite-docs-mount.css${...}` stylesheet URL
_IMPORT_REF = re.compile(r"""(?:import\("|`)(\./[^"?`$]+\.(?:js|css))""")
_APP_SOURCE = "import streamlit as st\nst.write('page weight')\n"


def _referenced(page: Path) -> dict[Path, int]:
    """Our loader/CSS files a built page references -> their size in bytes."""
    found: dict[Path, int] = {}
    for ref in _ASSET_REF.findall(page.read_text(encoding="utf-8")):
        target = (page.parent / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        found[target] = target.stat().st_size
    return found


def _imported(files: dict[Path, int]) -> dict[Path, int]:
    """The files our loader files load relative to themselves when an app starts (the
    modules they import, and what those load in turn, such as the mount part's
    stylesheet) -> their size."""
    found: dict[Path, int] = {}
    todo = [path for path in files if path.suffix == ".js"]
    while todo:
        path = todo.pop()
        for ref in _IMPORT_REF.findall(path.read_text(encoding="utf-8")):
            target = (path.parent / ref).resolve()
            if target.name == LOADER_EDITOR_JS:
                continue  # CodeMirror: imported only on pages with an editor app
            if target not in found and target not in files:
                found[target] = target.stat().st_size
                if target.suffix == ".js":
                    todo.append(target)
    return found


def _gzip_size(files: dict[Path, int]) -> int:
    return sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)


def _names(files: dict[Path, int]) -> dict[str, int]:
    return {path.name: size for path, size in files.items()}


def page_weight(tmp: Path) -> dict[str, Any]:
    """Bytes of our loader + CSS that a page with one app and a page without apps
    reference, as built by the real Sphinx and MkDocs front ends: before any app starts,
    and in all once one does (the loader then imports its second part)."""
    result: dict[str, Any] = {
        "package_source_bytes": {name: (STATIC_DIR / name).stat().st_size for name in LOADER_FILES},
        "limit_bytes": LOADER_BYTES,
        "limit_total_bytes": LOADER_TOTAL_BYTES,
        "builds": {},
    }
    src = tmp / "pw-sphinx"
    src.mkdir(parents=True)
    (src / "conf.py").write_text('project = "w"\nextensions = ["stlite_docs.sphinx_ext"]\n')
    (src / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   apps\n\nNo apps here.\n")
    (src / "apps.rst").write_text(
        "Apps\n====\n\n.. stlite::\n\n" + textwrap.indent(_APP_SOURCE, "   ")
    )
    build_sphinx(src, tmp / "pw-sphinx-out")
    mk = tmp / "pw-mkdocs"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text("site_name: w\nuse_directory_urls: false\nplugins: [stlite]\n")
    (mk / "docs" / "index.md").write_text("# Home\n\nNo apps here.\n")
    (mk / "docs" / "apps.md").write_text(f"# Apps\n\n```stlite\n{_APP_SOURCE}```\n")
    build_mkdocs(mk / "mkdocs.yml", tmp / "pw-mkdocs-out")
    for tool, out in (("sphinx", tmp / "pw-sphinx-out"), ("mkdocs", tmp / "pw-mkdocs-out")):
        with_apps = _referenced(out / "apps.html")
        on_start = _imported(with_apps)
        total = {**with_apps, **on_start}
        without = _referenced(out / "index.html")
        result["builds"][tool] = {
            "page_with_apps": _names(with_apps),
            "page_with_apps_bytes": sum(with_apps.values()),
            "page_with_apps_gzip_bytes": _gzip_size(with_apps),
            "app_start": _names(on_start),
            "page_with_apps_total_bytes": sum(total.values()),
            "page_with_apps_total_gzip_bytes": _gzip_size(total),
            "page_without_apps": _names(without),
            "page_without_apps_bytes": sum(without.values()),
        }
    return result
