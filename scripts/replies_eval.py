"""Figures for reading single replies (tests/data/*_replies_*.yml), no servers.
.venv/bin/python scripts/replies_eval.py [dev|holdout] [--show]"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reply_cases import cases, judge  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split", nargs="?", default="dev")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    verdicts = [judge(c) for c in cases(args.split)]
    n = len(verdicts)
    ok = sum(v.ok for v in verdicts)
    also_ok = sum(v.also_ok for v in verdicts)
    also_n = sum(v.also_n for v in verdicts)
    per = Counter()
    bad = Counter()
    for v in verdicts:
        per[v.case.question] += 1
        bad[v.case.question] += not v.ok
    print(
        f"{args.split}: {n} replies, read right {ok}/{n} ({100 * ok / n:.1f} %), "
        f"other facts in them {also_ok}/{also_n}, "
        f"'no' read as a true fact {sum(v.negated_set_true for v in verdicts)}, "
        f"warning sign missed {sum(v.missed_warning for v in verdicts)}"
    )
    print("  misses per question: " + ", ".join(f"{q} {bad[q]}/{per[q]}" for q in per))
    if args.show:
        for v in verdicts:
            if (
                not v.ok
                or v.negated_set_true
                or v.missed_warning
                or v.also_ok < v.also_n
            ):
                print(
                    f"- [{v.case.question}] {v.case.text!r} expect={v.case.expect} "
                    f"value={v.case.value} also={v.case.also} got={v.got}"
                )


if __name__ == "__main__":
    main()
