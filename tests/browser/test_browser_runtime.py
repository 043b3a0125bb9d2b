"""The page runtime in a real headless Chromium, offline, on real Sphinx and MkDocs builds.

Each test loads one page of the test bed (see ``browser_pages.py``), waits for
the apps' own output inside their own elements and asserts on the page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from browser.live import ARTIFACTS, KEEP_KERNELS, Live
from testbed.browser import chromium_rss_mib

METRICS = ARTIFACTS / "browser-metrics.json"


def _record(name: str, **values: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    data = json.loads(METRICS.read_text()) if METRICS.exists() else {}
    data[name] = values
    METRICS.write_text(json.dumps(data, indent=2, sort_keys=True))


def _assert_clean(live: Live) -> None:
    assert not live.dialogs, f"a dialog opened: {live.dialogs}"
    assert not live.page_errors, f"uncaught errors on the page: {live.page_errors}"
    ours = [e for e in live.console_errors if "stlite-docs" in e]
    assert not ours, f"console errors from the loader: {ours}"


@pytest.mark.parametrize(
    ("site", "page", "count"),
    [("sphinx", "three", 3), ("mkdocs", "three", 3), ("sphinx", "six", 6)],
)
def test_apps_render_on_one_shared_worker(live: Live, site: str, page: str, count: int) -> None:
    live.goto(site, page)
    peak = 0.0
    for i in range(count):
        live.expect_text(i, f"{page}-{i} ready")
        peak = max(peak, chromium_rss_mib())
    seconds = live.elapsed()
    workers = live.worker_targets()
    assert len(workers) == 1, f"expected one shared worker for the page, got {workers}"
    assert live.page.locator(".stlite-docs-app").count() == count
    for i in range(count):
        expect(live.app(i)).to_have_attribute("data-stlite-docs-state", "running")
    _record(
        f"{site}-{count}-apps",
        seconds=round(seconds, 2),
        shared_workers=len(workers),
        peak_rss_mib=round(peak),
    )
    _assert_clean(live)


@pytest.mark.parametrize("site", ["sphinx", "mkdocs"])
def test_widgets_interact_and_apps_keep_separate_state(live: Live, site: str) -> None:
    live.page.add_init_script(KEEP_KERNELS)
    live.goto(site, "interact")
    live.expect_text(0, "slider=3")
    slider = live.app(0).get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")
    live.expect_text(0, "slider=4")

    live.expect_text(1, "Hello, nobody!")
    box = live.app(1).get_by_label("Your name")
    box.fill("Ada")
    box.press("Enter")
    live.expect_text(1, "Hello, Ada!")

    live.expect_text(2, "Add A clicks=0")
    live.expect_text(3, "Add B clicks=0")
    for _ in range(2):
        live.app(2).get_by_role("button", name="Add A").click()
        live.page.wait_for_timeout(300)
    live.expect_text(2, "Add A clicks=2")
    live.app(3).get_by_role("button", name="Add B").click()
    live.expect_text(3, "Add B clicks=1")
    live.expect_text(2, "Add A clicks=2")
    # no editor on the page: the runtime has no file watcher and no forced collection after
    # each run (each app's session starts sooner; every rerun is shorter)
    assert live.streamlit_options("server.fileWatcherType", "runner.postScriptGC") == [
        "none",
        False,
    ]
    _assert_clean(live)


# Properties that follow the content's size (the page grows when apps take their
# height); every other computed property of <html> and <body> must stay as it was.
CONTENT_SIZED = {
    "height",
    "block-size",
    "width",
    "inline-size",
    "perspective-origin",
    "transform-origin",
}

SNAPSHOT_JS = """() => {
  const css = (el) => { const s = getComputedStyle(el); const o = {};
    for (const k of s) o[k] = s.getPropertyValue(k); return o; };
  const icon = document.querySelector("link[rel='shortcut icon']");
  return { title: document.title, href: location.href, favicon: icon && icon.href,
           historyLength: history.length, html: css(document.documentElement),
           body: css(document.body) };
}"""

INIT_SNAPSHOT = f"""
document.addEventListener("readystatechange", () => {{
  if (document.readyState === "interactive" && !window.__hostBefore)
    window.__hostBefore = ({SNAPSHOT_JS})();
}});
"""


def test_host_page_untouched(live: Live) -> None:
    live.page.add_init_script(INIT_SNAPSHOT)
    live.goto("sphinx", "host")
    live.expect_text(0, "page-config app ready")
    live.expect_text(1, "query-params app ready")
    live.app(1).get_by_role("button", name="Set query").click()
    live.page.wait_for_timeout(1500)
    before = live.page.evaluate("window.__hostBefore")
    after = live.page.evaluate(SNAPSHOT_JS)
    assert before["title"].startswith("Host"), before["title"]
    assert after["title"] == before["title"]
    assert after["favicon"] == before["favicon"] == "data:,host-favicon"
    assert after["href"] == before["href"]
    assert after["historyLength"] == before["historyLength"]
    for part in ("html", "body"):
        changed = {
            k: (before[part][k], after[part].get(k))
            for k in before[part]
            if before[part][k] != after[part].get(k) and k not in CONTENT_SIZED
        }
        assert not changed, f"computed style of <{part}> changed: {changed}"
    _assert_clean(live)


def test_failing_apps_stay_in_their_own_element(live: Live) -> None:
    # micropip looks the unknown package up on PyPI; the test bed refuses that request.
    live.expected_off_hosts.add("pypi.org")
    live.goto("sphinx", "errors")
    live.expect_text(2, "neighbour ready")
    live.expect_text(0, "boom-from-app")
    failing = live.app(1)
    expect(failing).to_have_attribute("data-stlite-docs-state", "error", timeout=90_000)
    status = failing.locator(".stlite-docs-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("no-such-package-stlite-docs-test")
    # the neighbours are unaffected
    expect(live.app(2)).to_have_attribute("data-stlite-docs-state", "running")
    assert not live.dialogs


def test_progress_is_shown_while_loading(live: Live) -> None:
    live.goto("sphinx", "three")
    first = live.app(0)
    expect(first).to_have_attribute("data-stlite-docs-state", "loading", timeout=30_000)
    status = first.locator(".stlite-docs-status")
    expect(status).to_be_visible()
    expect(status).not_to_have_text("")
    live.expect_text(0, "three-0 ready")
    expect(first).to_have_attribute("data-stlite-docs-state", "running")
    expect(status).to_be_hidden()
    expect(first.locator(".stlite-docs-source")).to_be_hidden()


def test_lazy_mounting_on_a_long_page(live: Live) -> None:
    live.goto("sphinx", "lazy")
    live.expect_text(0, "lazy-0 ready")
    first_seconds = live.elapsed()
    live.page.wait_for_timeout(1000)
    states = live.page.locator(".stlite-docs-app").evaluate_all(
        "els => els.map(e => e.getAttribute('data-stlite-docs-state'))"
    )
    assert len(states) == 20
    assert states[-5:] == ["pending"] * 5, states
    assert live.page.locator(".stlite-docs-app .stlite-docs-mount").count() < 20
    live.expect_text(19, "lazy-19 ready")
    expect(live.app(19)).to_have_attribute("data-stlite-docs-state", "running")
    assert len(live.worker_targets()) == 1
    _record("sphinx-20-apps-lazy", first_app_seconds=round(first_seconds, 2))


def test_without_shared_worker_each_app_gets_its_own(live: Live) -> None:
    live.page.add_init_script("delete window.SharedWorker;")
    live.goto("sphinx", "three")
    for i in range(3):
        live.expect_text(i, f"three-{i} ready")
    assert live.page.evaluate("typeof SharedWorker") == "undefined"
    assert live.worker_targets() == []
    assert len(live.page.workers) == 3
    _assert_clean(live)


def test_heights_and_layout_without_overlap(live: Live) -> None:
    live.goto("sphinx", "layout")
    for i, name in enumerate(["layout-plain", "layout-note", "layout-narrow"]):
        live.expect_text(i, f"{name} ready")
    font = live.app(2).evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    expected = [220.0, 260.0, 15 * font]
    boxes = [live.app(i).bounding_box() for i in range(3)]
    for box, want in zip(boxes, expected, strict=True):
        assert box is not None
        assert abs(box["height"] - want) <= 2.5, (box, want)
    narrow = boxes[2]
    assert narrow is not None and narrow["width"] <= 321
    # nothing overlaps an app: the element after it (or after its wrapper) starts below it
    overlaps = live.page.evaluate("""() => {
      const bad = [];
      for (const app of document.querySelectorAll('.stlite-docs-app')) {
        const r = app.getBoundingClientRect();
        const wrapper = app.parentElement.closest('.admonition, .narrow-column') || app;
        const sib = wrapper.nextElementSibling;
        if (sib && sib.getBoundingClientRect().top < wrapper.getBoundingClientRect().bottom - 1)
          bad.push(app.id);
        const mount = app.querySelector('.stlite-docs-mount');
        if (mount && mount.getBoundingClientRect().bottom > r.bottom + 1)
          bad.push(app.id + ':mount');
      }
      return bad;
    }""")
    assert overlaps == []
    ARTIFACTS.mkdir(exist_ok=True)
    live.page.screenshot(path=str(ARTIFACTS / "layout-full.png"), full_page=True)
    _assert_clean(live)


def test_artifacts_dir_is_ignored_by_git() -> None:
    gitignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text()
    assert "test-artifacts/" in gitignore


SPACER_INIT = """
document.addEventListener("readystatechange", () => {
  if (document.readyState !== "interactive") return;
  const spacer = document.createElement("div");
  spacer.id = "test-spacer";
  spacer.style.height = "5000px";
  document.body.prepend(spacer);
});
"""


def test_runtime_prewarms_when_no_app_is_near(live: Live) -> None:
    # A tall block above every app: at load, none is near the viewport.
    live.page.add_init_script(SPACER_INIT)
    live.goto("sphinx", "lazy")
    first = live.app(0)
    expect(first).to_have_attribute("data-stlite-docs-state", "running", timeout=90_000)
    assert live.page.evaluate("window.scrollY") == 0
    assert live.app(0).bounding_box()["y"] > 4000  # type: ignore[index]
    expect(live.app(1)).to_have_attribute("data-stlite-docs-state", "pending")
    live.expect_text(0, "lazy-0 ready", timeout=10_000)
