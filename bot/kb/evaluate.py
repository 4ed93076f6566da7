"""Top-1 accuracy of retrieval on a labelled question set (YAML).

Each item: {q: question, expect: [fact ids]} (any id counts as correct) or
{q: ..., expect: none} (the right answer is "not in the knowledge base").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.kb.search import KnowledgeBase


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    answerable: int = 0
    answerable_correct: int = 0
    unanswerable: int = 0
    unanswerable_correct: int = 0
    errors: list[tuple[str, object, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        return [
            f"top-1 accuracy: {self.correct}/{self.total} = {self.accuracy:.1%}",
            f"  answerable questions: {self.answerable_correct}/{self.answerable}",
            f"  not-in-KB questions said so: "
            f"{self.unanswerable_correct}/{self.unanswerable}",
        ]


def load_questions(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def evaluate(kb: KnowledgeBase, questions: list[dict]) -> Report:
    report = Report()
    for item in questions:
        answer = kb.search(item["q"])
        got = answer.hits[0].key if answer.found else "none"
        expect = item["expect"]
        ok = got == "none" if expect == "none" else got in expect
        report.total += 1
        report.correct += ok
        if expect == "none":
            report.unanswerable += 1
            report.unanswerable_correct += ok
        else:
            report.answerable += 1
            report.answerable_correct += ok
        if not ok:
            report.errors.append((item["q"], expect, got))
    return report
