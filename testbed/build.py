"""Real builds and what they wrote: helpers of the build-side tests (Sphinx and MkDocs builds,
in this process where they can be, no browser), used by the browser tests' sites and the
benchmarks too.

The output contract under test: every app is a ``div.stlite-docs-app`` with a
deterministic id and a child ``template.stlite-docs-config`` holding its JSON
config; a page with apps loads ``stlite-docs.js`` exactly once.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

REPO = Path(__file__).resolve().parent.parent
#: The Sphinx test projects.
ROOTS = REPO / "tests" / "roots"

# Everything that could end a <script> element, open a comment, start a
# template expression or get mangled by a careless encoder. Each line is also
# the body of ``roots/test-basic/hostile.rst`` (indented by three spaces).
HOSTILE_SOURCE = (
    "import streamlit as st\n"
    "# </script><script>alert(1)</script>\n"
    "# <!-- comment --> ]]> <![CDATA[ x ]]>\n"
    'st.write("{{ x }} {% if %} ${x} `back` \'single\' \\"double\\"")\n'
    "st.write('C:\\\\path\\\\n \\\\u2603 \\\\\\\\')\n"
    'st.write("h\u00e9llo \u2603 \U0001d11e \u2014 \u2018quotes\u2019 \\u2028 end")\n'
    'st.markdown("<b>&amp; &lt;</b> & < >")\n'
)

Config = dict[str, Any]


def parse_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def app_elements(soup: BeautifulSoup) -> list[Tag]:
    return [t for t in soup.find_all("div", class_="stlite-docs-app") if isinstance(t, Tag)]


def app_config(element: Tag) -> Config:
    """The JSON config of one mount element, checking the element's shape."""
    templates = [
        s
        for s in element.find_all("template", recursive=False)
        if isinstance(s, Tag) and "stlite-docs-config" in (s.get("class") or [])
    ]
    assert len(templates) == 1, f"expected one config template in {element.get('id')}"
    assert not element.find_all("script"), "no script in a mount element"
    text = templates[0].string
    assert text is not None
    config = json.loads(text)
    assert isinstance(config, dict)
    return config


def page_configs(path: Path) -> list[tuple[str, Config]]:
    """``(element id, config)`` for every app of a page, in document order."""
    result = []
    for element in app_elements(parse_html(path)):
        elem_id = element.get("id")
        assert isinstance(elem_id, str)
        result.append((elem_id, app_config(element)))
    return result


def raw_config_text(html: str, elem_id: str) -> str:
    """The config template's raw text as written in the file (not as parsed)."""
    match = re.search(
        rf'<div class="stlite-docs-app" id="{re.escape(elem_id)}"[^>]*>\s*'
        r'<template class="stlite-docs-config">(.*?)</template>',
        html,
        re.DOTALL,
    )
    assert match is not None, f"no config template for {elem_id}"
    return match.group(1)


def loader_scripts(soup: BeautifulSoup) -> list[Tag]:
    return [
        s
        for s in soup.find_all("script")
        if isinstance(s, Tag) and "stlite-docs.js" in str(s.get("src", ""))
    ]


def loader_links(soup: BeautifulSoup) -> list[Tag]:
    return [
        link
        for link in soup.find_all("link")
        if isinstance(link, Tag) and "stlite-docs.css" in str(link.get("href", ""))
    ]


def preload_hints(soup: BeautifulSoup, page_url: str) -> list[str]:
    """The absolute URLs the loader hints (modulepreload) when it starts stlite: stlite.js,
    then the loader tag's ``data-preload`` list, each resolved against the loader's own URL
    as the loader resolves them. Checked: the page itself hints nothing (whether stlite is
    fetched at all is the loader's decision, by the start policies)."""
    links = [
        link
        for link in soup.find_all("link")
        if isinstance(link, Tag) and link.get("rel") in (["modulepreload"], ["preload"])
    ]
    assert not links, f"the page hints {[str(link) for link in links]}"
    scripts = loader_scripts(soup)
    assert len(scripts) == 1
    script = scripts[0]
    base = urljoin(page_url, str(script["src"]))
    names = [str(script["data-stlite-js"]), *str(script.get("data-preload", "")).split()]
    return [urljoin(base, name) for name in names]


def line_of(path: Path, needle: str, occurrence: int = -1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert hits, f"{needle!r} not in {path}"
    return hits[occurrence]


def strip_colors(text: str) -> str:
    """Remove ANSI colour codes (Sphinx colours its messages on terminals)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def run_module(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` with this interpreter; output captured as text. (Sphinx:
    :func:`sphinx_in_process`, without the interpreter's start.)"""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def sphinx_in_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m sphinx args`` in this process, as the command runs it (``sphinx.cmd.build``'s
    ``main``: each build in docutils' namespace of its own, its messages written to the
    streams it finds, here captured): no interpreter to start and no Sphinx to import per
    build, ~0.3 s of each. The exit code is the command's; an exception that would end the
    command with a traceback propagates."""
    from sphinx.cmd.build import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's errors (a bad option)
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["sphinx", *args], code, out.getvalue(), err.getvalue())


def build_sphinx(src: Path, out: Path, *options: str) -> None:
    """A strict, quiet HTML build of ``src`` into ``out`` (``sphinx -W -q -b html [options]``),
    in this process; raises with Sphinx's output if it fails."""
    result = sphinx_in_process("-W", "-q", "-b", "html", *options, str(src), str(out), cwd=src)
    if result.returncode != 0:
        raise RuntimeError(f"Sphinx failed on {src}:\n{result.stdout}\n{result.stderr}")


def build_mkdocs(config_file: Path, site_dir: Path) -> None:
    """``mkdocs build --strict`` in this process; raises with MkDocs' log if it fails."""
    code, log = mkdocs_in_process(config_file, site_dir)
    if code != 0:
        raise RuntimeError(f"MkDocs failed on {config_file}:\n{log}")


def mkdocs_in_process(config_file: Path, site_dir: Path, *, strict: bool = True) -> tuple[int, str]:
    """``mkdocs build [--strict] -f config_file -d site_dir`` in this process, ~1 s cheaper
    than the command: its exit code, and its log as the command prints it (``LEVEL -  msg``,
    then the message of the error that ended it). An unexpected exception propagates (the
    command would print a traceback)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    lines: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: lines.append(  # type: ignore[method-assign]
        f"{record.levelname:<8}-  {record.getMessage()}"
    )
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    code = 0
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        lines.append(f"{type(exc).__name__}: {exc}")
        code = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return code, "\n".join(lines)
