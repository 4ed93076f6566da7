"""Updating facts from messages and choosing the next question."""

import pytest

from bot.clinical.facts import short_answer, update
from bot.dialogue.interview import BY_SLOT, QUESTIONS, next_question, open_questions
from bot.understanding.extraction import extract


def step(facts, text, requested=None, intent=None):
    changes = update(facts, extract(text), requested, intent)
    merged = dict(facts)
    merged.update(changes)
    return merged, changes


@pytest.mark.parametrize(
    "text, kind",
    [
        ("yes", "yes"),
        ("Yeah", "yes"),
        ("yep!", "yes"),
        ("a little", "yes"),
        ("no", "no"),
        ("Nope.", "no"),
        ("not really", "no"),
        ("nah", "no"),
        ("not sure", "unsure"),
        ("idk", "unsure"),
        ("I don't know", "unsure"),
        ("no, but it hurts", "no"),
        ("yes, a bit", "yes"),
        ("my cheek", None),
        ("2 weeks", None),
    ],
)
def test_short_answers(text, kind):
    assert short_answer(text) == kind


def test_first_message_fills_everything_it_contains():
    facts, _ = step(
        {}, "My left cheek has been twitching for 2 weeks, no drooping, hasn't spread"
    )
    assert facts["symptom_location"] == ["cheek"]
    assert facts["symptom_side"] == "left"
    assert facts["symptom_duration_days"] == pytest.approx(14)
    assert facts["facial_weakness"] is False and facts["symptom_spreading"] is False
    assert "symptom_location" not in open_questions(facts)
    assert "facial_weakness" not in open_questions(facts)


def test_yes_no_answers_fill_the_requested_slot_only():
    facts, _ = step({"symptom_location": ["eye"]}, "no", requested="facial_weakness")
    assert facts["facial_weakness"] is False and facts["eye_cannot_close"] is False
    facts, _ = step(facts, "yes", requested="symptom_spreading")
    assert facts["symptom_spreading"] is True
    assert facts.get("pain_or_sensory") is None


def test_not_sure_is_remembered_and_never_reasked():
    facts, _ = step(
        {"symptom_location": ["eye"]}, "not sure", requested="symptom_spreading"
    )
    assert facts.get("symptom_spreading") is None
    assert facts["unsure_facts"] == ["symptom_spreading"]
    assert "symptom_spreading" not in open_questions(facts)


def test_onset_answer_without_the_word_droop():
    facts = {"facial_weakness": True, "symptom_location": ["face"]}
    assert next_question(facts).slot == "symptom_duration_days"
    facts["symptom_duration_days"] = 1.0
    assert next_question(facts).slot == "weakness_sudden"
    facts, _ = step(
        facts, "it came on really suddenly this morning", requested="weakness_sudden"
    )
    assert facts["weakness_sudden"] is True
    assert open_questions(facts) == []  # emergency: no more questions


def test_correction_adds_place_and_spreading():
    facts = {"symptom_location": ["cheek"], "symptom_spreading": False}
    facts, changes = step(facts, "actually it has spread to my mouth")
    assert facts["symptom_spreading"] is True
    assert facts["symptom_location"] == ["cheek", "mouth"]
    assert set(changes) == {"symptom_spreading", "symptom_location"}


def test_correction_replaces_side_and_removes_negated_place():
    facts = {"symptom_location": ["eye"], "symptom_side": "left"}
    facts, _ = step(facts, "sorry, not my eye, it's my right cheek")
    assert facts["symptom_side"] == "right"
    assert facts["symptom_location"] == ["cheek"]


def test_update_is_idempotent():
    facts = {"symptom_location": ["cheek"]}
    ext = extract("now my lip twitches too and I'm tired")
    once = update(facts, ext)
    merged = {**facts, **once}
    assert update(merged, ext) == {}


def test_questions_are_asked_only_when_they_can_change_the_advice():
    urgent = {
        "symptom_location": ["eye"],
        "symptom_duration_days": 3,
        "facial_weakness": False,
        "symptom_spreading": True,
    }
    # Already urgent: questions that can only reach "urgent" or lower are skipped.
    assert open_questions(urgent) == []
    doctor = {
        "symptom_location": ["eye"],
        "symptom_duration_days": 30,
        "facial_weakness": False,
        "symptom_spreading": False,
    }
    assert open_questions(doctor) == ["function_affected", "pain_or_sensory"]


def test_every_question_has_a_reason_and_one_question_mark():
    for q in QUESTIONS:
        assert q.text.count("?") == 1 and q.why
    assert set(BY_SLOT) == {q.slot for q in QUESTIONS}
