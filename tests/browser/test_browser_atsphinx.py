"""The apps of a project written for atsphinx-stlite run in the real browser test bed."""

from __future__ import annotations

from pathlib import Path

from test_atsphinx_compat import ROOT, build

from browser.live import Live
from testbed.browser import URLS, serve
from testbed.offline_dist import Distribution


def test_their_project_runs_in_the_browser(
    live: Live, offline_dist: Distribution, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    defines = [arg for k, v in URLS.items() for arg in ("-D", f"stlite_{k}={v}")]
    code, log = build(ROOT, out, *defines)
    assert code == 0, log
    with serve({"/_dist": offline_dist.root, "/ats": out}) as server:
        live.server = server
        live.page.goto(f"{server.base_url}/ats/index.html")
        app = live.app(0)
        live.expect_text(0, "Hello, World! form=False")
        app.get_by_label("Your name").fill("Ada")
        app.get_by_role("button", name="Greet").click()
        live.expect_text(0, "Hello, Ada! form=True")
        live.expect_text(1, "Custom Height Example")
        live.expect_text(2, "json config app")
        live.expect_text(3, "toml config app")
        live.expect_text(4, "packaging and six imported: 1.")
        live.expect_text(5, "sized app")
        width, column = app.evaluate(
            "el => [el.getBoundingClientRect().width, el.parentElement.clientWidth]"
        )
        assert abs(width - min(800, column)) < 1.5, (width, column)
        sized = live.app(5).bounding_box()
        assert sized is not None and abs(sized["width"] - 600) < 1.5
        assert abs(sized["height"] - 300) < 1.5
        assert len(live.worker_targets()) == 1
