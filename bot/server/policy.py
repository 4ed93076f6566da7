"""The Rasa policy: every user message runs `action_turn` once, then the bot listens.

The dialogue itself is decided in bot/dialogue/turn.py, so Rasa needs no learned
or rule-based prediction: one action-server call per user turn, no loops, no
fallback cascades, and any tracker (an old one stuck in a form included) goes on
with its next message. If the action server fails or says nothing, the bot still
answers with `utter_recover` (a domain response, no server needed).
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server import speedups

speedups.install()  # one validator for action-server responses, not one per call

TURN_ACTION = "action_turn"
RECOVER_RESPONSE = "utter_recover"


def next_action(tracker: DialogueStateTracker) -> str:
    """The one decision: after a user message, the turn; after a turn that
    returned nothing (the action server failed), a recovery reply; then listen."""
    ran: list[str] = []
    answered = False  # the turn sent a reply or set its state
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered | SlotSet) and not ran:
            answered = True
        elif isinstance(event, ActionExecuted) and event.action_name:
            ran.append(event.action_name)
    else:
        return ACTION_LISTEN_NAME  # no user message yet
    if TURN_ACTION not in ran:
        return TURN_ACTION
    if not answered and RECOVER_RESPONSE not in ran:
        return RECOVER_RESPONSE
    return ACTION_LISTEN_NAME


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class TurnPolicy(Policy):
    """Deterministic: nothing to learn, so training only records the resource."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 6}

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        result = self._default_predictions(domain)
        result[domain.index_for_action(next_action(tracker))] = 1.0
        return self._prediction(result)
