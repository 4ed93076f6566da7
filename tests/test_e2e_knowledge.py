"""End to end over REST: free questions (also mid-interview), why-advice,
summary, and forget-me against the real servers and their SQLite file."""

import sqlite3

import pytest

from tests.test_e2e import converse, texts

pytestmark = pytest.mark.e2e


def _rows(bot, sender):
    path = bot.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        events = conn.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
        records = conn.execute(
            "SELECT COUNT(*) FROM triage_records WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
    return events, records


def test_question_before_any_symptoms_is_answered_with_source(bot):
    replies = bot.say("kb-q1", "what is hemifacial spasm?")
    said = texts(replies)
    assert "one half of the face" in said or "one side" in said
    assert "Source:" in said and "Why Is My Cheek Spasming" in said
    assert bot.tracker("kb-q1")["slots"]["triage_level"] is None


def test_question_mid_interview_is_answered_and_the_interview_resumes(bot):
    sender = "kb-mid"
    bot.say(sender, "my left eyelid has been twitching for 3 days")
    pending = bot.tracker(sender)["slots"]["pending_question"]
    assert pending
    replies = bot.say(sender, "can coffee cause this?")
    said = texts(replies)
    assert "caffeine" in said.lower() and "Source:" in said
    tracker = bot.tracker(sender)
    assert not tracker["active_loop"]  # no form: the interview is action_turn's
    assert tracker["slots"]["pending_question"] == pending  # same question again
    assert replies[-1]["text"].endswith("?")  # ... and it is asked
    # The interview then finishes as usual.
    _, _, tracker = converse(bot, sender, "no")
    assert tracker["slots"]["triage_level"] in {"self_care", "see_doctor"}


def test_question_that_also_gives_a_fact_mid_interview_is_answered(bot):
    sender = "kb-mid-fact"
    bot.say(sender, "my right cheek has been twitching for 5 days")
    pending = bot.tracker(sender)["slots"]["pending_question"]
    replies = bot.say(sender, "too much coffee?")
    said = texts(replies)
    assert "caffeine" in said.lower() and "Source:" in said
    assert said.count("Source:") == 1  # answered once
    tracker = bot.tracker(sender)
    assert tracker["slots"]["triggers"] == ["caffeine"]
    assert tracker["slots"]["pending_question"] == pending
    assert pending not in (tracker["slots"].get("unsure_facts") or [])


def test_unknown_question_is_honest(bot):
    said = texts(bot.say("kb-unknown", "can I take botox for this?"))
    assert "don't cover" in said or "won't guess" in said
    assert "doctor" in said


def test_why_this_advice_lists_the_deciding_facts(bot):
    sender = "kb-why"
    _, _, tracker = converse(
        bot,
        sender,
        "my right cheek has twitched for 2 weeks and now it spread to my mouth",
    )
    assert tracker["slots"]["triage_level"] == "urgent"
    said = texts(bot.say(sender, "why this advice?"))
    assert "urgent" in said and "spread" in said
    assert "right cheek and mouth" in said
    assert "Rule source:" in said


def test_summary_over_rest(bot):
    sender = "kb-summary"
    converse(bot, sender, "my left eye twitches for 3 days, I'm stressed at work")
    said = texts(bot.say(sender, "can I get a summary for my doctor?"))
    assert "Twitch summary" in said
    assert "left eye" in said and "about 3 days" in said
    assert "Advice given:" in said


def test_forget_me_deletes_the_conversation_and_derived_rows(bot):
    sender = "kb-forget"
    converse(bot, sender, "my right cheek has been twitching for 4 days")
    events, records = _rows(bot, sender)
    assert events > 0 and records == 1
    said = texts(bot.say(sender, "please delete my data"))
    assert "delete" in said.lower() and "cannot be undone" in said
    said = texts(bot.say(sender, "yes"))
    assert "deleted" in said
    assert _rows(bot, sender) == (0, 0)
    tracker = bot.tracker(sender)  # the API shows nothing of it
    assert not any(e.get("event") == "user" for e in tracker["events"])
    assert tracker["slots"].get("symptom_location") is None


def test_forget_me_can_be_cancelled_mid_interview(bot):
    sender = "kb-keep"
    bot.say(sender, "my left eyelid has been twitching for 2 days")
    bot.say(sender, "delete my data")
    said = texts(bot.say(sender, "no"))
    assert "haven't deleted" in said
    assert _rows(bot, sender)[0] > 0
    tracker = bot.tracker(sender)
    assert tracker["slots"]["symptom_location"] == ["eye"]
    assert tracker["slots"]["pending_question"]  # the questions go on
