"""Questions matched by meaning: a sentence encoder over the ways people ask for each fact.

Each fact is represented by its own text and by the questions people ask for
it (bot/kb/paraphrases.yml); a passage by its text. A question scores each
document by its best cosine to any of them. The out-of-scope questions in the
same file are a "none of these" class: a question nearer to them than to any
fact is refused. Vectors are cached on disk by text, so a start after the
first costs no encoding.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bot.kb.encoder import MODEL_DIR, Encoder, encoder

# Two writers, each given only the facts and the two articles, never the tests;
# a third file from the engineers, for what the tuning sets missed.
PARAPHRASE_PATHS = (
    Path(__file__).with_name("paraphrases.yml"),
    Path(__file__).with_name("paraphrases_2.yml"),
    Path(__file__).with_name("paraphrases_3.yml"),
)
CACHE_PATH = MODEL_DIR / "vectors.npz"


class _UniqueKeys(yaml.SafeLoader):
    """A fact listed twice in one file would silently lose its first list."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        twice = {k for k in keys if keys.count(k) > 1}
        if twice:
            raise ValueError(f"listed twice in {node.start_mark.name}: {sorted(twice)}")
        return super().construct_mapping(node, deep=deep)


def load_paraphrases(
    paths: tuple[Path, ...] = PARAPHRASE_PATHS,
) -> tuple[dict[str, list], list]:
    """(questions per fact id, out-of-scope questions), from every file."""
    facts: dict[str, list] = {}
    out_of_scope: list = []
    for path in paths:
        if not path.exists():
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys) or {}
        for key, questions in (data.get("facts") or {}).items():
            facts.setdefault(key, []).extend(questions)
        out_of_scope += data.get("out_of_scope") or []
    return facts, out_of_scope


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Sentence vectors by text, kept in memory and in one .npz file."""

    def __init__(self, enc: Encoder, path: Path = CACHE_PATH):
        self.enc, self.path = enc, path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            try:
                with np.load(path) as data:
                    self.vectors = {k: data[k] for k in data.files}
            except (OSError, ValueError):  # a torn write: rebuild it
                self.vectors = {}

    def many(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if _key(t) not in self.vectors]
        for t in missing:
            self.vectors[_key(t)] = self.enc.encode(t)
        if missing:
            self._save()
        return np.stack([self.vectors[_key(t)] for t in texts])

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, **self.vectors)
        tmp.replace(self.path)


@dataclass
class Meaning:
    by_doc: dict  # doc key -> best cosine
    out_of_scope: float  # best cosine to an out-of-scope question


class MeaningIndex:
    """Best cosine per document for a question; built per knowledge-base stamp."""

    def __init__(self, enc: Encoder | None = None):
        self.enc = enc or encoder()
        self.cache = VectorCache(self.enc)
        empty = np.zeros((0, 384), dtype=np.float32)
        # (doc keys, row -> index in keys, row vectors, out-of-scope vectors),
        # replaced as one so a search in another thread never sees half a build.
        self._index = ([], np.zeros(0, dtype=np.int32), empty, empty)

    def build(self, texts_by_doc: dict, out_of_scope: list[str]) -> None:
        keys = list(texts_by_doc)
        rows = [t for key in keys for t in texts_by_doc[key]]
        owner = [i for i, key in enumerate(keys) for _ in texts_by_doc[key]]
        empty = np.zeros((0, 384), dtype=np.float32)
        matrix = self.cache.many(rows) if rows else empty
        oos = self.cache.many(out_of_scope) if out_of_scope else empty
        self._index = (keys, np.array(owner, dtype=np.int32), matrix, oos)

    def score(self, question: str) -> Meaning:
        keys, owner, matrix, oos_matrix = self._index
        v = self.enc.encode(question)
        best = np.full(len(keys), -1.0, dtype=np.float32)
        np.maximum.at(best, owner, matrix @ v)
        oos = float((oos_matrix @ v).max()) if len(oos_matrix) else -1.0
        return Meaning(dict(zip(keys, best.tolist(), strict=True)), oos)
