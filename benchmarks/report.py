"""Markdown tables from a benchmark results file: the one source of the published numbers.

``run.py`` writes ``results.json``; this renders it, so the terminal output, the README and
the docs' performance page show the same numbers from the same file::

    python -m benchmarks.report benchmarks/results/results.json > table.md

:func:`render` returns the whole report; :func:`comparison_table` (the strategies side by
side, with the first app against the bare boot and when Pyodide was requested),
:func:`runtime_table`, :func:`phase_table`, :func:`policy_table`,
:func:`build_table` and :func:`targets_block`
return its parts, for a docs page that places them between its own paragraphs. Only the
standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

Summary = Mapping[str, Mapping[str, Any]]

#: The first app's steps, in order (the keys of a page's ``phases_ms``); a row shows when any
#: page has the step.
PHASE_ROWS = (
    "loader mounts the first app",
    "early worker started",
    "worker created",
    "pyodide.mjs requested (server log)",
    "worker asked to load Pyodide",
    "Pyodide booted",
    "micropip loaded, install starts",
    "installed, import streamlit starts",
    "streamlit imported",
    "Streamlit server booting",
    "app running (loadFinished)",
    "Streamlit frontend connected (toolbar shown)",
    "first app output in the DOM",
    "first app's output visible",
)


def spread(stat: Mapping[str, float] | None, digits: int = 1, scale: float = 1.0) -> str:
    """``median [min-max]``, or ``n/a``."""
    if not stat:
        return "n/a"
    return (
        f"{stat['median'] / scale:.{digits}f} "
        f"[{stat['min'] / scale:.{digits}f}-{stat['max'] / scale:.{digits}f}]"
    )


def median(stat: Mapping[str, float] | None, digits: int = 0, scale: float = 1.0) -> str:
    return "n/a" if not stat else f"{stat['median'] / scale:.{digits}f}"


#: In the key of a start policy's page: ``ours 1 below the fold, click, cold cache``.
POLICY_MARK = " below the fold, "


def is_policy(key: str) -> bool:
    return POLICY_MARK in key


def _workers(s: Mapping[str, Any]) -> str:
    return f"{s['shared_workers']} shared" if s.get("shared_workers") else str(s.get("workers", 0))


def runtime_table(summary: Summary) -> str:
    """One row per page: median [min-max] over its runs."""
    lines = [
        "| page | all apps visible, s | first app, s | peak RSS, MiB | peak PSS, MiB | CPU, s "
        "| workers | iframes | MB served | requests | runs |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, s in summary.items():
        if is_policy(key):
            continue  # policy_table
        runs = f"{s.get('ok_runs', 0)}/{s.get('runs', 0)}"
        lines.append(
            f"| {key} | {spread(s.get('seconds'))} | {spread(s.get('first_seconds'))} | "
            f"{spread(s.get('peak_rss_mib'), 0)} | {median(s.get('peak_pss_mib'))} | "
            f"{spread(s.get('cpu_seconds_total'))} | {_workers(s)} | {s.get('iframes', 0)} | "
            f"{spread(s.get('bytes'), 1, 1e6)} | {median(s.get('requests'))} | {runs} |"
        )
    return "\n".join(lines)


#: The strategies side by side in the comparison table, as (key prefix, column heading).
STRATEGY_COLUMNS = (
    ("ours", "ours"),
    ("trivial", "trivial loader"),
    ("per-app", "one runtime per app"),
    ("iframe", "iframe per app"),
)
PYODIDE_REQUESTED = "pyodide.mjs requested (server log)"
FIRST_VISIBLE = "first app's output visible"
LONG_COUNT = 20


def _value(summary: Summary, key: str, metric: str) -> float | None:
    stat = summary.get(key, {}).get(metric)
    return None if not stat else float(stat["median"])


def comparison_table(summary: Summary, counts: Sequence[int]) -> str:
    """The strategies side by side, page by page (medians): the first app and every app of the
    all-visible pages, the first app of the 20-app page, the first app against the bare boot
    and when each page asked for Pyodide, and what an app never reached costs; the last
    column is ours against the trivial loader (below 1: ours is ahead)."""
    bare = _value(summary, "bare", "seconds")
    rows: list[tuple[str, str, float | None, list[float | None], str]] = []
    # (label, unit, bare column, one value per strategy, format)

    def per(key: str, metric: str) -> list[float | None]:
        return [_value(summary, key.format(s=prefix), metric) for prefix, _ in STRATEGY_COLUMNS]

    for n in counts:
        apps = f"{n} app{'s' if n > 1 else ''}, all visible"
        rows.append(
            (
                f"{apps}: first app",
                "s",
                bare if n == 1 else None,
                per(f"{{s}} {n}", "first_seconds"),
                ".2f",
            )
        )
        if n > 1:
            rows.append((f"{apps}: every app", "s", None, per(f"{{s}} {n}", "seconds"), ".2f"))
    rows.append(
        (
            f"{LONG_COUNT}-app page, read from the top: first app",
            "s",
            None,
            per(f"{{s}} {LONG_COUNT}, first app", "first_seconds"),
            ".2f",
        )
    )
    firsts = per("{s} 1", "first_seconds")
    rows.append(
        (
            "1-app page: first app / bare boot",
            "x",
            1.0 if bare else None,
            [None if v is None or not bare else v / bare for v in firsts],
            ".2f",
        )
    )

    def requested(key: str) -> float | None:
        value = summary.get(key, {}).get("phases_ms", {}).get(PYODIDE_REQUESTED)
        return None if value is None else float(value)

    rows.append(
        (
            "1-app page: Pyodide requested after navigation",
            "ms",
            requested("bare"),
            [requested(f"{prefix} 1") for prefix, _ in STRATEGY_COLUMNS],
            ".0f",
        )
    )
    for metric, what, unit, scale, fmt in (
        ("bytes", "MB served", "MB", 1e6, ".1f"),
        ("cpu_seconds_total", "CPU", "s", 1.0, ".1f"),
        ("peak_rss_mib", "peak RSS", "MiB", 1.0, ".0f"),
    ):
        values = per("{s} 1 below the fold", metric)
        rows.append(
            (
                f"1 app never reached: {what}",
                unit,
                None,
                [None if v is None else v / scale for v in values],
                fmt,
            )
        )

    def cell(value: float | None, fmt: str, unit: str) -> str:
        if value is None:
            return ""
        return f"{value:{fmt}}x" if unit == "x" else f"{value:{fmt}}"

    heads = " | ".join(title for _, title in STRATEGY_COLUMNS)
    lines = [
        f"| page (median) | {heads} | bare boot | ours / trivial |",
        "|---|" + "---:|" * (len(STRATEGY_COLUMNS) + 2),
    ]
    for label, unit, bare_value, values, fmt in rows:
        if not any(v is not None for v in values):
            continue
        ours, trivial = values[0], values[1]
        ratio = f"{ours / trivial:.2f}" if ours is not None and trivial else ""
        cells = " | ".join(cell(v, fmt, unit) for v in values)
        suffix = "" if unit == "x" else f", {unit}"
        lines.append(f"| {label}{suffix} | {cells} | {cell(bare_value, fmt, unit)} | {ratio} |")
    return "\n".join(lines)


def phase_table(summary: Summary, keys: Sequence[str] | None = None) -> str:
    """Milliseconds from navigation to each step of the first app (median), one column per
    page: where the first app's time goes."""
    keys = [
        k
        for k in (keys if keys is not None else [k for k in summary if not is_policy(k)])
        if summary.get(k, {}).get("phases_ms")
    ]
    rows = [name for name in PHASE_ROWS if any(name in summary[k]["phases_ms"] for k in keys)]
    lines = [
        "| ms since navigation (median) | " + " | ".join(keys) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    for name in rows:
        cells = []
        for k in keys:
            value = summary[k]["phases_ms"].get(name)
            cells.append("" if value is None else f"{value:.0f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def policy_table(summary: Summary) -> str:
    """One row per start policy and HTTP cache: what the page cost before the reader acted
    (bytes, requests for stlite or Pyodide, CPU), then seconds from the reader's action
    (scroll; Run pressed under ``click``) to the app's output, and the bytes of the visit."""
    lines = [
        "| start | HTTP cache | before the reader acts: MB | stlite/Pyodide requests | CPU, s "
        "| action to first output, s | MB in all | runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, s in summary.items():
        if not is_policy(key):
            continue
        start, _, cache = key.split(POLICY_MARK, 1)[1].partition(", ")
        runs = f"{s.get('ok_runs', 0)}/{s.get('runs', 0)}"
        lines.append(
            f"| {start} | {cache.removesuffix(' cache')} | "
            f"{spread(s.get('before_bytes'), 1, 1e6)} | {s.get('before_dist_requests', 0)} | "
            f"{spread(s.get('before_cpu_s'))} | {spread(s.get('action_seconds'), 2)} | "
            f"{spread(s.get('bytes'), 1, 1e6)} | {runs} |"
        )
    return "\n".join(lines)


def build_table(build: Mapping[str, Any]) -> str:
    """Build time of pages with apps against the same pages with code blocks."""
    lines = ["| build | code blocks, s | apps, s | apps / code blocks |", "|---|---:|---:|---:|"]
    for c in build.get("comparisons", []):
        code, apps = build["variants"][c["code"]], build["variants"][c["apps"]]
        lines.append(
            f"| {c['name']} | {code['median']:.2f} | {apps['median']:.2f} | {c['ratio']:.3f}x |"
        )
    return "\n".join(lines)


def targets_block(targets: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for t in targets:
        verdict = "SKIP" if t["passed"] is None else ("PASS" if t["passed"] else "FAIL")
        # older results files named targets after tracker entries ("issue 11: ..."): readers
        # of the docs cannot know what those mean
        name = re.sub(r"^issue \d+: ", "", t["name"])
        lines.append(f"{verdict}  {name}: {t['detail']}")
    return "\n".join(lines)


def machine_line(results: Mapping[str, Any]) -> str:
    m = results.get("machine", {})
    return (
        f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gib', '?')} GiB, "
        f"{m.get('os', '?')}, {m.get('chromium', '?')} headless, Python {m.get('python', '?')}"
    )


def transport_line(results: Mapping[str, Any]) -> str:
    transport = results.get("transport", "loopback")
    where = (
        "stlite and Pyodide from https://cdn.jsdelivr.net, answered by a local TLS server "
        "(pages use the default URLs)"
        if transport == "cdn"
        else "stlite and Pyodide from the page's own loopback server"
    )
    return (
        f"{where}; network: {results.get('network', 'loopback')}; median [min-max] of "
        f"{results.get('runs_per_page', '?')} interleaved rounds, a fresh browser per run"
    )


UNREACHED_NOTE = (
    "Below the fold: the app is four screens down and never scrolled to. Its times are when "
    "it had run anyway, off screen (n/a: it never ran); bytes, CPU and memory are what the "
    "page cost while watched."
)


def render(results: Mapping[str, Any]) -> str:
    """The whole report, in Markdown."""
    summary: Summary = results.get("summary", {})
    parts = [
        f"Machine: {machine_line(results)}.",
        f"Transport: {transport_line(results)}.",
        "",
        comparison_table(summary, results.get("counts") or ()),
        "",
        runtime_table(summary),
        "",
    ]
    if any(key.endswith("below the fold") for key in summary):
        parts += [UNREACHED_NOTE, ""]
    if any(is_policy(key) for key in summary):
        dwell = results.get("dwell_seconds")
        parts += [
            "Start policies: our page with one app four screens below the fold, left alone "
            f"for {f'{dwell:g} s' if dwell else 'the dwell'}, then scrolled to (its Run button "
            "pressed under click). Warm cache: the 20-app page was read first, in the same "
            "browser.",
            "",
            policy_table(summary),
            "",
        ]
    parts += [
        "Where the first app's time goes:",
        "",
        phase_table(summary),
    ]
    if results.get("build_cost"):
        parts += ["", build_table(results["build_cost"])]
    if results.get("targets"):
        parts += ["", "```", targets_block(results["targets"]), "```"]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "results",
        type=Path,
        nargs="?",
        default=Path(__file__).resolve().parent / "results" / "results.json",
    )
    args = parser.parse_args(argv)
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"report: cannot read {args.results}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
