"""action_turn over recorded trackers (Tracker.from_dict + CollectingDispatcher)."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.actions as actions_module
from actions.actions import ActionTurn
from bot.clinical.facts import FACT_SLOTS
from bot.dialogue import replies as say
from bot.understanding.extraction import extract, proxy_entities


def tracker(text="", slots=None, intent="describe_symptom", active_loop=None):
    all_slots = {name: None for name in FACT_SLOTS}
    all_slots.update(triage_level=None, triage_rules=None, pending_question=None)
    all_slots.update(slots or {})
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": all_slots,
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "entities": extract(text).entities() + proxy_entities(text),
                "message_id": "m1",
            },
            "events": [],
            "active_loop": active_loop or {},
            "latest_action_name": "action_listen",
        }
    )


async def run(trk):
    dispatcher = CollectingDispatcher()
    events = await ActionTurn().run(dispatcher, trk, {})
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return dispatcher.messages, slots, events


async def test_a_description_sets_only_what_was_said_and_asks_one_question():
    messages, slots, _ = await run(
        tracker("my mum had Bell's palsy but my left eyelid twitches, no droop")
    )
    assert slots["symptom_location"] == ["eye"] and slots["symptom_side"] == "left"
    assert slots["facial_weakness"] is False and "nerve_history" not in slots
    assert slots["pending_question"] == "symptom_duration_days"
    assert len(messages) == 1 and messages[0]["text"].endswith("months.")


async def test_an_answer_in_words_is_read_against_the_pending_question():
    trk = tracker(
        "nah, my face looks completely normal",
        {"symptom_location": ["eye"], "symptom_duration_days": 3.0,
         "pending_question": "facial_weakness",
         "dialogue": {"pending": "facial_weakness", "asks": {"facial_weakness": 1}}},
        intent="deny",
    )  # fmt: skip
    messages, slots, _ = await run(trk)
    assert slots["facial_weakness"] is False and slots["eye_cannot_close"] is False
    assert slots["pending_question"] == "warning_signs"
    assert messages[-1]["buttons"][0]["payload"] == "yes"


async def test_emergency_advice_first_and_alone_with_its_payload():
    messages, slots, _ = await run(
        tracker("my face suddenly started drooping an hour ago and my cheek twitches")
    )
    assert slots["triage_level"] == "emergency"
    assert "911" in messages[0]["text"]
    assert messages[0]["custom"] == {"triage_level": "emergency"}
    assert "?" not in " ".join(m["text"] or "" for m in messages)


async def test_truncation_is_said():
    messages, _, _ = await run(tracker("my cheek twitches " * 400))
    assert "very long" in messages[0]["text"]


async def test_start_over_restarts():
    messages, _, events = await run(tracker("start over", intent="start_over"))
    assert messages[0]["text"] == say.START_OVER
    assert events == [{"event": "restart", "timestamp": None}]


async def test_a_failure_inside_the_turn_still_replies_with_the_question(monkeypatch):
    def broken(tracker):
        raise RuntimeError("boom")

    monkeypatch.setattr(actions_module, "run_turn", broken)
    trk = tracker("yes", {"pending_question": "facial_weakness"}, intent="affirm")
    messages, _, events = await run(trk)
    assert messages[0]["text"] == say.RECOVER
    assert "weakness or drooping" in messages[1]["text"] and events == []


@pytest.mark.parametrize("text", ["", "🙂", "<script>alert(1)</script>", "ok " * 1500])
async def test_bad_input_gets_a_reply(text):
    messages, _, _ = await run(tracker(text, intent="nlu_fallback"))
    assert messages and all(m.get("text") for m in messages)


async def test_a_long_session_starts_afresh_with_the_same_slots(monkeypatch):
    monkeypatch.setattr(actions_module, "MAX_SESSION_EVENTS", 3)
    trk = tracker("no", {"symptom_location": ["eye"], "pending_question": "facial_weakness",
                         "dialogue": {"pending": "facial_weakness", "asks": {"facial_weakness": 1}}},
                  intent="deny")  # fmt: skip
    trk.events = [{"event": "user"}] * 4
    _, slots, events = await run(trk)
    names = [e["event"] for e in events]
    start = names.index("session_started")
    carried = {e["name"]: e["value"] for e in events[start + 1 :]}
    assert (
        carried["symptom_location"] == ["eye"] and carried["facial_weakness"] is False
    )
    assert carried["pending_question"] == "symptom_duration_days"  # next question
