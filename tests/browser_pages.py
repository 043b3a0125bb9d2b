"""The pages the browser test bed serves, written once and built by BOTH front ends.

Each page is a list of apps; ``write_sphinx`` and ``write_mkdocs`` turn it into a
reST or Markdown document (``build_sites`` builds both), so the Sphinx site and the MkDocs
site carry the same apps and the browser tests exercise both real builds.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from testbed.browser import URLS
from testbed.build import build_mkdocs, build_sphinx


@dataclass(frozen=True)
class App:
    source: str
    options: dict[str, str] = field(default_factory=dict)
    wrap: str = ""  # "" | "note" (admonition) | "narrow" (narrow column) | "far" (see FAR_PX)


#: How far below the text before it a ``wrap="far"`` app is: four screens of the tests'
#: 900 px viewport, out of reach of a page that is not scrolled.
FAR_PX = 3600


def ready(name: str) -> App:
    return App(f'import streamlit as st\nst.write("{name} ready")\n')


SLIDER = App(
    'import streamlit as st\nv = st.slider("Pick a number", 0, 10, 3)\nst.write(f"slider={v}")\n'
)
TEXT_INPUT = App(
    "import streamlit as st\n"
    'name = st.text_input("Your name")\n'
    "st.write(f\"Hello, {name or 'nobody'}!\")\n"
)


def counter(label: str) -> App:
    return App(
        "import streamlit as st\n"
        "st.session_state.setdefault('n', 0)\n"
        f"if st.button({label!r}):\n"
        "    st.session_state.n += 1\n"
        f"st.write(f'{label} clicks={{st.session_state.n}}')\n"
    )


HOST_APPS = [
    App(
        "import streamlit as st\n"
        'st.set_page_config(page_title="Title set by the app", page_icon="🐍")\n'
        'st.write("page-config app ready")\n'
    ),
    App(
        "import streamlit as st\n"
        'st.query_params["from_app"] = "1"\n'
        'if st.button("Set query"):\n'
        '    st.query_params["clicked"] = "yes"\n'
        'st.write("query-params app ready")\n'
    ),
]

MULTIFILE_APP = App(
    "import streamlit as st\n"
    "from utils import greeting\n"
    "st.write(greeting())\n"
    "## file: utils.py\n"
    "def greeting():\n"
    "    return 'utils says hi'\n"
)
DATA_APP = App(
    "import csv\n"
    "import streamlit as st\n"
    "rows = list(csv.reader(open('data/cities.csv', encoding='utf-8')))\n"
    "st.write(f'csv rows={len(rows)} first={rows[1][0]}')\n"
    "data = open('logo.png', 'rb').read()\n"
    "st.write(f'png bytes={len(data)} magic={data[1:4].decode()}')\n",
    {"files": "data/cities.csv, img/logo.png -> logo.png"},
)
MULTIPAGE_APP = App(
    "## file: streamlit_app.py\n"
    "import streamlit as st\n"
    "st.write('main page here')\n"
    "## file: pages/2_Details.py\n"
    "import streamlit as st\n"
    "st.write('details page here')\n",
    {"height": "420"},
)
EDITABLE = 'import streamlit as st\nst.write("value a")\n'

# Files the apps above read, written next to each site's documents.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf000000030101005a4d3e4f0000000049454e44ae426082"
)
DATA_FILES: dict[str, bytes] = {
    "data/cities.csv": "city,country\nZürich,CH\nLyon,FR\n".encode(),
    "img/logo.png": PNG_1PX,
}

PAGES: dict[str, list[App]] = {
    "three": [ready(f"three-{i}") for i in range(3)],
    "six": [ready(f"six-{i}") for i in range(6)],
    "interact": [SLIDER, TEXT_INPUT, counter("Add A"), counter("Add B")],
    "host": HOST_APPS,
    "errors": [
        App(
            "import streamlit as st\n"
            'st.write("before the error")\n'
            'raise ValueError("boom-from-app")\n'
        ),
        App(
            'import streamlit as st\nst.write("never shown")\n',
            {"requirements": "no-such-package-stlite-docs-test"},
        ),
        ready("neighbour"),
    ],
    # 400 px boxes: far enough apart for "more than three screens away" to mean something
    "lazy": [App(ready(f"lazy-{i}").source, {"height": "400"}) for i in range(20)],
    "authoring": [MULTIFILE_APP, DATA_APP, MULTIPAGE_APP],
    "layouts": [
        App(EDITABLE, {"layout": "editor", "height": "250"}),
        App(EDITABLE, {"height": "250"}),
        App(ready("code-above").source, {"layout": "code-above", "height": "250"}),
        App(ready("code-beside").source, {"layout": "code-beside", "height": "250"}),
    ],
    "layout": [
        App(ready("layout-plain").source, {"height": "220"}),
        App(ready("layout-note").source, {"height": "260px"}, wrap="note"),
        App(ready("layout-narrow").source, {"height": "15em"}, wrap="narrow"),
    ],
}

# Reliability pages (tests/test_browser_failures.py, test_browser_navigation.py).
# An app that shows its own file, as the runtime got it, as ASCII JSON: the test
# compares it with the source written here. The characters are ones both front
# ends keep exactly (the docs' "What the body keeps"); NUL cannot be in Python source.
SELF_SOURCE = App(
    "import hashlib, json\n"
    "import streamlit as st\n"
    "# </script><script>alert('x')</script> <!-- ]]> <![CDATA[ {{ x }} {% y %} ${z}\n"
    "# \x01 \x1b[31m \x7f \u00e9 \u2603 \U0001f40d \u201cq\u201d \\ 'single' \"double\"\n"
    "# &amp; &lt; \\u2028\n"
    "trailing = 'spaces after this line'   \n"
    "src = open(__file__, encoding='utf-8', newline='').read()\n"
    "st.text(json.dumps(src))\n"
    "st.write('self-source sha=' + hashlib.sha256(src.encode()).hexdigest())\n"
)


def busy(label: str, seconds: int) -> App:
    """A button whose run keeps the runtime's one thread busy for ``seconds``."""
    return App(
        "import time\nimport streamlit as st\n"
        f"if st.button({label!r}):\n"
        "    end = time.time() + " + str(seconds) + "\n"
        "    while time.time() < end:\n"
        "        pass\n"
        f"    st.write('{label} done')\n"
        f"st.write('{label} ready')\n"
    )


