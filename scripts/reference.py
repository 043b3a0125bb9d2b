"""Write the documentation's option and settings reference from the code's tables.

    python scripts/reference.py          # rewrite demo_docs/sphinx/reference/*.rst
    python scripts/reference.py --check  # exit 1 if a committed page is out of date

The pages are :mod:`stlite_docs.reference`'s output; a test runs the same check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stlite_docs.reference import pages

REFERENCE = Path(__file__).resolve().parent.parent / "demo_docs" / "sphinx" / "reference"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args()
    stale = []
    for name, text in pages().items():
        path = REFERENCE / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
