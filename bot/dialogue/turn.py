"""What happens to a message: one pure step from (state, understood message) to
(new state, replies). The Rasa action (actions/actions.py) only calls `take_turn`.

A turn, in order:
1. a pending "delete my data?" is settled, "start over" restarts;
2. the facts the message states are merged (any message, at any moment);
3. the answer is read against the pending question (bot/understanding/answers.py);
4. an emergency is answered at once, first and alone;
5. anything else the message asked for is answered (a free question, "why?");
6. the next question is asked, or the advice is given.
Every path ends with at least one reply; no question is asked more than twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.clinical import facts as fact_store
from bot.clinical.explain import summary, why_advice
from bot.clinical.guidance import advice
from bot.clinical.triage import EMERGENCY, Triage, triage
from bot.dialogue import replies as say
from bot.dialogue.questions import (
    BY_ID,
    MAX_ASKS,
    WHICH_TEXT,
    Question,
    open_questions,
)
from bot.dialogue.replies import Reply, buttons
from bot.kb.answer import NOT_FOUND
from bot.understanding.answers import (
    UNSURE,
    cue_readings,
    own_words,
    polarity,
    read_answer,
    statements,
)
from bot.understanding.extraction import (
    Extraction,
    patient_is_someone_else,
    symptom_facts,
)
from bot.understanding.question_shape import looks_like_question, trailing_question

logger = logging.getLogger(__name__)

WHICH = "which"  # pending "which of them?" after a bare yes to a checklist
# Intents that are about the conversation, not an answer to the question.
META = {
    "greet", "thanks", "goodbye", "bot_challenge", "why_asking", "ask_question",
    "ask_why_advice", "request_summary",
}  # fmt: skip
WEAKNESS_QUESTIONS = {"facial_weakness", "weakness_sudden", "stroke_signs"}

Answerer = Callable[[str], list[str]]  # free question -> messages (knowledge base)


@dataclass
class State:
    """What the conversation remembers between turns (all of it in slots)."""

    facts: dict[str, Any]
    level: str | None = None  # triage_level of the last advice
    pending: str | None = None  # question id awaiting an answer (or WHICH)
    asks: dict[str, int] = field(default_factory=dict)  # question id -> times asked
    which_of: str | None = None  # the checklist a WHICH follows
    forget: bool = False  # "delete my data?" asked, awaiting yes / no
    advised: dict[str, Any] | None = None  # facts at the last advice
    proxy: bool = False  # the patient is the person the user describes
    invited: int = 0  # times asked to describe the twitch before any question

    @classmethod
    def from_slots(cls, slots: dict[str, Any]) -> State:
        memo = slots.get("dialogue") or {}
        if not isinstance(memo, dict):
            memo = {}  # an old or damaged conversation: start the memo afresh
        pending = memo.get("pending")
        if pending not in BY_ID and pending != WHICH:
            pending = None
        return cls(
            facts=fact_store.snapshot(slots),
            level=slots.get("triage_level"),
            pending=pending,
            asks={k: int(v) for k, v in (memo.get("asks") or {}).items()},
            which_of=memo.get("which_of") if memo.get("which_of") in BY_ID else None,
            forget=bool(memo.get("forget")),
            advised=memo.get("advised"),
            proxy=bool(memo.get("proxy")),
            invited=int(memo.get("invited") or 0),
        )

    def memo(self) -> dict[str, Any]:
        return {
            "pending": self.pending,
            "asks": self.asks,
            "which_of": self.which_of,
            "forget": self.forget,
            "advised": self.advised,
            "proxy": self.proxy,
            "invited": self.invited,
        }


@dataclass
class Said:
    """The understood message: its text, Rasa's intent and the extracted facts."""

    text: str
    intent: str | None = None
    confidence: float = 0.0
    extraction: Extraction | None = None
    # The same message read with someone else as the patient ("my dad's face
    # droops"); None when it speaks of nobody else.
    proxy_extraction: Extraction | None = None
    problem: str | None = None  # empty | no_words | other_language
    truncated_at: int | None = None  # the text was cut at this many characters

    @property
    def states_facts(self) -> bool:
        return bool(self.extraction and self.extraction.facts)


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)  # slots that change
    restart: bool = False  # start over: Rasa's Restarted
    delete: bool = False  # forget me: the tracker store deletes the conversation
    triage: Triage | None = None  # advice given this turn (for the audit row)

    def add(self, text: str, **kw) -> None:
        self.replies.append(Reply(text, **kw))

    def extend_text(self, *texts: str) -> None:
        for text in texts:
            self.add(text)


