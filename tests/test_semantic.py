"""The sentence encoder and the meaning index (bot/kb/encoder.py, semantic.py)."""

import shutil

import numpy as np
import pytest
import yaml

from bot.clinical.guidance import CONTENT_PATH
from bot.kb import encoder as enc_mod
from bot.kb.semantic import MeaningIndex, VectorCache, load_paraphrases


@pytest.fixture(scope="module")
def enc():
    return enc_mod.encoder()


def test_a_tampered_model_file_is_refused(tmp_path):
    for name in enc_mod.HASHES:
        shutil.copy(enc_mod.MODEL_DIR / name, tmp_path / name)
    enc_mod.verify(tmp_path)  # the real files pass
    with open(tmp_path / "tokenizer.json", "ab") as f:
        f.write(b" ")
    with pytest.raises(enc_mod.ModelMismatch, match="tokenizer.json"):
        enc_mod.Encoder(tmp_path)


def test_a_missing_model_file_is_refused(tmp_path):
    with pytest.raises(enc_mod.ModelMismatch, match="missing"):
        enc_mod.verify(tmp_path)


def test_sentences_that_mean_the_same_are_nearer(enc):
    tired, exhausted, weather = (
        enc.encode(t)
        for t in ("I am very tired", "I'm totally exhausted", "the weather is nice")
    )
    assert abs(np.linalg.norm(tired) - 1.0) < 1e-4
    assert tired @ exhausted > 0.6 > tired @ weather + 0.3


def test_the_tokenizer_is_bert_uncased_wordpiece(enc):
    vocab = {v: k for k, v in enc.tokens.vocab.items()}
    pieces = [vocab[i] for i in enc.tokens.ids("Myokymia, Knackered!")]
    assert pieces == ["[CLS]", "my", "##ok", "##ym", "##ia", ",", "kn", "##acker",
                      "##ed", "!", "[SEP]"]  # fmt: skip


def test_vector_cache_reuses_vectors_from_disk(enc, tmp_path):
    path = tmp_path / "vectors.npz"
    first = VectorCache(enc, path).many(["coffee", "sleep"])
    assert path.exists()

    class NoEncoding:
        def encode(self, text):
            raise AssertionError("encoded again")

    again = VectorCache(NoEncoding(), path).many(["sleep", "coffee"])
    assert np.allclose(again, first[::-1])


def test_meaning_index_scores_each_document_by_its_best_phrasing(enc, tmp_path):
    index = MeaningIndex(enc)
    index.cache = VectorCache(enc, tmp_path / "v.npz")
    index.build(
        {"coffee": ["does caffeine cause it?", "is it the energy drinks"],
         "sleep": ["can being tired do this?"]},
        ["what is the capital of france"],
    )  # fmt: skip
    meaning = index.score("I drink four Red Bulls a day, is that why?")
    assert meaning.by_doc["coffee"] > meaning.by_doc["sleep"]
    assert index.score("capital city of France?").out_of_scope > 0.7


def test_paraphrases_name_real_facts_only():
    facts, out_of_scope = load_paraphrases()
    ids = {f["id"] for f in yaml.safe_load(CONTENT_PATH.read_text())["facts"]}
    assert set(facts) <= ids and len(facts) >= 40
    assert all(len(qs) >= 8 for qs in facts.values())
    assert len(out_of_scope) >= 80
    # The two writers may ask the same thing; never with two different answers.
    labels: dict[str, set] = {}
    for key, questions in facts.items():
        for q in questions:
            labels.setdefault(q, set()).add(key)
    for q in out_of_scope:
        labels.setdefault(q, set()).add("out of scope")
    assert not {q: ls for q, ls in labels.items() if len(ls) > 1}


def test_a_fact_listed_twice_in_one_paraphrase_file_is_refused(tmp_path):
    # YAML would keep only the second list and silently drop the first.
    path = tmp_path / "twice.yml"
    path.write_text("facts:\n  a: [one]\n  a: [two]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="listed twice"):
        load_paraphrases((path,))
    path.write_text("facts:\n  a: [one]\n  b: [two]\n", encoding="utf-8")
    assert load_paraphrases((path,))[0] == {"a": ["one"], "b": ["two"]}
