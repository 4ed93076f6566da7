"""End to end: the real Rasa and action servers, spoken to over REST."""

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


def converse(bot, sender, opening, answers=None, default="no", max_turns=14):
    """Open with a description, then answer each question the bot asks.

    Returns (replies, asked slots, final tracker)."""
    answers = answers or {}
    replies = bot.say(sender, opening)
    asked = []
    for _ in range(max_turns):
        tracker = bot.tracker(sender)
        if tracker["slots"].get("triage_level"):
            return replies, asked, tracker
        slot = tracker["slots"].get("pending_question")
        assert slot, f"bot neither asked nor advised; last replies: {replies}"
        asked.append(slot)
        replies = bot.say(sender, answers.get(slot, default))
    raise AssertionError(f"no triage after {max_turns} turns; asked {asked}")


def texts(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_emergency_on_first_message_comes_first_and_alone(bot):
    replies, asked, tracker = converse(
        bot,
        "e2e-emergency",
        "My face suddenly started drooping on the left an hour ago and my cheek twitches",
    )
    assert asked == []  # no questions before emergency advice
    assert tracker["slots"]["triage_level"] == "emergency"
    # REST sends the text, then the custom payload as its own message.
    assert "911" in replies[0]["text"] and "FAST" in replies[0]["text"]
    assert replies[1].get("custom", {}).get("triage_level") == "emergency"
    assert "?" not in texts(replies)  # nothing asked after it either


def test_urgent_when_twitching_spreads(bot):
    replies, asked, tracker = converse(
        bot,
        "e2e-urgent",
        "the twitching started under my right eye 3 weeks ago and now it has spread to my cheek and mouth",
    )
    assert tracker["slots"]["triage_level"] == "urgent"
    assert tracker["slots"]["symptom_spreading"] is True
    assert set(tracker["slots"]["symptom_location"]) >= {"eye", "cheek", "mouth"}
    assert "today" in texts(replies)
    assert len(asked) == len(set(asked)), f"re-asked: {asked}"


def test_see_doctor_when_it_lasts_months_and_follows_blinking(bot):
    replies, asked, tracker = converse(
        bot,
        "e2e-doctor",
        "Why does my left cheek twitch everytime I blink? It's been 5+ months now.",
    )
    slots = tracker["slots"]
    assert slots["triage_level"] == "see_doctor"
    assert slots["movement_linked"] is True
    assert slots["symptom_duration_days"] == pytest.approx(150, rel=0.1)
    assert slots["symptom_side"] == "left" and slots["symptom_location"] == ["cheek"]
    assert "appointment" in texts(replies)
    assert "symptom_duration_days" not in asked and "symptom_location" not in asked


def test_self_care_for_a_short_stress_twitch(bot):
    replies, asked, tracker = converse(
        bot,
        "e2e-selfcare",
        "my right eyelid keeps twitching since yesterday, exams week so super stressed and living on coffee",
        answers={"warning_signs": "it stays in one spot, no pain, nothing like that"},
    )
    slots = tracker["slots"]
    assert slots["triage_level"] == "self_care"
    assert set(slots["triggers"]) == {"stress", "caffeine"}
    all_text = texts(replies)
    assert (
        "home" in all_text and "Source:" in all_text and "not a diagnosis" in all_text
    )
    assert len(asked) == len(set(asked))


def test_correction_after_advice_recomputes_triage(bot):
    sender = "e2e-correct"
    _, _, tracker = converse(
        bot, sender, "left eyelid twitching for 2 days, I'm exhausted"
    )
    assert tracker["slots"]["triage_level"] == "self_care"
    replies = bot.say(sender, "actually it has spread to my mouth")
    tracker = bot.tracker(sender)
    assert tracker["slots"]["triage_level"] == "urgent"
    assert "mouth" in tracker["slots"]["symptom_location"]
    assert "updated" in texts(replies)


def test_why_are_you_asking_explains_and_reasks(bot):
    sender = "e2e-why"
    bot.say(sender, "my cheek twitches")
    asked = bot.tracker(sender)["slots"]["pending_question"]
    replies = bot.say(sender, "why are you asking?")
    assert bot.tracker(sender)["slots"]["pending_question"] == asked
    from bot.dialogue.questions import BY_ID

    assert [r["text"] for r in replies][:2] == [BY_ID[asked].why, BY_ID[asked].rephrase]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "x" * 12000,
        "😀😀😀",
        "Mi mejilla izquierda tiembla desde hace una semana",
        "<script>alert(1)</script>",
        "\x00\x01\x02 \x7f",
        "<img src=x onerror=alert(1)>",
    ],
    ids=["empty", "spaces", "huge", "emoji", "spanish", "script", "binary", "img"],
)
def test_bad_input_gets_a_reply_and_the_conversation_goes_on(bot, bad):
    sender = f"e2e-bad-{abs(hash(bad)) % 10**8}"
    bot.say(sender, "my left eye twitches")
    replies = bot.say(sender, bad)
    assert replies and all(r.get("text") for r in replies)
    assert all(
        "<script" not in r["text"] and "onerror" not in r["text"] for r in replies
    )
    replies = bot.say(sender, "for 3 days")
    assert bot.tracker(sender)["slots"]["symptom_duration_days"] == pytest.approx(3)


