"""Apps under a strict Content Security Policy (the docs' example policy).

A Sphinx site (default theme: no inline scripts of its own) is served with the
policy as a response header. Violations are caught twice: in the page by a
``securitypolicyviolation`` listener, and from every context (page, shared
worker, dedicated workers) through the policy's ``report-uri`` on the test server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import SLIDER, App, ready
from playwright.sync_api import expect

from browser.live import Live
from testbed.browser import URLS, Server, serve
from testbed.build import build_sphinx
from testbed.offline_dist import Distribution

NONCE = "c3RsaXRlLWRvY3MtdGVzdA"
# Keep in sync with the docs' csp.md (a test checks it is there).
POLICY = (
    "default-src 'none'; "
    "script-src 'self' 'wasm-unsafe-eval' data:; "
    "worker-src 'self' blob:; "
    "connect-src 'self'; "
    f"style-src 'self' 'nonce-{NONCE}'; "
    "font-src 'self'; "
    "img-src 'self' data:"
)
REPORT = "/csp-report"

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def csp_server(
    offline_dist: Distribution, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    src = tmp_path_factory.mktemp("csp-src")
    out = src.parent / "csp-html"
    conf = [
        'project = "csp"',
        'extensions = ["stlite_docs.sphinx_ext"]',
        f"stlite_style_nonce = {NONCE!r}",
        # the default theme's search box is an inline script: not ours to test
        'html_sidebars = {"**": []}',
        *(f"stlite_{k} = {v!r}" for k, v in URLS.items()),
    ]
    (src / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    apps: list[App] = [
        ready("csp-0"),
        SLIDER,
        App(ready("csp-editor").source, {"layout": "editor"}),
    ]
    body = "".join(
        ".. stlite::\n"
        + "".join(f"   :{key}: {value}\n" for key, value in app.options.items())
        + "\n"
        + "".join(f"   {line}\n" for line in app.source.splitlines())
        + "\n"
        for app in apps
    )
    (src / "index.rst").write_text(f"CSP\n===\n\nText.\n\n{body}", encoding="utf-8")
    build_sphinx(src, out)
    with serve({"/_dist": offline_dist.root, "/csp": out}) as server:
        server.headers["/csp/"] = {"Content-Security-Policy": f"{POLICY}; report-uri {REPORT}"}
        yield server


def test_apps_run_under_a_strict_csp(live: Live, csp_server: Server) -> None:
    live.page.add_init_script(WATCH_CSP)
    response = live.page.goto(f"{csp_server.base_url}/csp/index.html")
    assert response is not None
    assert response.headers["content-security-policy"].startswith(POLICY)
    live.expect_text(0, "csp-0 ready")
    live.expect_text(1, "slider=3")
    slider = live.app(1).get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")
    live.expect_text(1, "slider=4")
    expect(live.app(0)).to_have_attribute("data-stlite-docs-state", "running")
    # the code editor (CodeMirror, its styles adopted, not inline) edits and reruns
    live.expect_text(2, "csp-editor ready")
    editor = live.page.locator(".stlite-docs-editor .cm-content")
    # select all, type over it (left to Chromium, that edit of several lines adds inline
    # styles the policy blocks: the editor makes it its own change)
    editor.click()
    live.page.keyboard.press("Control+a")
    live.page.keyboard.type('import streamlit as st\nst.write("csp-editor edited")')
    live.page.keyboard.press("Control+Enter")
    live.expect_text(2, "csp-editor edited", timeout=30_000)
    # Streamlit's (emotion's) style elements carry the site's nonce
    nonces = live.page.evaluate("[...document.querySelectorAll('style')].map(s => s.nonce)")
    assert nonces and set(nonces) == {NONCE}, nonces
    live.page.wait_for_timeout(1000)  # reports are sent asynchronously
    violations = live.page.evaluate("window.__violations")
    reports = [json.loads(body) for path, body in csp_server.posts if path == REPORT]
    assert violations == [], violations
    assert reports == [], reports
    assert live.page_errors == []

    # The watchers do see a violation: an inline style without the nonce.
    live.page.evaluate(
        "document.head.append(Object.assign(document.createElement('style'), {textContent: 'p{}'}))"
    )
    live.page.wait_for_function("window.__violations.length > 0", timeout=10_000)
    assert "style-src" in live.page.evaluate("window.__violations[0]")


def test_docs_show_the_tested_policy() -> None:
    page = Path(__file__).resolve().parents[2] / "demo_docs" / "sphinx" / "csp.md"
    assert POLICY in page.read_text(encoding="utf-8").replace("\n", " ").replace("  ", " ")
