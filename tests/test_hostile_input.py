"""Hostile and malformed input through the REAL front ends, property-based.

Generated app sources and option strings go through an in-process Sphinx build
(reST) and an in-process MkDocs build, and the built page is parsed with
html5lib (the HTML5 parsing algorithm browsers use). What each front end does to
a body before stlite-docs sees it is asserted here exactly as the docs state (authoring.rst)
it (section "What the body keeps"):

- both: CRLF and lone CR become LF (the files are read with universal newlines);
  trailing blank lines of the body are not kept;
- reST: the body is exact otherwise (tabs and trailing spaces are re-read from
  the file), but its leading blank lines and common indentation are removed, and
  U+001C-U+001E, U+0085, U+2028 and U+2029 are line ends in reST, which cannot
  appear inside an indented block;
- MkDocs (Python-Markdown): tabs become spaces (4-column stops), lines of only
  spaces become empty, and U+0002/U+0003 are dropped, unless pymdownx.superfences
  has ``preserve_tabs: true``, which keeps the body exact except U+0001 and
  U+0004 (dropped: superfences uses them as placeholders in that mode).
- MyST: tabs and trailing spaces are kept; NUL becomes U+FFFD and vertical tab,
  form feed and the Unicode line ends become LF (markdown-it).

The number of examples is kept small enough for the whole module to run in
about half a minute; ``HYPOTHESIS_PROFILE=thorough`` runs ten times more, the quick loop
(``pytest --quick``) a tenth.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples
from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state
from sphinx.util import logging as sphinx_logging

from stlite_docs import OPTION_NAMES, AppErrors, SourceContext, build_app

ENTRY = "streamlit_app.py"
EXAMPLES = examples(40)
RUN = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

# Line ends for str.splitlines besides \n and \r: reST splits on them before any
# directive sees its body (documented; not generated for reST).
RST_LINE_ENDS = "\x1c\x1d\x1e\x85\u2028\u2029"
# Pieces that end script elements, open comments, look like template syntax, or
# could be mistaken for markup by a careless front end. "MARK" lets the test find
# them anywhere in the page outside the app's JSON and its code display.
HOSTILE = [
    "</script>",
    "</SCRIPT >",
    "<script>alert('MARK')</script>",
    "<!--",
    "-->",
    "<!-- MARK -->",
    "]]>",
    "<![CDATA[MARK",
    "{{ MARK }}",
    "{% raw %}",
    "{% endraw %}",
    "{%- if MARK %}",
    "${MARK}",
    "`MARK`",
    "\x00",
    "\x01",
    "\x02",
    "\x03",
    "\x1b[31m",
    "\x7f",
    "\r\n",
    "\r",
    "\t",
    "\v",
    "\f",
    "\ufeff",
    "\U0001f40d",
    "'''",
    '"""',
    "\\",
    "\\u003c",
    "&amp;",
    "&lt;MARK&gt;",
    "<img src=x onerror=MARK>",
    ".. raw:: html",
    ":height: 1",
    "</div>",
    '<div class="stlite-docs-app">',
    "\u200b",
    "\ufffd",
]
NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # files are UTF-8: no lone surrogates


def _source_strategy(excluded: str) -> st.SearchStrategy[str]:
    text = st.text(
        st.characters(exclude_categories=NO_SURROGATES, exclude_characters=excluded), max_size=30
    )
    chunk = st.sampled_from([h for h in HOSTILE if not set(h) & set(excluded)]) | text
    line = st.lists(chunk, max_size=6).map("".join)
    # The first and last lines are plain code, so the leading/trailing blank-line
    # rules (tested separately) do not apply to the generated middle. No line may be a
    # section marker ("## file: NAME", "## setup"): those split the app (tested apart).
    return (
        st.lists(line, min_size=1, max_size=8)
        .map(lambda lines: "import streamlit as st\n" + "\n".join(lines) + "\nst.write('end')\n")
        .filter(lambda source: not any(_is_marker(part) for part in source.splitlines()))
    )


