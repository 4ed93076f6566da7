"""The triage table: each level, precedence, sources, conservative doubt."""

import pytest

from bot.clinical.guidance import advice
from bot.clinical.triage import LEVELS, RULES, triage


@pytest.mark.parametrize(
    "facts, level",
    [
        ({}, "self_care"),
        ({"symptom_location": ["eye"], "symptom_duration_days": 2}, "self_care"),
        ({"facial_weakness": True, "weakness_sudden": True}, "emergency"),
        ({"facial_weakness": True, "stroke_signs": True}, "emergency"),
        ({"stroke_signs": True}, "emergency"),
        ({"eye_cannot_close": True, "weakness_sudden": True}, "emergency"),
        ({"facial_weakness": True, "weakness_sudden": False}, "urgent"),
        ({"facial_weakness": True}, "urgent"),
        ({"eye_cannot_close": True}, "urgent"),
        ({"eye_forced_shut": True}, "urgent"),
        ({"function_affected": True}, "urgent"),
        ({"symptom_spreading": True}, "urgent"),
        ({"symptom_location": ["cheek", "body"]}, "urgent"),
        ({"pain_or_sensory": True}, "urgent"),
        ({"ear_rash": True}, "urgent"),
        ({"symptom_duration_days": 14}, "see_doctor"),
        ({"symptom_duration_days": 13.9}, "self_care"),
        ({"symptom_recurring": True}, "see_doctor"),
        ({"movement_linked": True}, "see_doctor"),
        ({"nerve_history": True}, "see_doctor"),
        (
            {
                "facial_weakness": False,
                "pain_or_sensory": False,
                "symptom_spreading": False,
            },
            "self_care",
        ),
        # Doubt about a red flag is treated conservatively.
        ({"facial_weakness": True, "unsure_facts": ["weakness_sudden"]}, "emergency"),
        ({"unsure_facts": ["facial_weakness"]}, "urgent"),
        ({"unsure_facts": ["symptom_spreading"]}, "see_doctor"),
        ({"unsure_facts": ["symptom_duration_days"]}, "self_care"),
        # Highest level wins.
        ({"symptom_duration_days": 200, "symptom_spreading": True}, "urgent"),
        (
            {"nerve_history": True, "facial_weakness": True, "weakness_sudden": True},
            "emergency",
        ),
    ],
)
def test_levels(facts, level):
    assert triage(facts).level == level


def test_every_rule_names_a_source_and_a_known_level():
    for rule in RULES:
        assert rule.level in LEVELS
        assert len(rule.source) > 20, rule.id
        assert rule.reason
    fast = [r for r in RULES if r.level == "emergency"]
    assert fast and all("FAST" in r.source for r in fast)


def test_rules_have_unique_ids():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_each_rule_fires_alone_and_yields_advice(rule):
    """Find facts that make this rule fire, then check the advice for that level."""
    probes = [
        {"facial_weakness": True, "weakness_sudden": True},
        {"facial_weakness": True, "stroke_signs": True},
        {"stroke_signs": True},
        {"facial_weakness": True, "unsure_facts": ["weakness_sudden"]},
        {"facial_weakness": True, "unsure_facts": ["stroke_signs"]},
        {"facial_weakness": True},
        {"eye_cannot_close": True},
        {"eye_forced_shut": True},
        {"function_affected": True},
        {"symptom_spreading": True},
        {"pain_or_sensory": True},
        {"ear_rash": True},
        {"unsure_facts": ["facial_weakness"]},
        {"symptom_duration_days": 30.0},
        {"symptom_recurring": True},
        {"movement_linked": True},
        {"nerve_history": True},
        {"unsure_facts": ["pain_or_sensory"]},
    ]
    facts = next(p for p in probes if rule.when(p))
    result = triage(facts)
    assert rule in result.rules
    messages = advice(result, facts)
    assert messages and all(m.strip() for m in messages)
    joined = " ".join(messages)
    assert "not a diagnosis" in joined and "Source:" in joined


def test_emergency_advice_stands_alone_first():
    messages = advice(triage({"facial_weakness": True, "weakness_sudden": True}), {})
    assert "911" in messages[0] and "FAST" in messages[0]
    assert "Source:" not in messages[0]  # nothing else mixed into the first message


@pytest.mark.parametrize(
    "level_facts, must_say",
    [
        ({"symptom_spreading": True}, "today"),
        ({"symptom_duration_days": 30}, "appointment"),
        ({}, "home"),
    ],
)
def test_advice_says_what_to_do(level_facts, must_say):
    assert must_say in " ".join(advice(triage(level_facts), level_facts))


def test_self_care_advice_names_the_persons_triggers():
    facts = {"triggers": ["caffeine", "sleep"]}
    text = " ".join(advice(triage(facts), facts))
    assert "caffeine" in text and "sleep" in text
    assert "warm" in text  # relief measures from the article
