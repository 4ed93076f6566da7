"""The grid search that chose bot/kb/search.py's SEM_* weights and OOS_MARGIN.

Tuning sets only (never a holdout):
    .venv/bin/python scripts/experiments/kb_semantic_grid.py \
        lay_questions_tune,lay_questions_tune2,kb_questions,kb_dev_questions
Prints the best combinations: total right, then per set answerable and refused.
"""

import functools
import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import bot.kb.search as search  # noqa: E402
from bot.kb.content import load_content  # noqa: E402
from bot.kb.db import session_scope, upgrade  # noqa: E402
from bot.kb.encoder import encoder  # noqa: E402
from bot.kb.evaluate import evaluate, load_questions  # noqa: E402

GRID = {
    "SEM_WEIGHT": [5.0, 8.0, 12.0, 20.0],
    "SEM_FLOOR": [0.2, 0.3, 0.4],
    "SEM_FOUND": [0.4, 0.45, 0.5, 0.6],
    "OOS_MARGIN": [-0.05, 0.0, 0.05],
}


def main() -> None:
    names = sys.argv[1].split(",")
    if any("holdout" in n for n in names):
        sys.exit("tuning sets only")
    enc = encoder()
    enc.encode = functools.lru_cache(maxsize=None)(enc.encode)  # each question once
    url = f"sqlite:///{tempfile.mkdtemp()}/kb.db"
    upgrade(url)
    with session_scope(url) as session:
        load_content(session)
    kb = search.KnowledgeBase(url)
    sets = {n: load_questions(ROOT / "tests" / "data" / f"{n}.yml") for n in names}
    results = []
    for combo in itertools.product(*GRID.values()):
        for key, value in zip(GRID, combo, strict=True):
            setattr(search, key, value)
        total, parts = 0, []
        for name, questions in sets.items():
            r = evaluate(kb, questions)
            total += r.correct
            parts.append(
                f"{name} {r.answerable_correct}/{r.answerable}, "
                f"refused {r.unanswerable_correct}/{r.unanswerable}"
            )
        results.append((total, dict(zip(GRID, combo, strict=True)), parts))
    for total, combo, parts in sorted(results, key=lambda r: -r[0])[:10]:
        print(total, combo, "; ".join(parts))


if __name__ == "__main__":
    main()