def take_turn(
    state: State,
    said: Said,
    answer_question: Answerer,
    today: dt.date | None = None,
) -> Outcome:
    out = Outcome()
    before = fact_store.snapshot(state.facts)
    said = _checked(said)
    intent = said.intent
    if said.truncated_at:
        out.add(say.TRUNCATED.format(n=said.truncated_at))

    # 1. Delete-my-data and start-over come before anything else.
    if state.forget:
        state.forget = False
        settled = _settle_forget(state, said, out, before)
        if isinstance(settled, Outcome):
            return settled
        said, intent = settled, settled.intent
    if intent in ("start_over", "restart"):
        out.add(say.START_OVER)
        out.restart = True
        return out
    if intent == "forget_me":
        out.add(
            say.CONFIRM_FORGET,
            buttons=buttons(["Yes, delete it", "No, keep it"], ["/affirm", "/deny"]),
        )
        state.forget = True
        return _finish(state, out, before)

    # 2. Facts stated in the message, whatever was asked.
    said = _whose(state, said, out)
    if said.extraction is not None and not said.problem:
        weakness_asked = state.pending in WEAKNESS_QUESTIONS
        _merge(state, fact_store.update(state.facts, said.extraction, weakness_asked))

    # 3. The answer to the pending question.
    read = _read_pending(state, said, before) if state.pending else False

    # 4. An emergency, said at any moment, is answered first and alone.
    result = triage(state.facts)
    if result.level == EMERGENCY and (
        state.level != EMERGENCY or state.facts != state.advised
    ):
        return _finish(state, _advise(state, Outcome(), result), before)

    # 5. What else the message asked for; 6. the next question or the advice.
    handled = _handle_intent(state, said, out, read, answer_question, today)
    if not handled and _answer_trailing_question(
        state, said, out, before, read, answer_question
    ):
        handled = not read  # an unreadable answer with a question: asked again
    _next_step(state, out, said, before, handled=handled)
    if not out.replies:
        out.add(say.ANYTHING_ELSE)  # never silence
    return _finish(state, out, before)


def _settle_forget(
    state: State, said: Said, out: Outcome, before: dict[str, Any]
) -> Outcome | Said:
    """The reply to "delete this conversation?". Only a plain yes deletes: in
    "yeah, it's every time I smile" the yes answers the interview."""
    answer = polarity(said.text, said.intent, said.confidence)
    plain = len(said.text.split()) <= 4 and not said.states_facts
    if plain and (
        said.intent == "affirm" or (answer == "yes" and said.intent != "deny")
    ):
        out.add(say.FORGOTTEN)
        out.replies.append(Reply(custom={"conversation_deleted": True}))
        out.delete = out.restart = True
        return out
    out.add(say.NOT_FORGOTTEN)  # whatever else it was, nobody thinks it is gone
    cancelled = said.intent in ("deny", "forget_me") or answer == "no"
    if (cancelled or plain) and not said.states_facts:
        _next_step(state, out, said, before, handled=True)
        return _finish(state, out, before)
    # "no, my smile looks even", a new message: read as usual.
    return replace(said, intent=None) if cancelled else said


def _whose(state: State, said: Said, out: Outcome) -> Said:
    """Whose symptoms: a conversation that opens about someone else ("my
    husband's eyelid...") is about them from then on."""
    proxy = said.proxy_extraction
    if proxy is None:
        return said
    if not state.proxy and not _has_symptoms(state):
        own = said.extraction.facts if said.extraction else {}
        if patient_is_someone_else(own, proxy.facts, proxy.text):
            state.proxy = True
            out.add(say.ABOUT_SOMEONE_ELSE)
    return replace(said, extraction=proxy) if state.proxy else said


