"""Figures for the dialogue on the independent corpora, without servers.

Rasa's trained NLU (models/twitch.tar.gz) parses each message in process, the
state machine (bot/dialogue/turn.py) answers, exactly as action_turn would.
  .venv/bin/python scripts/dialogue_eval.py [dev|holdout] [--show] [--noise 0.3]
The same conversations run against the real servers in tests/test_e2e_dialogue.py.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.actions import understood  # noqa: E402
from bot.clinical.facts import FACT_SLOTS  # noqa: E402
from bot.dialogue.turn import State, take_turn  # noqa: E402
from tests.dialogue_driver import Figures, converse, noise, personas  # noqa: E402


class InProcessChat:
    def __init__(self, agent, answer):
        self.agent, self.answer = agent, answer
        self.slots = {n: None for n in FACT_SLOTS}

    def send(self, text):
        parsed = asyncio.run(self.agent.parse_message(text))
        out = take_turn(State.from_slots(self.slots), understood(parsed), self.answer)
        if out.restart:
            self.slots = {n: None for n in FACT_SLOTS}
        self.slots.update(out.slots)
        return [r.as_message() | {"text": r.text} for r in out.replies], dict(
            self.slots
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split", nargs="?", default="dev")
    parser.add_argument("--show", action="store_true", help="print the misses")
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--random", type=int, default=0, help="random-answer fuzz")
    args = parser.parse_args()
    from rasa.core.agent import Agent

    agent = Agent.load(str(ROOT / "models" / "twitch.tar.gz"))
    if args.random:
        random_fuzz(agent, args.random, args.seed, args.split)
        return
    figures = Figures()
    rng = random.Random(args.seed)
    texts = noise(args.split)
    for persona in personas(args.split):
        chat = InProcessChat(agent, lambda q: [f"(answer to: {q})"])
        figures.add(converse(chat, persona, rng, texts, args.noise))
    print(figures.line(f"{args.split} (noise {args.noise})"))
    if args.show:
        for t in figures.misses:
            print(t.show(), "\n")


def random_fuzz(agent, n: int, seed: int, split: str = "dev") -> None:
    """Answers drawn at random from the reply corpus of `split`; prints dead ends."""
    from tests.dialogue_driver import MAX_TURNS
    from tests.reply_cases import cases
    from tests.test_e2e_dialogue import REPLIES_FOR

    rng = random.Random(seed)
    pool: dict[str, list[str]] = {}
    for case in cases(split):
        pool.setdefault(case.question, []).append(case.text)
    openings = [p.opening for p in personas(split)]
    junk = noise(split)
    from tests.dialogue_driver import shows_question

    dead = over = 0
    for _ in range(n):
        chat = InProcessChat(agent, lambda q: ["(an answer)"])
        log = []
        text = rng.choice(openings)
        replies, slots = chat.send(text)
        log.append((text, replies))
        asked = []
        for _ in range(MAX_TURNS):
            if shows_question(replies, slots.get("pending_question")):
                asked.append(slots.get("pending_question"))
            if slots.get("triage_level"):
                break
            question = slots.get("pending_question")
            if rng.random() < 0.2 or not question:
                text = rng.choice(junk)
            else:
                text = rng.choice(pool[rng.choice(REPLIES_FOR[question])])
            replies, slots = chat.send(text)
            log.append((text, replies))
        too_often = max((asked.count(q) for q in asked), default=0) > 2
        over += too_often
        if not slots.get("triage_level") or too_often:
            dead += not slots.get("triage_level")
            for text, replies in log:
                print("U:", text[:120])
                for r in replies:
                    print("   B:", (r.get("text") or "")[:120])
            print()
    print(
        f"random fuzz ({split}): {n} conversations, {dead} without advice, {over} asked >2"
    )


if __name__ == "__main__":
    main()
