"""The runtime benchmark cannot rot: ``benchmarks/run.py --smoke`` runs end to end.

One run of the 1- and 3-app pages of every strategy, the bare boot and the lazy
20-app page, on the offline test bed (about two minutes). Only sanity is
asserted here (every app rendered, the worker counts each strategy implies, numbers
in a plausible range), never timings: timing targets are the benchmark's job.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "benchmarks" / "run.py"


def test_benchmark_smoke(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--out", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=900, check=False,
    )
    assert proc.returncode == 0, f"run.py --smoke failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    results: dict[str, Any] = json.loads((tmp_path / "results.json").read_text())
    summary: dict[str, dict[str, Any]] = results["summary"]

    warm = "ours 1, second page"
    expected = {"bare", "ours 1", "ours 3", "per-app 1", "per-app 3", "iframe 1", "iframe 3",
                "ours 20 lazy", warm}
    assert set(summary) == expected
    for key, s in summary.items():
        assert s["all_rendered"], f"{key}: not every app rendered: {s['errors']}"
        assert 0.5 < s["seconds"]["median"] < 300, (key, s["seconds"])
        assert 100 < s["peak_rss_mib"]["median"] < 20_000, (key, s["peak_rss_mib"])
        if key != warm:
            assert s["bytes"]["median"] > 1_000_000, (key, s["bytes"])  # Pyodide alone is more
    # the second page of the site comes from the HTTP cache: only the page itself is served
    assert summary[warm]["bytes"]["median"] < 200_000, summary[warm]["bytes"]

    for n in (1, 3):
        ours, per_app = summary[f"ours {n}"], summary[f"per-app {n}"]
        iframe = summary[f"iframe {n}"]
        assert ours["shared_workers"] == 1 and ours["workers"] == 0, ours
        assert per_app["workers"] == n and per_app["shared_workers"] == 0, per_app
        assert iframe["iframes"] == n and iframe["workers"] == n, iframe
        assert ours["iframes"] == per_app["iframes"] == 0
    lazy = summary["ours 20 lazy"]
    assert lazy["shared_workers"] == 1 and lazy["workers"] == 0, lazy
    assert summary["bare"]["workers"] == 1

    for run in results["runs"]:
        assert not run["off_host"], f"requests left localhost: {run['off_host']}"
    weight = results["page_weight"]["builds"]
    for tool in ("sphinx", "mkdocs"):
        assert weight[tool]["page_without_apps_bytes"] == 0, weight[tool]
        assert weight[tool]["page_with_apps_bytes"] > 0, weight[tool]
        # once an app starts, the loader's second part comes on top
        assert weight[tool]["page_with_apps_total_bytes"] > weight[tool]["page_with_apps_bytes"]
    verdicts = {t["name"]: t["passed"] for t in results["targets"]}
    assert any(name.startswith("issue 11") for name in verdicts)
    assert results["machine"]["cores"] >= 1 and results["machine"]["chromium"]
