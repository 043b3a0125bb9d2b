"""Statistics of a page's runs, and the targets every run is checked against.

The thresholds are here; the loader's byte budgets are read from ``loader/budgets.json``,
the one place they are written (``tests/test_loader_bundle.py`` reads it too).
"""

from __future__ import annotations

import functools
import json
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.build_cost import STRETCH_TARGET, Comparison
from benchmarks.measure import PYODIDE_REQUESTED, Run, median_phases
from benchmarks.plan import LONG_COUNT, POLICY_CACHES, WARM_KEY, PageSpec, long_page

REPO = Path(__file__).resolve().parent.parent

# Targets.
SIX_VS_ONE = 1.10
PERAPP_SPEEDUP = 3.0
PERAPP_MEMORY_SAVED_MIB = 500.0
LONG_VS_ONE = 1.2
#: A site of apps against the same site of code blocks: ``build_cost.py``'s stretch target.
BUILD_RATIO = STRETCH_TARGET
BARE_RATIO = 1.0
LONG_BARE_RATIO = 1.25
PYODIDE_REQUEST_MS = 150.0
#: "ahead" for an app never reached: at least 10 % fewer bytes and CPU seconds
UNREACHED_RATIO = 0.9
#: The Run button's size of a first visit may be off by this much from a measured one.
FIRST_VISIT_TOLERANCE = 0.15
POLICY_JS = REPO / "loader" / "src" / "policy.js"

# What the loader may cost (loader/budgets.json, which tests/test_loader_bundle.py reads too):
# loader + CSS a page with apps loads before any app starts, and in all once an app starts;
# CodeMirror's file (pages with an editor app), compressed (``editor.py``).
_BUDGETS = json.loads((REPO / "loader" / "budgets.json").read_text(encoding="utf-8"))
LOADER_BYTES: int = _BUDGETS["before_start_bytes"]
LOADER_TOTAL_BYTES: int = _BUDGETS["total_bytes"]
EDITOR_GZIP_BYTES: int = _BUDGETS["editor_gzip_bytes"]


@dataclass(frozen=True)
class Stat:
    median: float
    min: float
    max: float
    n: int

    @staticmethod
    def of(values: Sequence[float]) -> Stat | None:
        if not values:
            return None
        return Stat(statistics.median(values), min(values), max(values), len(values))


def summarize(runs: Sequence[Run]) -> dict[str, Any]:
    good = [r for r in runs if r.ok]

    def stat(get: Callable[[Run], float | None]) -> dict[str, float] | None:
        values = [v for v in (get(r) for r in good) if v is not None]
        s = Stat.of(values)
        return None if s is None else asdict(s)

    return {
        "runs": len(runs),
        "ok_runs": len(good),
        "all_rendered": bool(runs) and len(good) == len(runs),
        "seconds": stat(lambda r: r.seconds),
        "first_seconds": stat(lambda r: r.first_seconds),
        "peak_rss_mib": stat(lambda r: r.peak_rss_mib),
        "peak_pss_mib": stat(lambda r: r.peak_pss_mib),
        "bytes": stat(lambda r: float(r.bytes)),
        "requests": stat(lambda r: float(r.requests)),
        "shared_workers": max((r.targets.get("shared_worker", 0) for r in runs), default=0),
        "workers": max((r.targets.get("worker", 0) for r in runs), default=0),
        "dedicated_workers_playwright": max((r.dedicated_workers for r in runs), default=0),
        "iframes": max((r.iframes for r in runs), default=0),
        "errors": [r.error for r in runs if r.error],
        "cpu_seconds_total": stat(lambda r: sum(r.cpu_seconds.values()) or None),
        "phases_ms": median_phases(good),
        "cpu_busy_before_percent": stat(lambda r: r.cpu_busy_before),
        "rendered_unseen": sorted(
            {r.rendered_unseen for r in runs if r.rendered_unseen is not None}
        ),
        "outside_viewport": max((r.outside_viewport for r in runs), default=0),
        "before_bytes": stat(lambda r: None if r.before_bytes is None else float(r.before_bytes)),
        "before_requests": stat(
            lambda r: None if r.before_requests is None else float(r.before_requests)
        ),
        "before_dist_requests": max((r.before_dist_requests or 0 for r in runs), default=0),
        "before_cpu_s": stat(lambda r: r.before_cpu_s),
        "action_seconds": stat(lambda r: r.action_seconds),
    }


@dataclass(frozen=True)
class Target:
    name: str
    passed: bool | None  # None: not measured in this run
    detail: str

    def line(self) -> str:
        return report.targets_block([asdict(self)])


