"""Python stays warm from page to page: real Sphinx builds, real Chromium, a reader's walk.

A self-contained Sphinx site (stlite and Pyodide vendored from the offline distribution, so the
site serves its worker file, as a site on the default CDN serves the shipped one) with a chain
of pages, each linking to the next. A reader opens the first page and clicks on. Asserted:

* one worker serves the whole walk (one shared-worker target, Pyodide's wasm downloaded once),
  and each next page's apps show their own output, not the left page's (a multi-file app's
  ``utils`` module is the page's own);
* the left pages' apps end in the worker: its count of running apps, and of Streamlit sessions
  alive in Python, is the current page's;
* a page whose app has another Streamlit config gets it applied on the warm worker, and the
  next page its own again;
* an app whose requirement conflicts with a package the warm worker installed (another version)
  runs in a worker of its own, with the right version, and says so on the console;
* a ``click`` app on the next page attaches to the warm worker when pressed; an editor page
  after a plain one reruns an edit in place; back navigation shows the apps again;
* ``stlite_keep_warm = False``: one worker per page view (Pyodide loads on every page);
* two sites under one origin never share a worker.

Times are printed for the record, not asserted (the benchmark's tutorial walk measures them).
"""

from __future__ import annotations

import json
import shutil
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError

from testbed.browser import Server, serve
from testbed.build import sphinx_in_process
from testbed.offline_dist import Distribution, write_wheel

BOOT_TIMEOUT_MS = 240_000
WARM_TIMEOUT_MS = 60_000
PROBE_WHEELS = {version: f"probe_pkg-{version}-py3-none-any.whl" for version in ("1.0", "2.0")}


def _app(source: str, **options: str) -> str:
    opts = "".join(f"   :{k}: {v}\n" for k, v in options.items())
    return f".. stlite::\n{opts}\n{textwrap.indent(source, '   ')}\n"


def _write(text: str) -> str:
    return f"import streamlit as st\nst.write({text!r})\n"


def _utils(text: str) -> str:
    return (
        "import streamlit as st\nfrom utils import greeting\nst.write(greeting())\n"
        f"## file: utils.py\ndef greeting():\n    return {text!r}\n"
    )


MAGIC = "import streamlit as st\nst.write(f\"magic={st.get_option('runner.magicEnabled')}\")\n"
PROBE = "import probe_pkg\nimport streamlit as st\nst.write(f'probe {probe_pkg.VERSION}')\n"
EDITOR = _write("editor first")

#: name -> (title, the apps' reST, the texts the apps show, in order)
PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "index": (
        "Walk",
        _app(_write("walk one ready")) + _app(_utils("utils of page one")),
        ("walk one ready", "utils of page one"),
    ),
    "two": (
        "Two",
        _app(_write("two a ready")) + _app(_write("two b ready")) + _app(_write("two c ready")),
        ("two a ready", "two b ready", "two c ready"),
    ),
    "three": (
        "Three",
        _app(_utils("utils of page three")) + _app(MAGIC),
        ("utils of page three", "magic=True"),
    ),
    "config": (
        "Config",
        _app(MAGIC, config='{"runner": {"magicEnabled": false}}'),
        ("magic=False",),
    ),
    "req1": ("Probe one", _app(PROBE, requirements=f"./{PROBE_WHEELS['1.0']}"), ("probe 1.0",)),
    "req2": ("Probe two", _app(PROBE, requirements=f"./{PROBE_WHEELS['2.0']}"), ("probe 2.0",)),
    "click": ("Click", _app(_write("clicked ready"), start="click"), ("clicked ready",)),
    "editor": ("Editor", _app(EDITOR, layout="editor"), ("editor first",)),
}
ORDER = list(PAGES)


@dataclass
class Site:
    server: Server
    root: str  # URL path of the warm build
    cold: str  # URL path of the same site built with stlite_keep_warm = False


