"""The state machine (bot/dialogue/turn.py), without Rasa: each question × each
kind of answer, and the invariants (a reply every time, at most two asks,
emergency first and alone, warning signs at any moment)."""

import pytest

from actions.actions import understood
from bot.clinical.facts import FACT_SLOTS
from bot.dialogue import replies as say
from bot.dialogue.questions import BY_ID, MAX_ASKS, QUESTIONS, open_questions
from bot.dialogue.turn import WHICH, State, take_turn
from bot.understanding.extraction import extract, proxy_entities


def said(text, intent=None, confidence=0.9):
    """What the action builds from Rasa's parse (the extractor's entities)."""
    entities = extract(text).entities() + proxy_entities(text)
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    return understood({**parse, "entities": entities})


class Chat:
    """Slots in, slots out, as Rasa would keep them between turns."""

    def __init__(self, **facts):
        self.slots = {n: None for n in FACT_SLOTS}
        self.slots.update(facts)
        self.kb_questions = []

    def kb(self, question):
        self.kb_questions.append(question)
        return ["From the articles: an answer.", "Source: test."]

    def send(self, text, intent=None, confidence=0.9):
        out = take_turn(
            State.from_slots(self.slots), said(text, intent, confidence), self.kb
        )
        if out.restart:
            self.slots = {n: None for n in FACT_SLOTS}
        else:
            self.slots.update(out.slots)
        self.out = out
        return [r.text or "" for r in out.replies]

    @property
    def pending(self):
        return self.slots.get("pending_question")

    @property
    def level(self):
        return self.slots.get("triage_level")

    def asks(self):
        return (self.slots.get("dialogue") or {}).get("asks") or {}


PLACE_AND_DURATION = "my left eyelid has been twitching for 3 days"


def at(question_id, **facts):
    """A chat in which the bot has just asked `question_id` (first time)."""
    chat = Chat(symptom_location=["eye"], symptom_duration_days=3.0, **facts)
    chat.slots["pending_question"] = question_id
    chat.slots["dialogue"] = {"pending": question_id, "asks": {question_id: 1}}
    return chat


# -- a whole conversation ---------------------------------------------------------
def test_place_and_duration_then_three_questions_to_self_care():
    chat = Chat()
    replies = chat.send(PLACE_AND_DURATION, "describe_symptom")
    assert (
        chat.pending == "facial_weakness"
        and replies[-1] == BY_ID["facial_weakness"].text
    )
    chat.send("nah my face looks normal")
    assert chat.pending == "warning_signs"
    chat.send("none of those")
    assert chat.pending == "history"
    replies = chat.send("no it just does its own thing, never injured my face")
    assert chat.level == "self_care" and chat.pending is None
    assert chat.out.replies[0].custom == {"triage_level": "self_care"}
    assert "not a diagnosis" in replies[-1]


def test_stroke_told_without_droop_words_is_an_emergency_at_once():
    chat = Chat()
    chat.send("my cheek's been jumping on and off today", "describe_symptom")
    assert chat.pending == "facial_weakness"
    replies = chat.send(
        "now that you mention it one corner of my mouth sits lower than the other, "
        "it wasn't like that an hour ago"
    )
    assert chat.level == "emergency"
    assert "911" in replies[0] and len(replies) == 2  # first and alone
    assert "?" not in " ".join(replies)


def test_a_warning_sign_in_any_answer_escalates_whatever_was_asked():
    chat = at("history", facial_weakness=False, symptom_spreading=False,
              function_affected=False, eye_forced_shut=False, pain_or_sensory=False)  # fmt: skip
    replies = chat.send(
        "no never had that, but my speech is slurred since this morning"
    )
    assert chat.level == "emergency" and "911" in replies[0]


def test_facts_from_the_opening_are_never_asked_again():
    chat = Chat()
    chat.send(
        "my left eye twitches for 2 weeks, no drooping, it hasn't spread and it "
        "doesn't hurt", "describe_symptom",
    )  # fmt: skip
    asked = [chat.pending]
    assert "facial_weakness" not in asked
    text = chat.out.replies[-1].text
    assert "spread" not in text and "pain" not in text  # only the open part is asked


