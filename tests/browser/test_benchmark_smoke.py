"""The runtime benchmark cannot rot: ``python -m benchmarks.run --smoke`` runs end to end.

One round of the 1-app page of every strategy (ours, the trivial loader, one worker per app,
one iframe per app), the bare boot, our 20-app page, the second page, our unreached page, and
our unreached page under the eager, visible and click start policies (cold cache), on the
offline test bed served as the CDN over local TLS (about two minutes). The tutorial walk
(``python -m benchmarks.walk --smoke``): our 2-page walk. Only sanity is asserted here (every app
rendered, the worker counts each strategy implies, numbers in a plausible range, the report
renders from the JSON), never timings: timing targets are the benchmark's job.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# The benchmarks, run as modules from the repository's root (``python -m benchmarks.run``).
RUN = "benchmarks.run"
WALK = "benchmarks.walk"
EDITOR = "benchmarks.editor"
REPORT = "benchmarks.report"


def check_policy_page(key: str, s: dict[str, Any]) -> None:
    """The app ran after the reader's action; before it, visible and click pages requested
    nothing of stlite or Pyodide, and the eager one had it on its way."""
    assert 0 < s["action_seconds"]["median"] < 300, (key, s)
    assert s["bytes"]["median"] > 1_000_000, (key, s["bytes"])
    if "eager" in key:
        assert s["before_dist_requests"] > 0, (key, s)
    else:
        assert s["before_dist_requests"] == 0, (key, s)
        assert s["before_bytes"]["median"] < 500_000, (key, s["before_bytes"])


def check_workers(summary: dict[str, dict[str, Any]]) -> None:
    """The workers and iframes each strategy implies."""
    for n in (1,):
        ours, trivial = summary[f"ours {n}"], summary[f"trivial {n}"]
        per_app, iframe = summary[f"per-app {n}"], summary[f"iframe {n}"]
        for shared in (ours, trivial):
            assert shared["shared_workers"] == 1 and shared["workers"] == 0, shared
        assert per_app["workers"] == n and per_app["shared_workers"] == 0, per_app
        assert iframe["iframes"] == n and iframe["workers"] == n, iframe
        assert ours["iframes"] == trivial["iframes"] == per_app["iframes"] == 0
    long = summary["ours 20, first app"]
    assert long["shared_workers"] == 1 and long["workers"] == 0, long
    assert summary["bare"]["workers"] == 1


def check_served_and_weighed(results: dict[str, Any]) -> None:
    """stlite and Pyodide came from the CDN host; the page weights and verdicts are there."""
    # stlite and Pyodide came from the CDN host, the pages from the page server
    served = [e["path"] for run in results["runs"] for e in run["timeline"]]
    assert any(p.startswith("https://cdn.jsdelivr.net/npm/@stlite/browser@") for p in served)
    assert any(p.startswith("https://cdn.jsdelivr.net/pyodide/") for p in served)
    assert not any(p.startswith("/_dist/") for p in served)
    weight = results["page_weight"]["builds"]
    for tool in ("sphinx", "mkdocs"):
        assert weight[tool]["page_without_apps_bytes"] == 0, weight[tool]
        assert weight[tool]["page_with_apps_bytes"] > 0, weight[tool]
        # once an app starts, the loader's second part comes on top
        assert weight[tool]["page_with_apps_total_bytes"] > weight[tool]["page_with_apps_bytes"]
    verdicts = {t["name"]: t["passed"] for t in results["targets"]}
    assert verdicts["1-app page: first app vs bare boot"] is not None
    assert verdicts["1-app page, first app: ours vs the trivial loader"] is not None
    assert results["machine"]["cores"] >= 1 and results["machine"]["chromium"]


def _smoke(module: str, out: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a benchmark's ``--smoke`` mode into ``out``; it must succeed."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--smoke", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    failed = f"{module} --smoke failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, failed
    return proc


def test_benchmark_smoke(tmp_path: Path) -> None:
    _smoke(RUN, tmp_path, timeout=900)
    results: dict[str, Any] = json.loads((tmp_path / "results.json").read_text())
    summary: dict[str, dict[str, Any]] = results["summary"]

    # openssl is on every machine the suite runs on: the default transport must work
    assert results["transport"] == "cdn", results.get("transport_note")
    warm = "ours 1, second page"
    unreached = {"ours 1 below the fold"}
    policies = {
        f"ours 1 below the fold, {start}, cold cache" for start in ("eager", "visible", "click")
    }
    expected = {
        "bare",
        "ours 20, first app",
        warm,
        *unreached,
        *policies,
        *(f"{s} {n}" for s in ("ours", "trivial", "per-app", "iframe") for n in (1,)),
    }
    assert set(summary) == expected
    for key, s in summary.items():
        assert s["all_rendered"], f"{key}: not every app rendered: {s['errors']}"
        assert 100 < s["peak_rss_mib"]["median"] < 20_000, (key, s["peak_rss_mib"])
        if key in policies:
            check_policy_page(key, s)
            continue
        if key in unreached:
            continue
        # something was timed (not 0); a page on the warm runtime may take under half a second
        floor = 0.05 if key == warm else 0.5
        assert floor < s["seconds"]["median"] < 300, (key, s["seconds"])
        assert s["outside_viewport"] == 0, f"{key}: apps outside the tall viewport"
        if key != warm:
            assert s["bytes"]["median"] > 1_000_000, (key, s["bytes"])  # Pyodide alone is more
            # every strategy's first app is timed in-page, whatever loader started it
            phases = s["phases_ms"]
            assert phases["pyodide.mjs requested (server log)"] < phases["Pyodide booted"], key
            if key != "bare":
                assert "app running (loadFinished)" in phases, (key, phases)
                assert "worker created" in phases, (key, phases)
    # the second page of the site comes from the HTTP cache: only the page itself is served
    assert summary[warm]["bytes"]["median"] < 200_000, summary[warm]["bytes"]

    check_workers(summary)

    for run in results["runs"]:
        assert not run["off_host"], f"requests left localhost: {run['off_host']}"
        # our pages start stlite's worker from the site's file before stlite, and stlite's
        # connections join it; every other strategy has stlite's own (blob) workers
        workers = {m[3] for m in run["marks"] if m[1] == "worker"}
        if run["strategy"] == "ours" and run["layout"] != "unreached":
            assert workers == {"SharedWorker file"}, (run["strategy"], run["apps"], workers)
        elif run["strategy"] in ("trivial", "per-app"):
            assert workers and not any(w.endswith(" file") for w in workers), workers
    check_served_and_weighed(results)

    # the tables are rendered from the JSON alone, by the module a docs page would use
    rendered = subprocess.run(
        [sys.executable, "-m", REPORT, str(tmp_path / "results.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "| trivial 1 |" in rendered and "| ours 1 below the fold |" in rendered
    assert "| click | cold |" in rendered
    assert results["machine"]["chromium"] in rendered
    assert "| pyodide.mjs requested (server log) |" in rendered
    # the strategies side by side, with the first app against the bare boot
    assert (
        "| page (median) | ours | trivial loader | one runtime per app | iframe per app |"
        in rendered
    )
    assert "| 1-app page: first app / bare boot |" in rendered


def test_walk_smoke(tmp_path: Path) -> None:
    """The tutorial walk runs end to end: our site, page 1 then page 2 by a click, both pages'
    apps rendered, one Python runtime and one ``pyodide.asm.wasm`` for the walk, the worker's
    memory read (PSS, also once garbage is collected, and its JavaScript heap)."""
    proc = _smoke(WALK, tmp_path, timeout=600)
    results: dict[str, Any] = json.loads((tmp_path / "walk-smoke.json").read_text())
    (walk,) = results["walks"]
    assert [(s["page"], s["apps"]) for s in walk["steps"]] == [(1, 1), (2, 3)]
    for step in walk["steps"]:
        assert step["error"] is None, step
        assert 0 < step["first_s"] <= step["all_s"] < 300, step
        assert step["worker_pss_mib"] and step["worker_pss_mib"] > 50, step
        assert step["worker_js_heap_mib"] and step["worker_js_heap_mib"] > 1, step
        # and once every process has collected its garbage (the memory walk's measure)
        assert step["worker_pss_collected_mib"] and step["worker_pss_collected_mib"] > 50, step
        # the worker's own count: the current page's apps run (the left page's have ended: they
        # are retiring or retired)
        assert step["stats"]["apps"] == step["apps"], step["stats"]
    assert walk["runtimes"] == 1 and walk["wasm_fetches"] == 1, walk
    found = {t["target"] for t in results["targets"]}
    assert "pyodide.asm.wasm fetched once per walk" in found, found
    assert any(t.startswith("worker process PSS (garbage collected)") for t in found), found
    assert "| page | apps |" in proc.stdout


def test_editor_benchmark_smoke(tmp_path: Path) -> None:
    """The editor benchmark runs end to end: the editor file's size, the editor ready and the
    app's output seen, key-to-paint times for the editor and a plain text area, completion of
    ``st.sl`` the first time and warm."""
    proc = _smoke(EDITOR, tmp_path, timeout=600)
    result: dict[str, Any] = json.loads((tmp_path / "editor.json").read_text())
    assert 100_000 < result["editor_file_gzip_bytes"] < result["editor_file_bytes"]
    assert result["editor_s"] > 0 and 0 < result["output_s"] < 300
    for key in ("key_to_paint_ms", "baseline_textarea_key_to_paint_ms"):
        assert 0 < result[key]["median"] <= result[key]["max"], result
    assert result["completion_first_ms"] > 0 and result["completion_warm_ms"]["median"] > 0
    assert set(result["targets"]) == {"editor_gzip", "key_to_paint", "completion"}
    assert "completion of st.sl" in proc.stdout