def median_of(summary: dict[str, dict[str, Any]], key: str, metric: str) -> float | None:
    """The median of ``metric`` on the page ``key`` of a summary, if it was measured."""
    s = summary.get(key)
    if s is None or s.get(metric) is None:
        return None
    value: float = s[metric]["median"]
    return value


def _ratio_target(
    name: str, num: float | None, den: float | None, limit: float, what: str, *, unit: str = "s"
) -> Target:
    if num is None or den is None:
        return Target(name, None, "not measured in this run")
    r = num / den
    return Target(
        name,
        r <= limit,
        f"{what} = {num:.2f} {unit} / {den:.2f} {unit} = {r:.2f}x (target <= {limit}x)",
    )


def runtime_targets(summary: dict[str, dict[str, Any]], counts: Sequence[int]) -> list[Target]:
    med = functools.partial(median_of, summary)
    long_key, trivial_long = long_page().key, long_page("trivial").key
    unreached, trivial_unreached = "ours 1 below the fold", "trivial 1 below the fold"
    one, six, per6 = med("ours 1", "seconds"), med("ours 6", "seconds"), med("per-app 6", "seconds")
    mem6, permem6 = med("ours 6", "peak_rss_mib"), med("per-app 6", "peak_rss_mib")
    first1, bare = med("ours 1", "first_seconds"), med("bare", "seconds")
    long_first = med(long_key, "first_seconds")
    targets = [
        _ratio_target(
            "6 apps all visible vs 1 app (ours)", six, one, SIX_VS_ONE, "all 6 visible / 1 app"
        ),
    ]
    if per6 is None or six is None:
        targets.append(
            Target("6 apps: >= 3x faster than one worker per app", None, "not measured in this run")
        )
    else:
        targets.append(
            Target(
                "6 apps: >= 3x faster than one worker per app",
                per6 / six >= PERAPP_SPEEDUP,
                f"{per6:.2f} s / {six:.2f} s = {per6 / six:.2f}x (target >= {PERAPP_SPEEDUP}x)",
            )
        )
    if permem6 is None or mem6 is None:
        targets.append(
            Target(
                "6 apps: >= 500 MiB less memory than one worker per app",
                None,
                "not measured in this run",
            )
        )
    else:
        targets.append(
            Target(
                "6 apps: >= 500 MiB less memory than one worker per app",
                permem6 - mem6 >= PERAPP_MEMORY_SAVED_MIB,
                f"peak RSS {permem6:.0f} - {mem6:.0f} = {permem6 - mem6:.0f} MiB "
                f"(target >= {PERAPP_MEMORY_SAVED_MIB:.0f})",
            )
        )
    targets += [
        _ratio_target(
            f"{LONG_COUNT}-app page: first app vs 1-app page",
            long_first,
            first1,
            LONG_VS_ONE,
            "first visible",
        ),
        _ratio_target(
            "1-app page: first app vs bare boot", first1, bare, BARE_RATIO, "first app / bare boot"
        ),
        _ratio_target(
            f"{LONG_COUNT}-app page: first app vs bare boot",
            long_first,
            bare,
            LONG_BARE_RATIO,
            "first app / bare boot",
        ),
        _ratio_target(
            "second page of the site (warm cache) vs first",
            med(WARM_KEY, "first_seconds"),
            first1,
            1.0,
            "1-app page after the 20-app page / cold",
        ),
    ]
    requested = summary.get("ours 1", {}).get("phases_ms", {}).get(PYODIDE_REQUESTED)
    targets.append(
        Target(
            f"1-app page: Pyodide requested within {PYODIDE_REQUEST_MS:.0f} ms of navigation",
            None if requested is None else requested <= PYODIDE_REQUEST_MS,
            "not measured in this run"
            if requested is None
            else f"pyodide.mjs requested at {requested:.0f} ms (median)",
        )
    )
    for n in counts:
        for metric, what in (("first_seconds", "first app"), ("seconds", "all apps")):
            if n == 1 and metric == "seconds":
                continue
            targets.append(
                _ratio_target(
                    f"{n}-app page, {what}: ours vs the trivial loader",
                    med(f"ours {n}", metric),
                    med(f"trivial {n}", metric),
                    1.0,
                    "ours / trivial",
                )
            )
    targets.append(
        _ratio_target(
            f"{LONG_COUNT}-app page, first app: ours vs the trivial loader",
            long_first,
            med(trivial_long, "first_seconds"),
            1.0,
            "ours / trivial",
        )
    )
    for metric, what, scale, unit in (
        ("bytes", "MB served", 1e6, "MB"),
        ("cpu_seconds_total", "CPU", 1.0, "s"),
    ):
        ours_v, trivial_v = med(unreached, metric), med(trivial_unreached, metric)
        targets.append(
            _ratio_target(
                f"app never reached: {what}, ours vs the trivial loader",
                None if ours_v is None else ours_v / scale,
                None if trivial_v is None else trivial_v / scale,
                UNREACHED_RATIO,
                "ours / trivial",
                unit=unit,
            )
        )
    return targets


