"""The code editor (``layout: editor``): what it costs and how it responds.

A real Sphinx build (Furo) with one editor app of 200 lines, served from localhost with the
offline stlite and Pyodide (the editor's numbers are the browser's and the runtime's, not the
network's), in headless Chromium:

* the editor's file: bytes as served and gzip-compressed (target: at most 150 KB compressed,
  ``editor_gzip_bytes`` of ``loader/budgets.json``);
* the app's first output on screen and the editor ready (CodeMirror in the page), in seconds
  from navigation, and the editor's time from the output (negative: ready before it);
* keystroke to paint while typing at the end of the 200-line file: from each key's event time
  to the frame after the editor showed it (an animation frame, then a task: past the paint),
  over ``--keys`` keys (target: median at most 16 ms);
* completion round trip after ``st.sl``: from the last key to the list offering ``slider``,
  the first time (the runtime loads Jedi) and then ``--completions`` times on the warm runtime
  (target: median at most 300 ms; it includes the editor's 150 ms wait for the typing to pause).

Usage (from the repository root, in the project's venv)::

    python -m benchmarks.editor                 # 200 keys, 10 completions
    python -m benchmarks.editor --smoke         # 20 keys, 2 completions (the test suite's)

Writes ``editor.json`` into ``--out`` (default ``benchmarks/results``) and prints the numbers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from benchmarks.targets import EDITOR_GZIP_BYTES
from stlite_docs.assets import LOADER_EDITOR_JS, STATIC_DIR
from testbed.browser import CHROMIUM, CHROMIUM_ARGS, URLS, serve
from testbed.build import sphinx_in_process
from testbed.offline_dist import ensure_distribution

BENCH = Path(__file__).resolve().parent
KEY_TARGET_MS = 16.0
COMPLETION_TARGET_MS = 300.0
TIMEOUT_MS = 180_000

#: Records when the app's first output and the editor appear (ms since navigation).
WATCH = """
window.__marks = {};
new MutationObserver(() => {
  const m = window.__marks;
  if (!m.output && document.querySelector('.stlite-docs-mount [data-testid=stMarkdown]'))
    m.output = performance.now();
  if (!m.editor && document.querySelector('.stlite-docs-editor .cm-editor'))
    m.editor = performance.now();
}).observe(document, {childList: true, subtree: true});
"""
#: Each key's latency: its event time to past the next frame (an animation frame, then a task).
KEY_LATENCY = """
window.__keys = [];
document.addEventListener('keydown', (e) => {
  const start = e.timeStamp;
  requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - start)));
}, true);
"""


def app_source(lines: int) -> str:
    """A 200-line app: Streamlit calls, functions, comments."""
    body = ["import streamlit as st", "", "# The editor benchmark's app.", ""]
    i = 0
    while len(body) < lines - 2:
        body += [
            f"def step_{i}(x: int) -> int:",
            f'    """Step {i} of the pipeline."""',
            f"    return x * {i + 1} + {i}  # a comment",
            "",
        ]
        i += 1
    body = body[: lines - 2]
    body += ['n = st.slider("n", 0, 10, 3)', 'st.write(f"editor bench {step_0(n)}")']
    return "\n".join(body) + "\n"


def build(root: Path, lines: int) -> Path:
    src = root / "src"
    src.mkdir()
    conf = ['extensions = ["stlite_docs.sphinx_ext"]', 'html_theme = "furo"']
    conf += [f"stlite_{k} = {v!r}" for k, v in URLS.items()]
    (src / "conf.py").write_text("\n".join(conf) + "\n", encoding="utf-8")
    body = "".join(f"   {line}\n" if line else "\n" for line in app_source(lines).splitlines())
    (src / "index.rst").write_text(
        f"Editor\n======\n\n.. stlite::\n   :layout: editor\n\n{body}", encoding="utf-8"
    )
    out = root / "html"
    result = sphinx_in_process("-q", "-b", "html", str(src), str(out), cwd=root)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    return out


def type_keys(page: Page, keys: int) -> dict[str, float]:
    """Type ``keys`` keys where the focus is, as a fast typist; their key-to-paint times."""
    page.evaluate("window.__keys = []")
    text = "x = 1  # typing\n"
    for i in range(keys):
        page.keyboard.type(text[i % len(text)])
        page.wait_for_timeout(30)  # ~30 keys a second
    page.wait_for_function(f"window.__keys.length >= {keys}", timeout=10_000)
    latencies = sorted(float(v) for v in page.evaluate("window.__keys")[:keys])
    return {
        "median": round(statistics.median(latencies), 1),
        "p90": round(latencies[max(0, int(len(latencies) * 0.9) - 1)], 1),
        "max": round(latencies[-1], 1),
    }


def completion_ms(page: Page) -> float:
    """Type ``st.sl`` on a new last line; ms from the last key to ``slider`` offered."""
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("st.s")
    page.evaluate(
        """() => { window.__offered = 0;
        const seen = new MutationObserver(() => {
          for (const li of document.querySelectorAll('.cm-tooltip-autocomplete li'))
            if (li.textContent.startsWith('slider')) { window.__offered = performance.now();
              seen.disconnect(); return; }
        });
        seen.observe(document.body, {childList: true, subtree: true, characterData: true});
        document.addEventListener('keydown', (e) => (window.__lastKey = e.timeStamp),
          {capture: true, once: true}); }"""
    )
    page.keyboard.type("l")
    page.wait_for_function("window.__offered > 0", timeout=TIMEOUT_MS)
    took = float(page.evaluate("window.__offered - window.__lastKey"))
    page.keyboard.press("Escape")
    for _ in range(len("st.sl") + 1):
        page.keyboard.press("Backspace")
    return took


def measure(keys: int, completions: int, lines: int) -> dict[str, Any]:
    editor_file = (STATIC_DIR / LOADER_EDITOR_JS).read_bytes()
    result: dict[str, Any] = {
        "editor_file_bytes": len(editor_file),
        "editor_file_gzip_bytes": len(gzip.compress(editor_file, 9)),
        "lines": lines,
    }
    dist = ensure_distribution()
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp), lines)
        with (
            serve({"/_dist": dist.root, "/site": site}) as server,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.add_init_script(WATCH)
            page.add_init_script(KEY_LATENCY)
            page.goto(f"{server.base_url}/site/index.html")
            page.wait_for_function(
                "window.__marks.output && window.__marks.editor", timeout=TIMEOUT_MS
            )
            marks = page.evaluate("window.__marks")
            result["output_s"] = round(marks["output"] / 1000, 3)
            result["editor_s"] = round(marks["editor"] / 1000, 3)
            # negative: the editor was ready before the app's first output
            result["editor_after_output_ms"] = round(marks["editor"] - marks["output"], 1)
            result["keys"] = keys
            # the floor of this measurement on this machine: a plain text area in the same page
            page.evaluate(
                "document.body.prepend(Object.assign(document.createElement('textarea'),"
                " {id: 'bench-baseline', rows: 3}))"
            )
            page.locator("#bench-baseline").click()
            result["baseline_textarea_key_to_paint_ms"] = type_keys(page, keys)
            page.locator(".cm-content").click()
            page.keyboard.press("Control+End")
            result["key_to_paint_ms"] = type_keys(page, keys)
            page.keyboard.press("Escape")
            result["completion_first_ms"] = round(completion_ms(page), 1)
            warm = [completion_ms(page) for _ in range(completions)]
            result["completions"] = completions
            result["completion_warm_ms"] = {
                "median": round(statistics.median(warm), 1),
                "min": round(min(warm), 1),
                "max": round(max(warm), 1),
            }
            browser.close()
    result["targets"] = {
        "editor_gzip": result["editor_file_gzip_bytes"] <= EDITOR_GZIP_BYTES,
        "key_to_paint": result["key_to_paint_ms"]["median"] <= KEY_TARGET_MS,
        "completion": result["completion_warm_ms"]["median"] <= COMPLETION_TARGET_MS,
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--completions", type=int, default=10)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--smoke", action="store_true", help="20 keys, 2 completions")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    keys, completions = (20, 2) if args.smoke else (args.keys, args.completions)
    result = measure(keys, completions, args.lines)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "editor.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    gz = result["editor_file_gzip_bytes"]
    print(
        f"editor file: {result['editor_file_bytes']:,} bytes, {gz:,} gzip "
        f"(target <= {EDITOR_GZIP_BYTES // 1000} KB)"
    )
    print(
        f"app output at {result['output_s']} s, editor ready at {result['editor_s']} s "
        f"({result['editor_after_output_ms']:+} ms from the output)"
    )
    k, b = result["key_to_paint_ms"], result["baseline_textarea_key_to_paint_ms"]
    print(
        f"key to paint over {keys} keys in a {args.lines}-line file: median {k['median']} ms, "
        f"p90 {k['p90']}, max {k['max']} (target median <= {KEY_TARGET_MS:g} ms); "
        f"a plain text area in the same page: median {b['median']} ms, p90 {b['p90']}, "
        f"max {b['max']}"
    )
    c = result["completion_warm_ms"]
    print(
        f"completion of st.sl: first {result['completion_first_ms']} ms (loads Jedi); warm "
        f"median {c['median']} ms over {completions} (min {c['min']}, max {c['max']}; "
        f"target <= {COMPLETION_TARGET_MS:g} ms)"
    )
    missed = [name for name, met in result["targets"].items() if not met]
    print("targets: all met" if not missed else f"targets missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