def _is_marker(line: str) -> bool:
    return line.startswith(("## file:", "## setup"))


RST_SOURCES = _source_strategy(RST_LINE_ENDS)
MD_SOURCES = _source_strategy("")

_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def _lines(source: str) -> list[str]:
    return _LINE_END_RE.split(source)


def expected_rst(source: str) -> str:
    return "\n".join(_lines(source))


def expected_markdown(source: str, preserve_tabs: bool) -> str:
    text = "\n".join(_lines(source))
    if preserve_tabs:  # superfences' own placeholders, SOH and EOT, are dropped
        return text.replace("\x01", "").replace("\x04", "")
    text = text.replace("\x02", "").replace("\x03", "").expandtabs(4)
    return re.sub(r"(?<=\n) +\n", "\n", text)


# --- checking a built page ---------------------------------------------------------

_CONFIG_RE = re.compile(r'<template class="stlite-docs-config">(.*?)</template', re.DOTALL)


class _Scan(HTMLParser):
    """A streaming pass for pages too big for a tree parser (html5lib takes ~10 s
    on the 6 MB page of a highlighted 1 MB app): app elements, config texts, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.apps = 0
        self.configs: list[list[str]] = []
        self.scripts = 0
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "stlite-docs-app" in classes:
            self.apps += 1
        self.scripts += tag == "script"
        if tag == "template":
            self._text = []
            if "stlite-docs-config" in classes:
                self.configs.append(self._text)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._text = None


def check_big_page(html: str, source: str) -> None:
    scan = _Scan()
    scan.feed(html)
    scan.close()
    (raw,) = _CONFIG_RE.findall(html)
    assert scan.apps == 1
    assert ["".join(text) for text in scan.configs] == [raw]
    assert not set(raw) & set("<>&") and raw.isascii()
    assert json.loads(raw)["files"][ENTRY] == source


def check_page(html: str, sources: list[str]) -> None:
    """The page parses to exactly these apps, each config is inert, escaped JSON
    holding its source, and nothing of a source shows outside its app."""
    soup = BeautifulSoup(html, "html5lib")
    apps = [t for t in soup.select("div.stlite-docs-app") if isinstance(t, Tag)]
    assert len(apps) == len(sources), f"{len(apps)} app elements for {len(sources)} apps"
    raw_configs = _CONFIG_RE.findall(html)
    assert len(raw_configs) == len(sources)
    for app, raw, source in zip(apps, raw_configs, sources, strict=True):
        assert not app.find_all("script")
        templates = app.find_all("template", recursive=False)
        assert len(templates) == 1 and isinstance(templates[0], Tag)
        assert templates[0].string == raw  # the HTML parser ended the template where we did
        for char in "<>&":
            assert char not in raw
        assert raw.isascii()
        config = json.loads(raw)
        assert config["files"][config["entrypoint"]] == source  # the option may rename it
        assert [c.get("class") for c in app.find_all(recursive=False)] == [
            ["stlite-docs-config"],
            ["stlite-docs-source"],
        ]
    for app in apps:
        app.decompose()
    outside = str(soup)
    assert "MARK" not in outside
    for source in sources:
        for line in source.split("\n"):
            if len(line.strip()) >= 16 and "st.write('end')" not in line:
                assert line not in outside, f"app source outside its app: {line!r}"


# --- the Sphinx bed: one in-process application, a new document per example -----------


@dataclass
class SphinxBed:
    src: Path
    out: Path
    app: Sphinx
    warnings: io.StringIO
    count: int = 0

    def build(self, rst: bytes) -> tuple[str, str, str]:
        """Write and build one new document; its HTML, its warnings and its name."""
        self.count += 1
        name = f"ex{self.count}"
        (self.src / f"{name}.rst").write_bytes(rst)
        before = len(self.warnings.getvalue())
        # another Sphinx application (other tests) takes over Sphinx's logging
        sphinx_logging.setup(self.app, io.StringIO(), self.warnings)
        self.app.build(False, [])
        html = (self.out / f"{name}.html").read_text(encoding="utf-8")
        return html, self.warnings.getvalue()[before:], name


@pytest.fixture(scope="module")
def sphinx_bed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxBed]:
    root = tmp_path_factory.mktemp("sphinx-hostile")
    src, out = root / "src", root / "out"
    (src / "apps").mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["stlite_docs.sphinx_ext"]\n', encoding="utf-8")
    (src / "index.rst").write_text("Index\n=====\n", encoding="utf-8")
    (src / "apps" / "ok.py").write_text("import streamlit as st\n", encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(
        str(src),
        str(src),
        str(out),
        str(out / ".doctrees"),
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    yield SphinxBed(src, out, app, warnings)
    _clean_up_global_state()  # docutils registrations, as sphinx.testing's apps do


def rst_directive(source: str, options: dict[str, str] | None = None) -> str:
    opts = "".join(f"   :{k}: {v}\n" for k, v in (options or {}).items())
    body = "".join(f"   {line}\n" for line in _lines(source))
    return f".. stlite::\n{opts}\n{body}\n"


def rst_page(directives: list[str]) -> bytes:
    return (":orphan:\n\nTitle\n=====\n\n" + "Text between.\n\n".join(directives)).encode()


@RUN
@given(st.lists(RST_SOURCES, min_size=1, max_size=3))
def test_rst_sources_round_trip(sphinx_bed: SphinxBed, sources: list[str]) -> None:
    html, warnings, _ = sphinx_bed.build(rst_page([rst_directive(s) for s in sources]))
    assert "ERROR" not in warnings, warnings
    check_page(html, [expected_rst(s) for s in sources])


def _big_source() -> str:
    line = "st.write('</script><!-- ]]> {{ x }} ${y} \\t é 🐍')  \t# \x00\x01 tail  "
    lines = ["import streamlit as st"] + [f"{line}{i}" for i in range(14_000)]
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # a stress test: several seconds per front end
def test_rst_one_megabyte_body(sphinx_bed: SphinxBed) -> None:
    source = _big_source()
    assert len(source.encode()) > 1_000_000
    html, warnings, _ = sphinx_bed.build(rst_page([rst_directive(source)]))
    assert "ERROR" not in warnings
    check_big_page(html, source)


def test_rst_documented_normalisation(sphinx_bed: SphinxBed) -> None:
    """Leading/trailing blank lines and the common indentation go; tabs, trailing
    spaces, form feeds and vertical tabs stay; CRLF becomes LF."""
    rst = rst_page(
        [
            ".. stlite::\n\n\n     \tx = 1  \r\n     y = '\v\f'\t\n\n       z = 3 \n\n\n",
            rst_directive("import streamlit as st\nif True:\n\tst.write('tab')  \n"),
        ]
    )
    html, warnings, _ = sphinx_bed.build(rst)
    assert "ERROR" not in warnings
    check_page(
        html,
        [
            "\tx = 1  \ny = '\v\f'\t\n\n  z = 3 \n",
            "import streamlit as st\nif True:\n\tst.write('tab')  \n",
        ],
    )


@pytest.mark.parametrize("char", list(RST_LINE_ENDS))
def test_rst_unicode_line_ends_are_line_ends(sphinx_bed: SphinxBed, char: str) -> None:
    """Documented: such a character ends the line in reST, so the rest of the line
    is not part of the body; the build names the place, nothing leaks."""
    rst = rst_page([f".. stlite::\n\n   x = 'a{char}MARK'\n   y = 2\n"])
    html, warnings, name = sphinx_bed.build(rst)
    assert f"{name}.rst:" in warnings  # docutils reports the unindented line
    soup = BeautifulSoup(html, "html5lib")
    for app in soup.select("div.stlite-docs-app"):
        script = app.select_one("template.stlite-docs-config")
        assert script is not None and script.string is not None
        assert json.loads(script.string)["files"][ENTRY] == "x = 'a\n"


def test_rst_source_read_changes_fall_back_to_docutils_lines(sphinx_bed: SphinxBed) -> None:
    """When an extension rewrote the text, the file's lines are not used."""

    def edit(app: Sphinx, docname: str, source: list[str]) -> None:
        source[0] = source[0].replace("OLD", "NEW")

    listener = sphinx_bed.app.connect("source-read", edit)
    try:
        html, _, _ = sphinx_bed.build(rst_page([".. stlite::\n\n   x = 'OLD'\t\n   y = 1\n"]))
    finally:
        sphinx_bed.app.disconnect(listener)
    check_page(html, ["x = 'NEW'\ny = 1\n"])


