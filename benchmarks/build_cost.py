"""How much do live apps cost a docs build, compared with plain code blocks?

Why: an app is, for the reader, a code block that can run; for the author it
should cost about what a code block costs at build time, or large sites will
not adopt it. The issue's target is that a site full of apps builds at most
1.25x as slow as the same site with ``code-block`` / ```` ```python ````
fences; 1.10x is the stretch target.

What: in a temporary folder this generates 150 different small Streamlit apps
(about 6 lines each, some with ``requirements: packaging`` and ``height: 300``)
spread over 10 pages, four times over:

* Sphinx, ``.. stlite::`` directives, ``extensions = ["stlite_docs.sphinx_ext"]``;
* Sphinx, the same sources as ``.. code-block:: python``, no extension;
* MkDocs, ```` ```stlite ```` fences, ``plugins: [stlite]``;
* MkDocs, the same sources as ```` ```python ```` fences, ``plugins: []``.

Both MkDocs sites list ``pymdownx.superfences`` so every code block goes
through the same highlighter, and neither runs MkDocs' default ``search``
plugin (an explicit plugin list replaces it), so the only difference between
each pair is the apps. Each build is a fresh subprocess (imports and all, as
a CI build is) into a fresh output folder; the Sphinx pair is also built with
``-j 2``. Runs are interleaved (every variant once, then again) so that drift
in machine load falls on all variants alike, after one untimed warm-up build
per variant that also checks the output (150 mounts, or none).

Every build finds compiled bytecode for every module it imports, as in any
installed environment (``pip install`` compiles it): the builds write it to a
folder of their own (``PYTHONPYCACHEPREFIX``) in the warm-up, even when the
calling environment sets ``PYTHONDONTWRITEBYTECODE``. Otherwise an editable
install of stlite-docs would be compiled from source in every timed build
(~10 ms of MkDocs' ~0.37 s) while Sphinx and MkDocs load their installed
bytecode, and the ratio would measure the checkout, not the extension.

Usage::

    python -m benchmarks.build_cost [--runs 3] [--warmup 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

PAGES = 10
APPS_PER_PAGE = 15
ISSUE_TARGET = 1.25
STRETCH_TARGET = 1.10
MOUNT_MARKER = 'class="stlite-docs-app"'


@dataclass(frozen=True)
class App:
    """One app: its source and the options an author would give it."""

    source: str
    requirements: str | None = None
    height: str | None = None


@dataclass(frozen=True)
class Variant:
    """One site and the command that builds it into a given output folder."""

    name: str
    tool: str
    has_apps: bool
    src: Path
    parallel: int = 1

    def command(self, out: Path) -> list[str]:
        if self.tool == "sphinx":
            jobs = ["-j", str(self.parallel)] if self.parallel > 1 else []
            return [
                sys.executable,
                "-m",
                "sphinx",
                "-q",
                *jobs,
                "-b",
                "html",
                str(self.src),
                str(out),
            ]
        return [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(self.src / "mkdocs.yml"),
            "-d",
            str(out),
        ]

    def env(self, bytecode_dir: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_dir)
        if self.tool == "mkdocs":
            env["NO_MKDOCS_2_WARNING"] = "1"
        return env


@dataclass
class Timing:
    variant: Variant
    seconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Comparison:
    """Apps against code blocks, built the same way; judged on the medians."""

    label: str
    apps: Timing
    code: Timing

    @property
    def ratio(self) -> float:
        return self.apps.median / self.code.median


# --- the generated sites -----------------------------------------------------

_WIDGETS = (
    'value = st.slider("Pick a number", 0, {hi}, {mid})',
    'value = st.number_input("How many?", min_value=0, max_value={hi}, value={mid})',
    'value = len(st.text_input("Your name", "reader {n}"))',
    'value = {mid} if st.checkbox("Double it", value=True) else {hi}',
    'value = st.selectbox("Choose", [{mid}, {hi}, {n}])',
)


def make_apps(count: int) -> list[App]:
    """``count`` different ~6-line apps; every 3rd needs ``packaging``, every
    4th is 300px tall (so both option paths are exercised, alone and together)."""
    apps: list[App] = []
    for n in range(count):
        widget = _WIDGETS[n % len(_WIDGETS)].format(n=n, hi=100 + n, mid=n % 50)
        lines = [
            "import streamlit as st",
            "",
            f'st.header("Demo app number {n}")',
            widget,
            f'st.write("Value times {n + 1}:", value * {n + 1})',
        ]
        requirements = "packaging" if n % 3 == 0 else None
        if requirements:
            lines.insert(1, "from packaging.version import Version")
            lines.append("st.caption(f\"packaging sees {Version('1.%d' % value)}\")")
        else:
            lines.append(f'st.caption("app {n} of {count}")')
        apps.append(
            App(
                source="\n".join(lines) + "\n",
                requirements=requirements,
                height="300" if n % 4 == 0 else None,
            )
        )
    assert len({a.source for a in apps}) == count, "app sources must all differ"
    return apps


def _pages(apps: Sequence[App]) -> list[list[App]]:
    return [list(apps[p * APPS_PER_PAGE : (p + 1) * APPS_PER_PAGE]) for p in range(PAGES)]


def _rst_block(app: App, with_apps: bool) -> str:
    if with_apps:
        head = [".. stlite::"]
        if app.requirements:
            head.append(f"   :requirements: {app.requirements}")
        if app.height:
            head.append(f"   :height: {app.height}")
    else:
        head = [".. code-block:: python"]
    return "\n".join(head) + "\n\n" + textwrap.indent(app.source, "   ") + "\n"


def write_sphinx(root: Path, apps: Sequence[App], with_apps: bool) -> Path:
    root.mkdir(parents=True)
    extensions = '["stlite_docs.sphinx_ext"]' if with_apps else "[]"
    (root / "conf.py").write_text(
        f'project = "Build cost"\nextensions = {extensions}\n', encoding="utf-8"
    )
    names = [f"page_{p:02d}" for p in range(PAGES)]
    toctree = "\n".join(f"   {name}" for name in names)
    (root / "index.rst").write_text(
        f"Build cost\n==========\n\n.. toctree::\n\n{toctree}\n", encoding="utf-8"
    )
    for p, (name, page_apps) in enumerate(zip(names, _pages(apps), strict=True)):
        parts = [f"Page {p}\n{'=' * len(f'Page {p}')}\n"]
        for i, app in enumerate(page_apps):
            parts.append(f"Example {i}\n{'-' * len(f'Example {i}')}\n\nSome prose.\n")
            parts.append(_rst_block(app, with_apps))
        (root / f"{name}.rst").write_text("\n".join(parts), encoding="utf-8")
    return root


def _md_block(app: App, with_apps: bool) -> str:
    if with_apps:
        attrs = "".join(
            f' {key}="{value}"'
            for key, value in (("requirements", app.requirements), ("height", app.height))
            if value
        )
        opener = f"```stlite{attrs}"
    else:
        opener = "```python"
    return f"{opener}\n{app.source}```\n"


def write_mkdocs(root: Path, apps: Sequence[App], with_apps: bool) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    plugins = "[stlite]" if with_apps else "[]"
    (root / "mkdocs.yml").write_text(
        "site_name: Build cost\n"
        f"plugins: {plugins}\n"
        "markdown_extensions:\n"
        "  - pymdownx.superfences\n",
        encoding="utf-8",
    )
    (docs / "index.md").write_text("# Build cost\n\nSee the pages.\n", encoding="utf-8")
    for p, page_apps in enumerate(_pages(apps)):
        parts = [f"# Page {p}\n"]
        for i, app in enumerate(page_apps):
            parts.append(f"## Example {i}\n\nSome prose.\n")
            parts.append(_md_block(app, with_apps))
        (docs / f"page_{p:02d}.md").write_text("\n".join(parts), encoding="utf-8")
    return root


def make_variants(tmp: Path, apps: Sequence[App]) -> list[Variant]:
    sphinx_apps = write_sphinx(tmp / "src" / "sphinx-apps", apps, with_apps=True)
    sphinx_code = write_sphinx(tmp / "src" / "sphinx-code", apps, with_apps=False)
    mkdocs_apps = write_mkdocs(tmp / "src" / "mkdocs-apps", apps, with_apps=True)
    mkdocs_code = write_mkdocs(tmp / "src" / "mkdocs-code", apps, with_apps=False)
    return [
        Variant("sphinx code-blocks", "sphinx", False, sphinx_code),
        Variant("sphinx apps", "sphinx", True, sphinx_apps),
        Variant("sphinx -j 2 code-blocks", "sphinx", False, sphinx_code, parallel=2),
        Variant("sphinx -j 2 apps", "sphinx", True, sphinx_apps, parallel=2),
        Variant("mkdocs code-blocks", "mkdocs", False, mkdocs_code),
        Variant("mkdocs apps", "mkdocs", True, mkdocs_apps),
    ]


# --- running -----------------------------------------------------------------


def build_once(variant: Variant, out: Path, bytecode_dir: Path) -> float:
    """Wall-clock seconds of one complete build in a new process."""
    env = variant.env(bytecode_dir)
    start = time.perf_counter()
    proc = subprocess.run(
        variant.command(out), env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{variant.name}: build failed with exit status {proc.returncode}")
    if proc.stderr.strip():
        sys.stderr.write(f"[{variant.name}] {proc.stderr}")
    return elapsed


# where Sphinx and the MkDocs plugin write each app's own page (inside the output folder)
FULL_PAGES = ("_stlite/", "assets/stlite-docs/apps/")


def check_output(variant: Variant, out: Path, expected_apps: int) -> None:
    """The benchmark is only meaningful if every app (or code block) is there."""
    # the pages themselves: not each app's own page, which the build writes next to them
    html = [
        p.read_text(encoding="utf-8")
        for p in out.rglob("*.html")
        if not p.relative_to(out).as_posix().startswith(FULL_PAGES)
    ]
    mounts = sum(text.count(MOUNT_MARKER) for text in html)
    blocks = sum(text.count("<pre") for text in html)
    wanted = expected_apps if variant.has_apps else 0
    if mounts != wanted or blocks < expected_apps:
        raise SystemExit(
            f"{variant.name}: expected {wanted} app mounts and >= {expected_apps} code "
            f"blocks in {out}, found {mounts} and {blocks}"
        )


def run_all(
    variants: Sequence[Variant], tmp: Path, runs: int, warmup: int, expected_apps: int
) -> list[Timing]:
    timings = [Timing(v) for v in variants]
    bytecode_dir = tmp / "pycache"
    for w in range(warmup):
        for variant in variants:
            out = tmp / "out" / f"warmup{w}" / variant.name.replace(" ", "_")
            build_once(variant, out, bytecode_dir)
            check_output(variant, out, expected_apps)
    for r in range(runs):
        for timing in timings:
            out = tmp / "out" / f"run{r}" / timing.variant.name.replace(" ", "_")
            timing.seconds.append(build_once(timing.variant, out, bytecode_dir))
            print(
                f"  run {r + 1}/{runs} {timing.variant.name}: {timing.seconds[-1]:.3f}s",
                file=sys.stderr,
            )
    return timings


def compare(timings: Sequence[Timing]) -> list[Comparison]:
    by_name = {t.variant.name: t for t in timings}
    return [
        Comparison(label, by_name[f"{label} apps"], by_name[f"{label} code-blocks"])
        for label in ("sphinx", "sphinx -j 2", "mkdocs")
    ]


# --- reporting ---------------------------------------------------------------


def _verdict(ratio: float, target: float) -> str:
    return "PASS" if ratio <= target else "FAIL"


def format_table(timings: Sequence[Timing], comparisons: Sequence[Comparison]) -> str:
    ratios = {c.apps.variant.name: c for c in comparisons}
    header = (
        f"{'variant':<24} {'median s':>9} {'min s':>8} {'max s':>8} "
        f"{'apps/code':>10} {f'<={ISSUE_TARGET:.2f}x':>8} {f'<={STRETCH_TARGET:.2f}x':>8}"
    )
    lines = [header, "-" * len(header)]
    for t in timings:
        row = f"{t.variant.name:<24} {t.median:>9.3f} {min(t.seconds):>8.3f} {max(t.seconds):>8.3f}"
        comparison = ratios.get(t.variant.name)
        if comparison is not None:
            r = comparison.ratio
            row += (
                f" {f'{r:.3f}x':>10} {_verdict(r, ISSUE_TARGET):>8} "
                f"{_verdict(r, STRETCH_TARGET):>8}"
            )
        lines.append(row)
    return "\n".join(lines)


def to_json(
    timings: Sequence[Timing], comparisons: Sequence[Comparison], runs: int, warmup: int, apps: int
) -> dict[str, object]:
    return {
        "apps": apps,
        "pages": PAGES,
        "runs": runs,
        "warmup": warmup,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "versions": {name: version(name) for name in ("sphinx", "mkdocs", "pymdown-extensions")},
        "targets": {"issue": ISSUE_TARGET, "stretch": STRETCH_TARGET},
        "variants": {
            t.variant.name: {
                "seconds": t.seconds,
                "median": t.median,
                "min": min(t.seconds),
                "max": max(t.seconds),
            }
            for t in timings
        },
        "comparisons": [
            {
                "name": c.label,
                "apps": c.apps.variant.name,
                "code": c.code.variant.name,
                "ratio": c.ratio,
                "issue_pass": c.ratio <= ISSUE_TARGET,
                "stretch_pass": c.ratio <= STRETCH_TARGET,
            }
            for c in comparisons
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="timed builds per variant")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed (but checked) builds per variant first"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 if any ratio misses the {ISSUE_TARGET}x issue target",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")

    apps = make_apps(PAGES * APPS_PER_PAGE)
    tmp = Path(tempfile.mkdtemp(prefix="stlite-build-cost-"))
    try:
        variants = make_variants(tmp, apps)
        print(
            f"{len(apps)} apps on {PAGES} pages, {args.runs} run(s) per variant, in {tmp}",
            file=sys.stderr,
        )
        timings = run_all(variants, tmp, args.runs, args.warmup, len(apps))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    comparisons = compare(timings)
    print(format_table(timings, comparisons))
    if args.json is not None:
        data = to_json(timings, comparisons, args.runs, args.warmup, len(apps))
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if args.check and any(c.ratio > ISSUE_TARGET for c in comparisons):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
