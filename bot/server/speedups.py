"""Two hot spots of Rasa 3.6, found with py-spy (README "Figures"), each done
the same way with its result kept:

- every action-server response is checked with `jsonschema.validate`, which
  re-checks the schema itself and builds a new validator per call (more than
  half of a turn's CPU in the Rasa process);
- every stored event is turned back into its class by walking all subclasses
  of Event (a sixth of a turn, and growing with the conversation).

Installed by bot/server/policy.py, which every Rasa process of this model imports.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not per response
    return cls(schema)


def _validate_action_result(self, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid. For more information about "
            f"the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


_EVENT_TYPES: dict[str, type[Event]] = {}


def _resolve_by_type(type_name: str, default: type[Event] | None = None):
    """Event.resolve_by_type with the name -> class table kept (and refilled when
    a name is new, so event classes defined later are still found)."""
    cls = _EVENT_TYPES.get(type_name)
    if cls is None:
        for sub in all_subclasses(Event):
            _EVENT_TYPES.setdefault(sub.type_name, sub)  # first match, as Rasa's loop
        cls = _EVENT_TYPES.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
