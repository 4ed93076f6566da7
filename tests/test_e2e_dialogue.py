"""Dialogue fuzz against the real servers over REST, seeded.

Every conversation of the independent corpora (tests/data/*_conversations_*.yml,
written from the public contract only) is played in free text, some with noise
between the answers (greetings, emoji, other languages, questions, HTML); then
random conversations whose every answer is drawn from the reply corpora for
the question asked. Invariants hold for all of them: every message gets a
reply, advice is reached, no question is asked more than twice. The levels are
compared with the tester's; the holdout part was never used for tuning, and
its floors are what it measured when first run (README, "Dialogue figures").
"""

from __future__ import annotations

import itertools
import random

import pytest

from tests.dialogue_driver import (
    MAX_TURNS,
    Figures,
    converse,
    noise,
    personas,
    shows_question,
)
from tests.reply_cases import cases

pytestmark = pytest.mark.e2e
SEED = 20261201
# (split, noise) -> (right level at least, under-triaged at most)
FLOORS = {
    ("dev", 0.0): (0.90, 3),
    ("dev", 0.35): (0.88, 3),
    ("holdout", 0.0): (0.80, 4),
    ("holdout", 0.35): (0.75, 4),
}
_ids = itertools.count()


class RestChat:
    def __init__(self, bot, name):
        self.bot, self.sender = bot, f"fuzz-{name}-{next(_ids)}"

    def send(self, text):
        replies = self.bot.say(self.sender, text)
        return replies, self.bot.tracker(self.sender)["slots"]


@pytest.mark.parametrize("split, noise_rate", sorted(FLOORS))
def test_corpus_conversations_reach_the_right_advice(bot, split, noise_rate):
    rng = random.Random(f"{SEED}-{split}-{noise_rate}")
    texts = noise(split)
    figures = Figures()
    for persona in personas(split):
        chat = RestChat(bot, persona.id)
        figures.add(converse(chat, persona, rng, texts, noise_rate))
    print(figures.line(f"{split} noise {noise_rate}"))
    # Transcripts only for dev: the holdout part is never read for tuning.
    misses = figures.misses[:8] if split == "dev" else []
    shown = "\n\n".join(t.show() for t in misses) or figures.line(split)
    assert figures.silent == 0, shown
    assert figures.reached == figures.n, shown
    assert figures.over_asked == 0, shown
    right, under = FLOORS[(split, noise_rate)]
    assert figures.exact >= right * figures.n, shown
    assert figures.under <= under, shown
    # A conversation in free text reaches each of the four levels.
    assert all(right > 0 for right, _ in figures.per_level.values()), figures.per_level


# A question id of the bot -> the corpus questions whose replies fit it.
REPLIES_FOR = {
    "symptom_location": ["symptom_location"],
    "symptom_duration_days": ["symptom_duration_days"],
    "facial_weakness": ["facial_weakness"],
    "weakness_sudden": ["weakness_sudden"],
    "stroke_signs": ["stroke_signs"],
    "warning_signs": ["warning_signs", "symptom_spreading", "function_affected",
                      "pain_or_sensory"],
    "history": ["history", "movement_linked", "nerve_history"],
    "which": ["which"],
}  # fmt: skip


def test_random_answers_never_dead_end(bot):
    """Every answer drawn at random from the reply corpora (both splits, any
    class: yes, no, not sure, other facts, off-topic) plus noise."""
    rng = random.Random(SEED)
    pool = {}
    for case in cases("dev") + cases("holdout"):
        pool.setdefault(case.question, []).append(case.text)
    openings = [p.opening for p in personas("dev") + personas("holdout")]
    junk = noise("dev") + noise("holdout")
    stats = {"conversations": 0, "messages": 0, "advised": 0}
    for _ in range(40):
        chat = RestChat(bot, "random")
        asked = []
        replies, slots = chat.send(rng.choice(openings))
        stats["messages"] += 1
        for _ in range(MAX_TURNS):
            assert replies and any(r.get("text") for r in replies), chat.sender
            if slots.get("triage_level"):
                break
            question = slots.get("pending_question")
            if shows_question(replies, question):
                asked.append(question)
            if rng.random() < 0.2 or not question:
                text = rng.choice(junk)
            else:
                text = rng.choice(pool[rng.choice(REPLIES_FOR[question])])
            replies, slots = chat.send(text)
            stats["messages"] += 1
        stats["conversations"] += 1
        stats["advised"] += bool(slots.get("triage_level"))
        counts = {q: asked.count(q) for q in set(asked)}
        assert max(counts.values(), default=0) <= 2, counts
    print(stats)
    assert stats["advised"] == stats["conversations"]