LOOP_FOREVER = App(
    'import streamlit as st\nst.write("looping")\nwhile True:\n    pass\n', {"worker": "own"}
)

PAGES.update(
    {
        "selfsource": [SELF_SOURCE],
        "busy": [
            App(busy("Busy shared", 6).source),
            App(busy("Busy own", 6).source, {"worker": "own"}),
            counter("Neighbour"),
        ],
        "isolation": [LOOP_FOREVER, counter("Still alive")],
    }
)

# Apps whose content changes after the first run: the box must follow (test_browser_fit.py).
GROWS = App(
    "import streamlit as st\n"
    "st.session_state.setdefault('rows', 3)\n"
    "if st.button('More rows'):\n"
    "    st.session_state.rows += 20\n"
    "for i in range(st.session_state.rows):\n"
    "    st.write(f'row {i + 1} of {st.session_state.rows}')\n"
)
EXPANDS = App(
    "import streamlit as st\n"
    "st.write('expander below')\n"
    "with st.expander('Details'):\n"
    "    for i in range(15):\n"
    "        st.write(f'detail {i + 1} of 15')\n"
)
FAILS_ON_CLICK = App(
    "import streamlit as st\n"
    "st.write('fails on click')\n"
    "if st.button('Fail'):\n"
    "    raise ValueError('failed on purpose ' + 'x' * 200)\n"
)
LONG = App(
    "import streamlit as st\nfor i in range(40):\n    st.write(f'long {i + 1} of 40')\n",
    {"max_height": "300"},
)
MULTIPAGE_AUTO = App(
    "## file: streamlit_app.py\n"
    "import streamlit as st\n"
    "st.write('first page, short')\n"
    "## file: pages/2_Long.py\n"
    "import streamlit as st\n"
    "for i in range(25):\n"
    "    st.write(f'second page {i + 1} of 25')\n"
)
PAGES["fit"] = [GROWS, EXPANDS, FAILS_ON_CLICK, LONG, MULTIPAGE_AUTO]

