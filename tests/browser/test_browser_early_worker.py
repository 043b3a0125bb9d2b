"""Python before stlite's bundle, on real Sphinx builds in Chromium.

A self-contained Sphinx site (stlite and Pyodide vendored from the offline distribution, so
the build serves stlite's worker out of its vendored chunk next to the loader, as a site on the
default CDN serves the shipped one) is served with stlite's 4.5 MB chunk answered 2 s late, as
on a slow link. Asserted:

* the loader starts the worker file, which asks for ``pyodide.mjs`` before stlite's chunk has
  finished downloading; both apps of the page run on ONE shared worker, that file (stlite's own
  connections were steered to it), and Pyodide's wasm is downloaded once;
* with one of the site's stylesheets answered 3 s late (the theme's blocking scripts wait for
  it, so the parser reaches the apps only then), the worker file is still asked for before
  that stylesheet has arrived: the loader runs first and starts Python from the tag's list of
  the page's start policies; with the reader's ``?stlite=off``, not at all;
* under the README's strict Content Security Policy the same, with no violation; a policy that
  allows only stlite's ``blob:`` worker refuses the file, and stlite's own worker runs;
* every mismatch keeps stlite's own worker and the apps still run: another stlite (the test
  bed's site with a custom ``stlite_js_url``: no worker file is even requested), a fingerprint
  that does not match stlite's worker, a worker file that does not load, no SharedWorker in
  the browser, and a page whose apps all run on runtimes of their own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.test_browser_csp import NONCE, POLICY, REPORT, WATCH_CSP
from stlite_docs.pinned import PINNED_STLITE_CHUNK
from stlite_docs.worker_script import worker_from_build
from testbed.browser import Server, serve
from testbed.build import sphinx_in_process
from testbed.offline_dist import Distribution

CHUNK_DELAY = 2.0
SLOW_CSS = "site-slow.css"
CSS_DELAY = 3.0
BOOT_TIMEOUT_MS = 240_000
WORKER_FILE = re.compile(r"/_static/stlite-docs-worker-[0-9a-f]{16}\.js$")


def _app(text: str, **options: str) -> str:
    opts = "".join(f"   :{k}: {v}\n" for k, v in options.items())
    source = f"import streamlit as st\nst.write({text!r})\n"
    return f".. stlite::\n{opts}\n{textwrap.indent(source, '   ')}\n"


PAGES = {
    "index.rst": "Early\n=====\n\n"
    + _app("first runs")
    + "\nText.\n\n"
    + _app("second runs")
    + "\n.. toctree::\n\n   own\n",
    "own.rst": "Own\n===\n\n" + _app("own runs", worker="own"),
}


@dataclass
class Site:
    server: Server
    worker_file: str  # the worker's file name, as the build wrote it


@pytest.fixture(scope="module")
def site(
    offline_dist: Distribution, sites: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The self-contained build, and copies of it made to mismatch: ``wrong-check`` (the
    loader tag's fingerprint is another stlite's) and ``missing`` (no worker file)."""
    work = tmp_path_factory.mktemp("early-worker")
    src = work / "src"
    src.mkdir()
    (work / "wheels").mkdir()
    conf = {
        "extensions": ["stlite_docs.sphinx_ext"],
        "project": "early worker",
        # for the strict Content Security Policy: the nonce; no inline search box script
        "stlite_style_nonce": NONCE,
        "html_sidebars": {"**": []},
        "stlite_self_contained": True,
        "stlite_browser_source": str(offline_dist.stlite_dir),
        "stlite_pyodide_source": str(offline_dist.pyodide_dir),
        "stlite_package_index": str(work / "wheels"),
        "stlite_cache_dir": str(work / "cache"),
        # a stylesheet of the site's, which a test answers late
        "html_static_path": ["_static"],
        "html_css_files": [SLOW_CSS],
    }
    (src / "conf.py").write_text("".join(f"{k} = {v!r}\n" for k, v in conf.items()))
    (src / "_static").mkdir()
    (src / "_static" / SLOW_CSS).write_text("p { margin: 1em 0; }\n")
    for name, text in PAGES.items():
        (src / name).write_text(text)
    root = work / "html"
    # ``early-furo``: a theme that writes every script at the end of <body>
    for name, options in (("early", []), ("early-furo", ["-D", "html_theme=furo"])):
        proc = sphinx_in_process(
            "-W", "-q", "-b", "html", *options, str(src), str(root / name), cwd=src
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    static = root / "early" / "_static"
    worker = worker_from_build(static / "stlite-docs" / "stlite")
    assert (static / worker.file_name).read_bytes() == worker.site_source  # from the vendored chunk
    for variant in ("wrong-check", "missing"):
        shutil.copytree(root / "early", root / variant, copy_function=os.link)
    index = root / "wrong-check" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert html.count(f'data-stlite-worker-check="{worker.data_url_check}"') == 1
    index.unlink()  # a hard link: write a file of its own
    index.write_text(html.replace(worker.data_url_check, "44840:00000000"), encoding="utf-8")
    (root / "missing" / "_static" / worker.file_name).unlink()
    with serve({"/site": root, "/_dist": offline_dist.root, "/sphinx": sites["sphinx"]}) as srv:
        srv.delays[PINNED_STLITE_CHUNK] = CHUNK_DELAY  # stlite's chunk arrives late
        yield Site(srv, worker.file_name)


@dataclass
class Loaded:
    page: Page
    shared_workers: list[str]  # their URLs
    requests: list[str]
    timeline: list[tuple[float, str, str]]


def _load(
    browser: Browser,
    site: Site,
    path: str,
    texts: list[str],
    *,
    no_shared_worker: bool = False,
    init_script: str = "",
) -> Loaded:
    """Open a page in a fresh context, wait until every app shows its text."""
    start = len(site.server.timeline)
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if no_shared_worker:  # as in Chrome on Android
        page.add_init_script("delete window.SharedWorker")
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{site.server.base_url}{path}")
    for i, text in enumerate(texts):
        app = page.locator(".stlite-docs-app").nth(i)
        app.scroll_into_view_if_needed()
        # inside the app (not its source, which the box shows until the app runs)
        app.locator(".stlite-docs-mount").get_by_text(text).wait_for(timeout=BOOT_TIMEOUT_MS)
    cdp = browser.new_browser_cdp_session()
    try:
        infos: list[dict[str, Any]] = cdp.send("Target.getTargets")["targetInfos"]
        context_id = cdp.send(
            "Target.getTargetInfo",
            {
                "targetId": next(
                    t["targetId"] for t in infos if t["type"] == "page" and t["url"] == page.url
                )
            },
        )["targetInfo"]["browserContextId"]
    finally:
        cdp.detach()
    assert not errors, errors
    timeline = site.server.timeline[start:]
    return Loaded(
        page,
        [
            t["url"]
            for t in infos
            if t["type"] == "shared_worker" and t.get("browserContextId") == context_id
        ],
        [p for _, event, p in timeline if event == "start"],
        timeline,
    )


def _first(loaded: Loaded, event: str, suffix: str) -> float:
    return min(t for t, e, p in loaded.timeline if e == event and p.split("?")[0].endswith(suffix))


def _worker_requests(loaded: Loaded) -> list[str]:
    return [p for p in loaded.requests if WORKER_FILE.search(p.split("?")[0])]


def test_python_starts_before_stlite_and_every_app_joins_it(browser: Browser, site: Site) -> None:
    loaded = _load(browser, site, "/site/early/index.html", ["first runs", "second runs"])
    try:
        assert loaded.shared_workers == [
            f"{site.server.base_url}/site/early/_static/{site.worker_file}"
        ], "stlite's connections did not land on the early worker"
        # Python started while stlite's chunk was still on its way
        assert _first(loaded, "start", "/pyodide.mjs") < _first(loaded, "end", PINNED_STLITE_CHUNK)
        assert _first(loaded, "start", "/pyodide.mjs") > _first(loaded, "start", site.worker_file)
        # one Pyodide, and the system packages once
        for name in ("/pyodide.asm.wasm", "/streamlit-1.62.0-cp313-none-any.whl"):
            assert sum(p.split("?")[0].endswith(name) for p in loaded.requests) == 1, name
    finally:
        loaded.page.context.close()


@pytest.mark.parametrize("build", ["early", "early-furo"])
def test_python_starts_while_the_pages_stylesheets_load(
    browser: Browser, site: Site, build: str
) -> None:
    """On Sphinx's default theme and on Furo (which writes its scripts at the end of
    ``<body>``, after an inline script that waits for every stylesheet)."""
    site.server.delays[SLOW_CSS] = CSS_DELAY
    try:
        for query, starts in (("", True), ("?stlite=off", False)):
            context = browser.new_context()
            start = len(site.server.timeline)
            try:
                page = context.new_page()
                page.goto(f"{site.server.base_url}/site/{build}/index.html{query}")  # waits for CSS
                timeline = site.server.timeline[start:]
                css_end = min(t for t, e, p in timeline if e == "end" and SLOW_CSS in p)
                asked = [
                    t
                    for t, e, p in timeline
                    if e == "start" and WORKER_FILE.search(p.split("?")[0])
                ]
                if starts:
                    assert asked and asked[0] < css_end - 1.0, (asked, css_end)
                else:  # the reader said no: nothing starts before a Run button is pressed
                    page.wait_for_timeout(500)
                    assert not _worker_requests_since(site, start), query
                    assert page.locator(".stlite-docs-start button").count() == 2
            finally:
                context.close()
    finally:
        del site.server.delays[SLOW_CSS]


def _worker_requests_since(site: Site, start: int) -> list[str]:
    return [
        p
        for _, e, p in site.server.timeline[start:]
        if e == "start" and WORKER_FILE.search(p.split("?")[0])
    ]


@pytest.mark.parametrize(("worker_src", "early"), [("'self' blob:", True), ("blob:", False)])
def test_under_a_strict_content_security_policy(
    browser: Browser, site: Site, worker_src: str, early: bool
) -> None:
    """The README's policy (``worker-src 'self' blob:``) lets the worker file start, with no
    violation from the page or any worker; a policy that allows only stlite's blob worker
    refuses the file (that one violation), and stlite's own worker runs the apps."""
    policy = POLICY.replace("worker-src 'self' blob:", f"worker-src {worker_src}")
    site.server.headers["/site/early/"] = {
        "Content-Security-Policy": f"{policy}; report-uri {REPORT}"
    }
    posts = len(site.server.posts)
    try:
        loaded = _load(
            browser,
            site,
            "/site/early/index.html",
            ["first runs", "second runs"],
            init_script=WATCH_CSP,
        )
    finally:
        del site.server.headers["/site/early/"]
    try:
        loaded.page.wait_for_timeout(1000)  # reports are sent asynchronously
        violations = loaded.page.evaluate("window.__violations")
        reports = [
            json.loads(body)["csp-report"]
            for path, body in site.server.posts[posts:]
            if path == REPORT
        ]
        if early:
            assert [url.rsplit("/", 1)[-1] for url in loaded.shared_workers] == [site.worker_file]
            assert violations == [] and reports == [], (violations, reports)
        else:
            assert [url[:5] for url in loaded.shared_workers] == ["blob:"]
            assert [v.split(" blocked ")[0] for v in violations] == ["worker-src"], violations
            assert {r["blocked-uri"].rsplit("/", 1)[-1] for r in reports} == {site.worker_file}
    finally:
        loaded.page.context.close()


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/site/wrong-check/index.html", "stlite's worker is not the one the build took out"),
        ("/site/missing/index.html", "the worker file does not load"),
    ],
)
def test_a_mismatch_keeps_stlites_own_worker(
    browser: Browser, site: Site, path: str, why: str
) -> None:
    loaded = _load(browser, site, path, ["first runs", "second runs"])
    try:
        assert _worker_requests(loaded), why  # the loader tried the early start
        blobs = [url for url in loaded.shared_workers if url.startswith("blob:")]
        assert len(blobs) == 1, (why, loaded.shared_workers)  # stlite's own, for both apps
    finally:
        loaded.page.context.close()


