"""Checks on the Rasa NLU training data in data/nlu."""

import collections
import pathlib
import re

import pytest
import yaml

NLU_DIR = pathlib.Path(__file__).resolve().parent.parent / "data" / "nlu"

MIN_EXAMPLES = {
    "describe_symptom": 150,
    "affirm": 30,
    "deny": 30,
    "unsure": 25,
    "greet": 25,
    "goodbye": 20,
    "thanks": 20,
    "bot_challenge": 15,
    "out_of_scope": 40,
    "why_asking": 25,
    "start_over": 20,
    "ask_question": 150,
    "ask_why_advice": 25,
    "request_summary": 25,
    "forget_me": 25,
}
EXPECTED_INTENTS = set(MIN_EXAMPLES)

# Rasa entity annotation: [text](entity) or [text]{"entity": ...}
ENTITY_ANNOTATION = re.compile(r"\[[^\]]*\]\s*[({]")


def nlu_files():
    return sorted(p for p in NLU_DIR.iterdir() if p.suffix in (".yml", ".yaml"))


def load(path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def parse_examples(block):
    """Return the example texts of an `examples` block, or raise ValueError."""
    examples = []
    for lineno, line in enumerate(block.splitlines(), 1):
        if not line.strip():
            continue
        if not line.startswith("- "):
            raise ValueError(f"line {lineno} does not start with '- ': {line!r}")
        text = line[2:].strip()
        if not text:
            raise ValueError(f"line {lineno} is an empty example")
        examples.append(text)
    return examples


def normalise(text):
    return " ".join(text.casefold().split())


def all_examples():
    """(file name, intent, example text) for every example in data/nlu."""
    rows = []
    for path in nlu_files():
        for item in load(path)["nlu"]:
            for text in parse_examples(item["examples"]):
                rows.append((path.name, item["intent"], text))
    return rows


def test_nlu_directory_has_files():
    assert nlu_files(), f"no YAML files in {NLU_DIR}"


@pytest.mark.parametrize("path", nlu_files(), ids=lambda p: p.name)
def test_file_structure(path):
    data = load(path)
    assert isinstance(data, dict), "top level must be a mapping"
    assert str(data.get("version")) == "3.1", 'version must be "3.1"'
    assert isinstance(data.get("version"), str), "version must be a quoted string"
    assert (
        isinstance(data.get("nlu"), list) and data["nlu"]
    ), "nlu must be a non-empty list"
    for i, item in enumerate(data["nlu"]):
        assert isinstance(item, dict), f"nlu[{i}] must be a mapping"
        assert (
            isinstance(item.get("intent"), str) and item["intent"]
        ), f"nlu[{i}] has no intent"
        block = item.get("examples")
        assert isinstance(
            block, str
        ), f"{item['intent']}: examples must be a block string"
        try:
            examples = parse_examples(block)
        except ValueError as exc:
            pytest.fail(f"{item['intent']}: {exc}")
        assert examples, f"{item['intent']}: no examples"


def test_intent_set_is_exact():
    intents = {intent for _, intent, _ in all_examples()}
    assert intents == EXPECTED_INTENTS, (
        f"missing: {sorted(EXPECTED_INTENTS - intents)}, "
        f"unexpected: {sorted(intents - EXPECTED_INTENTS)}"
    )


@pytest.mark.parametrize("intent,minimum", sorted(MIN_EXAMPLES.items()))
def test_minimum_counts(intent, minimum):
    count = sum(1 for _, i, _ in all_examples() if i == intent)
    assert count >= minimum, f"{intent}: {count} examples, need at least {minimum}"


def test_no_duplicate_examples():
    seen = collections.defaultdict(list)
    for filename, intent, text in all_examples():
        seen[normalise(text)].append(f"{filename}:{intent}:{text!r}")
    duplicates = {key: where for key, where in seen.items() if len(where) > 1}
    assert not duplicates, "duplicate examples:\n" + "\n".join(
        f"  {key!r}: {where}" for key, where in sorted(duplicates.items())
    )


def test_no_entity_annotations():
    annotated = [
        f"{filename}:{intent}:{text!r}"
        for filename, intent, text in all_examples()
        if ENTITY_ANNOTATION.search(text)
    ]
    assert not annotated, "entity annotations found:\n" + "\n".join(annotated)
