"""The package's modules import each other without loops, and the bottom stays at the bottom.

A loop (a imports b imports a, even only for type hints) makes every module of it depend on all
the others: none can be read, tested or moved alone. The graph is read from the source
(``ast``), every import counted: at the top, inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import module_graph

#: Modules that import nothing of the package but these (the bottom of the core).
BOTTOM = {
    "stlite_docs.errors": set(),
    "stlite_docs.pinned": set(),
    "stlite_docs.settings": {"stlite_docs.errors", "stlite_docs.pinned"},
}
GRAPH = module_graph.graph()


def _loops() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(GRAPH[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                loops.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return loops


def test_the_graph_is_read() -> None:
    """The reader sees real edges (a check that would pass on an empty graph proves nothing)."""
    assert "stlite_docs.pinned" in GRAPH["stlite_docs.worker_script"]
    assert "stlite_docs.settings" in GRAPH["stlite_docs.options"]
    assert "stlite_docs.loader_tag" in GRAPH["stlite_docs.sphinx_ext.events"]
    assert "stlite_docs.selfcontained" in GRAPH["stlite_docs.cli"]  # inside a function


def test_no_module_of_the_package_is_in_an_import_loop() -> None:
    assert _loops() == []


def test_the_loop_finder_finds_a_loop() -> None:
    GRAPH["stlite_docs.pinned"].add("stlite_docs.worker_script")
    try:
        (loop,) = _loops()
        assert {"stlite_docs.pinned", "stlite_docs.worker_script"} <= set(loop)
    finally:
        GRAPH["stlite_docs.pinned"].discard("stlite_docs.worker_script")


def test_the_bottom_of_the_core_imports_only_the_bottom() -> None:
    assert {name: GRAPH[name] for name in BOTTOM} == BOTTOM


def test_core_imports_no_front_end(tmp_path: Path) -> None:
    code = (
        "import sys, stlite_docs, stlite_docs.app, stlite_docs.assets, stlite_docs.checks, "
        "stlite_docs.errors, stlite_docs.options, stlite_docs.paths, stlite_docs.render, "
        "stlite_docs.settings, stlite_docs.selfcontained\n"
        "banned = {'sphinx', 'docutils', 'markdown', 'mkdocs', 'pymdownx', 'myst_parser'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    # run outside the checkout, so the installed package is imported, not the source tree
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.stdout.strip() == "[]"
    # And the check itself can see a front end when one is imported.
    result = subprocess.run(
        [sys.executable, "-c", code.replace("import sys,", "import sys, stlite_docs.sphinx_ext,")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "'docutils" in result.stdout
    assert "'sphinx" in result.stdout


def test_the_picture_of_the_modules_is_current() -> None:
    """The development page's picture is drawn from this graph (scripts/module_graph.py)."""
    assert module_graph.main(["--check"]) == 0