# -- each question × each kind of answer -----------------------------------------
YES_NO = [q.id for q in QUESTIONS if not q.is_value and not q.parts]


@pytest.mark.parametrize("question", YES_NO)
@pytest.mark.parametrize(
    "text, expect",
    [
        ("yes", True), ("yeah a bit", True), ("sort of", True), ("👍", True),
        ("no", False), ("nah", False), ("not really", False), ("nope, nothing like that", False),
        ("not sure", "unsure"), ("no idea", "unsure"), ("dunno tbh", "unsure"),
    ],
)  # fmt: skip
def test_yes_no_questions_read_answers_in_many_words(question, text, expect):
    facts = {"facial_weakness": True} if BY_ID[question].needs else {}
    chat = at(question, **facts)
    chat.send(text)
    fact = BY_ID[question].covers[0]
    if expect == "unsure":
        assert fact in (chat.slots["unsure_facts"] or [])
    else:
        assert chat.slots[fact] is expect


@pytest.mark.parametrize(
    "question, text, fact, value",
    [
        ("facial_weakness", "I can shut it fine and my smile is normal", "facial_weakness", False),
        ("facial_weakness", "one side of my mouth sits lower", "facial_weakness", True),
        ("facial_weakness", "nope face is totally normal in the mirror", "facial_weakness", False),
        ("weakness_sudden", "it crept up slowly over a week", "weakness_sudden", False),
        ("weakness_sudden", "woke up with it", "weakness_sudden", True),
        ("stroke_signs", "my speech is fine and my arms are fine", "stroke_signs", False),
        ("warning_signs", "it never closes on its own", "eye_forced_shut", False),
        ("warning_signs", "it stays put", "symptom_spreading", False),
        ("warning_signs", "it doesn't stay in one spot", "symptom_spreading", True),
        ("warning_signs", "yes actually, now my lip does it too", "symptom_spreading", True),
        ("history", "only when I blink", "movement_linked", True),
        ("facial_weakness", "👎", "facial_weakness", False),
    ],
)  # fmt: skip
def test_answers_in_the_words_of_the_question(question, text, fact, value):
    facts = {"facial_weakness": True} if BY_ID[question].needs else {}
    if question == "history":
        facts.update(facial_weakness=False, symptom_spreading=False, pain_or_sensory=False,
                     function_affected=False, eye_forced_shut=False)  # fmt: skip
    chat = at(question, **facts)
    chat.send(text)
    assert chat.slots[fact] is value


def test_a_checklist_no_rules_out_every_part():
    chat = at("warning_signs", facial_weakness=False)
    chat.send("nope none of that")
    for name in BY_ID["warning_signs"].covers:
        assert chat.slots[name] is False


def test_a_checklist_is_answerable_part_by_part():
    chat = at("warning_signs", facial_weakness=False)
    chat.send("no pain at all, but it's crept down to my lip since monday")
    assert chat.slots["pain_or_sensory"] is False
    assert chat.slots["symptom_spreading"] is True
    # Already urgent: only the part that could still make it an emergency is left.
    assert chat.pending == "warning_signs"
    assert chat.out.replies[-1].text == BY_ID["warning_signs"].parts[-1].ask
    chat.send("no, nothing like that")
    assert chat.level == "urgent" and chat.slots["function_affected"] is None


def test_a_bare_yes_to_a_checklist_asks_which_then_reads_numbers():
    chat = at("warning_signs", facial_weakness=False)
    chat.send("yes")
    assert chat.pending == WHICH
    assert [b["payload"] for b in chat.out.replies[-1].buttons] == [
        "1",
        "2",
        "3",
        "4",
        "not sure",
    ]
    chat.send("2")
    assert chat.slots["function_affected"] is True
    chat.send("no")  # the stroke part, asked on its own
    assert chat.level == "urgent"