# An editor that waits for the reader's press, with lines a phone's width wraps
# (test_browser_authoring.py): one Run control, every line of the code in view.
EDITOR_WAITING = (
    "import streamlit as st\n"
    "# a comment long enough to wrap on a phone: the editor grows with it, no line is cut off\n"
    "st.write('waiting editor ready, with a string long enough to wrap on a narrow screen')\n"
)
# Streamlit's own overlays (test_browser_authoring.py): a dialog the reader opens, a toast.
DIALOG = App(
    "import streamlit as st\n"
    "@st.dialog('A dialog')\n"
    "def show():\n"
    "    st.write('inside the dialog')\n"
    "if st.button('Open the dialog'):\n"
    "    show()\n"
    "if st.button('Toast'):\n"
    "    st.toast('a toast for this app')\n"
    "st.write('dialog app ready')\n"
)
PAGES["overlays"] = [DIALOG, ready("overlay-neighbour")]
PAGES["editor-click"] = [App(EDITOR_WAITING, {"layout": "editor", "start": "click"})]
# A two-file editor app with line numbers (test_browser_editor.py): a tab per file, and an
# edit to the module the entrypoint imports reruns the app with it.
EDITOR_FILES = (
    "## file: streamlit_app.py\n"
    "import streamlit as st\n"
    "from helper import greeting\n"
    "st.write(greeting())\n"
    "## file: helper.py\n"
    "def greeting():\n"
    "    return 'helper says hi'\n"
)
# (with stlite sharing's links: test_browser_actions.py checks they carry the reader's edits)
PAGES["editor-files"] = [
    App(EDITOR_FILES, {"layout": "editor", "line_numbers": "true", "share": "true"})
]

# Start policies (test_browser_policies.py): two apps that wait for a press, the first with
# hidden setup code, and one far below the fold that waits until it is about to be seen.
SETUP_MARKER = "setup-only-marker"
SETUP_APP = App(
    "import streamlit as st\n"
    "st.write(f'setup says {FROM_SETUP}')\n"
    "## setup\n"
    f"FROM_SETUP = '-'.join(['hidden', 'setup', 'ran'])  # {SETUP_MARKER}\n",
    {"start": "click"},
)
PAGES["policies"] = [
    SETUP_APP,
    App(counter("Press B").source, {"start": "click"}),
    App(ready("visible-far").source, {"start": "visible"}, wrap="far"),
]
# Tall apps whose boxes grow from their short source to 30 lines when they start: a reader
# who went straight to the last one must not see the page move (test_browser_fit.py).
PAGES["anchor"] = [
    App(f"import streamlit as st\nfor i in range(30):\n    st.write(f'anchor{n} {{i + 1}}')\n")
    for n in range(6)
]

FAVICON_HTML = '<link rel="shortcut icon" href="data:,host-favicon">'
NARROW_CSS = ".narrow-column { max-width: 320px; }"


def _write_data(folder: Path) -> None:
    for rel, data in DATA_FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _rst_app(app: App) -> str:
    opts = "".join(f"   :{k}: {v}\n" for k, v in app.options.items())
    block = f".. stlite::\n{opts}\n{textwrap.indent(app.source, '   ')}\n"
    if app.wrap == "note":
        return ".. note::\n\n" + textwrap.indent(block, "   ")
    if app.wrap == "narrow":
        return ".. container:: narrow-column\n\n" + textwrap.indent(block, "   ")
    if app.wrap == "far":
        return f'.. raw:: html\n\n   <div style="height:{FAR_PX}px"></div>\n\n' + block
    return block