def first_visit_mb() -> int:
    """The size of a first visit the Run button states (``FIRST_VISIT_MB`` in policy.js)."""
    match = re.search(r"export const FIRST_VISIT_MB = (\d+);", POLICY_JS.read_text("utf-8"))
    if match is None:
        raise RuntimeError(f"no FIRST_VISIT_MB in {POLICY_JS}")
    return int(match[1])


def policy_targets(summary: dict[str, dict[str, Any]]) -> list[Target]:
    """Nothing of stlite or Pyodide before the reader acts under ``visible`` and ``click``;
    the Run button's first-visit size within 15 % of what a first visit downloaded."""
    targets = []
    for start in ("visible", "click"):
        for cache in POLICY_CACHES:
            key = PageSpec("ours", 1, "policy", cache == "warm", start).key
            s = summary.get(key)
            name = (
                f"{start}, {cache} cache: no request for stlite or Pyodide before the reader acts"
            )
            if s is None or not s.get("ok_runs"):
                targets.append(Target(name, None, "not measured in this run"))
                continue
            count = s["before_dist_requests"]
            targets.append(Target(name, count == 0, f"{count} requests (target 0)"))
    claimed = first_visit_mb()
    cold_click = median_of(summary, PageSpec("ours", 1, "policy", False, "click").key, "bytes")
    name = "the Run button's first-visit size vs a first visit's download"
    if cold_click is None:
        targets.append(Target(name, None, "not measured in this run"))
    else:
        measured = cold_click / 1e6
        off = measured / claimed - 1
        targets.append(
            Target(
                name,
                abs(off) <= FIRST_VISIT_TOLERANCE,
                f"button {claimed} MB, measured {measured:.1f} MB ({off:+.0%}, "
                f"target within {FIRST_VISIT_TOLERANCE:.0%})",
            )
        )
    return targets


def weight_targets(weight: dict[str, Any]) -> list[Target]:
    targets = []
    for tool, b in weight["builds"].items():
        names = ", ".join(f"{name} {n}" for name, n in b["page_with_apps"].items())
        targets.append(
            Target(
                f"{tool}: loader + CSS on a page with apps, before an app starts, <= 10 KB "
                "uncompressed",
                0 < b["page_with_apps_bytes"] <= LOADER_BYTES and len(b["page_with_apps"]) == 2,
                f"{b['page_with_apps_bytes']} bytes ({names}; gzip "
                f"{b['page_with_apps_gzip_bytes']}; limit {LOADER_BYTES})",
            )
        )
        more = ", ".join(f"{name} {n}" for name, n in b["app_start"].items())
        targets.append(
            Target(
                f"{tool}: loader + CSS on a page with apps, once an app starts, <= "
                f"{LOADER_TOTAL_BYTES // 1000} KB uncompressed",
                b["page_with_apps_total_bytes"] <= LOADER_TOTAL_BYTES and len(b["app_start"]) == 2,
                f"{b['page_with_apps_total_bytes']} bytes (+ {more}; gzip "
                f"{b['page_with_apps_total_gzip_bytes']}; limit {LOADER_TOTAL_BYTES})",
            )
        )
        targets.append(
            Target(
                f"{tool}: 0 bytes on a page without apps",
                b["page_without_apps_bytes"] == 0 and not b["page_without_apps"],
                f"{b['page_without_apps_bytes']} bytes, references: "
                f"{list(b['page_without_apps']) or 'none'}",
            )
        )
    return targets


def build_targets(comparisons: Sequence[Comparison]) -> list[Target]:
    """150 apps against code blocks, per ``build_cost.py`` comparison."""
    return [
        Target(
            f"build {c.label}: 150 apps <= {BUILD_RATIO}x code blocks",
            c.ratio <= BUILD_RATIO,
            f"{c.apps.median:.2f} s / {c.code.median:.2f} s = {c.ratio:.3f}x",
        )
        for c in comparisons
    ]