def test_which_never_read_counts_every_part():
    chat = at("warning_signs", facial_weakness=False)
    chat.send("yes")
    chat.send("blah blah")
    assert chat.pending == WHICH
    replies = chat.send("qwerty")
    assert replies[0] == say.MOVE_ON_WHICH and chat.level == "urgent"
    assert "stroke_signs" in chat.slots["unsure_facts"]  # a guess calls no ambulance


@pytest.mark.parametrize("question", ["symptom_location", "symptom_duration_days"])
def test_value_questions(question):
    chat = Chat(symptom_location=["eye"]) if question != "symptom_location" else Chat()
    chat.slots["pending_question"] = question
    chat.slots["dialogue"] = {"pending": question, "asks": {question: 1}}
    chat.send(
        "under my right eye" if question == "symptom_location" else "since last week"
    )
    assert chat.slots[question] not in (None, [])


# -- never stuck -------------------------------------------------------------------
@pytest.mark.parametrize("question", [q.id for q in QUESTIONS])
def test_an_unreadable_answer_is_asked_once_more_then_not_sure(question):
    facts = {"facial_weakness": True} if BY_ID[question].needs else {}
    chat = at(question, **facts)
    if BY_ID[question].is_value:
        chat.slots[question] = None
    replies = chat.send("asdfgh qwerty")
    assert replies[0] in (say.NOT_UNDERSTOOD, say.NOT_UNDERSTOOD_VALUE)
    assert chat.pending == question and chat.asks()[question] == 2
    assert chat.out.replies[-1].buttons or BY_ID[question].is_value
    replies = chat.send("zxcvb")
    assert replies[0] == say.MOVE_ON
    assert chat.pending != question and chat.asks()[question] == MAX_ASKS
    assert BY_ID[question].covers[0] in (chat.slots["unsure_facts"] or [])


def test_unsure_weakness_is_treated_conservatively():
    chat = at("facial_weakness", stroke_signs=False)
    chat.send("not sure")
    assert chat.level == "urgent"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("", None), ("   ", None), ("🙂🙂", None), ("<b>hi</b>", "greet"), ("hello", "greet"),
        ("thanks", "thanks"), ("why do you ask?", "why_asking"), ("are you a bot?", "bot_challenge"),
        ("what's the weather like", "out_of_scope"), ("¿Qué es esto? No entiendo nada", None),
        ("can coffee cause this?", "ask_question"), ("x" * 3000, None),
        ("give me a summary", "request_summary"), ("bye", "goodbye"),
    ],
)  # fmt: skip
def test_every_message_gets_a_reply_and_the_question_stays_asked(text, intent):
    chat = at("facial_weakness")
    replies = chat.send(text, intent)
    assert replies and all(isinstance(r, str) for r in replies)
    if intent != "goodbye":
        assert chat.pending == "facial_weakness" or chat.level
    assert chat.asks().get("facial_weakness", 0) <= MAX_ASKS


def test_why_asking_explains_and_asks_again():
    chat = at("facial_weakness")
    replies = chat.send("why are you asking?", "why_asking")
    assert replies == [BY_ID["facial_weakness"].why, BY_ID["facial_weakness"].rephrase]


def test_a_question_mid_interview_is_answered_then_the_interview_goes_on():
    chat = at("facial_weakness")
    replies = chat.send("can coffee cause this?", "ask_question")
    assert chat.kb_questions == ["can coffee cause this?"]
    assert (
        replies[0].startswith("From the articles") and chat.pending == "facial_weakness"
    )


def test_a_description_taken_for_a_question_is_not_answered_from_the_articles():
    chat = Chat()
    replies = chat.send("my right cheek twitches every time I blink", "ask_question")
    assert chat.kb_questions == [] and chat.pending == "facial_weakness"
    assert replies == [BY_ID["facial_weakness"].text]


def test_a_broken_knowledge_base_still_gets_a_reply():
    chat = at("facial_weakness")

    def broken(question):
        raise RuntimeError("db down")

    chat.kb = broken
    replies = chat.send("can coffee cause this?", "ask_question")
    assert "couldn't find" in replies[0] and chat.pending == "facial_weakness"


