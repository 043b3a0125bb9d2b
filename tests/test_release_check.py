"""The release check (``scripts/check_dist.py``, run by ``./scripts/test`` on freshly built
artefacts) catches a wheel that lacks the loader or carries the tests, and an sdist that lacks
a package: checked here on wheels and sdists made to be wrong, no build needed."""

from __future__ import annotations

import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import check_dist

VERSION = check_dist.version()
INFO = f"stlite_docs-{VERSION}.dist-info"


def make_wheel(path: Path, drop: str = "", add: str = "") -> Path:
    meta = check_dist.project()
    files = {name: b"x" for name in check_dist.expected_wheel_files() if name != drop}
    if add:
        files[add] = b"x"
    files[f"{INFO}/METADATA"] = (
        f"Metadata-Version: 2.4\nName: stlite-docs\nVersion: {VERSION}\n"
        f"Requires-Python: {meta['requires-python']}\n\n# stlite-docs\n"
    ).encode()
    for name in check_dist.WHEEL_LICENSES:
        if name != drop:
            files[f"{INFO}/licenses/{name}"] = b"x"
    files[f"{INFO}/entry_points.txt"] = f"[mkdocs.plugins]\n{check_dist.ENTRY_POINT}\n".encode()
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return path


def make_sdist(path: Path, drop: str = "") -> Path:
    names = [
        *check_dist.SDIST_NEEDS,
        *(
            p.relative_to(check_dist.REPO).as_posix()
            for folder in check_dist.PACKAGES.values()
            for p in folder.glob("*.py")
        ),
        *(
            f"stlite_docs/static/{p.name}"
            for p in (check_dist.REPO / "stlite_docs" / "static").iterdir()
        ),
    ]
    with tarfile.open(path, "w:gz") as sdist:
        for name in names:
            if name != drop:
                info = tarfile.TarInfo(f"stlite_docs-{VERSION}/{name}")
                sdist.addfile(info, io.BytesIO(b""))
    return path


def test_a_complete_wheel_and_sdist_pass(tmp_path: Path) -> None:
    assert check_dist.check_wheel(make_wheel(tmp_path / "ok.whl")) == []
    assert check_dist.check_sdist(make_sdist(tmp_path / "ok.tar.gz")) == []


@pytest.mark.parametrize(
    ("drop", "add", "problem"),
    [
        ("stlite_docs/static/stlite-docs.js", "", "wheel lacks stlite_docs/static/stlite-docs.js"),
        ("stlite_docs/py.typed", "", "wheel lacks stlite_docs/py.typed"),
        ("NOTICE", "", "wheel lacks the licence file NOTICE"),
        ("stlite_docs/mkdocs_plugin/__init__.py", "", "wheel lacks stlite_docs/mkdocs_plugin/"),
        ("", "tests/test_core.py", "not part of the packages: tests/test_core.py"),
        ("", "sphinx_ext/__init__.py", "not part of the packages: sphinx_ext/__init__.py"),
    ],
)
def test_a_wrong_wheel_is_reported(tmp_path: Path, drop: str, add: str, problem: str) -> None:
    problems = check_dist.check_wheel(make_wheel(tmp_path / "bad.whl", drop, add))
    assert any(problem in p for p in problems), problems


def test_an_sdist_without_a_package_is_reported(tmp_path: Path) -> None:
    problems = check_dist.check_sdist(
        make_sdist(tmp_path / "bad.tar.gz", drop="sphinx_ext/__init__.py")
    )
    assert problems == ["sdist lacks sphinx_ext/__init__.py"]


def test_stated_versions_are_the_tested_bounds() -> None:
    """The README's "Supported and tested" line and the Python classifiers say what the nox
    sessions test: the lower bounds of pyproject.toml (pinned by ``nox -s oldest``) and the
    Pythons of ``noxfile.PYTHONS``."""
    project = check_dist.project()
    extras: dict[str, list[str]] = project["optional-dependencies"]
    bounds = dict(
        spec.split(">=")
        for spec in [*extras["sphinx"], *extras["mkdocs"], *extras["myst"], *extras["demo"]]
        if ">=" in spec
    )
    readme = (check_dist.REPO / "README.md").read_text(encoding="utf-8")
    stated = readme.split("Supported and tested:", 1)[1].split("\n\n", 1)[0]
    stated = " ".join(stated.split())
    for name, shown in [
        ("sphinx", "Sphinx"),
        ("docutils", "docutils"),
        ("myst-parser", "MyST-Parser"),
        ("mkdocs", "MkDocs"),
        ("markdown", "Python-Markdown"),
        ("pymdown-extensions", "pymdown-extensions"),
        ("mystmd", "mystmd"),
    ]:
        assert f"{shown} {bounds[name]}" in stated, (name, bounds[name], stated)

    noxfile = (check_dist.REPO / "noxfile.py").read_text(encoding="utf-8")
    pythons = re.search(r"^PYTHONS = \((.*)\)$", noxfile, re.MULTILINE)
    assert pythons
    tested = [v.strip(" \"'") for v in pythons[1].split(",") if v.strip()]
    classifiers: list[str] = project["classifiers"]
    declared = [
        c.rsplit(" :: ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert declared == tested
    assert f"Python {tested[0]} to {tested[-1]}" in stated
    assert project["requires-python"] == f">={tested[0]}"
