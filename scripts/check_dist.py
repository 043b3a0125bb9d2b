"""Build the release artefacts and check them: what RELEASING.md asks before an upload.

    .venv/bin/python scripts/check_dist.py            # build sdist + wheel into a temp folder
    .venv/bin/python scripts/check_dist.py dist/      # check artefacts built already

Builds with ``python -m build`` (an isolated build: the sdist, then the wheel from the
unpacked sdist, as an index or a user's pip would, so no stale ``build/`` folder leaks in), then
checks the wheel holds every package of ``[tool.setuptools]`` (``stlite_docs`` with its
``sphinx_ext`` and ``mkdocs_plugin``) with all their modules, every file of the browser loader
(``stlite_docs/static``), ``py.typed``, the MkDocs entry point and the project's version and
Python range, and nothing else (no tests, test bed, benchmarks, demo or caches); that the sdist
holds what a rebuild needs; then runs ``twine check --strict`` on both. Exits non-zero with
every problem listed.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ENTRY_POINT = "stlite = stlite_docs.mkdocs_plugin:StlitePlugin"
SDIST_NEEDS = ("pyproject.toml", "README.md", "LICENSE", "NOTICE", "LICENSES/Apache-2.0.txt")
#: The licence files every wheel carries (PEP 639: ``.dist-info/licenses/``).
WHEEL_LICENSES = ("LICENSE", "NOTICE", "LICENSES/Apache-2.0.txt")


def _pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def project() -> dict[str, Any]:
    data: dict[str, Any] = _pyproject()["project"]
    return data


def version() -> str:
    """The version, from its one source: ``stlite_docs.__version__`` (pyproject's dynamic
    version reads the same line)."""
    for line in (REPO / "stlite_docs" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__ = "):
            return line.split("=", 1)[1].strip().strip('"')
    raise SystemExit("check_dist: stlite_docs/__init__.py has no __version__")


def package_folders() -> dict[str, Path]:
    """Each package the wheel must hold (as a path in the wheel) -> its folder in the
    repository, from ``[tool.setuptools]``'s ``packages`` and ``package-dir``."""
    setup = _pyproject()["tool"]["setuptools"]
    mapped: dict[str, str] = setup.get("package-dir", {})
    folders = {}
    for package in setup["packages"]:
        parent = max(
            (p for p in mapped if package == p or package.startswith(p + ".")), key=len, default=""
        )
        rest = package[len(parent) :].lstrip(".").replace(".", "/")
        base = REPO / mapped[parent] if parent else REPO
        folders[package.replace(".", "/")] = base / rest if rest else base
    return folders


PACKAGES = package_folders()


def expected_wheel_files() -> set[str]:
    """The package files the wheel must hold: every module and the loader's static files."""
    files = {"stlite_docs/py.typed"}
    for package, folder in PACKAGES.items():
        files |= {f"{package}/{p.name}" for p in folder.glob("*.py")}
    files |= {
        f"stlite_docs/static/{p.name}"
        for p in (REPO / "stlite_docs" / "static").iterdir()
        if p.suffix in (".js", ".mjs", ".css")
    }
    return files


def check_wheel(path: Path) -> list[str]:
    meta = project()
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
        dist_info = {n.split("/", 1)[0] for n in names if ".dist-info/" in n}
        problems = [f"wheel lacks {f}" for f in sorted(expected_wheel_files() - names)]
        strays = sorted(
            n for n in names - expected_wheel_files() if n.split("/", 1)[0] not in dist_info
        )
        problems += [f"wheel holds a file that is not part of the packages: {n}" for n in strays]
        if len(dist_info) != 1:
            return [*problems, f"wheel has {len(dist_info)} .dist-info folders"]
        info = dist_info.pop()
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = (
            wheel.read(f"{info}/entry_points.txt").decode()
            if f"{info}/entry_points.txt" in names
            else ""
        )
    if metadata["Version"] != version():
        problems.append(f"wheel version {metadata['Version']} != the package's {version()}")
    problems += [
        f"wheel lacks the licence file {name}"
        for name in WHEEL_LICENSES
        if f"{info}/licenses/{name}" not in names
    ]
    if metadata["Requires-Python"] != meta["requires-python"]:
        problems.append(f"Requires-Python {metadata['Requires-Python']} != pyproject's")
    if ENTRY_POINT not in entry_points.replace("  ", " "):
        problems.append(f"the MkDocs entry point is missing: {ENTRY_POINT}")
    if not metadata.get_payload():
        problems.append("no long description (the README) in the wheel's METADATA")
    return problems


def check_sdist(path: Path) -> list[str]:
    with tarfile.open(path) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    needs = {
        *SDIST_NEEDS,
        *(
            p.relative_to(REPO).as_posix()
            for folder in PACKAGES.values()
            for p in folder.glob("*.py")
        ),
    }
    needs |= {f"stlite_docs/static/{p.name}" for p in (REPO / "stlite_docs" / "static").iterdir()}
    return [f"sdist lacks {n}" for n in sorted(needs - names)]


def check(dist: Path) -> list[str]:
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        return [f"expected one wheel and one sdist in {dist}, found {wheels + sdists}"]
    problems = check_wheel(wheels[0]) + check_sdist(sdists[0])
    twine = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheels[0]), str(sdists[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    if twine.returncode != 0:
        problems.append(f"twine check failed:\n{twine.stdout}{twine.stderr}")
    return problems


def build(out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"check_dist: python -m build failed:\n{proc.stdout}{proc.stderr}")


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="stlite-docs-dist-") as tmp:
        dist = Path(argv[0]) if argv else Path(tmp)
        if not argv:
            build(dist)
        problems = check(dist)
        for problem in problems:
            print(f"check_dist: {problem}", file=sys.stderr)
        if not problems:
            print(f"check_dist: {', '.join(sorted(p.name for p in dist.iterdir()))}: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