def test_a_negated_answer_never_sets_a_fact_true():
    for text in ["no drooping", "my face isn't weak", "no, my mum had a droopy face"]:
        chat = at("facial_weakness")
        chat.send(text)
        assert chat.slots["facial_weakness"] is not True, text


def test_someone_elses_history_is_not_the_patients():
    chat = at("history", facial_weakness=False, symptom_spreading=False,
              function_affected=False, eye_forced_shut=False, pain_or_sensory=False)  # fmt: skip
    chat.send("my mum had Bell's palsy but not me, and it's random")
    assert chat.slots["nerve_history"] is False


def test_a_conversation_about_someone_else_is_about_them():
    chat = Chat()
    replies = chat.send(
        "my husband's eyelid has been twitching for 10 days", "describe_symptom"
    )
    assert replies[0] == say.ABOUT_SOMEONE_ELSE
    assert chat.slots["symptom_location"] == ["eye"]
    chat.send("yes his mouth droops on the left since this morning")
    assert chat.slots["facial_weakness"] is True


def test_the_first_place_being_theirs_makes_it_their_conversation():
    # the side and length come later, with no owner: still the partner's
    chat = Chat()
    replies = chat.send(
        "My partner's eye keeps clamping shut on its own, right eye, it's been a month",
        "describe_symptom",
    )
    assert replies[0] == say.ABOUT_SOMEONE_ELSE
    assert chat.slots["eye_forced_shut"] is True
    # ... but not when the writer says it is their own too
    chat = Chat()
    chat.send(
        "my husband's eyelid twitched last year, now my left eye does",
        "describe_symptom",
    )
    assert (
        chat.slots["symptom_side"] == "left"
        and chat.slots.get("eye_forced_shut") is None
    )


def test_a_message_opening_for_a_relative_is_about_them():
    chat = Chat()
    replies = chat.send(
        "For my dad (68): right eye twitching for 2 weeks, and today his right eye "
        "is red and very painful",
        "describe_symptom",
    )
    assert replies[0] == say.ABOUT_SOMEONE_ELSE
    assert chat.slots["pain_or_sensory"] is True
    assert chat.slots["symptom_duration_days"] == 14


def test_advice_about_someone_else_says_their_not_your():
    chat = Chat()
    replies = chat.send(
        "my dad's mouth suddenly drooped and he's slurring, his left cheek twitches",
        "describe_symptom",
    )
    assert chat.level == "emergency"
    why = next(r for r in replies if r.startswith("I say this because"))
    assert "their face" in why and "your face" not in why


# -- after the advice, corrections, forget-me, start over -------------------------
def test_a_correction_after_the_advice_updates_it():
    chat = Chat(symptom_location=["eye"], symptom_duration_days=3.0, facial_weakness=False,
                symptom_spreading=False, function_affected=False, eye_forced_shut=False,
                pain_or_sensory=False, stroke_signs=False, movement_linked=False,
                nerve_history=False)  # fmt: skip
    chat.send("ok", "affirm")
    assert chat.level == "self_care"
    replies = chat.send("actually it has spread to my mouth", "describe_symptom")
    assert replies[0] == say.UPDATED and chat.level == "urgent"
    replies = chat.send("thanks", "thanks")
    assert replies == [say.THANKS_AFTER_ADVICE]


def test_forget_me_asks_then_deletes():
    chat = at("facial_weakness")
    chat.send("delete my data", "forget_me")
    assert chat.pending is None and chat.out.replies[0].buttons
    chat.send("yes", "affirm")
    assert chat.out.delete and chat.out.restart
    assert chat.out.replies[-1].custom == {"conversation_deleted": True}


def test_an_answer_while_delete_is_pending_deletes_nothing():
    chat = at("history", facial_weakness=False, symptom_spreading=False,
              function_affected=False, eye_forced_shut=False, pain_or_sensory=False,
              stroke_signs=False)  # fmt: skip
    chat.send("how do I delete my data", "forget_me")
    replies = chat.send("yeah now you mention it, it's every time I smile", "affirm")
    assert not chat.out.delete and replies[0] == say.NOT_FORGOTTEN
    assert chat.slots["movement_linked"] is True


