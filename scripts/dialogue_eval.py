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
    args = parser.parse_args()
    from rasa.core.agent import Agent

    agent = Agent.load(str(ROOT / "models" / "twitch.tar.gz"))
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


if __name__ == "__main__":
    main()
