"""Actions over recorded trackers (Tracker.from_dict + CollectingDispatcher)."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionExplainQuestion,
    ActionExtractFacts,
    ActionGiveTriage,
    ActionUnclearAnswer,
    ValidateSymptomForm,
)
from bot.clinical.facts import FACT_SLOTS
from bot.understanding.extraction import extract

DOMAIN = {"forms": {"symptom_form": {"required_slots": list(FACT_SLOTS)}}}


def tracker(text="", slots=None, intent="describe_symptom", requested=None, form=None):
    all_slots = {name: None for name in FACT_SLOTS}
    all_slots.update(triage_level=None, triage_rules=None, unclear_count=None)
    all_slots.update(slots or {})
    all_slots["requested_slot"] = requested
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": all_slots,
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "entities": extract(text).entities(),
            },
            "events": [],
            "active_loop": {"name": form} if form else {},
            "latest_action_name": "action_listen",
        }
    )


async def run(action, trk):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, DOMAIN)
    return dispatcher.messages, {
        e["name"]: e["value"] for e in events if e["event"] == "slot"
    }


async def test_extract_facts_sets_only_what_was_said():
    _, slots = await run(
        ActionExtractFacts(),
        tracker("my mum had Bell's palsy but my left eyelid twitches, no droop"),
    )
    assert slots == {
        "symptom_location": ["eye"],
        "symptom_side": "left",
        "facial_weakness": False,
    }


async def test_extract_facts_reads_a_yes_for_the_requested_slot():
    trk = tracker(
        "yes",
        {"symptom_location": ["eye"]},
        intent="affirm",
        requested="symptom_spreading",
    )
    _, slots = await run(ActionExtractFacts(), trk)
    assert slots == {"symptom_spreading": True}


async def test_extract_facts_warns_about_truncation():
    messages, _ = await run(ActionExtractFacts(), tracker("my cheek twitches " * 400))
    assert any("very long" in m["text"] for m in messages)


async def test_form_asks_next_missing_question():
    trk = tracker("", {"symptom_location": ["cheek"]}, form="symptom_form")
    _, slots = await run(ValidateSymptomForm(), trk)
    assert slots["requested_slot"] == "symptom_duration_days"


async def test_form_stops_at_once_for_an_emergency():
    trk = tracker(
        "", {"facial_weakness": True, "weakness_sudden": True}, form="symptom_form"
    )
    _, slots = await run(ValidateSymptomForm(), trk)
    assert slots["requested_slot"] is None


async def test_triage_emergency_message_first_and_alone():
    trk = tracker("", {"facial_weakness": True, "stroke_signs": True})
    messages, slots = await run(ActionGiveTriage(), trk)
    assert slots["triage_level"] == "emergency"
    assert "911" in messages[0]["text"] and messages[0]["custom"] == {
        "triage_level": "emergency"
    }
    assert "?" not in " ".join(m["text"] for m in messages)


@pytest.mark.parametrize(
    "facts, level",
    [
        ({"symptom_duration_days": 40}, "see_doctor"),
        ({"pain_or_sensory": True}, "urgent"),
        ({"symptom_duration_days": 1}, "self_care"),
    ],
)
async def test_triage_levels_and_rules(facts, level):
    messages, slots = await run(ActionGiveTriage(), tracker("", facts))
    assert slots["triage_level"] == level
    assert "not a diagnosis" in messages[-1]["text"]


async def test_triage_after_a_correction_says_it_was_updated():
    trk = tracker("", {"symptom_spreading": True, "triage_level": "self_care"})
    messages, slots = await run(ActionGiveTriage(), trk)
    assert slots["triage_level"] == "urgent" and "updated" in messages[0]["text"]


async def test_explain_question_gives_the_reason_for_the_pending_question():
    messages, _ = await run(
        ActionExplainQuestion(), tracker("why?", requested="facial_weakness")
    )
    assert "stroke" in messages[0]["text"]


async def test_unclear_answers_never_get_stuck():
    trk = tracker(
        "blah",
        {"unclear_count": 2.0},
        intent="nlu_fallback",
        requested="symptom_spreading",
    )
    messages, slots = await run(ActionUnclearAnswer(), trk)
    assert slots["unsure_facts"] == ["symptom_spreading"]
    assert "move on" in messages[0]["text"]