def test_any_reply_but_a_plain_yes_keeps_the_data_and_says_so():
    chat = at("facial_weakness")
    chat.send("delete my data", "forget_me")
    replies = chat.send("no keep it", "describe_symptom")
    assert replies[0] == say.NOT_FORGOTTEN and not chat.out.delete


def test_forget_me_cancelled_goes_back_to_the_question():
    chat = at("facial_weakness")
    chat.send("delete my data", "forget_me")
    replies = chat.send("no keep it", "deny")
    assert replies[0] == say.NOT_FORGOTTEN and chat.pending == "facial_weakness"


def test_start_over_restarts():
    chat = at("facial_weakness")
    chat.send("start over", "start_over")
    assert chat.out.restart and chat.out.replies[0].text == say.START_OVER


def test_a_damaged_memo_starts_afresh():
    chat = Chat()
    chat.slots["dialogue"] = "not a dict"
    chat.slots["pending_question"] = "symptom_form"
    assert chat.send("my eye twitches", "describe_symptom")


# -- what is asked ------------------------------------------------------------------
def test_only_what_can_change_the_advice_is_asked():
    urgent = {"symptom_location": ["eye"], "symptom_duration_days": 3,
              "facial_weakness": False, "symptom_spreading": True}  # fmt: skip
    assert [q.id for q in open_questions(urgent)] == ["warning_signs"]  # stroke signs
    assert open_questions({**urgent, "stroke_signs": False}) == []
    long = {
        "symptom_location": ["eye"],
        "symptom_duration_days": 30,
        "facial_weakness": False,
    }
    assert [q.id for q in open_questions(long)] == ["warning_signs"]


def test_every_question_has_a_reason_a_second_wording_and_ends_with_a_question():
    for q in QUESTIONS:
        assert q.why and q.rephrase and q.rephrase != q.text
        assert "?" in q.wording({})
        for part in q.parts:
            assert part.ask.endswith("?")


def test_a_statement_then_a_question_gets_the_answer_then_the_question_again():
    """ "my face twitch might be an emergency, what do i do": it answers nothing
    that was asked, so the question after it goes to the articles and the
    pending question comes again (not counted as unreadable)."""
    chat = at("facial_weakness")
    replies = chat.send("my face twitch might be an emergency, what do i do")
    assert chat.kb_questions == ["what do i do?"]
    assert "From the articles: an answer." in replies
    assert chat.pending == "facial_weakness"
    assert chat.asks()["facial_weakness"] == 2  # shown again, in other words


def test_a_plain_answer_with_a_question_after_a_yes_is_not_sent_to_the_articles():
    chat = at("facial_weakness")
    chat.send("yes, my smile is crooked, what does that mean")
    assert chat.slots["facial_weakness"] is True
    assert chat.kb_questions == []


def test_in_a_message_about_someone_else_the_writers_own_facts_stay_theirs():
    # The writer's stress and another relative's stroke are not the patient's;
    # the patient's own facts still count.
    chat = Chat()
    replies = chat.send(
        "Writing about my wife: her right cheek has twitched for 5 days and she "
        "drinks 4 coffees a day. I'm exhausted and stressed myself. Her brother "
        "had a stroke last year.",
        "describe_symptom",
    )
    assert replies[0] == say.ABOUT_SOMEONE_ELSE
    assert chat.slots["symptom_location"] == ["cheek"]
    assert chat.slots["symptom_duration_days"] == 5
    assert chat.slots["triggers"] == ["caffeine"]
    assert chat.slots.get("stroke_signs") is None
    # ... but what the writer saw of them counts
    chat = Chat()
    chat.send(
        "my dad's left eyelid keeps twitching and I noticed the left side of "
        "his mouth droops since this morning",
        "describe_symptom",
    )
    assert chat.slots["facial_weakness"] is True
