"""The suite's own switches (``tests/conftest.py``): ``--no-skips`` fails a run that skipped a
test (the full suite leaves nothing out silently); ``--quick`` leaves out tests marked slow and
tests that use the offline distribution, and runs few property-test examples."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SAMPLE = """
import os
import pytest

def test_plain():
    pass

@pytest.mark.skip(reason="left out on purpose")
def test_skipped():
    pass

@pytest.mark.slow
def test_marked_slow():
    pass

def test_uses_the_distribution(offline_dist):
    pass

def test_profile():
    print("PROFILE=" + os.environ.get("HYPOTHESIS_PROFILE", ""))
"""


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    env.pop("HYPOTHESIS_PROFILE", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-s",
            "-rs",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            *args,
            "test_sample.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_no_skips_fails_a_run_with_a_skipped_test(tmp_path: Path) -> None:
    strict = run(tmp_path, "--no-skips", "-k", "plain or skipped")
    assert strict.returncode == 1, strict.stdout
    assert "test_sample.py::test_skipped: Skipped: left out on purpose" in strict.stdout


def test_quick_leaves_out_slow_and_distribution_tests(tmp_path: Path) -> None:
    quick = run(tmp_path, "--quick")
    assert quick.returncode == 0, quick.stdout  # a skip alone does not fail a run
    assert "2 passed, 1 skipped, 2 deselected in" in quick.stdout, quick.stdout
    assert "PROFILE=quick" in quick.stdout
