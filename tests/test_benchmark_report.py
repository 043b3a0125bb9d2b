"""``python -m benchmarks.report`` renders the published tables from a results file alone.

A small results file with known numbers goes in; the Markdown rows, the phase table, the build
table and the verdict lines come out with those numbers, so a docs page rendered from the
benchmark's JSON shows what the run measured. A file that cannot be read is a clear error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks import report

REPO = Path(__file__).resolve().parent.parent


def _stat(median: float, low: float, high: float) -> dict[str, float]:
    return {"median": median, "min": low, "max": high, "n": 5}


def _page(seconds: float, **extra: Any) -> dict[str, Any]:
    return {
        "runs": 5,
        "ok_runs": 5,
        "seconds": _stat(seconds, seconds - 0.2, seconds + 0.3),
        "first_seconds": _stat(seconds, seconds - 0.2, seconds + 0.3),
        "peak_rss_mib": _stat(1100, 1090, 1120),
        "peak_pss_mib": _stat(560, 550, 570),
        "cpu_seconds_total": _stat(7.25, 7.0, 8.0),
        "bytes": _stat(22.1e6, 22.1e6, 22.2e6),
        "requests": _stat(52, 52, 52),
        "shared_workers": 1,
        "workers": 0,
        "iframes": 0,
        **extra,
    }


RESULTS = {
    "runs_per_page": 5,
    "transport": "cdn",
    "network": "loopback",
    "machine": {
        "cpu": "Test CPU",
        "cores": 2,
        "memory_gib": 8,
        "os": "Linux",
        "python": "3.11",
        "chromium": "Chromium 156.0.1.2",
    },
    "summary": {
        "bare": _page(
            4.0,
            shared_workers=0,
            workers=1,
            phases_ms={
                "pyodide.mjs requested (server log)": 120.4,
                "first app's output visible": 4000,
            },
        ),
        "trivial 6": _page(
            6.5, phases_ms={"worker created": 555.5, "first app's output visible": 4400}
        ),
        "ours 1": _page(4.2, phases_ms={"pyodide.mjs requested (server log)": 140.2}),
        "trivial 1": _page(4.8, phases_ms={"pyodide.mjs requested (server log)": 610}),
        "ours 1 below the fold": _page(
            0, bytes=_stat(20.0e6, 20.0e6, 20.1e6), cpu_seconds_total=_stat(3.0, 2.9, 3.1)
        ),
        "trivial 1 below the fold": _page(0, bytes=_stat(22.2e6, 22.2e6, 22.3e6)),
    },
    "counts": [1, 6],
    "build_cost": {
        "variants": {"sphinx apps": {"median": 0.81}, "sphinx code-blocks": {"median": 0.78}},
        "comparisons": [
            {"name": "sphinx", "apps": "sphinx apps", "code": "sphinx code-blocks", "ratio": 1.0435}
        ],
    },
    "targets": [
        {
            "name": "1-app page: first app vs bare boot",
            "passed": False,
            "detail": "first app / bare boot = 4.40 s / 4.00 s = 1.10x (target <= 1.0x)",
        },
        {"name": "not run", "passed": None, "detail": "not measured in this run"},
    ],
}


def _render(tmp_path: Path, results: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.report", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_tables_carry_the_numbers_of_the_file(tmp_path: Path) -> None:
    proc = _render(tmp_path, RESULTS)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Chromium 156.0.1.2 headless" in out and "Test CPU, 2 cores" in out
    assert "https://cdn.jsdelivr.net" in out and "median [min-max] of 5 interleaved" in out
    assert (
        "| trivial 6 | 6.5 [6.3-6.8] | 6.5 [6.3-6.8] | 1100 [1090-1120] | 560 | "
        "7.2 [7.0-8.0] | 1 shared | 0 | 22.1 [22.1-22.2] | 52 | 5/5 |"
    ) in out
    assert "| bare | 4.0 [3.8-4.3] |" in out and "| 1 | 0 | 22.1" in out
    # phase rows in the order of a boot, one column per page, empty where a page lacks it
    assert "| ms since navigation (median) | bare | trivial 6 |" in out
    assert "| worker created |  | 556 |" in out
    assert "| pyodide.mjs requested (server log) | 120 |  |" in out
    assert out.index("| worker created |") < out.index("| pyodide.mjs requested")
    assert "| sphinx | 0.78 | 0.81 | 1.044x |" in out
    # the strategies side by side: medians, the bare boot where it compares, ours / trivial
    assert (
        "| page (median) | ours | trivial loader | one runtime per app | iframe per app | "
        "bare boot | ours / trivial |"
    ) in out
    assert "| 1 app, all visible: first app, s | 4.20 | 4.80 |  |  | 4.00 | 0.88 |" in out
    assert "| 6 apps, all visible: every app, s |  | 6.50 |  |  |  |  |" in out
    assert "| 1-app page: first app / bare boot | 1.05x | 1.20x |  |  | 1.00x | 0.88 |" in out
    assert (
        "| 1-app page: Pyodide requested after navigation, ms | 140 | 610 |  |  | 120 | 0.23 |"
    ) in out
    assert "| 1 app never reached: MB served, MB | 20.0 | 22.2 |  |  |  | 0.90 |" in out
    assert "| 1 app never reached: CPU, s | 3.0 | 7.2 |  |  |  | 0.41 |" in out
    assert "20-app page" not in out.split("| page |")[0]  # not measured: no row
    assert "FAIL  1-app page: first app vs bare boot: first app / bare boot = 4.40 s" in out
    assert "SKIP  not run: not measured in this run" in out


def test_the_start_policies_get_their_own_table(tmp_path: Path) -> None:
    policy = {
        **_page(25.0),
        "before_bytes": _stat(17.0e6, 16.9e6, 17.1e6),
        "before_dist_requests": 8,
        "before_cpu_s": _stat(3.9, 3.5, 4.0),
        "action_seconds": _stat(0.05, 0.04, 0.07),
    }
    click = {
        **_page(26.0),
        "before_bytes": _stat(0.1e6, 0.1e6, 0.1e6),
        "before_dist_requests": 0,
        "before_cpu_s": _stat(0.7, 0.6, 0.9),
        "action_seconds": _stat(5.25, 5.0, 5.5),
    }
    summary: dict[str, Any] = dict(RESULTS["summary"])  # type: ignore[call-overload]
    summary.update(
        {
            "ours 1 below the fold, eager, cold cache": policy,
            "ours 1 below the fold, click, warm cache": click,
        }
    )
    results = {**RESULTS, "dwell_seconds": 20, "summary": summary}
    proc = _render(tmp_path, results)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "left alone for 20 s" in out
    assert (
        "| eager | cold | 17.0 [16.9-17.1] | 8 | 3.9 [3.5-4.0] | 0.05 [0.04-0.07] | "
        "22.1 [22.1-22.2] | 5/5 |"
    ) in out
    assert "| click | warm | 0.1 [0.1-0.1] | 0 | 0.7 [0.6-0.9] | 5.25 [5.00-5.50] |" in out
    # not in the page table nor the phase table: their times count the dwell
    assert "| ours 1 below the fold, eager" not in out


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.report", str(tmp_path / "missing.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "report: cannot read" in proc.stderr and "missing.json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_target_names_carry_no_tracker_words() -> None:
    """Older results files named targets "issue N: ..."; the rendered docs must not."""
    text = report.targets_block(
        [{"name": "issue 11: first app vs bare boot", "passed": True, "detail": "1.07x"}]
    )
    assert text == "PASS  first app vs bare boot: 1.07x"