# --- the MkDocs bed -------------------------------------------------------------------


@dataclass
class MkDocsBed:
    root: Path
    preserve_tabs: bool

    def build(self, markdown: bytes) -> tuple[str, list[str]]:
        """Build ``index.md``; the page (or "" if the build aborted) and the log."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort

        (self.root / "docs" / "index.md").write_bytes(markdown)
        site = self.root / "site"
        shutil.rmtree(site, ignore_errors=True)
        records: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
        handler.setLevel(logging.WARNING)
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(site))
            try:
                build(config)
            except Abort:
                return "", records
        finally:
            logger.removeHandler(handler)
        return (site / "index.html").read_text(encoding="utf-8"), records


def _mkdocs_bed(root: Path, preserve_tabs: bool) -> MkDocsBed:
    (root / "docs" / "apps").mkdir(parents=True)
    (root / "docs" / "apps" / "ok.py").write_text("import streamlit as st\n", encoding="utf-8")
    extensions = (
        "markdown_extensions:\n  - pymdownx.superfences:\n      preserve_tabs: true\n"
        if preserve_tabs
        else ""
    )
    (root / "mkdocs.yml").write_text(
        f"site_name: hostile\nuse_directory_urls: false\nplugins: [stlite]\n{extensions}",
        encoding="utf-8",
    )
    return MkDocsBed(root, preserve_tabs)


@pytest.fixture(scope="module", params=[False, True], ids=["default", "preserve_tabs"])
def mkdocs_bed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MkDocsBed:
    return _mkdocs_bed(tmp_path_factory.mktemp("mkdocs-hostile"), bool(request.param))


@pytest.fixture(scope="module")
def plain_mkdocs_bed(tmp_path_factory: pytest.TempPathFactory) -> MkDocsBed:
    return _mkdocs_bed(tmp_path_factory.mktemp("mkdocs-options"), False)


def md_fence(source: str, options: str = "") -> str:
    longest = max((len(m) for m in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}stlite{options}\n{source}{fence}\n"


def md_page(fences: list[str]) -> bytes:
    return ("# Title\n\n" + "\nText between.\n\n".join(fences)).encode()


@RUN
@given(st.lists(MD_SOURCES, min_size=1, max_size=3))
def test_markdown_sources_round_trip(mkdocs_bed: MkDocsBed, sources: list[str]) -> None:
    html, log = mkdocs_bed.build(md_page([md_fence(s) for s in sources]))
    assert html, log
    check_page(html, [expected_markdown(s, mkdocs_bed.preserve_tabs) for s in sources])


@pytest.mark.slow  # a stress test: several seconds per front end
def test_markdown_one_megabyte_body(mkdocs_bed: MkDocsBed) -> None:
    source = _big_source()
    html, log = mkdocs_bed.build(md_page([md_fence(source)]))
    assert html, log
    check_big_page(html, expected_markdown(source, mkdocs_bed.preserve_tabs))


# --- arbitrary options: a valid app or a located error, never a traceback ---------------

NAMES = st.sampled_from(sorted(OPTION_NAMES)) | st.from_regex(r"[a-z][a-z_-]{0,10}", fullmatch=True)
VALUE_CHARS = st.characters(
    exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=RST_LINE_ENDS + "\"'`"
)
VALUES = st.text(VALUE_CHARS, max_size=40) | st.sampled_from(
    [
        "0",
        "-1",
        "1e9",
        "420",
        "30em",
        "60vh",
        "100%",
        "apps/ok.py",
        "../../etc/passwd",
        "/etc/passwd",
        "/apps/ok.py",
        "apps",
        "x.py",
        "app.py",
        "a/../b.py",
        "packaging",
        "no such thing",
        "altair>=5,<6",
        "https://x/y.whl",
        "{",
        '{"theme": 1}',
        "[theme]",
        '{"a": ' + "[" * 5000,
        "a = " + "[" * 5000,
        "true",
        "maybe",
        "editor",
        "code-above",
    ]
)
OPTIONS = st.dictionaries(NAMES, VALUES, max_size=4)


def _core_outcome(options: dict[str, str], ctx: SourceContext) -> list[str] | dict[str, object]:
    """What the core alone says: its error messages, or the app's config."""
    try:
        return build_app("import streamlit as st\n", options, ctx).spec.to_config()
    except AppErrors as exc:
        return [error.message for error in exc.errors]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(OPTIONS)
