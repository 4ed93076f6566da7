"""Loads bot/understanding/lexicon.yml and compiles its phrases into spaCy Matcher patterns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.understanding.text import Normaliser, fold

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

# Boolean facts whose value can be given in the very same breath as a weakness
# mention only (see extraction.py).
ONSET_FACT = "weakness_sudden"


def lexicon_fingerprint(path: Path = LEXICON_PATH) -> str:
    """Changes whenever the vocabulary changes, so Rasa retrains."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# A wildcard word is a word: it never crosses a sentence end, a comma or an
# emoji, so "just ** eye" does not take "just my eye. Eye", "ear ** no rash"
# does not swallow "ear pain, no rash", nor "only ** eye" "only coffee 😅 eye".
WILDCARD = {"TEXT": {"REGEX": r"^[\w'’&/-]"}, "OP": "?"}


@dataclass
class Lexicon:
    raw: dict[str, Any]
    normalise: Normaliser = field(init=False)

    def __post_init__(self) -> None:
        self.normalise = Normaliser(self._vocabulary())

    # -- the data -----------------------------------------------------------
    @property
    def locations(self) -> dict[str, list[str]]:
        return self.raw["locations"]

    @property
    def sides(self) -> dict[str, list[str]]:
        return self.raw["sides"]

    @property
    def facts(self) -> dict[str, dict[str, Any]]:
        return self.raw["facts"]

    @property
    def triggers(self) -> dict[str, list[str]]:
        found = dict(self.raw["triggers"])
        found["stress"] = found["stress"] + self.stress_situations
        return found

    @property
    def stress_situations(self) -> list[str]:
        return self.raw.get("stress_situations", [])

    @property
    def context(self) -> dict[str, list[str]]:
        return self.raw["context"]

    @property
    def answers(self) -> dict[str, list[str]]:
        return self.raw["answers"]

    def history_counts(self, fact: str) -> bool:
        return bool(self.facts[fact].get("history_counts", False))

    # -- compiling ----------------------------------------------------------
    def _phrases(self) -> list[str]:
        out: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                for value in node.values():
                    walk(value)

        walk({k: v for k, v in self.raw.items() if k != "version"})
        return out

    def _vocabulary(self) -> set[str]:
        words: set[str] = set()
        for phrase in self._phrases():
            for word in fold(phrase).replace("|", " ").split():
                words.add(word.rstrip("?"))
        return words

    def pattern(self, phrase: str, tokenizer) -> list[dict[str, Any]]:
        """Compile one phrase of the lexicon syntax into Matcher token specs."""
        specs: list[dict[str, Any]] = []
        for word in fold(phrase).split():
            if word == "*":
                specs.append(dict(WILDCARD))
                continue
            if word == "**":
                specs.extend(dict(WILDCARD) for _ in range(3))
                continue
            optional = word.endswith("?") and len(word) > 1
            word = word.rstrip("?") if optional else word
            alternatives = word.split("|")
            # One lexicon word may be several tokens ("can't" -> ca, n't).
            token_lists = [
                [self.normalise(t.norm_) for t in tokenizer(alt)]
                for alt in alternatives
            ]
            if len(token_lists) == 1 and len(token_lists[0]) > 1:
                for norm in token_lists[0]:
                    specs.append({"NORM": norm})
                continue
            norms = sorted({toks[0] for toks in token_lists})
            spec: dict[str, Any] = (
                {"NORM": norms[0]} if len(norms) == 1 else {"NORM": {"IN": norms}}
            )
            if optional:
                spec["OP"] = "?"
            specs.append(spec)
        return specs


class _WordsLoader(yaml.SafeLoader):
    """YAML 1.1 reads the words yes/no/on/off/y/n as booleans; here they are words."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def lexicon_from_text(text: str) -> Lexicon:
    return Lexicon(yaml.load(text, Loader=_WordsLoader))  # noqa: S506 - safe subclass


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    return lexicon_from_text(Path(path or LEXICON_PATH).read_text(encoding="utf-8"))
