"""Sites for the hosts without a plugin API: Zensical (the Markdown extension) and mystmd.

Written here once, built by the build tests and served by the browser tests.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from testbed.build import run_module

ZENSICAL_PAGES = {
    "index.md": "# Home\n\nNo app on this page.\n\n- [Apps](apps.md)\n- [Second](second.md)\n",
    "apps.md": (
        "---\ntitle: Apps\n---\n\n# Apps\n\nAn app with options:\n\n"
        '```stlite height="220" requirements="packaging"\n'
        "import streamlit as st\n"
        "from packaging.version import Version\n"
        "st.write(f\"plain ready {Version('1.10') > Version('1.9')}\")\n"
        "```\n\n"
        "## After the first app\n\nThis heading and text come after a fence with options.\n\n"
        "!!! note\n\n"
        "    An app in an admonition:\n\n"
        '    ```stlite height="200"\n'
        "    import streamlit as st\n"
        "    st.session_state.setdefault('n', 0)\n"
        "    if st.button('Count'):\n"
        "        st.session_state.n += 1\n"
        "    st.write(f'note clicks={st.session_state.n}')\n"
        "    ```\n\n"
        '=== "First tab"\n\n'
        '    ```stlite height="180"\n'
        "    import streamlit as st\n"
        '    st.write("tab one ready")\n'
        "    ```\n\n"
        '=== "Second tab"\n\n'
        '    ```stlite height="180"\n'
        "    import streamlit as st\n"
        '    st.write("tab two ready")\n'
        "    ```\n\n"
        "## The end\n\n[To the second page](second.md)\n"
    ),
    "second.md": (
        "# Second\n\n[Back to the apps](apps.md)\n\n"
        '```stlite height="200"\n'
        "import streamlit as st\n"
        'v = st.slider("Pick a number", 0, 10, 3)\n'
        'st.write(f"second slider={v}")\n'
        "```\n"
    ),
    # the loader inline in the page: the editor is a text area, with the same controls
    "editor.md": (
        '# Editor\n\n```stlite layout="editor"\n'
        'import streamlit as st\nst.write("plain editor a")\n```\n'
    ),
}


def zensical_config(settings: dict[str, str], site_url: str = "") -> str:
    """The mkdocs.yml of a Zensical site: ONLY the extension's lines for stlite-docs."""
    options = "".join(f"      {key}: {json.dumps(value)}\n" for key, value in settings.items())
    return (
        "site_name: Zensical apps\n"
        + (f"site_url: {site_url}\n" if site_url else "")
        + "use_directory_urls: false\n"
        # no web fonts: the pages then make no request to another host
        "theme:\n  font: false\n  features: [navigation.instant]\n"
        "markdown_extensions:\n"
        "  - admonition\n"
        "  - pymdownx.superfences\n"
        "  - pymdownx.tabbed:\n      alternate_style: true\n"
        + ("  - stlite_docs.markdown:\n" + options if options else "  - stlite_docs.markdown\n")
    )


def write_zensical(
    root: Path, settings: dict[str, str], site_url: str = "", pages: dict[str, str] | None = None
) -> None:
    docs = root / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    for name, text in (pages or ZENSICAL_PAGES).items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(zensical_config(settings, site_url), encoding="utf-8")


def zensical_build(root: Path) -> subprocess.CompletedProcess[str]:
    """``zensical build --clean`` in ``root`` (its output goes to ``root/site``)."""
    return run_module("zensical", "build", "--clean", "-f", str(root / "mkdocs.yml"), cwd=root)


# --- mystmd (Jupyter Book 2) ------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
MYST_THEME_SRC = Path(__file__).resolve().parent / "myst_theme"
MYST_THEME_FILES = ("package.json", "package-lock.json", "template.yml", "client.jsx", "render.mjs")
MYST = [str(Path(sys.executable).parent / "myst")]


def ensure_myst_theme(cache: Path = REPO / ".cache" / "myst-theme") -> Path:
    """The test theme, installed from the npm registry and bundled once per version of its
    files (a folder under ``.cache`` named by their hash). Test processes running side by side
    (pytest -n) build it once: the first takes a lock, the others wait and find it built."""
    import fcntl
    import hashlib

    digest = hashlib.sha256()
    for name in MYST_THEME_FILES:
        digest.update((MYST_THEME_SRC / name).read_bytes())
    folder = cache / digest.hexdigest()[:16]
    if (folder / "dist" / "theme.js").is_file():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"{folder.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if (folder / "dist" / "theme.js").is_file():
            return folder  # another process built it meanwhile
        partial = cache / f"{folder.name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in MYST_THEME_FILES:
            shutil.copy2(MYST_THEME_SRC / name, partial / name)
        npm = shutil.which("npm")
        assert npm, "npm is needed to build the test theme"
        for args in (["ci", "--no-audit", "--no-fund", "--silent"], ["run", "-s", "build"]):
            proc = subprocess.run(
                [npm, *args], cwd=partial, capture_output=True, text=True, check=False, timeout=900
            )
            assert proc.returncode == 0, f"npm {' '.join(args)}: {proc.stdout}\n{proc.stderr}"
        shutil.rmtree(folder, ignore_errors=True)
        partial.replace(folder)
    return folder


def write_myst(root: Path, pages: dict[str, str], theme: Path) -> None:
    """A mystmd project using ``stlite-docs-myst`` (from this interpreter's scripts)."""
    plugin = Path(sys.executable).parent / "stlite-docs-myst"
    root.mkdir(parents=True, exist_ok=True)
    (root / "myst.yml").write_text(
        "version: 1\nproject:\n  title: MyST apps\n  plugins:\n    - type: executable\n"
        f"      path: {plugin}\nsite:\n  template: {theme}\n",
        encoding="utf-8",
    )
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def myst_build(
    root: Path, settings: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """``myst build ARGS`` in ``root``, the site settings as ``STLITE_DOCS_*`` variables."""
    env = {**os.environ, **{f"STLITE_DOCS_{k.upper()}": v for k, v in settings.items()}}
    return subprocess.run(
        [*MYST, "build", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=600,
    )


@functools.cache
def built_myst_site() -> Path:
    """The MyST test site (``MYST_PAGES``, offline stlite URLs), built once per test session
    with ``myst build --html`` and the test theme; its ``_build/html`` folder."""
    import tempfile

    from testbed.browser import URLS

    root = Path(tempfile.mkdtemp(prefix="stlite-docs-myst-"))
    write_myst(root, MYST_PAGES, ensure_myst_theme())
    result = myst_build(root, URLS, "--html")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "_build" / "html"


MYST_PAGES = {
    "index.md": (
        "# Two apps\n\nText before.\n\n"
        '```{stlite}\n:height: 220\nimport streamlit as st\nst.write("myst one ready")\n```\n\n'
        "Between the apps.\n\n"
        "```{stlite}\n:requirements: packaging\nimport streamlit as st\n"
        'if st.button("Click"):\n    st.write("clicked")\nst.write("myst two ready")\n```\n'
    ),
}