@pytest.fixture(scope="module")
def site(offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("warm")
    src = work / "src"
    (src / "_static").mkdir(parents=True)
    (work / "wheels").mkdir()
    for version, name in PROBE_WHEELS.items():
        # served by the site next to its worker file, which resolves the apps' ./ URLs
        write_wheel(
            src / "_static" / name,
            "probe_pkg",
            version,
            {"probe_pkg.py": f"VERSION = {version!r}\n"},
        )
    conf = {
        "extensions": ["stlite_docs.sphinx_ext"],
        "project": "warm walk",
        "html_sidebars": {"**": []},
        "html_static_path": ["_static"],
        "stlite_self_contained": True,
        "stlite_browser_source": str(offline_dist.stlite_dir),
        "stlite_pyodide_source": str(offline_dist.pyodide_dir),
        "stlite_package_index": str(work / "wheels"),
        "stlite_cache_dir": str(work / "cache"),
    }
    (src / "conf.py").write_text("".join(f"{k} = {v!r}\n" for k, v in conf.items()))
    for i, (name, (title, apps, _)) in enumerate(PAGES.items()):
        text = f"{title}\n{'=' * len(title)}\n\n{apps}\n"
        if i + 1 < len(ORDER):
            text += f"Next: :doc:`{ORDER[i + 1]}`\n"
        if name == "index":
            text += "\n.. toctree::\n   :hidden:\n\n" + "".join(f"   {n}\n" for n in ORDER[1:])
        (src / f"{name}.rst").write_text(text)
    html = work / "html"
    for out, extra in (("warm", []), ("cold", ["-D", "stlite_keep_warm=0"])):
        proc = sphinx_in_process(
            "-W", "-q", "-b", "html", *extra, str(src), str(html / out), cwd=src
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'data-keep-warm="false"' in (html / "cold" / "index.html").read_text(encoding="utf-8")
    # the same site under a second path of the origin: another site
    shutil.copytree(html / "warm", html / "other")
    with serve({"/site": html}) as server:
        yield Site(server, "/site/warm", "/site/cold")


@dataclass
class Reader:
    """One reader's browser tab: a context of its own (SharedWorkers are per context)."""

    browser: Browser
    site: Site
    context: BrowserContext
    page: Page
    console: list[str] = field(default_factory=list)
    since: int = 0  # the server's request log, when the walk began
    root: str = ""  # the site walked

    def open(self, path: str) -> float:
        start = time.monotonic()
        self.page.goto(f"{self.site.server.base_url}{path}")
        return start

    def follow(self, name: str) -> float:
        """Click the link to page ``name`` (a full navigation); a page the current one does
        not link to is opened as a reader types its address."""
        start = time.monotonic()
        link = self.page.locator(f'a[href="{name}.html"]').first
        if link.count():
            link.click()
            self.page.wait_for_url(f"**/{name}.html")
        else:
            self.page.goto(f"{self.site.server.base_url}{self.root}/{name}.html")
        return start

    def shows(self, name: str, timeout: float = WARM_TIMEOUT_MS) -> None:
        for i, text in enumerate(PAGES[name][2]):
            app = self.page.locator(".stlite-docs-app").nth(i)
            app.scroll_into_view_if_needed()
            try:
                app.locator(".stlite-docs-mount").get_by_text(text, exact=True).first.wait_for(
                    timeout=timeout
                )
            except PlaywrightError:
                states = self.page.evaluate(STATES_JS)
                raise AssertionError(
                    f"{name}: no {text!r}; apps: {states}; {self.console}"
                ) from None

    def walk(self, names: list[str], first_timeout: float = BOOT_TIMEOUT_MS) -> list[float]:
        """Open the first page, then follow links to the others; seconds to each page's
        apps."""
        times = []
        for i, name in enumerate(names):
            start = self.open(f"{self.root}/{name}.html") if i == 0 else self.follow(name)
            self.shows(name, first_timeout if i == 0 else WARM_TIMEOUT_MS)
            times.append(round(time.monotonic() - start, 2))
        return times

    def requests(self, suffix: str) -> int:
        return sum(
            p.split("?")[0].endswith(suffix) for p in self.site.server.requests[self.since :]
        )

    def shared_workers(self) -> list[str]:
        cdp = self.browser.new_browser_cdp_session()
        try:
            infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
            ours = cdp.send(
                "Target.getTargetInfo",
                {
                    "targetId": next(
                        t["targetId"]
                        for t in infos
                        if t["type"] == "page" and t["url"] == self.page.url
                    )
                },
            )["targetInfo"]["browserContextId"]
        finally:
            cdp.detach()
        return [
            t["url"]
            for t in infos
            if t["type"] == "shared_worker" and t.get("browserContextId") == ours
        ]

    def stats(self) -> dict[str, Any]:
        """The warm worker's own account (loader/src/worker/warm.js), asked on a connection of
        its own: the page's worker is the one the loader's tag names."""
        stats: dict[str, Any] = self.page.evaluate(STATS_JS)
        return stats


#: Each app's state and status line, and the text it shows.
STATES_JS = """() => [...document.querySelectorAll('.stlite-docs-app')].map((el) => [
  el.getAttribute('data-stlite-docs-state'),
  el.querySelector('.stlite-docs-status')?.textContent,
  el.querySelector('.stlite-docs-mount')?.innerText.slice(0, 200),
])"""

#: Connect to the site's warm worker (the worker file and name the loader uses, early-worker.js
#: workerOptions) and ask for its stats.
STATS_JS = """() => new Promise((resolve, reject) => {
  const tag = document.querySelector('script[data-stlite-worker]');
  const url = new URL(tag.getAttribute('data-stlite-worker'), tag.src).href;
  const pyodide = new URL(tag.getAttribute('data-pyodide'), tag.src).href;
  const options = {type: 'classic', name: `stlite-docs ${pyodide}`, extendedLifetime: true};
  const w = new SharedWorker(url, options);
  w.port.onmessage = ({data}) => {
    if (data.type !== 'stlite-docs:stats') return;
    w.port.close();
    resolve(data.data);
  };
  w.port.postMessage({type: 'stlite-docs:stats'});
  setTimeout(() => reject(new Error('the worker did not answer')), 20000);
})"""


@pytest.fixture
def reader(browser: Browser, site: Site) -> Iterator[Reader]:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    r = Reader(browser, site, context, page, since=len(site.server.requests), root=site.root)

    def on_console(message: ConsoleMessage) -> None:
        r.console.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    yield r
    context.close()
    assert not errors, errors


def _retired(reader: Reader, apps: int, timeout: float = 20.0) -> dict[str, Any]:
    """The worker's stats once the left pages' apps are shut down (warm.js RETIRE_MS)."""
    deadline = time.monotonic() + timeout
    while True:
        stats = reader.stats()
        if (stats["retiring"] == 0 and stats["sessions"] == apps) or time.monotonic() > deadline:
            return stats
        time.sleep(0.5)


def test_one_worker_serves_a_walk_and_the_left_pages_apps_end(reader: Reader) -> None:
    times = reader.walk(["index", "two", "three"])
    print(f"walk: first page {times[0]} s, then {times[1:]} s (from the click)")
    assert len(reader.shared_workers()) == 1, reader.shared_workers()
    assert reader.requests("/pyodide.asm.wasm") == 1
    assert reader.requests("/streamlit-1.62.0-cp313-none-any.whl") == 1
    # page three's own utils module, not page one's (same module name, another app)
    page = reader.page.locator(".stlite-docs-app").nth(0)
    assert page.get_by_text("utils of page one").count() == 0
    stats = _retired(reader, apps=2)
    assert stats["apps"] == 2, stats  # page three's two apps run; pages one and two's ended
    assert stats["started"] == 7, stats
    assert stats["retired"] == 5, stats
    assert stats["sessions"] == 2, stats  # Streamlit's sessions alive in Python
    assert stats["held"] == 2, stats


def test_a_pages_streamlit_config_applies_on_the_warm_worker(reader: Reader) -> None:
    reader.walk(["three", "config"])
    reader.follow("req1")  # past it, then back to a page with the default config
    reader.page.go_back()
    reader.page.go_back()
    reader.shows("three")
    assert len(reader.shared_workers()) == 1
    assert reader.requests("/pyodide.asm.wasm") == 1


def test_a_conflicting_requirement_runs_in_a_worker_of_its_own(reader: Reader) -> None:
    reader.walk(["req1", "req2"])
    assert any("requirements conflict" in line and "probe_pkg" in line for line in reader.console)
    workers = reader.shared_workers()
    assert len(workers) == 2, workers  # the site's warm one, and the app's own
    assert len(set(workers)) == 1  # both from the site's worker file
    assert reader.requests(PROBE_WHEELS["2.0"]) == 1


def test_a_click_app_on_the_next_page_attaches_to_the_warm_worker(reader: Reader) -> None:
    reader.walk(["index"])
    reader.follow("two")
    reader.shows("two")
    reader.follow("click")
    reader.page.get_by_role("button", name="Run this app").click()
    reader.shows("click")
    assert len(reader.shared_workers()) == 1
    assert reader.requests("/pyodide.asm.wasm") == 1


def test_an_editor_after_a_plain_page_reruns_an_edit_in_place(reader: Reader) -> None:
    reader.walk(["index", "editor"])
    box = reader.page.locator(".stlite-docs-app").first
    box.locator(".stlite-docs-mount").evaluate("el => el.setAttribute('data-before-edit', '')")
    editor = reader.page.locator(".stlite-docs-editor .cm-content")
    editor.fill(_write("editor edited"))
    reader.page.get_by_role("button", name="Run ▶").click()
    box.get_by_text("editor edited").wait_for(timeout=WARM_TIMEOUT_MS)
    # in place: the same mount element (a runtime without file watching would mount afresh)
    assert box.locator(".stlite-docs-mount[data-before-edit]").count() == 1
    assert reader.requests("/pyodide.asm.wasm") == 1


def test_back_navigation_shows_the_apps_again(reader: Reader) -> None:
    reader.walk(["index", "two"])
    reader.page.go_back()
    reader.shows("index")
    assert len(reader.shared_workers()) == 1
    assert reader.requests("/pyodide.asm.wasm") == 1


def test_keep_warm_off_gives_a_worker_per_page_view(reader: Reader) -> None:
    reader.root = reader.site.cold
    reader.walk(["index", "two"])
    assert reader.requests("/pyodide.asm.wasm") == 2


def test_two_sites_on_one_origin_never_share(reader: Reader) -> None:
    reader.walk(["index"])
    reader.root = "/site/other"
    reader.walk(["two"])
    assert reader.requests("/pyodide.asm.wasm") == 2
    workers = reader.shared_workers()
    assert sorted(w.split("/site/")[1].split("/")[0] for w in workers) == ["other", "warm"]


def test_the_stats_say_what_the_worker_holds(reader: Reader) -> None:
    reader.walk(["two"])
    stats = reader.stats()
    assert stats["pyodide"] is True and stats["wasmBytes"] > 10_000_000
    assert json.loads(stats["config"])  # the config the running apps share