# Starting over and deleting the conversation lose what was said: DIET's guess
# alone is not enough ("I forget when it started" is not "forget me").
FORGET_WORDS = re.compile(
    r"\b(?:delete|erase|remove|wipe|clear|forget|destroy)\b.*\b(?:data|me|my|"
    r"conversation|chat|history|everything|this|info\w*|details|messages?)\b"
    r"|\bforget me\b|\bprivacy\b|\bgdpr\b",
    re.I,
)
START_OVER_WORDS = re.compile(
    r"\b(?:start|begin)\w*\b.*\b(?:over|again|afresh|anew|new|scratch)\b"
    r"|\brestart\b|\breset\b|\bnew (?:conversation|chat)\b|\bfrom scratch\b|^/restart$",
    re.I,
)
GUARDED = {
    "forget_me": FORGET_WORDS,
    "start_over": START_OVER_WORDS,
    "restart": START_OVER_WORDS,
}


def _checked(said: Said) -> Said:
    if said.problem == "no_words" and (
        polarity(said.text) or any(ch.isdigit() for ch in said.text)
    ):
        said = replace(said, problem=None)  # "👍", "🤷", "2": answers without words
    guard = GUARDED.get(said.intent or "")
    if guard is None or guard.search(said.text or ""):
        return said
    return replace(said, intent=None)  # read it as an answer or a description


# -- reading the answer ----------------------------------------------------------
def _merge(state: State, changes: dict[str, Any]) -> None:
    state.facts.update(changes)


def _read_pending(state: State, said: Said, asked_with: dict[str, Any]) -> bool:
    """Read the message as the answer to the pending question. True if it was.
    asked_with: the facts when it was asked (a checklist showed their open parts)."""
    if said.problem:
        return False
    question, parts = _pending_question(state, asked_with)
    ex = said.extraction
    stated = dict(ex.facts) if ex else {}
    if question.is_value and state.pending != WHICH:
        return _read_value(state, question, said, stated)
    covers = tuple(f for p in parts for f in p) if parts else question.covers
    reading = read_answer(
        covers,
        parts,
        said.text,
        stated,
        list(ex.uncertain) if ex else [],
        said.intent,
        said.confidence,
        proxy=state.proxy,
    )
    _merge(state, fact_store.apply_answer(state.facts, reading.facts))
    if question.id == "facial_weakness" and state.facts.get("facial_weakness"):
        # "...sits lower, it wasn't like that an hour ago": the onset, told at once.
        onset = cue_readings(
            own_words(statements(said.text), state.proxy), ("weakness_sudden",)
        )
        _merge(state, fact_store.apply_answer(state.facts, onset))
    if reading.bare_yes and state.pending != WHICH:
        state.which_of, state.pending = question.id, WHICH
        return True
    return reading.read and not reading.bare_yes


def _read_value(state: State, question: Question, said: Said, stated) -> bool:
    name = question.covers[0]
    if name in stated:
        return True  # merged in step 2
    if polarity(said.text, said.intent, said.confidence) == UNSURE:
        _merge(state, fact_store.mark_unsure(state.facts, [name]))
        return True
    return False


def _pending_question(
    state: State, facts: dict[str, Any]
) -> tuple[Question, tuple[tuple[str, ...], ...]]:
    """The question being answered and, for a checklist, the parts it showed
    (a "which of them?" follows its checklist and shows the same parts)."""
    which = state.pending == WHICH
    question = BY_ID[(state.which_of or "warning_signs") if which else state.pending]
    shown = (question.open_parts(facts) or question.parts) if question.parts else ()
    return question, tuple(p.facts for p in shown)


# -- what else the message asked for --------------------------------------------
def _handle_intent(
    state: State,
    said: Said,
    out: Outcome,
    read: bool,
    answer_question: Answerer,
    today: dt.date | None,
) -> bool:
    """Replies for what the message asked for. True when it was handled here: the
    pending question is then asked again, not counted as unreadable."""
    intent = said.intent
    if said.problem:
        out.add(say.PROBLEMS[said.problem])
        return True
    if read and intent not in ("ask_question", "ask_why_advice", "request_summary"):
        return False  # an answer, whatever DIET guessed
    if intent == "greet":
        out.add(say.HELLO_AGAIN if _started(state) else say.GREETING)
    elif intent == "thanks":
        advised = state.level and not state.pending
        out.add(say.THANKS_AFTER_ADVICE if advised else say.THANKS)
    elif intent == "goodbye":
        out.add(say.GOODBYE_MID_INTERVIEW if state.pending else say.GOODBYE)
    elif intent == "bot_challenge":
        out.add(say.I_AM_A_BOT)
    elif intent == "why_asking":
        asked = state.which_of if state.pending == WHICH else state.pending
        question = BY_ID.get(asked or "")
        out.add(question.why if question else say.WHY_ASK_GENERAL)
    elif intent == "request_summary":
        if _started(state):
            out.add(summary(state.facts, state.level, today or dt.date.today()))
            out.add(say.SUMMARY_HINT)
        else:
            out.add(say.NOTHING_TO_SUMMARISE)
    elif intent == "ask_why_advice" and state.level:
        for text in why_advice(state.facts):
            out.add(text)
    elif intent in ("ask_question", "ask_why_advice") and _asks(said):
        for text in _safely(answer_question, said.text):
            out.add(text)
    else:
        return False
    return True


