"""How many examples a property test runs, by ``HYPOTHESIS_PROFILE``.

A test states the count the full suite runs; the quick loop (``pytest --quick`` sets the
``quick`` profile) runs a tenth of it, at least five; ``thorough`` runs ten times more. Tests
without their own count follow the profiles registered in ``conftest.py``.
"""

from __future__ import annotations

import os


def examples(full: int) -> int:
    profile = os.environ.get("HYPOTHESIS_PROFILE", "")
    if profile == "quick":
        return max(5, full // 10)
    if profile == "thorough":
        return full * 10
    return full
