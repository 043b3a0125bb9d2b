"""Version sets: stlite-docs built and tested with the oldest and the newest releases it supports.

Each session makes a fresh virtualenv, installs the package from its built wheel (as users get
it, not editable) with its dependencies from the package index, prints what it got, and runs the
fast suite (``pytest --quick``): real Sphinx builds of the test roots (``tests/roots/``, reST and
MyST), real MkDocs builds, both demo sites (``demo_docs/``) with ``-W`` / ``--strict``, and the
core's tests. No browser: the browser tests need only one version set, the development one.

    .venv/bin/nox -s oldest          # every lower bound in pyproject.toml, on Python 3.11 (CI)
    .venv/bin/nox -s newest-3.13     # the newest releases; also newest-3.11, newest-3.12
    .venv/bin/nox -l                 # the sessions

"oldest" pins each ``>=`` bound of the ``sphinx``, ``mkdocs``, ``myst`` and ``demo`` extras and
of the core's dependencies, read from pyproject.toml, so a bound cannot drift from what is
tested, plus the oldest releases those pull in where that matters (``OLDEST_ALSO``). Pythons
that are not on PATH are looked up in pyenv's folder (``~/.pyenv/versions``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nox

REPO = Path(__file__).resolve().parent
PYTHONS = ("3.11", "3.12", "3.13")
OLDEST_PYTHON = "3.11"
#: What the oldest Sphinx, MkDocs and Material bring, at the oldest release they accept,
#: where a newer one could hide an incompatibility: Jinja2 and Pygments render the pages and
#: the highlighted code (Sphinx 8.1.0 asks for Pygments 2.17 but needs 2.18 to import).
OLDEST_ALSO = {
    "pygments": "2.18.0",
    "jinja2": "3.1.0",
}
#: The pinned extras' packages that are the test tools' business, not the product's.
PRODUCT_EXTRAS = ("sphinx", "mkdocs", "myst", "demo")

nox.options.sessions = ["oldest"]
nox.options.error_on_missing_interpreters = False


def _lower_bounds() -> dict[str, str]:
    """``name -> version`` for every ``name>=version`` the product declares."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in PRODUCT_EXTRAS:
        specs += project["optional-dependencies"][extra]
    bounds = {}
    for spec in specs:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)", spec.strip())
        if match:
            bounds[match[1].lower()] = match[2]
    return bounds


def oldest_pins() -> list[str]:
    return [f"{name}=={version}" for name, version in {**_lower_bounds(), **OLDEST_ALSO}.items()]


def _find_pythons() -> None:
    """Make ``python3.X`` runnable for every X in PYTHONS that pyenv has installed but that
    is not on PATH (pyenv's shims answer only for the selected version)."""
    links = REPO / ".nox" / "_pythons"
    for version in PYTHONS:
        name = f"python{version}"
        if _runs(name):
            continue
        root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
        found = sorted(root.glob(f"{version}.*/bin/{name}"))
        if found:
            links.mkdir(parents=True, exist_ok=True)
            link = links / name
            link.unlink(missing_ok=True)
            link.symlink_to(found[-1])
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ['PATH']}"


def _runs(name: str) -> bool:
    path = shutil.which(name)
    if not path:
        return False
    proc = subprocess.run([path, "--version"], capture_output=True, check=False)
    return proc.returncode == 0


_find_pythons()


def _fast_suite(
    session: nox.Session, extras: str, *pins: str, upgrade: bool = False, deselect: str = ""
) -> None:
    install = ["--upgrade", "--upgrade-strategy", "eager"] if upgrade else []
    session.install("--upgrade", "pip>=25.1")  # reads [dependency-groups]
    session.install(*install, f".[{extras}]", "--group", "test-fast", *pins)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    marks = ["-m", f"not {deselect}"] if deselect else []
    # the installed wheel, not the source tree: ``pytest`` (not ``python -m``) keeps the
    # repository root off sys.path
    session.run(
        "pytest",
        "--quick",
        "-n",
        "2",
        *marks,
        *session.posargs,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )


@nox.session(python=OLDEST_PYTHON)
def oldest(session: nox.Session) -> None:
    """Every lower bound of pyproject.toml at once. Zensical needs Python-Markdown 3.7 or
    newer, so it cannot join the oldest Python-Markdown (3.4): its builds (marker
    ``zensical``) are left to the newest sessions and the main suite, and said so here."""
    session.log(
        "deselected: tests marked 'zensical' (Zensical needs Python-Markdown >= 3.7; "
        "the newest sessions and the main suite build with it)"
    )
    _fast_suite(session, "demo,markdown", *oldest_pins(), deselect="zensical")


@nox.session(python=list(PYTHONS))
def newest(session: nox.Session) -> None:
    """The newest release of everything, Zensical included."""
    _fast_suite(session, "demo,markdown,zensical", upgrade=True)


if __name__ == "__main__":  # print the pins: python noxfile.py
    sys.stdout.write("\n".join(oldest_pins()) + "\n")
