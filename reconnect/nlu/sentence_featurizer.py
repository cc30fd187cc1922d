"""A Rasa featurizer that adds each message's all-MiniLM-L6-v2 sentence embedding.

It gives a sentence feature only (384 numbers for the whole message). The sentence is encoded
as one piece, exactly as the model was trained to read it; per-token features would need the
model's word pieces aligned with spaCy's tokens, and the classifiers here gain from the sentence
feature alone (README, NLU).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reconnect.nlu.minilm import MiniLM

_LOADED: Dict[Path, MiniLM] = {}


def load_encoder(directory: Text) -> MiniLM:
    """The encoder in ``directory``, loaded once per process (training builds several graphs)."""
    path = Path(directory).resolve()
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(
            f"No sentence encoder in {directory}: run `make setup`, which builds it "
            "(scripts/minilm_model.py)."
        )
    if path not in _LOADED:
        _LOADED[path] = MiniLM.load(path)
    return _LOADED[path]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the message's sentence embedding as a dense sentence feature of the text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model": "models/minilm/all-MiniLM-L6-v2",
            "batch_size": 64,
        }

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.encoder = load_encoder(self._config["model"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise ValueError("SentenceEmbeddingFeaturizer: batch_size must be at least 1.")

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if _text(m)])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if _text(m)])
        return training_data

    def _featurize(self, messages: List[Message]) -> None:
        if not messages:
            return
        vectors = self.encoder.encode([_text(m) or "" for m in messages],
                                      batch_size=int(self._config["batch_size"]))
        for message, vector in zip(messages, vectors, strict=True):
            message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT,
                                          self._identifier))


def _text(message: Message) -> Optional[Text]:
    text = message.get(TEXT)
    return text if isinstance(text, str) and text.strip() else None
