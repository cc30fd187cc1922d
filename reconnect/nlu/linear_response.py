"""Picks the knowledge answer (a retrieval intent's response) with a regularised linear model.

Rasa's ``ResponseSelector`` is a neural network over every sparse feature; for Reconnect's few
knowledge answers its weights took 440 MB on disk and several minutes to train. This selector
uses the same features and scaling as ``LinearIntentClassifier`` (log-scaled unit-length
n-grams, weighted word vectors and sentence embeddings), trains in seconds, and writes its
choice where Rasa's retrieval actions (``utter_faq``) read it, in the same form as
``ResponseSelector`` (README, NLU and Performance).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix

from reconnect.nlu.linear_intent import LinearIntentClassifier


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LinearResponseSelector(LinearIntentClassifier):
    """Chooses among one retrieval intent's responses ("faq/what_counts_as_chronic", ...)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LinearIntentClassifier.get_default_config(),
            # The retrieval intent whose responses this selector chooses among.
            "retrieval_intent": "faq",
            # The known-word check belongs to the intent classifier, which runs first.
            "no_confidence_without_known_words": False,
            "ranking_length": 10,
            # Ask instead of guessing the answer: when the intent classifier chose the
            # retrieval intent but the top answer's confidence is below `fallback_threshold`,
            # or leads the second by less than `ambiguity_threshold`, the parse's intent
            # becomes `fallback_intent` (the assistant asks to rephrase). 0 turns each off.
            "fallback_threshold": 0.0,
            "ambiguity_threshold": 0.0,
            "fallback_intent": "nlu_fallback",
        }

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        super().validate_config(config)
        if not config.get("retrieval_intent"):
            raise ValueError("LinearResponseSelector: retrieval_intent must be set.")
        for key in ("fallback_threshold", "ambiguity_threshold"):
            if not 0.0 <= float(config.get(key, 0.0)) <= 1.0:
                raise ValueError(f"LinearResponseSelector: {key} must be between 0 and 1.")

    def _create_training_matrix(self, training_data: TrainingData) -> Tuple[csr_matrix, List[str]]:
        wanted = self.config["retrieval_intent"]
        examples = [e for e in training_data.intent_examples
                    if e.get(INTENT) == wanted and e.get(INTENT_RESPONSE_KEY) and e.get(TEXT)]
        if not examples:
            return csr_matrix((0, 0)), []
        return self._create_X(examples), [e.get(INTENT_RESPONSE_KEY) for e in examples]

    def train(self, training_data: TrainingData) -> Resource:
        self.responses = training_data.responses
        self.retrieval_intents = sorted(training_data.retrieval_intents)
        return super().train(training_data)

    def persist(self) -> None:
        super().persist()
        import json

        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / "responses.json").write_text(json.dumps(
                {"responses": self.responses, "retrieval_intents": self.retrieval_intents}))

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearResponseSelector":
        import json

        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        component.responses, component.retrieval_intents = {}, []
        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / "responses.json"
                if path.exists():
                    saved = json.loads(path.read_text())
                    component.responses = saved["responses"]
                    component.retrieval_intents = saved["retrieval_intents"]
        except ValueError:
            pass  # an untrained component: nothing to load
        return component

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # its choice is only needed at run time

    def process(self, messages: List[Message]) -> List[Message]:
        if not hasattr(self.clf, "classes_") or not messages:
            return messages
        probabilities = self.clf.predict_proba(self._create_X(messages))
        for message, row in zip(messages, probabilities, strict=True):
            self._set_choice(message, row)
            if self._unsure(row) and (message.get(INTENT) or {}).get(
                    INTENT_NAME_KEY) == self.config["retrieval_intent"]:
                self._fall_back(message)
        return messages

    def _unsure(self, row: np.ndarray) -> bool:
        """Whether the top answer is too weak, or too close to the second, to give."""
        top = np.sort(row)[::-1]
        second = float(top[1]) if len(top) > 1 else 0.0
        return (float(top[0]) < float(self.config["fallback_threshold"])
                or float(top[0]) - second < float(self.config["ambiguity_threshold"]))

    def _fall_back(self, message: Message) -> None:
        """The intent becomes the fallback intent, with the threshold as its confidence (as
        Rasa's FallbackClassifier does); the intent ranking and the answer ranking stay, so
        what was weighed can still be read."""
        confidence = float(self.config["fallback_threshold"])
        message.set(INTENT, {INTENT_NAME_KEY: self.config["fallback_intent"],
                             PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)

    def _set_choice(self, message: Message, row: np.ndarray) -> None:
        order = np.argsort(-row)
        keys = [str(self.clf.classes_[i]) for i in order]
        ranking = [{PREDICTED_CONFIDENCE_KEY: float(row[i]), INTENT_RESPONSE_KEY: key}
                   for i, key in zip(order, keys, strict=True)]
        best = keys[0]
        utter_action = f"utter_{best}"
        prediction = {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: self._responses_for(utter_action),
                PREDICTED_CONFIDENCE_KEY: float(row[order[0]]),
                INTENT_RESPONSE_KEY: best,
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
            },
            RESPONSE_SELECTOR_RANKING_KEY: ranking[: int(self.config["ranking_length"])],
        }
        properties = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
        properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.retrieval_intents
        properties[self.config["retrieval_intent"]] = prediction
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)

    def _responses_for(self, utter_action: Text) -> Optional[List[Dict[Text, Any]]]:
        return self.responses.get(utter_action) or [{TEXT: utter_action}]