@dataclass(frozen=True)
class Case:
    path: str
    texts: tuple[str, ...]
    why: str
    no_shared_worker: bool = False


@pytest.mark.parametrize(
    "case",
    [
        Case(
            "/sphinx/three.html",
            ("three-0 ready", "three-1 ready", "three-2 ready"),
            "another stlite (a custom stlite_js_url): the build names no worker file",
        ),
        Case(
            "/site/early/index.html",
            ("first runs", "second runs"),
            "no SharedWorker: stlite starts one Worker per app",
            no_shared_worker=True,
        ),
        Case(
            "/site/early/own.html",
            ("own runs",),
            "every app has a runtime of its own: nothing to share",
        ),
    ],
    ids=["custom-stlite", "no-shared-worker", "own-workers"],
)
def test_no_early_start_where_it_cannot_help(browser: Browser, site: Site, case: Case) -> None:
    loaded = _load(
        browser, site, case.path, list(case.texts), no_shared_worker=case.no_shared_worker
    )
    try:
        assert not _worker_requests(loaded), case.why
        assert all(url.startswith("blob:") for url in loaded.shared_workers), case.why
        if case.no_shared_worker or case.path.endswith("own.html"):
            assert loaded.shared_workers == [], case.why
    finally:
        loaded.page.context.close()
