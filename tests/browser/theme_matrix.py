"""The theme matrix: one page per documentation theme with the apps that show whether an app
box looks like the page's own content, built with the real Sphinx or MkDocs and the theme.

Shared by the browser test (``test_browser_fit.py``, which asserts the numbers) and the
gallery script (``scripts/gallery.py``, which puts the screenshots and numbers in the docs).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from testbed.browser import URLS
from testbed.build import build_mkdocs, build_sphinx

TALL_LINES = 30
TALL = "import streamlit as st\n" + (
    f"for i in range({TALL_LINES}):\n    st.write(f'line {{i + 1}} of {TALL_LINES}')\n"
)
WIDGETS = (
    "import streamlit as st\n"
    "v = st.slider('Pick a number', 0, 10, 3)\n"
    "st.write(f'slider={v}')\n"
    "st.button('Primary', type='primary')\n"
    "st.text_input('Your name')\n"
    "with st.expander('More'):\n"
    "    st.write('inside the expander')\n"
    "st.code('total = sum(range(10))\\nprint(total)')\n"
)
EDITOR = "import streamlit as st\nst.write('edit me')\n"


@dataclass(frozen=True)
class MatrixApp:
    key: str  # what the test calls it
    source: str
    options: dict[str, str]
    done: str  # text the app shows once its first run is over


APPS = (
    MatrixApp("tall", TALL, {}, f"line {TALL_LINES} of {TALL_LINES}"),
    MatrixApp("fixed", TALL, {"height": "220"}, f"line {TALL_LINES} of {TALL_LINES}"),
    MatrixApp("widgets", WIDGETS, {}, "slider=3"),
    MatrixApp("editor", EDITOR, {"layout": "editor"}, "edit me"),
)
PROSE = "Some prose with a link to the `Streamlit docs <https://docs.streamlit.io>`__."
MD_PROSE = "Some prose with a link to the [Streamlit docs](https://docs.streamlit.io)."
CODE = "total = sum(range(10))\nprint(total)\n"


@dataclass(frozen=True)
class Theme:
    """A theme, how its site is built, and how it switches to dark (``None``: it has no
    dark scheme): the attribute its own toggle sets on <html> or <body>."""

    name: str
    tool: str  # "sphinx" | "mkdocs"
    label: str
    dark: tuple[str, str, str] | None  # (element, attribute, value)
    # Hosts the theme itself loads from (the test bed blocks them; the page works without),
    # and the errors its own scripts then throw.
    off_hosts: tuple[str, ...] = ()
    own_errors: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()  # Sphinx extensions the theme needs
    conf: tuple[str, ...] = ()  # and more lines of conf.py


THEMES = (
    Theme("furo", "sphinx", "Furo", ("body", "data-theme", "dark")),
    Theme("pydata_sphinx_theme", "sphinx", "PyData Sphinx Theme", ("html", "data-theme", "dark")),
    Theme("sphinx_book_theme", "sphinx", "Sphinx Book Theme", ("html", "data-theme", "dark")),
    Theme("sphinx_rtd_theme", "sphinx", "Read the Docs", None),
    Theme("alabaster", "sphinx", "Alabaster", None),
    # styles every `code` as inline code (smaller, tinted) and every <section> with 4rem margins
    Theme("piccolo_theme", "sphinx", "Piccolo", ("html", "data-mode", "dark")),
    Theme("material", "mkdocs", "Material for MkDocs", ("body", "data-md-color-scheme", "slate")),
    Theme(
        "mkdocs",
        "mkdocs",
        "MkDocs",
        ("html", "data-bs-theme", "dark"),
        off_hosts=("cdnjs.cloudflare.com",),
        own_errors=("hljs is not defined",),
    ),
)

#: Themes the leak metric measures besides the matrix's (tests/browser/test_browser_leaks.py),
#: from real projects, none of which the loader knows anything about; their dark schemes follow
#: the system's (the test emulates it).
MORE_THEMES = (
    Theme("shibuya", "sphinx", "Shibuya", None),
    Theme("sphinxawesome_theme", "sphinx", "Awesome Sphinx Theme", None),
    Theme(
        "sphinx_immaterial",
        "sphinx",
        "Sphinx-Immaterial",
        None,
        extensions=("sphinx_immaterial",),
        conf=('html_theme_options = {"font": False}',),  # no Google Fonts: the build is offline
    ),
    Theme("sphinx_nefertiti", "sphinx", "Nefertiti", None),
    Theme("insipid", "sphinx", "Insipid", None),
    Theme("sphinx_wagtail_theme", "sphinx", "Wagtail", None, extensions=("sphinx_wagtail_theme",)),
)

MATERIAL = """\
theme:
  name: material
  font: false
  palette:
    - scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