def _answer_trailing_question(
    state: State,
    said: Said,
    out: Outcome,
    before: dict[str, Any],
    read: bool,
    ask: Answerer,
) -> bool:
    """ "my face twitch might be an emergency, what do i do": a statement that
    answers nothing, or only a hedge ("not sure"), then a question. The question
    is answered when the articles can; a clear yes or no is left alone."""
    if not state.pending and not read:
        return False
    unsure = set(state.facts.get("unsure_facts") or [])
    if read and not unsure - set(before.get("unsure_facts") or []):
        return False
    question = trailing_question(said.text)
    if not question:
        return False
    answers = _safely(ask, question)
    if answers == [NOT_FOUND]:
        return False
    for text in answers:
        out.add(text)
    return True


def _asks(said: Said) -> bool:
    """DIET says "question"; a description without a question's shape ("my cheek
    twitches every time I blink") is not answered with "I couldn't find that"."""
    return looks_like_question(said.text) or not said.states_facts


def _safely(answer_question: Answerer, text: str) -> list[str]:
    try:
        return answer_question(text) or [NOT_FOUND]
    except Exception:  # noqa: BLE001 - a broken knowledge base must not break the chat
        logger.exception("knowledge base unavailable")
        return [NOT_FOUND]


def _started(state: State) -> bool:
    return bool(state.pending or state.level) or any(
        v not in (None, []) for v in state.facts.values()
    )


def _has_symptoms(state: State) -> bool:
    return bool(symptom_facts(state.facts))


# -- the next step ---------------------------------------------------------------
def _next_step(
    state: State, out: Outcome, said: Said, before: dict[str, Any], handled: bool
) -> None:
    """Ask the next question, or advise."""
    if said.problem and state.pending:
        return  # "please type your answer": the question stands, not asked again
    if _pending_again(state, out, unreadable=not handled and state.facts == before):
        return
    todo = open_questions(state.facts, state.asks)
    if state.level is None and not state.asks and not _has_symptoms(state):
        # Nothing about the twitch yet, and no interview started. After one
        # invitation, or with any fact said, the questions begin.
        answering = state.invited and said.intent not in META  # "no", "yes", "hmm"
        if todo and (
            said.intent == "describe_symptom" or said.states_facts or answering
        ):
            _ask(state, todo[0], out)
            return
        state.invited += 1
        if said.intent in ("out_of_scope", "nlu_fallback") and not out.replies:
            out.extend_text(say.OFF_TOPIC, say.INVITE)
        elif said.intent == "ask_question":
            out.add(say.INVITE_AFTER_ANSWER)
        elif said.intent != "greet":
            out.add(say.INVITE)
        return
    changed_since_advice = state.level is None or state.facts != state.advised
    if todo and changed_since_advice:
        _ask(state, todo[0], out)
    elif changed_since_advice:
        _advise(state, out, triage(state.facts))
    elif not out.replies:  # the advice stands
        if said.intent in ("out_of_scope", "nlu_fallback"):
            out.add(say.OFF_TOPIC)
        else:
            out.add(say.ANYTHING_ELSE)


