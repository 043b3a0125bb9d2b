"""The package's modules and their imports, read from the source; drawn as an SVG picture.

    python scripts/module_graph.py          # rewrite demo_docs/sphinx/_static/modules.svg
    python scripts/module_graph.py --check  # exit 1 if the committed picture is out of date

Every import counts (at the top, inside functions, under ``TYPE_CHECKING``): an arrow goes from
the importing module to the imported one. ``tests/test_import_graph.py`` checks the graph has
no loop; the picture puts each module above all it imports, so every arrow points down. The
subpackages (``selfcontained``, ``markdown``, ``myst``, ``sphinx_ext``, ``mkdocs_plugin``) are
one box each in the picture.
"""

from __future__ import annotations

import ast
import html
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Folder -> the package it is installed as (pyproject's ``package-dir``).
PACKAGES = {
    ROOT / "stlite_docs": "stlite_docs",
    ROOT / "sphinx_ext": "stlite_docs.sphinx_ext",
    ROOT / "mkdocs_plugin": "stlite_docs.mkdocs_plugin",
}
PICTURE = ROOT / "demo_docs" / "sphinx" / "_static" / "modules.svg"
#: Drawn as one box each.
GROUPS = ("selfcontained", "markdown", "myst", "sphinx_ext", "mkdocs_plugin")


def modules() -> dict[str, Path]:
    """Every module of the package, by its dotted name."""
    found: dict[str, Path] = {}
    for folder, package in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The package's modules that ``name`` (at ``path``) imports."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            # "from pkg import sub" imports the module pkg.sub where it is one
            targets = [
                f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                for a in node.names
            ]
        for found in targets:
            target = found
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(f"{target}."):
                yield target


def graph() -> dict[str, set[str]]:
    """Module -> the modules it imports."""
    known = modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def _box(name: str) -> str:
    """The picture's box for a module: its name in the package, subpackages as one."""
    short = name.removeprefix("stlite_docs.").removeprefix("stlite_docs")
    head = short.split(".", 1)[0]
    if head in GROUPS:
        return f"{head}/"
    return f"{short}.py" if short else "__init__.py"


def boxes() -> dict[str, set[str]]:
    """The picture's graph: box -> the boxes it imports (no arrow inside a box)."""
    drawn: dict[str, set[str]] = {}
    for name, targets in graph().items():
        box = _box(name)
        drawn.setdefault(box, set()).update(_box(t) for t in targets if _box(t) != box)
    return drawn


def layers(drawn: dict[str, set[str]]) -> list[list[str]]:
    """Rows from the top: a box sits one row above the deepest box it imports."""
    depth: dict[str, int] = {}

    def level(box: str, seen: tuple[str, ...] = ()) -> int:
        if box in seen:
            raise SystemExit(f"module_graph: an import loop through {' -> '.join(seen)}")
        if box not in depth:
            below = [level(t, (*seen, box)) for t in drawn.get(box, ())]
            depth[box] = 1 + max(below, default=-1)
        return depth[box]

    for box in drawn:
        level(box)
    rows = max(depth.values()) + 1
    return [sorted(b for b in drawn if depth[b] == rows - 1 - i) for i in range(rows)]


def svg(drawn: dict[str, set[str]]) -> str:
    """The picture: rows of boxes, an arrow from each importer down to what it imports."""
    rows = layers(drawn)
    box_w, box_h, gap_x, gap_y, pad = 132, 28, 14, 46, 16
    width = pad * 2 + max(len(r) for r in rows) * (box_w + gap_x) - gap_x
    height = pad * 2 + len(rows) * (box_h + gap_y) - gap_y
    where: dict[str, tuple[float, float]] = {}
    for i, row in enumerate(rows):
        row_w = len(row) * (box_w + gap_x) - gap_x
        x0 = (width - row_w) / 2
        for j, box in enumerate(row):
            where[box] = (x0 + j * (box_w + gap_x), pad + i * (box_h + gap_y))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="sans-serif" font-size="12">',
        "<title>stlite-docs: the package's modules; an arrow from a module to one it "
        "imports</title>",
        '<defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
        'markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    for box in sorted(drawn):
        x, y = where[box]
        for target in sorted(drawn[box]):
            tx, ty = where[target]
            out.append(
                f'<line x1="{x + box_w / 2:.1f}" y1="{y + box_h:.1f}" '
                f'x2="{tx + box_w / 2:.1f}" y2="{ty:.1f}" stroke="#888" '
                'stroke-opacity="0.55" marker-end="url(#a)"/>'
            )
    for box, (x, y) in sorted(where.items()):
        group = box.endswith("/")
        fill = "#e8f0fe" if group else "#f4f4f4"
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="5" '
            f'fill="{fill}" stroke="#555"/>'
            f'<text x="{x + box_w / 2:.1f}" y="{y + box_h / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="#111">{html.escape(box)}</text>'
        )
    out.append("</svg>\n")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    picture = svg(boxes())
    if argv == ["--check"]:
        if not PICTURE.is_file() or PICTURE.read_text(encoding="utf-8") != picture:
            print(f"{PICTURE} is out of date: python scripts/module_graph.py", file=sys.stderr)
            return 1
        return 0
    PICTURE.write_text(picture, encoding="utf-8")
    print(f"wrote {PICTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
