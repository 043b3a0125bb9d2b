"""App snapshots made by a real build and shown by a real browser (the ``prerender`` setting).

A Sphinx site (Furo: a light and a dark scheme) is built with ``stlite_prerender = True``. Its
pages load stlite and Pyodide from another localhost server, as from a CDN (with CORS), so the
build's own headless Chromium (found on PATH, as a user's would be) runs the apps on the site's
own stlite and Pyodide while the build serves the site folder itself. Then readers' browsers
open the pages: without the live app (stlite unreachable), with it (the takeover), and with an
app that waits for a press.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser.live import Live
from testbed.browser import Server, serve
from testbed.offline_dist import Distribution

GOOD = """\
import streamlit as st
st.title("Made at build time")
st.write("A snapshot of the **first screen**.")
st.slider("A slider", 0, 10, 4)
c1, c2 = st.columns(2)
c1.metric("Metric", "21", "1.5")
c2.button("Press me")
st.success("All done")
st.caption("".join(["findable", "output"]))
"""
#: Elements' boxes, relative to their app box, in document order: in the snapshot's shadow root
#: or in the live mount (only elements with a size: what a reader sees).
BOXES = """([id, where]) => {
  const box = document.getElementById(id);
  const top = box.getBoundingClientRect();
  const root = where === "snapshot"
    ? [...box.querySelectorAll(".stlite-docs-snapshot")].find(s => s.offsetHeight).shadowRoot
    : box.querySelector(".stlite-docs-mount");
  return [...root.querySelectorAll("[data-testid]")].map(e => {
    const r = e.getBoundingClientRect();
    return [e.dataset.testid, r.left - top.left, r.top - top.top, r.width, r.height];
  }).filter(b => b[3] > 0 && b[4] > 0);
}"""


def _app(code: str, **options: str) -> str:
    lines = [".. stlite::", *(f"   :{k}: {v}" for k, v in options.items()), ""]
    return "\n".join(lines + [f"   {line}" if line else "" for line in code.splitlines()]) + "\n"


@dataclass
class Built:
    site: Path
    src: Path
    output: str
    lines: dict[str, int]
    server: Server


def _build(src: Path, out: Path, *extra: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", *extra, str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


@contextlib.contextmanager
def _cdn(offline_dist: Distribution) -> Iterator[str]:
    """stlite and Pyodide on a localhost server of their own, as on a CDN (with CORS): the
    URL of its folder."""
    with serve({"/_dist": offline_dist.root}) as cdn:
        cdn.headers["/_dist"] = {"Access-Control-Allow-Origin": "*"}
        yield f"{cdn.base_url}/_dist"


@pytest.fixture(scope="module")
def built(offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    work = tmp_path_factory.mktemp("prerender")
    src, out = work / "src", work / "html"
    src.mkdir()
    with _cdn(offline_dist) as dist:
        (src / "conf.py").write_text(
            'project = "Snapshots"\nextensions = ["stlite_docs.sphinx_ext"]\nhtml_theme = "furo"\n'
            f"stlite_js_url = {dist + '/stlite/stlite.js'!r}\n"
            f"stlite_css_url = {dist + '/stlite/stlite.css'!r}\n"
            f"stlite_pyodide_url = {dist + '/pyodide/pyodide.mjs'!r}\n"
            "stlite_prerender = True\n"
            f"stlite_cache_dir = {str(work / 'cache')!r}\n"
        )
        parts = [
            "Snapshots\n=========\n\n.. toctree::\n   :hidden:\n\n   click\n\nText before.\n\n"
        ]
        lines = {}
        for name, code, options in [
            ("good", GOOD, {}),
            ("fixed height", GOOD.replace("Made at", "Fixed, made at"), {"height": "300"}),
            (
                "raises",
                'import streamlit as st\nst.write("before")\nraise ValueError("on purpose")\n',
                {},
            ),
            (
                "opted out",
                'import streamlit as st\nst.write("no snapshot")\n',
                {"prerender": "false"},
            ),
        ]:
            lines[name] = "".join(parts).count("\n") + 1
            parts.append(_app(code, **options) + "\nBetween.\n\n")
        (src / "index.rst").write_text("".join(parts))
        (src / "click.rst").write_text("Click\n=====\n\n" + _app(GOOD, start="click"))
        output = _build(src, out)
        with serve({"/site": out}) as site:
            yield Built(out, src, output, lines, site)


def _snapshots(page: str) -> list[list[str]]:
    """The schemes of each app's snapshots, in order."""
    apps = re.split(r'<div class="stlite-docs-app" id=', page)[1:]
    return [re.findall(r'class="stlite-docs-snapshot" data-scheme="(\w+)"', a) for a in apps]


