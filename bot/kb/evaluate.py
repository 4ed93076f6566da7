"""Top-1 accuracy of retrieval on a labelled question set (YAML).

Each item: {q: question, expect: [fact ids]} (any id counts as correct) or
{q: ..., expect: none} (the right answer is "not in the knowledge base"); or,
in sets labelled from the articles alone (tests/data/lay_questions_*.yml),
{q: ..., article: cheek | zocdoc | none, section: "<the article's heading>"}:
the top answer must come from that article and section.
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


ARTICLES = {"cheek": "cheek_spasm_article", "zocdoc": "zocdoc_blink_answer"}
# The articles' own headings -> the KB's section titles where they differ.
SECTION_ALIASES = {
    "why is my cheek spasming? causes and relief": "introduction",
    # The Zocdoc page's only heading is the question: all of it sits under it.
    "why does my left cheek twitch everytime i blink?": "",
}


def _section_ok(item: dict, hit) -> bool:
    want = item.get("section", "").strip().strip('"“”').lower()
    want = SECTION_ALIASES.get(want, want)
    return hit.source_key == ARTICLES[item["article"]] and (
        not want or (hit.section or "").strip().lower() == want
    )


def evaluate(kb: KnowledgeBase, questions: list[dict]) -> Report:
    report = Report()
    for item in questions:
        answer = kb.search(item["q"])
        got = answer.hits[0].key if answer.found else "none"
        if "article" in item:  # labelled by article and section
            expect = "none" if item["article"] == "none" else item["article"]
            ok = (
                not answer.found
                if expect == "none"
                else (answer.found and _section_ok(item, answer.hits[0]))
            )
        else:
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
