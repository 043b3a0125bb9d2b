"""Suite-wide setup: Sphinx testing roots, the quick loop, the offline distribution fixture.

Two loops run from here:

- ``pytest --quick``: the build, core and front-end tests with few property-test examples;
  no browser (``tests/browser/`` is not even imported, nor is Playwright), no npm or node, no
  downloads. Tests that need any of those are marked ``slow`` (a test that asks for the
  ``offline_dist`` fixture is marked automatically).
- ``pytest`` (what ``./scripts/test`` runs, with ``--no-skips``): everything, the real-browser
  tests under ``tests/browser/`` included.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# The test bed (``testbed/``) and the benchmarks are packages at the repository's root. The root
# goes at the END of the path (``python -m pytest`` has it first anyway): the nox sessions run
# ``pytest`` against the installed wheel, which the source folder ``stlite_docs/`` first on
# the path would hide (pyproject's ``pythonpath`` option can only put it first).
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from testbed.browser import chromium_version  # noqa: E402
from testbed.offline_dist import Distribution, ensure_distribution  # noqa: E402

pytest_plugins = ("sphinx.testing.fixtures",)

#: Fixtures that fetch from the npm registry or PyPI (on first use) or need their results.
NETWORK_FIXTURES = frozenset({"offline_dist"})

settings.register_profile("quick", max_examples=10)
settings.register_profile("thorough", max_examples=1000)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stlite-docs")
    group.addoption(
        "--quick",
        action="store_true",
        help="the fast loop: leave out tests/browser and tests marked slow (npm, node, "
        "downloads), run few property-test examples",
    )
    group.addoption(
        "--no-skips",
        action="store_true",
        help="fail the run if any test was skipped (the full suite: nothing is left out silently)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: needs node/npm, downloads (npm registry, PyPI) or the offline "
        "stlite/Pyodide distribution, or is a stress test; left out by --quick",
    )
    config.addinivalue_line(
        "markers",
        "zensical: builds with Zensical (the zensical extra); the oldest version set "
        "deselects it, as Zensical needs a newer Python-Markdown than the oldest supported",
    )
    if config.getoption("quick"):
        os.environ.setdefault("HYPOTHESIS_PROFILE", "quick")
        marks = config.option.markexpr
        config.option.markexpr = f"({marks}) and not slow" if marks else "not slow"
    profile = os.environ.get("HYPOTHESIS_PROFILE")
    if profile in ("quick", "thorough"):
        settings.load_profile(profile)


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"chromium: {chromium_version()}"]


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if config.getoption("quick") and collection_path == TESTS / "browser":
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NETWORK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


_skipped: list[str] = []


def _note_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append(f"{report.nodeid}: {reason}")


pytest_runtest_logreport = pytest_collectreport = _note_skip


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.getoption("no_skips") and _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if config.getoption("no_skips") and _skipped:
        terminalreporter.section("skipped tests fail this run (--no-skips)", red=True)
        for line in _skipped:
            terminalreporter.line(line)


@pytest.fixture(scope="session")
def offline_dist() -> Distribution:
    """stlite and Pyodide for offline use, built into ``.cache/offline-dist`` on first use."""
    return ensure_distribution()
