"""bot/server/speedups.py: the same checks as Rasa's, done once."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)

import bot.server.policy  # noqa: F401 - installs the speedups, as Rasa's import does


def action():
    return RemoteAction("action_turn", None)


def test_a_valid_response_passes():
    ok = {
        "events": [{"event": "slot", "name": "x", "value": 1}],
        "responses": [{"text": "hi"}],
    }
    assert action()._validate_action_result(ok) is True


def test_an_invalid_response_is_still_refused():
    with pytest.raises(ValidationError) as err:
        action()._validate_action_result({"events": "not a list"})
    assert "Failed to validate Action server response" in err.value.message


@pytest.mark.parametrize("cls", [UserUttered, BotUttered, SlotSet, ActionExecuted])
def test_events_resolve_to_their_class(cls):
    assert Event.resolve_by_type(cls.type_name) is cls


def test_unknown_events_behave_as_in_rasa():
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")