def test_api_needs_the_token(bot):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{bot.url}/conversations/anyone/tracker", timeout=10)
    assert err.value.code == 401


def test_restarted_server_continues_the_same_conversation(bot):
    sender = "e2e-restart"
    bot.say(sender, "my left cheek has been twitching for 3 weeks")
    before = bot.tracker(sender)
    asked_before = before["slots"]["pending_question"]
    bot.stop_rasa()
    bot.start_rasa()
    after = bot.tracker(sender)
    assert after["slots"]["symptom_duration_days"] == pytest.approx(21)
    assert after["slots"]["pending_question"] == asked_before
    assert len(after["events"]) == len(before["events"])
    replies, asked, tracker = converse(bot, sender, "no")
    assert tracker["slots"]["triage_level"] == "see_doctor"


@pytest.mark.parametrize("channel", ["telegram", "slack", "twilio", "facebook"])
def test_messaging_channels_are_off_without_their_variables(bot, channel):
    req = urllib.request.Request(
        f"{bot.url}/webhooks/{channel}/webhook", data=b"{}", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 404


def test_a_long_conversation_keeps_its_facts_in_a_bounded_session(bot):
    sender = "e2e-long"
    replies, _, tracker = converse(
        bot, sender, "my left eyelid has twitched for 3 days"
    )
    level = tracker["slots"]["triage_level"]
    for n in range(40):
        replies = bot.say(sender, ["what causes twitching?", "thanks", "ok"][n % 3])
        assert replies and all(r.get("text") or r.get("custom") for r in replies)
    tracker = bot.tracker(sender)  # the API shows every session
    starts = [
        i for i, e in enumerate(tracker["events"]) if e["event"] == "session_started"
    ]
    assert len(starts) >= 2  # the first one, and a fresh one once it grew long
    assert len(tracker["events"]) - starts[-1] < 200  # what Rasa loads per turn
    assert tracker["slots"]["triage_level"] == level
    assert tracker["slots"]["symptom_location"] == ["eye"]
    said = texts(bot.say(sender, "why this advice?"))
    assert "Rule source" in said


def test_a_conversation_stuck_in_the_old_fallback_loop_gets_a_reply(bot):
    """Trackers saved by the form-based bot: an active form and the core
    fallback run ten times without a listen. The next message must be answered."""
    sender = "e2e-stuck"
    bot.say(sender, "my cheek twitches")
    stuck = [
        {"event": "user", "text": "my eye shuts fine, it never closes by itself",
         "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []}},
        {"event": "action", "name": "symptom_form"},
        {"event": "active_loop", "name": "symptom_form"},
        {"event": "slot", "name": "requested_slot", "value": "function_affected"},
    ] + [{"event": "action", "name": "action_fallback"},
         {"event": "bot", "text": "I'm a guide for twitching in the face, eyelid or cheek"}] * 10  # fmt: skip
    bot.post(f"/conversations/{sender}/tracker/events?token={bot.token}", stuck)
    replies = bot.say(sender, "hello?")
    assert replies and all(r.get("text") for r in replies)
    tracker = bot.tracker(sender)
    assert not tracker["active_loop"]  # released
    replies, _, tracker = converse(bot, sender, "no")
    assert tracker["slots"]["triage_level"]


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b"null", b'{"message": "hi"}',
     b'{"sender": "a", "message": 5}', b'{"sender": 5, "message": "hi"}',
     b'{"sender": "' + b"x" * 10_000 + b'", "message": "hi"}'],
)  # fmt: skip
def test_malformed_rest_bodies_get_a_400_not_a_500(bot, body):
    req = urllib.request.Request(
        f"{bot.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 400
    assert "error" in json.loads(err.value.read())


def test_typed_intent_over_rest_sets_no_slot(bot):
    bot.say(
        "e2e-inject",
        '/describe_symptom{"nerve_history": true, "symptom_duration_days": 999}',
    )
    t = bot.tracker("e2e-inject")
    assert t["latest_message"]["intent"]["name"] != "describe_symptom" or (
        t["latest_message"]["intent"]["confidence"] < 1.0
    )
    assert t["slots"]["nerve_history"] is not True
    assert t["slots"]["symptom_duration_days"] != 999


def test_lone_surrogates_get_a_normal_reply(bot):
    req = urllib.request.Request(
        f"{bot.url}/webhooks/rest/webhook",
        data=b'{"sender": "e2e-surrogate", "message": "my left eye \\ud800 twitches"}',
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        replies = json.load(resp)
    assert resp.status == 200 and any(r.get("text") for r in replies)
    assert bot.tracker("e2e-surrogate")["slots"]["symptom_location"] == ["eye"]
