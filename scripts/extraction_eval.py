"""Slot checks on the independent first messages: make extraction-eval [SPLIT=holdout]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lay_messages import figures  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split", nargs="?", default="tune")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    right, checks, results = figures(args.split)
    print(
        f"{args.split}: slot checks right {right}/{checks} ({100 * right / checks:.1f} %)"
    )
    if args.show:
        for r in results:
            if r.wrong:
                print(f"- {r.id}: {r.text[:140]!r}\n    " + "\n    ".join(r.wrong))


if __name__ == "__main__":
    main()