def test_the_build_writes_snapshots_and_says_which_apps_have_none(built: Built) -> None:
    index = (built.site / "index.html").read_text()
    assert _snapshots(index) == [["light", "dark"], ["light", "dark"], [], []]
    assert _snapshots((built.site / "click.html").read_text()) == [["light", "dark"]]
    assert "Made at build time" in index  # the snapshot's text is in the page
    assert "rendering app snapshots... [100%]" in built.output
    raised = f"index.rst:{built.lines['raises']}: WARNING: stlite: no snapshot of this app"
    assert raised in built.output
    assert "its first run raised an exception (ValueError: on purpose)" in built.output
    assert built.output.count("no snapshot of this app") == 1  # the opted-out app: no warning
    assert "3 rendered, 0 from the cache" in built.output
    # the snapshots' text is in the site's search index (a word only the app's output has)
    assert "findableoutput" in (built.site / "searchindex.js").read_text()


def test_a_rebuild_takes_the_snapshots_from_the_cache(built: Built, tmp_path: Path) -> None:
    # -E: every page written again, without its snapshot; no browser may be needed
    output = _build(built.src, tmp_path / "again", "-E", "-D", "stlite_prerender_browser=/nope")
    assert "0 rendered, 3 from the cache" in output
    assert "remembered from an earlier build" in output  # the app that raised: not run again
    assert _snapshots((tmp_path / "again" / "index.html").read_text())[0] == ["light", "dark"]
    assert "findableoutput" in (tmp_path / "again" / "searchindex.js").read_text()


def _without_stlite(page: Page) -> None:
    page.route("**/stlite.js", lambda route: route.abort())


