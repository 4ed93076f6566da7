"""The custom NLU components, unit-tested without training."""

from rasa.shared.nlu.training_data.message import Message

from bot.understanding.components import (
    InputSanitizer,
    SymptomEntityExtractor,
    SymptomIntentGuard,
)
from bot.understanding.extraction import EXTRACTOR_NAME
from bot.understanding.input_guard import MAX_CHARS, classify, clean_text
from bot.understanding.lexicon import lexicon_fingerprint


def msg(text, intent="greet"):
    m = Message(data={"text": text})
    m.set("intent", {"name": intent, "confidence": 0.6})
    return m


def test_extractor_adds_entities_with_its_name():
    [m] = SymptomEntityExtractor().process(
        [msg("left cheek twitching for 2 wks, no drooping")]
    )
    ents = {e["entity"]: e["value"] for e in m.get("entities")}
    assert ents == {
        "symptom_side": "left",
        "symptom_location": "cheek",
        "symptom_duration_days": 14.0,
        "facial_weakness": "false",
    }
    assert all(e["extractor"] == EXTRACTOR_NAME for e in m.get("entities"))


def test_fingerprint_follows_the_lexicon(tmp_path):
    from bot.understanding.lexicon import LEXICON_PATH

    copy = tmp_path / "lexicon.yml"
    copy.write_text(LEXICON_PATH.read_text() + "\n# edit\n")
    assert lexicon_fingerprint(copy) != lexicon_fingerprint()
    assert SymptomEntityExtractor.fingerprint_addon({}) == lexicon_fingerprint()


def test_intent_guard_keeps_facts_from_a_wrong_intent():
    m = msg("hi, my eyelid twitches", intent="greet")
    SymptomEntityExtractor().process([m])
    SymptomIntentGuard({"intent": "describe_symptom"}).process([m])
    assert m.get("intent")["name"] == "describe_symptom"


def test_intent_guard_leaves_meta_intents_alone():
    m = msg("why are you asking about my eye", intent="why_asking")
    SymptomEntityExtractor().process([m])
    SymptomIntentGuard({"intent": "describe_symptom"}).process([m])
    assert m.get("intent")["name"] == "why_asking"


def test_sanitizer_strips_markup_and_caps_length():
    [m] = InputSanitizer().process([msg("<b>eye</b> twitch " + "x" * 5000)])
    assert "<b>" not in m.get("text") and len(m.get("text")) <= MAX_CHARS


def test_input_classification():
    assert classify("") == "empty" and classify("   ") == "empty"
    assert classify("😀😀") == "no_words"
    assert classify("Моя щека дергается уже неделю") == "other_language"
    assert classify("my cheek twitches") is None
    assert "<script>" not in clean_text("<script>alert(1)</script>hi")


def test_serve_passes_every_allowed_origin_after_one_cors_flag():
    from pathlib import Path

    from bot.server.serve import rasa_command

    cmd = rasa_command(
        {"CORS_ORIGINS": "http://a.test, http://b.test"}, Path("e.yml"), "t"
    )
    i = cmd.index("--cors")
    assert cmd[i + 1 : i + 3] == ["http://a.test", "http://b.test"]
    assert cmd.count("--cors") == 1


def _guard(text, intent, confidence=0.6):
    m = Message(data={"text": text})
    m.set("intent", {"name": intent, "confidence": confidence})
    SymptomEntityExtractor().process([m])
    SymptomIntentGuard({"intent": "describe_symptom"}).process([m])
    return m.get("intent")["name"]


def test_question_shape_rescues_a_misread_question():
    assert _guard("can I take botox for this?", "goodbye") == "ask_question"
    assert _guard("when should I see a doctor", "nlu_fallback", 0.45) == "ask_question"
    assert _guard("what is synkinesis", "describe_symptom") == "ask_question"


def test_short_answers_and_statements_are_not_questions():
    assert _guard("no?", "deny") == "deny"
    assert _guard("doesn't hurt at all", "deny") != "ask_question"
    assert _guard("thanks a lot, bye", "goodbye") == "goodbye"


def test_question_with_a_warning_sign_goes_to_triage():
    assert _guard("my face is drooping, is this a stroke?", "ask_question") == (
        "describe_symptom"
    )
    # Facts without warning signs keep the question (answered, then interview).
    assert _guard("why does my cheek twitch when I blink?", "ask_question") == (
        "ask_question"
    )
    # A general question about a condition is not the person's symptom.
    assert _guard("is bell's palsy a stroke?", "ask_question") == "ask_question"


def test_questions_about_conditions_record_no_symptoms():
    from bot.understanding.extraction import extract

    for text in ("explain synkinesis", "tell me about bell's palsy",
                 "is bell's palsy a stroke", "what is synkinesis"):  # fmt: skip
        assert extract(text).facts == {}, text
    assert _guard("explain synkinesis", "affirm") == "ask_question"
    assert _guard("am i dehydrated maybe", "unsure") == "ask_question"
