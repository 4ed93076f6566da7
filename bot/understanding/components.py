"""Custom Rasa NLU components: the rule-based symptom extractor and a guard
that keeps symptom messages from being lost to a wrong intent."""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.clinical.facts import WARNING_FACTS
from bot.understanding.extraction import (
    EXTRACTOR_NAME,
    default_nlp,
    extract_from_doc,
    proxy_entities,
)
from bot.understanding.input_guard import clean_text
from bot.understanding.lexicon import lexicon_fingerprint
from bot.understanding.question_shape import looks_like_question

SPACY_DOC = "text_spacy_doc"  # where SpacyNLP leaves the parsed message
# Intents that say something about the conversation itself; they keep their
# meaning even when the message also contains symptom words.
META_INTENTS = {
    "why_asking",
    "start_over",
    "bot_challenge",
    "ask_why_advice",
    "request_summary",
    "forget_me",
}
SURE = 0.5  # below this, a question-shaped message is taken as a question
# A question keeps its intent (it gets an answer, then the interview goes on)
# unless it reports a warning sign: "my face is drooping, is it a stroke?"
# must reach triage at once.
QUESTION_INTENT = "ask_question"
WARNING_SIGNS = {*WARNING_FACTS, "weakness_onset"}
# Entities that mean "this message describes the person's symptoms".
NON_FACT_ENTITIES = {"trigger"}


class _RuleComponent(GraphComponent):
    """Shared by our components: built from config alone, nothing to train."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class InputSanitizer(_RuleComponent):
    """First in the pipeline: strips tags and control characters and cuts
    over-long input at bot.understanding.input_guard.MAX_CHARS before anything parses it."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            raw = message.get(TEXT) or ""
            message.set(TEXT, clean_text(raw))
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class SymptomEntityExtractor(_RuleComponent, EntityExtractorMixin):
    """Adds symptom entities found by bot.understanding.extraction (spaCy + ConText rules)."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        # Rasa's cache cannot see the lexicon file: make edits retrain.
        return lexicon_fingerprint()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = clean_text(message.get(TEXT) or "")
            doc = message.get(SPACY_DOC)
            if doc is None or getattr(doc._, "mentions", None) is None:
                doc = default_nlp()(text)
            found = extract_from_doc(doc)
            entities = [e for e in found.entities() if e["extractor"] == EXTRACTOR_NAME]
            entities += proxy_entities(doc)
            message.set(
                ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True
            )
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SymptomIntentGuard(_RuleComponent):
    """A message that states symptom facts is a symptom description, whatever
    the classifier guessed (greeting, fallback, yes/no): facts are never dropped."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": "describe_symptom"}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            confidence = (message.get(INTENT) or {}).get("confidence") or 0.0
            if (
                intent != QUESTION_INTENT
                and not (intent in META_INTENTS and confidence >= SURE)
                and not (intent == "out_of_scope" and confidence >= SURE)
                and looks_like_question(message.get(TEXT) or "")
            ):
                _set_intent(message, QUESTION_INTENT, intent)
                intent = QUESTION_INTENT
            target = self.config["intent"]
            if intent in META_INTENTS or intent == target:
                continue
            facts = [
                e
                for e in message.get(ENTITIES, [])
                if e.get("extractor") == EXTRACTOR_NAME
                and e["entity"] not in NON_FACT_ENTITIES
            ]
            if intent == QUESTION_INTENT:
                facts = [
                    e
                    for e in facts
                    if e["entity"] in WARNING_SIGNS and e.get("value") != "false"
                ]
            if facts:
                _set_intent(message, target, intent)
        return messages


def _set_intent(message: Message, name: str, overridden: str | None) -> None:
    message.set(
        INTENT,
        {"name": name, "confidence": 1.0, "overridden": overridden},
        add_to_output=True,
    )
    ranking = message.get(INTENT_RANKING_KEY) or []
    message.set(
        INTENT_RANKING_KEY,
        [{"name": name, "confidence": 1.0}]
        + [r for r in ranking if r.get("name") != name],
        add_to_output=True,
    )
