"""The Rasa policy (bot/server/policy.py): one action_turn per user message."""

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server.policy import RECOVER_RESPONSE, TURN_ACTION, TurnPolicy, next_action

DOMAIN = Domain.load("domain.yml")


def tracker(*events):
    return DialogueStateTracker.from_events("t", list(events), DOMAIN.slots)


LISTEN = ActionExecuted("action_listen")


def test_a_user_message_runs_the_turn():
    assert next_action(tracker(LISTEN, UserUttered("hi"))) == TURN_ACTION


def test_after_the_turn_the_bot_listens():
    t = tracker(
        LISTEN, UserUttered("hi"), ActionExecuted(TURN_ACTION), BotUttered("Hi")
    )
    assert next_action(t) == "action_listen"


def test_a_turn_that_returned_nothing_gets_the_recovery_reply_once():
    t = tracker(LISTEN, UserUttered("hi"), ActionExecuted(TURN_ACTION))
    assert next_action(t) == RECOVER_RESPONSE
    t.update(ActionExecuted(RECOVER_RESPONSE))
    t.update(BotUttered("Sorry"))
    assert next_action(t) == "action_listen"


def test_a_turn_that_only_set_slots_is_not_silent():
    t = tracker(
        LISTEN, UserUttered("hi"), ActionExecuted(TURN_ACTION), SlotSet("dialogue", {})
    )
    assert next_action(t) == "action_listen"


def test_a_conversation_stuck_in_the_old_fallback_loop_goes_on():
    stuck = [LISTEN, UserUttered("my eye shuts fine, it never closes by itself")]
    stuck += [ActionExecuted("action_fallback"), BotUttered("I'm a guide...")] * 10
    t = tracker(*stuck, UserUttered("hello?"))
    assert next_action(t) == TURN_ACTION


def test_the_policy_predicts_through_rasa(tmp_path):
    policy = TurnPolicy.create(
        TurnPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("turn"),
        ExecutionContext(graph_schema=None),
    )
    prediction = policy.predict_action_probabilities(
        tracker(LISTEN, UserUttered("hi")), DOMAIN
    )
    assert DOMAIN.action_names_or_texts[prediction.max_confidence_index] == TURN_ACTION
    assert prediction.max_confidence == 1.0


def test_a_stored_conversation_stuck_in_the_form_loop_is_repaired_on_load():
    from rasa.shared.core.events import ActiveLoop

    from bot.server.tracker_store import repaired

    stuck = [LISTEN, UserUttered("it never closes by itself"), ActionExecuted("symptom_form"),
             ActiveLoop("symptom_form")] + [ActionExecuted("action_fallback"), BotUttered("...")] * 10  # fmt: skip
    t = repaired(tracker(*stuck))
    assert t.active_loop_name is None
    assert t.latest_action_name == "action_listen"
    t.update(UserUttered("hello?"))
    assert next_action(t) == TURN_ACTION


def test_a_healthy_conversation_is_left_as_it_is():
    from bot.server.tracker_store import repaired

    events = [
        LISTEN,
        UserUttered("hi"),
        ActionExecuted(TURN_ACTION),
        BotUttered("Hi"),
        LISTEN,
    ]
    assert len(repaired(tracker(*events)).events) == len(events)