"""
MKDOCS = "theme:\n  name: mkdocs\n  color_mode: light\n  user_color_mode_toggle: true\n"


def _rst_page(label: str, apps: tuple[MatrixApp, ...]) -> str:
    parts = [f"{label}\n{'=' * len(label)}\n\n{PROSE}\n\n.. code-block:: python\n\n"]
    parts.append(textwrap.indent(CODE, "   ") + "\n")
    for app in apps:
        options = "".join(f"   :{k}: {v}\n" for k, v in app.options.items())
        parts.append(f".. stlite::\n{options}\n{textwrap.indent(app.source, '   ')}\n{PROSE}\n\n")
    return "".join(parts)


def _md_page(label: str, apps: tuple[MatrixApp, ...]) -> str:
    parts = [f"# {label}\n\n{MD_PROSE}\n\n```python\n{CODE}```\n\n"]
    for app in apps:
        attrs = "".join(f' {k}="{v}"' for k, v in app.options.items())
        parts.append(f"```stlite{attrs}\n{app.source}```\n\n{MD_PROSE}\n\n")
    return "".join(parts)


def build_theme_sites(
    work: Path,
    urls: dict[str, str] = URLS,
    apps: tuple[MatrixApp, ...] = APPS,
    themes: tuple[Theme, ...] = THEMES,
    css: str = "",
) -> dict[str, Path]:
    """Build every theme's page with ``apps`` (``-W`` / ``--strict``); theme name -> built site
    folder. ``css``: a stylesheet the page gets after the theme's (Sphinx themes)."""

    out: dict[str, Path] = {}
    for theme in themes:
        src = work / f"{theme.name}-src"
        site = work / theme.name
        if theme.tool == "sphinx":
            src.mkdir(parents=True)
            conf = [
                f"extensions = {['stlite_docs.sphinx_ext', *theme.extensions]!r}",
                f"html_theme = {theme.name!r}",
                # a short name: PyData's navbar overflows at 390 px with long ones
                'project = "Apps"',
                *(f"stlite_{k} = {v!r}" for k, v in urls.items()),
                *theme.conf,
            ]
            if css:
                (src / "_static").mkdir()
                (src / "_static" / "extra.css").write_text(css)
                conf += ['html_static_path = ["_static"]', 'html_css_files = ["extra.css"]']
            (src / "conf.py").write_text("\n".join(conf) + "\n")
            (src / "index.rst").write_text(_rst_page(theme.label, apps))
            build_sphinx(src, site)
        else:
            (src / "docs").mkdir(parents=True)
            config = MATERIAL if theme.name == "material" else MKDOCS
            options = "".join(f"      {k}: {v}\n" for k, v in urls.items())
            (src / "mkdocs.yml").write_text(
                f"site_name: {theme.label}\nuse_directory_urls: false\n{config}"
                # search: the mkdocs theme's scripts expect its dialog
                f"plugins:\n  - search\n  - stlite:\n{options}"
            )
            (src / "docs" / "index.md").write_text(_md_page(theme.label, apps))
            build_mkdocs(src / "mkdocs.yml", site)
        out[theme.name] = site
    return out


#: In-page measurement of one cell: every number the matrix asserts, read the way a reader
#: sees it (sizes multiplied by any CSS zoom, colours as painted behind the box).
MEASURE_JS = "".join(
    line
    for line in (Path(__file__).parent / "theme_matrix_measure.js").open(encoding="utf-8")
    if not line.startswith("//")  # the file's header: Playwright takes a bare function
)
