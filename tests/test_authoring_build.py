"""Authoring features in real Sphinx and MkDocs builds: file markers, the ``files``
option, layouts, sharing links, per-app config, and page-level conflict warnings."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from stlite_docs import AppSpec
from stlite_docs.sharing import EDIT_BASE, SHARE_BASE, share_payload
from testbed.build import (
    app_config,
    app_elements,
    line_of,
    mkdocs_in_process,
    parse_html,
    sphinx_in_process,
    strip_colors,
)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")

MULTI_RST = """\
Multi
=====

.. stlite::
   :files: data/table.csv, img/logo.png -> logo.png
   :requirements: packaging

   import streamlit as st
   from helpers import hello
   ## file: helpers.py
   def hello():
       return "hi"
   ## file: pages/2_More.py
   import streamlit as st
   st.write("more")
"""

MULTI_MD = """\
# Multi

```stlite files="data/table.csv, img/logo.png -> logo.png" requirements="packaging"
import streamlit as st
from helpers import hello
## file: helpers.py
def hello():
    return "hi"
## file: pages/2_More.py
import streamlit as st
st.write("more")
```
"""

EXPECTED_FILES: dict[str, Any] = {
    "streamlit_app.py": "import streamlit as st\nfrom helpers import hello\n",
    "helpers.py": 'def hello():\n    return "hi"\n',
    "pages/2_More.py": 'import streamlit as st\nst.write("more")\n',
    "data/table.csv": "a,b\n1,2\n",
    "logo.png": {"base64": base64.b64encode(PNG).decode()},
}


def sphinx(
    tmp_path: Path, pages: dict[str, str], conf: str = "", *args: str
) -> tuple[Path, str, int]:
    src = tmp_path / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["stlite_docs.sphinx_ext", "myst_parser"]\n' + conf)
    (src / "data").mkdir(exist_ok=True)
    (src / "data" / "table.csv").write_text("a,b\n1,2\n")
    (src / "img").mkdir(exist_ok=True)
    (src / "img" / "logo.png").write_bytes(PNG)
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "html"
    result = sphinx_in_process("-b", "html", *args, str(src), str(out), cwd=tmp_path)
    return out, strip_colors(result.stdout + result.stderr), result.returncode


def mkdocs(
    tmp_path: Path, pages: dict[str, str], plugin: str = "", strict: bool = True
) -> tuple[Path, str, int]:
    docs = tmp_path / "docs"
    (docs / "data").mkdir(parents=True, exist_ok=True)
    (docs / "data" / "table.csv").write_text("a,b\n1,2\n")
    (docs / "img").mkdir(exist_ok=True)
    (docs / "img" / "logo.png").write_bytes(PNG)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nuse_directory_urls: false\nplugins:\n  - stlite" + (plugin or "") + "\n"
    )
    code, log = mkdocs_in_process(tmp_path / "mkdocs.yml", tmp_path / "site", strict=strict)
    return tmp_path / "site", log, code


def test_multifile_and_files_option_in_both_front_ends(tmp_path: Path) -> None:
    out, log, code = sphinx(tmp_path / "s", {"index.rst": MULTI_RST}, "", "-W")
    assert code == 0, log
    (sphinx_app,) = app_elements(parse_html(out / "index.html"))
    site, log, code = mkdocs(tmp_path / "m", {"index.md": MULTI_MD})
    assert code == 0, log
    (mkdocs_app,) = app_elements(parse_html(site / "index.html"))
    for element in (sphinx_app, mkdocs_app):
        config = app_config(element)
        assert config["files"] == EXPECTED_FILES
        assert next(iter(config["files"])) == config["entrypoint"] == "streamlit_app.py"
        assert config["worker"] == "own"  # multipage apps get a runtime of their own
    assert app_config(sphinx_app) == app_config(mkdocs_app)


def test_extra_files_are_rebuild_dependencies(tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    sphinx(tmp_path, {"index.rst": MULTI_RST})
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "b")
    try:
        app.build()
        deps = {str(p) for p in app.env.dependencies["index"]}
    finally:
        app.cleanup()
    for name in ("data/table.csv", "img/logo.png"):
        assert any(Path(d).as_posix().endswith(name) for d in deps), (name, deps)


@pytest.mark.parametrize(
    ("body_options", "message"),
    [
        (":files: data/missing.csv", "option 'files': file not found: data/missing.csv"),
        (":files: ../outside.csv", "option 'files': '../outside.csv' points outside"),
        (":layout: sideways", "option 'layout': 'sideways' is not one of"),
        (':config: {"theme": ', "option 'config': invalid JSON"),
        (":config: [theme", "option 'config': invalid TOML"),
        (":worker: mine", "option 'worker': 'mine' is not one of shared, own"),
    ],
)
def test_bad_authoring_options_are_located_errors(
    tmp_path: Path, body_options: str, message: str
) -> None:
    page = f"Bad\n===\n\n.. stlite::\n   {body_options}\n\n   import streamlit as st\n"
    _, log, code = sphinx(tmp_path, {"index.rst": page})
    assert code == 1
    assert f"index.rst:5: ERROR: {message}" in log, log  # the option's own line


def test_duplicate_file_marker_is_located(tmp_path: Path) -> None:
    page = "Dup\n===\n\n.. stlite::\n\n   ## file: a.py\n   x = 1\n   ## file: a.py\n   y = 2\n"
    _, log, code = sphinx(tmp_path, {"index.rst": page})
    assert code == 1
    assert "index.rst:8: ERROR: file 'a.py' is given twice (app lines 1 and 3)" in log, log


def test_syntax_error_in_a_second_file_names_file_and_line(tmp_path: Path) -> None:
    page = "S\n=\n\n.. stlite::\n\n   import x\n   ## file: util.py\n   def f(:\n"
    _, log, _ = sphinx(tmp_path, {"index.rst": page})
    assert "index.rst:8: WARNING: Python syntax error in the app (util.py line 1)" in log, log


def test_layouts_render_code_panes(tmp_path: Path) -> None:
    page = textwrap.dedent("""\
        L
        =

        .. stlite::
           :layout: code-above

           import streamlit as st
           st.write("above")

        .. stlite::
           :layout: editor

           import streamlit as st
           st.write("edit me")
        """)
    out, log, code = sphinx(tmp_path, {"index.rst": page}, "", "-W")
    assert code == 0, log
    soup = parse_html(out / "index.html")
    above = soup.select_one(".stlite-docs-layout-code-above")
    editor = soup.select_one(".stlite-docs-layout-editor")
    assert above is not None and editor is not None
    code_pane = above.select_one(".stlite-docs-file[data-path='streamlit_app.py']")
    assert code_pane is not None and 'st.write("above")' in code_pane.get_text()
    assert code_pane.select_one(".highlight") is not None  # highlighted at build time
    # the app box itself shows a placeholder, not the code a second time
    app = above.select_one(".stlite-docs-app .stlite-docs-source")
    assert app is not None and "st.write" not in app.get_text()
    assert app_config(app_elements(soup)[1])["layout"] == "editor"


# --- sharing links --------------------------------------------------------------


def app_data_class() -> Any:
    """stlite sharing's AppData schema, built with the real protobuf runtime."""
    fdp = descriptor_pb2.FileDescriptorProto(name="share.proto", package="stlite", syntax="proto3")
    f = descriptor_pb2.FieldDescriptorProto
    file_msg = fdp.message_type.add(name="File")
    file_msg.oneof_decl.add(name="content")
    file_msg.field.add(
        name="text", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL, oneof_index=0
    )
    file_msg.field.add(
        name="data", number=2, type=f.TYPE_BYTES, label=f.LABEL_OPTIONAL, oneof_index=0
    )
    app = fdp.message_type.add(name="AppData")
    app.field.add(name="entrypoint", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    entry = app.nested_type.add(name="FilesEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=f.TYPE_STRING, label=f.LABEL_OPTIONAL)
    entry.field.add(
        name="value",
        number=2,
        type=f.TYPE_MESSAGE,
        label=f.LABEL_OPTIONAL,
        type_name=".stlite.File",
    )
    app.field.add(
        name="files",
        number=2,
        type=f.TYPE_MESSAGE,
        label=f.LABEL_REPEATED,
        type_name=".stlite.AppData.FilesEntry",
    )
    app.field.add(name="requirements", number=3, type=f.TYPE_STRING, label=f.LABEL_REPEATED)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("stlite.AppData"))


def decode_payload(payload: str) -> Any:
    message = app_data_class()()
    message.ParseFromString(base64.urlsafe_b64decode(payload.replace(",", "=")))
    return message


def test_share_payload_decodes_with_the_real_protobuf_runtime() -> None:
    spec = AppSpec(
        entrypoint="streamlit_app.py",
        files=(
            ("streamlit_app.py", "import streamlit as st\nst.write('héllo')\n"),
            ("a/data.bin", b"\x00\x01\xff"),
            ("b.py", ""),
        ),
        requirements=("packaging", "six>=1.16"),
    )
    payload = share_payload(spec)
    assert "=" not in payload and "+" not in payload and "/" not in payload
    message = decode_payload(payload)
    assert message.entrypoint == "streamlit_app.py"
    assert list(message.requirements) == ["packaging", "six>=1.16"]
    assert message.files["streamlit_app.py"].text == "import streamlit as st\nst.write('héllo')\n"
    assert message.files["a/data.bin"].data == b"\x00\x01\xff"
    assert message.files["b.py"].WhichOneof("content") == "text"
    assert sorted(message.files) == sorted(p for p, _ in spec.files)


def test_share_links_global_switch_and_per_app_override(tmp_path: Path) -> None:
    page = (
        "S\n=\n\n.. stlite::\n   :requirements: six\n\n   import streamlit as st\n\n"
        ".. stlite::\n   :share: false\n\n   import streamlit as st\n"
    )
    out, log, code = sphinx(
        tmp_path / "s",
        {"index.rst": page},
        "stlite_share_links = True\nstlite_full_page_links = False\nstlite_app_actions = False\n",
        "-W",
    )
    assert code == 0, log
    soup = parse_html(out / "index.html")
    links = soup.select(".stlite-docs-links")
    assert len(links) == 1  # the reader's actions off: no line under the app without sharing
    share, edit = links[0].select("a")
    assert str(share["href"]).startswith(SHARE_BASE)
    assert str(edit["href"]).startswith(EDIT_BASE)
    message = decode_payload(str(share["href"]).removeprefix(SHARE_BASE))
    assert message.files["streamlit_app.py"].text == "import streamlit as st\n"
    assert list(message.requirements) == ["six"]

    md = '# S\n\n```stlite share="true"\nimport streamlit as st\n```\n\n```stlite\nx = 1\n```\n'
    site, log, code = mkdocs(tmp_path / "m", {"index.md": md}, ":\n      full_page_links: false")
    assert code == 0, log
    shared = parse_html(site / "index.html").select(".stlite-docs-links a[href^='https://share']")
    assert len(shared) == 1


# --- page-level checks ------------------------------------------------------------

CONFLICT_RST = """\
C
=

.. stlite::
   :requirements: altair==5.3
   :config: {"theme": {"base": "dark"}}

   import streamlit as st

.. stlite::
   :requirements: altair==5.4
   :config:
      [theme]
      base = "light"

   import streamlit as st
"""

CONFLICT_MD = """\
# C

```stlite requirements="altair==5.3" config='{"theme": {"base": "dark"}}'
import streamlit as st
```

```stlite requirements="altair==5.4" config='{"theme": {"base": "light"}}'
import streamlit as st
```
"""


def test_conflicting_requirements_and_config_warn_in_sphinx(tmp_path: Path) -> None:
    _, log, code = sphinx(tmp_path, {"index.rst": CONFLICT_RST}, "", "-W")
    assert code == 1
    second = line_of(tmp_path / "src" / "index.rst", ".. stlite::")
    assert (
        f"index.rst:{second}: WARNING: requirement 'altair==5.4' (app at line {second}) "
        "conflicts with 'altair==5.3' (app at line 4)"
    ) in log, log
    assert "Streamlit config theme.base='light'" in log and "differs from 'dark'" in log
    assert "[stlite.conflict]" in log


def test_conflicting_requirements_and_config_warn_in_mkdocs(tmp_path: Path) -> None:
    _, log, code = mkdocs(tmp_path, {"index.md": CONFLICT_MD})
    assert code == 1  # --strict
    assert "index.md:7: requirement 'altair==5.4'" in log, log
    assert "conflicts with 'altair==5.3' (index.md:3)" in log, log
    assert "theme.base='light' (index.md:7) differs from 'dark' (index.md:3)" in log, log


def test_compatible_requirements_do_not_warn(tmp_path: Path) -> None:
    page = CONFLICT_RST.replace("altair==5.3", "altair>=5,<6").replace(
        ':config: {"theme": {"base": "dark"}}', ':config: {"theme": {"base": "light"}}'
    )
    _, log, code = sphinx(tmp_path, {"index.rst": page}, "", "-W")
    assert code == 0, log


def test_config_differing_from_the_loader_defaults_warns(tmp_path: Path) -> None:
    page = (
        "D\n=\n\n.. stlite::\n\n   import streamlit as st\n\n"
        '.. stlite::\n   :config: {"client": {"toolbarMode": "minimal"}}\n\n'
        "   import streamlit as st\n"
    )
    _, log, code = sphinx(tmp_path, {"index.rst": page}, "", "-W")
    assert code == 1
    expected = "client.toolbarMode='minimal' (app at line 8) differs from 'viewer' (app at line 4)"
    assert expected in log, log


# --- hidden setup code --------------------------------------------------------------------

SETUP_RST = """\
Setup
=====

.. stlite::
   :layout: code-above
   :share: true

   import streamlit as st
   st.write(TOTAL)
   ## setup
   import json  # setup-marker
   TOTAL = sum(json.loads("[1, 2, 3]"))
"""
SETUP_MD = """\
# Setup

```stlite layout="code-above" share="true"
import streamlit as st
st.write(TOTAL)
## setup
import json  # setup-marker
TOTAL = sum(json.loads("[1, 2, 3]"))
```
"""
SETUP_MYST = (
    "---\norphan: true\n---\n# Setup\n\n```{stlite}\n:layout: code-above\n:share: true\n\n"
    + SETUP_MD.split('share="true"\n', 1)[1]
)
SHOWN = "import streamlit as st\nst.write(TOTAL)\n"
SETUP = 'import json  # setup-marker\nTOTAL = sum(json.loads("[1, 2, 3]"))\n'


def test_setup_code_runs_first_and_is_shown_nowhere(tmp_path: Path) -> None:
    """Its text is in the app's config (the loader runs it before the entrypoint's code) and
    in the sharing link (which must run), and in no code display nor in a non-HTML build."""
    out, log, code = sphinx(
        tmp_path / "s", {"index.rst": SETUP_RST, "myst.md": SETUP_MYST}, "", "-W"
    )
    assert code == 0, log
    site, log, code = mkdocs(tmp_path / "m", {"index.md": SETUP_MD})
    assert code == 0, log
    for page in (out / "index.html", out / "myst.html", site / "index.html"):
        soup = parse_html(page)
        (element,) = app_elements(soup)
        config = app_config(element)
        assert config["files"] == {"streamlit_app.py": SHOWN}
        assert config["setup"] == SETUP
        for template in soup.find_all("template"):
            template.decompose()
        assert "setup-marker" not in soup.get_text(), page
        assert "st.write(TOTAL)" in soup.get_text()  # the shown code is displayed
        share = soup.select_one(".stlite-docs-links a[href^='https://share.stlite.net/']")
        assert share is not None
        message = decode_payload(str(share["href"]).removeprefix(SHARE_BASE))
        assert message.files["streamlit_app.py"].text == SETUP + SHOWN
    text_out = tmp_path / "text"
    result = sphinx_in_process(
        "-b", "text", str(tmp_path / "s" / "src"), str(text_out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = (text_out / "index.txt").read_text(encoding="utf-8")
    assert "st.write(TOTAL)" in text and "setup-marker" not in text


def test_setup_section_errors_and_warnings_name_their_lines(tmp_path: Path) -> None:
    page = (
        "Bad\n===\n\n.. stlite::\n\n   import streamlit as st\n   ## setup\n   x = 1\n"
        "   ## setup\n   y = 2\n\n.. stlite::\n\n   st.write(x)\n   ## setup\n   x = (1\n"
    )
    out, log, code = sphinx(tmp_path / "s", {"index.rst": page})
    assert code == 1
    src = tmp_path / "s" / "src" / "index.rst"
    twice = line_of(src, "## setup", 1)
    assert (
        f"index.rst:{twice}: ERROR: the '## setup' section is given twice (app lines 2 and 4)"
    ) in log, log
    unclosed = line_of(src, "x = (1")
    assert (
        f"index.rst:{unclosed}: WARNING: Python syntax error in the app ('## setup' section "
        "line 1)" in log
    ), log
    # a body next to 'file' may hold a setup section and nothing else
    (tmp_path / "s" / "src" / "app.py").write_text("import streamlit as st\nst.write(x)\n")
    ok = "Ok\n==\n\n.. stlite::\n   :file: app.py\n\n   ## setup\n   x = 42\n"
    out, log, code = sphinx(tmp_path / "s", {"index.rst": ok}, "", "-W")
    assert code == 0, log
    config = app_config(app_elements(parse_html(out / "index.html"))[0])
    assert config["files"] == {"streamlit_app.py": "import streamlit as st\nst.write(x)\n"}
    assert config["setup"] == "x = 42\n"
    both = "Both\n====\n\n.. stlite::\n   :file: app.py\n\n   st.write(1)\n   ## setup\n   x = 4\n"
    _, log, code = sphinx(tmp_path / "s", {"index.rst": both})
    assert code == 1 and "may only hold a '## setup' section" in log, log