def _md_app(app: App) -> str:
    opts = "".join(f' {k}="{v}"' for k, v in app.options.items())
    block = f"```stlite{opts}\n{app.source}```\n"
    if app.wrap == "note":
        return "!!! note\n\n" + textwrap.indent(block, "    ")
    if app.wrap == "narrow":
        return f'<div class="narrow-column" markdown>\n\n{block}\n</div>\n'
    if app.wrap == "far":
        return f'<div style="height:{FAR_PX}px"></div>\n\n' + block
    return block


def write_sphinx(src: Path, urls: dict[str, str]) -> None:
    src.mkdir(parents=True, exist_ok=True)
    _write_data(src)
    (src / "_static").mkdir(exist_ok=True)
    (src / "_static" / "narrow.css").write_text(NARROW_CSS)
    conf = [
        'project = "stlite-docs browser tests"',
        'extensions = ["stlite_docs.sphinx_ext"]',
        'html_static_path = ["_static"]',
        'html_css_files = ["narrow.css"]',
        *(f"{k} = {v!r}" for k, v in urls.items()),
    ]
    (src / "conf.py").write_text("\n".join(conf) + "\n")
    toc = "\n".join(f"   {name}" for name in PAGES)
    (src / "index.rst").write_text(f"Browser tests\n=============\n\n.. toctree::\n\n{toc}\n")
    for name, apps in PAGES.items():
        parts = [f"{name.title()}\n{'=' * len(name)}\n", f".. raw:: html\n\n   {FAVICON_HTML}\n"]
        for i, app in enumerate(apps):
            parts.append(f"Section {i}\n{'-' * (8 + len(str(i)))}\n\nSome text before app {i}.\n")
            parts.append(_rst_app(app))
        (src / f"{name}.rst").write_text("\n".join(parts))


def write_mkdocs(root: Path, options: dict[str, str]) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    _write_data(docs)
    (docs / "narrow.css").write_text(NARROW_CSS)
    plugin_opts = "".join(f"      {k}: {v}\n" for k, v in options.items())
    (root / "mkdocs.yml").write_text(
        "site_name: stlite-docs browser tests\n"
        "use_directory_urls: false\n"
        # Material, as most sites use it; no Google Fonts, so the page itself stays offline.
        "theme:\n  name: material\n  font: false\n"
        "extra_css: [narrow.css]\n"
        "markdown_extensions: [admonition, attr_list, md_in_html]\n"
        f"plugins:\n  - stlite:\n{plugin_opts}"
    )
    links = "\n".join(f"- [{n}]({n}.md)" for n in PAGES)
    (docs / "index.md").write_text(f"# Browser tests\n\n{links}\n")
    for name, apps in PAGES.items():
        parts = [f"# {name.title()}\n", FAVICON_HTML + "\n"]
        for i, app in enumerate(apps):
            parts.append(f"## Section {i}\n\nSome text before app {i}.\n")
            parts.append(_md_app(app))
        (docs / f"{name}.md").write_text("\n".join(parts))


def build_sites(work: Path) -> dict[str, Path]:
    """Build the browser-test pages with the real Sphinx and MkDocs, ``-W``/``--strict``."""
    sphinx_src = work / "sphinx-src"
    write_sphinx(sphinx_src, {f"stlite_{k}": v for k, v in URLS.items()})
    sphinx_out = work / "sphinx-html"
    build_sphinx(sphinx_src, sphinx_out)
    mk_root = work / "mkdocs-src"
    write_mkdocs(mk_root, URLS)
    mk_out = work / "mkdocs-html"
    build_mkdocs(mk_root / "mkdocs.yml", mk_out)
    return {"sphinx": sphinx_out, "mkdocs": mk_out}