def _pending_again(state: State, out: Outcome, unreadable: bool) -> bool:
    """The pending question, if still open: asked once more (in other words, with
    buttons), or, after two asks, noted as "not sure". True if it was asked."""
    if state.pending == WHICH:
        question = BY_ID.get(state.which_of or "")
        if question is None or not _which_open(state, question):
            state.pending = state.which_of = None
            return False
        if state.asks.get(WHICH, 0) >= MAX_ASKS:
            _count_all_parts(state, question, out)
            return False
        if unreadable:
            out.add(say.NOT_UNDERSTOOD)
        _ask_which(state, question, out)
        return True
    if not state.pending:
        return False
    question = BY_ID[state.pending]
    state.pending = None
    if question.answered(state.facts) or not _worth_asking(state, question):
        return False
    if state.asks.get(question.id, 0) >= MAX_ASKS:
        _note_unsure(state, question, out)
        return False
    if unreadable:
        out.add(say.NOT_UNDERSTOOD_VALUE if question.is_value else say.NOT_UNDERSTOOD)
    _ask(state, question, out, second_try=True)
    return True


def _worth_asking(state: State, question: Question) -> bool:
    return any(q.id == question.id for q in open_questions(state.facts))


def _which_open(state: State, question: Question) -> bool:
    """Still open until a part is known to be true or every part is settled."""
    said_yes = any(state.facts.get(f) is True for p in question.parts for f in p.facts)
    return not said_yes and bool(question.open_parts(state.facts))


def _note_unsure(state: State, question: Question, out: Outcome) -> None:
    """Asked twice and still not answered: "not sure", treated conservatively."""
    if question.parts:
        names = [p.facts[0] for p in question.open_parts(state.facts)]
    else:
        names = [question.covers[0]]
    _merge(state, fact_store.mark_unsure(state.facts, names))
    out.add(say.MOVE_ON)


def _count_all_parts(state: State, question: Question, out: Outcome) -> None:
    """A yes to a checklist, but which part stays unclear: count each, since
    missing a warning sign is the unsafe error; a stroke sign is noted as "not
    sure" (a guess must not call an ambulance; the advice names the signs)."""
    answer: dict[str, Any] = {
        p.facts[0]: True for p in question.open_parts(state.facts)
    }
    if "stroke_signs" in answer:
        answer["stroke_signs"] = UNSURE
    _merge(state, fact_store.apply_answer(state.facts, answer))
    out.add(say.MOVE_ON_WHICH)
    state.pending = state.which_of = None


def _ask(
    state: State, question: Question, out: Outcome, second_try: bool = False
) -> None:
    kw = {}
    if question.buttons:
        kw["buttons"] = buttons(question.buttons)
    out.add(question.wording(state.facts, second_try=second_try), **kw)
    state.pending = question.id
    state.asks[question.id] = state.asks.get(question.id, 0) + 1


def _ask_which(state: State, question: Question, out: Outcome) -> None:
    shown = question.open_parts(state.facts) or question.parts
    lines = "\n".join(f"{n}) {p.text}" for n, p in enumerate(shown, 1))
    titles = [p.label for p in shown] + ["Not sure"]
    payloads = [str(n) for n in range(1, len(shown) + 1)] + ["not sure"]
    out.add(f"{WHICH_TEXT}\n{lines}", buttons=buttons(titles, payloads))
    state.pending = WHICH
    state.asks[WHICH] = state.asks.get(WHICH, 0) + 1


def _advise(state: State, out: Outcome, result: Triage) -> Outcome:
    previous = state.level
    messages = advice(result, state.facts, proxy=state.proxy)
    if previous == result.level and result.level != EMERGENCY:
        messages = messages[:1]  # the same advice: its headline, not all of it again
        out.add(say.UNCHANGED)
    elif previous and result.level != EMERGENCY:
        out.add(say.UPDATED)
    for i, text in enumerate(messages):
        out.add(text, custom={"triage_level": result.level} if i == 0 else None)
    state.level = result.level
    state.pending = None
    state.advised = fact_store.snapshot(state.facts)
    out.triage = result
    return out


def _finish(state: State, out: Outcome, before: dict[str, Any]) -> Outcome:
    out.slots.update(fact_store.changed(before, state.facts))
    if out.triage is not None:
        out.slots["triage_level"] = out.triage.level
        out.slots["triage_rules"] = [r.id for r in out.triage.rules] or None
    # While "delete my data?" waits, no interview question is pending for the user.
    out.slots["pending_question"] = None if state.forget else state.pending
    out.slots["dialogue"] = state.memo()
    return out