def test_rst_arbitrary_options(sphinx_bed: SphinxBed, options: dict[str, str]) -> None:
    # docutils strips option values; the core sees what docutils passed on
    stripped = {k: v.strip() for k, v in options.items()}
    rst = rst_page([rst_directive("import streamlit as st\n", stripped)])
    html, warnings, name = sphinx_bed.build(rst)
    ctx = SourceContext(doc_dir=sphinx_bed.src, root_dir=sphinx_bed.src)
    outcome = _core_outcome(stripped, ctx)
    soup = BeautifulSoup(html, "html5lib")
    apps = soup.select("div.stlite-docs-app")
    ours = [line for line in warnings.splitlines() if f"{name}.rst" in line and "ERROR" in line]
    if not apps:  # located errors
        assert ours and all(re.search(rf"{name}\.rst:\d+: ERROR: ", line) for line in ours), (
            warnings
        )
    else:
        assert not ours, warnings
        check_page(html, ["import streamlit as st\n"])
    # docutils reads field names as inline text ("a_" is "a"); plain names reach the core as is
    if all(re.fullmatch(r"[a-z]+(?:-[a-z]+)*", key) for key in options):
        assert bool(apps) == (not isinstance(outcome, list)), (outcome, warnings)
        if isinstance(outcome, list):  # each of the core's errors, in its order
            assert len(ours) == len(outcome), (outcome, warnings)
            for message, line in zip(outcome, ours, strict=True):
                assert message.splitlines()[0] in line


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(OPTIONS)
@example({"config": '{"a": ' + "[" * 5000})
@example({"config": "a = " + "[" * 5000})
def test_markdown_arbitrary_options(plain_mkdocs_bed: MkDocsBed, options: dict[str, str]) -> None:
    mkdocs_bed = plain_mkdocs_bed
    header = "".join(f' {k}="{v}"' for k, v in options.items())
    page = "# T\n\n" + md_fence("import streamlit as st\n", header)
    html, log = mkdocs_bed.build(page.encode())
    ctx = SourceContext(doc_dir=mkdocs_bed.root / "docs", root_dir=mkdocs_bed.root / "docs")
    # Python-Markdown normalises the header like the body (tabs to spaces)
    outcome = _core_outcome({k: v.expandtabs(4) for k, v in options.items()}, ctx)
    located = [m for m in log if m.removeprefix("stlite: ").startswith("index.md:3: ")]
    if not all(re.fullmatch(r"[a-zA-Z][a-zA-Z0-9_]*", name) for name in options):
        # SuperFences cannot read such a header (or reads part of it): a located error
        assert not html
        assert located, log
    elif isinstance(outcome, list):
        assert not html
        assert located, log  # a quote in a value changes what SuperFences reads
    else:
        assert html, log
        check_page(html, ["import streamlit as st\n"])