def _visible_snapshot(page: Page) -> dict[str, object]:
    shown: dict[str, object] = page.evaluate(
        """() => {
      const snaps = [...document.querySelectorAll('.stlite-docs-snapshot')];
      const snap = snaps.find(s => s.offsetHeight);
      const root = snap.shadowRoot;
      return {scheme: snap.dataset.scheme, text: root.textContent,
              height: snap.offsetHeight, scripts: root.querySelectorAll('script').length,
              bg: getComputedStyle(root.querySelector('[data-testid=stApp]')).backgroundColor};
    }"""
    )
    return shown


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readers_see_the_snapshot_of_their_scheme_before_python(
    live: Live, built: Built, scheme: str
) -> None:
    live.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    _without_stlite(live.page)
    live.page.goto(f"{built.server.base_url}/site/index.html")
    shown = _visible_snapshot(live.page)
    assert shown["scheme"] == scheme
    assert "Made at build time" in str(shown["text"]) and "A slider" in str(shown["text"])
    assert int(str(shown["height"])) > 300 and shown["scripts"] == 0
    dark_bg = sum(int(c) for c in str(shown["bg"])[4:-1].split(",")) / 3 < 128
    assert dark_bg == (scheme == "dark")
    # every snapshot shows, a fixed-height app's too (as tall as its box)
    heights = live.page.evaluate(
        """() => [...document.querySelectorAll('.stlite-docs-app')].map(app =>
          [...app.querySelectorAll('.stlite-docs-snapshot')].map(s => s.offsetHeight))"""
    )
    assert [max(h, default=0) > 0 for h in heights] == [True, True, False, False], heights
    assert 290 <= max(heights[1]) <= 300, heights
    # nothing in a snapshot passes for an app, also to locators that reach into shadow roots
    assert live.page.locator(".stlite-docs-app").count() == 4
    assert live.page.locator(".stlite-docs-mount").count() == 0
    live.page.screenshot(path=str(_artifact(f"prerender-snapshot-{scheme}.png")), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_without_javascript_the_snapshot_of_the_readers_system_shows(
    live: Live, built: Built, scheme: str
) -> None:
    context = live.browser.new_context(java_script_enabled=False, color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(f"{built.server.base_url}/site/index.html")
        shown = page.evaluate(
            """() => [...document.querySelectorAll('.stlite-docs-app')].map(app =>
              [...app.querySelectorAll('.stlite-docs-snapshot')]
                .filter(s => s.offsetHeight > 0).map(s => s.dataset.scheme))"""
        )
        # one snapshot per app that has them, of the reader's scheme (Furo follows the system)
        assert shown == [[scheme], [scheme], [], []]
    finally:
        context.close()


def test_the_live_app_takes_the_snapshots_place_without_a_jump(live: Live, built: Built) -> None:
    live.page.goto(f"{built.server.base_url}/site/index.html", wait_until="domcontentloaded")
    box_id = "stlite-index-0"
    before = live.page.evaluate(BOXES, [box_id, "snapshot"])
    height_before = live.page.locator(f"#{box_id}").bounding_box()["height"]  # type: ignore[index]
    state = live.page.locator(f"#{box_id}").get_attribute("data-stlite-docs-state")
    assert state in ("pending", "loading"), state  # the snapshot shows while Python loads
    live.expect_text(0, "All done")
    live.page.wait_for_function(
        "id => document.getElementById(id).dataset.stliteDocsState === 'running'", arg=box_id
    )
    live.page.wait_for_function(  # no element still loading its code (a placeholder)
        "id => !document.getElementById(id).querySelector('[data-testid=stSkeleton]')",
        arg=box_id,
    )
    live.page.wait_for_timeout(500)
    after = live.page.evaluate(BOXES, [box_id, "live"])
    height_after = live.page.locator(f"#{box_id}").bounding_box()["height"]  # type: ignore[index]
    assert abs(height_after - height_before) <= 2, (height_before, height_after)
    # the same elements, in the same places: the snapshot is the app's first screen
    assert [b[0] for b in before] == [b[0] for b in after]
    worst = max(
        abs(x - y)
        for b, a in zip(before, after, strict=True)
        for x, y in zip(b[1:], a[1:], strict=True)
    )
    assert worst <= 2, worst


def test_pressing_the_snapshot_of_a_waiting_app_starts_it(live: Live, built: Built) -> None:
    live.page.goto(f"{built.server.base_url}/site/click.html")
    app = live.page.locator(".stlite-docs-app").first
    assert app.get_attribute("data-stlite-docs-state") == "click"
    assert "Made at build time" in str(_visible_snapshot(live.page)["text"])
    live.page.locator(".stlite-docs-snapshot").first.click(position={"x": 200, "y": 60})
    live.page.wait_for_function(
        "() => ['pending', 'loading', 'running']"
        ".includes(document.querySelector('.stlite-docs-app').dataset.stliteDocsState)"
    )
    live.expect_text(0, "All done")


def _artifact(name: str) -> Path:
    from browser.live import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def test_the_mkdocs_plugin_writes_snapshots_and_indexes_their_text(
    offline_dist: Distribution, tmp_path: Path
) -> None:
    """The MkDocs plugin's ``prerender``: snapshots in the pages, the text in the search
    plugin's index (listed after the plugin: the snapshots come after the index is written),
    and an app whose first run raises warned at its ``document:line``."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (
        "# Home\n\n```stlite\n" + GOOD + "```\n\nText.\n\n```stlite\n"
        'import streamlit as st\nraise ValueError("on purpose")\n```\n'
    )
    (docs / "index.md").write_text(text)
    raises_at = text[: text.rindex("```stlite")].count("\n") + 1
    with _cdn(offline_dist) as dist:
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: Snapshots\nuse_directory_urls: false\nplugins:\n  - stlite:\n"
            f"      js_url: {dist}/stlite/stlite.js\n      css_url: {dist}/stlite/stlite.css\n"
            f"      pyodide_url: {dist}/pyodide/pyodide.mjs\n      prerender: true\n"
            f"      cache_dir: {tmp_path / 'cache'}\n  - search\n"
        )
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
            cwd=tmp_path,
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    page = (tmp_path / "site" / "index.html").read_text()
    assert _snapshots(page) == [["light", "dark"], []]  # MkDocs: its own theme has both
    raised = f"index.md:{raises_at}: no snapshot of this app: its first run raised an exception"
    assert raised in output
    index = (tmp_path / "site" / "search" / "search_index.json").read_text()
    assert "findableoutput" in index


def test_outputs_that_cannot_run_apps_show_a_picture_above_the_source(
    built: Built, tmp_path: Path
) -> None:
    """LaTeX (PDF): each app's first screen as a PNG above its source, made by the same
    browser on the app's own page; an app whose first run raises gets none, and a warning."""
    import struct

    out = tmp_path / "latex"
    output = _build(built.src, out, "-b", "latex")
    (tex,) = out.glob("*.tex")
    included = re.findall(r"\\sphinxincludegraphics\{\{(\w+)\}\.png\}", tex.read_text())
    assert len(included) == 3, included  # index: two apps (one raises, one opted out); click: one
    for name in included:
        png = (out / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == 760 * 2 and height > 400, (width, height)
    raised = f"index.rst:{built.lines['raises']}: WARNING: stlite: no picture of this app"
    assert raised in output
    assert "picturing apps... [100%]" in output
    # again: from the cache, no browser needed
    again = _build(
        built.src, tmp_path / "again", "-b", "latex", "-D", "stlite_prerender_browser=/x"
    )
    assert "picturing apps" not in again and "WARNING: stlite: no picture" in again
