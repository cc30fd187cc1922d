"""The linear intent classifier, trained and loaded through Rasa's own component interfaces."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reconnect.nlu.linear_intent import LinearIntentClassifier

ROOT = Path(__file__).resolve().parents[2]
SPACY_MODEL = ROOT / "models" / "spacy" / "en_core_web_sm_vectors"

EXAMPLES = {
    "greet": ["hi", "hello there", "good morning", "hey", "morning all", "hiya"],
    "thank": ["thanks", "thank you so much", "cheers", "thx", "many thanks", "ty"],
    "ask_attendance": ["Dana Whitfield", "pull up Maya Patel", "how many has Jordan Lee missed",
                       "Omar Haddad", "attendance for Priya Nair", "is Tom Becker chronic",
                       "Leila Nasser", "no, I meant Kenji Watanabe"],
    "request_draft": ["draft a text to her", "write an email offering new times",
                      "voicemail script please", "can you write a message to him",
                      "need a short text for my no show", "email draft pls"],
    "out_of_scope": ["what's the weather tomorrow", "fix my printer", "tell me a joke",
                     "who won the game", "order lunch for the office", "reset my password"],
}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    assert SPACY_MODEL.is_dir(), "run `make setup` first: it copies the spaCy model"
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), node_name="test")
    nlp = SpacyNLP.create({**SpacyNLP.get_default_config(), "model": str(SPACY_MODEL),
                           "case_sensitive": True}, storage, Resource("nlp"), context)
    spacy_model = nlp.provide()
    tokenizer = SpacyTokenizer.create(SpacyTokenizer.get_default_config(), storage,
                                      Resource("tok"), context)
    words = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(),
                                          storage, Resource("words"), context)
    chars = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": "char_wb",
         "min_ngram": 1, "max_ngram": 4}, storage, Resource("chars"), context)

    def featurize(messages, training=False):
        nlp.process(messages, spacy_model)
        tokenizer.process(messages)
        if training:
            data = TrainingData(messages)
            words.train(data)
            chars.train(data)
        words.process(messages)
        chars.process(messages)
        return messages

    training = [Message.build(text=t, intent=i) for i, ts in EXAMPLES.items() for t in ts]
    featurize(training, training=True)
    return storage, context, featurize, TrainingData(training)


def _trained(pipeline, name: str, **config) -> LinearIntentClassifier:
    storage, context, _, data = pipeline
    full = {**LinearIntentClassifier.get_default_config(), **config}
    classifier = LinearIntentClassifier.create(full, storage, Resource(name), context)
    classifier.train(data)
    return classifier


def _classify(pipeline, classifier, text: str) -> dict:
    _, _, featurize, _ = pipeline
    [message] = classifier.process(featurize([Message.build(text=text)]))
    return message.as_dict_nlu()


def test_recognises_what_it_was_trained_on_and_ranks_every_intent(pipeline):
    classifier = _trained(pipeline, "seen")
    result = _classify(pipeline, classifier, "thanks")
    assert result["intent"]["name"] == "thank"
    ranking = result["intent_ranking"]
    assert [r["name"] for r in ranking][0] == "thank"
    assert sorted(r["name"] for r in ranking) == sorted(EXAMPLES)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_a_client_name_it_never_saw_is_a_client_name(pipeline):
    # Names spaCy's small model tags PERSON; none of them is in the training examples.
    classifier = _trained(pipeline, "names")
    for text in ("Samuel Greene", "Rosa Delgado", "Ngozi Okafor", "Hannah Schultz"):
        assert _classify(pipeline, classifier, text)["intent"]["name"] == "ask_attendance", text


def test_entity_cues_come_from_spacy_names_and_dates(pipeline):
    classifier = _trained(pipeline, "cues")
    _, _, featurize, _ = pipeline
    [name, other, dated] = featurize([Message.build(text=t) for t in (
        "Dana Whitfield", "thanks a lot", "she missed last Tuesday")])
    assert classifier._entity_cues(name).tolist() == [[1.0, 1.0, 1.0, 0.0]]
    assert classifier._entity_cues(other).tolist() == [[0.0, 0.0, 0.0, 0.0]]
    assert classifier._entity_cues(dated)[0][3] == 1.0


def test_entity_cues_can_be_switched_off(pipeline):
    classifier = _trained(pipeline, "no_cues", entity_weight=0)
    _, _, featurize, _ = pipeline
    [message] = featurize([Message.build(text="Dana Whitfield")])
    assert classifier._entity_cues(message) is None


def test_a_loaded_model_predicts_what_the_trained_one_did(pipeline):
    storage, context, _, _ = pipeline
    trained = _trained(pipeline, "persisted")
    config = {**LinearIntentClassifier.get_default_config()}
    loaded = LinearIntentClassifier.load(config, storage, Resource("persisted"), context)
    assert isinstance(loaded, LinearIntentClassifier)
    for text in ("hey there", "write her a text", "Maya Chen", "cheers mate"):
        assert (_classify(pipeline, loaded, text)["intent_ranking"]
                == _classify(pipeline, trained, text)["intent_ranking"])


@pytest.mark.parametrize("bad", [{"C": 0}, {"C": -1}, {"entity_weight": -0.5},
                                 {"dense_weights": {"SpacyFeaturizer": -1}}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        LinearIntentClassifier.validate_config(
            {**LinearIntentClassifier.get_default_config(), **bad})


def test_a_message_of_words_it_never_saw_gets_no_confidence_so_the_assistant_asks(pipeline):
    classifier = _trained(pipeline, "unknown")
    for mash in ("qqq zzzx", "xkcd sdfg zzzx"):
        result = _classify(pipeline, classifier, mash)
        assert result["intent"]["confidence"] == 0.0, mash
        assert {r["confidence"] for r in result["intent_ranking"]} == {0.0}
    # One known word is enough to keep the classifier's own confidence.
    undiscounted = _trained(pipeline, "plain", no_confidence_without_known_words=False)
    assert (_classify(pipeline, classifier, "thanks qqq")["intent"]
            == _classify(pipeline, undiscounted, "thanks qqq")["intent"])
    assert _classify(pipeline, undiscounted, "qqq zzzx")["intent"]["confidence"] > 0
    # It is ranked out of scope, still with no confidence, so the fallback asks.
    assert result["intent"]["name"] == "out_of_scope"
    assert result["intent_ranking"][0]["name"] == "out_of_scope"
    assert len(result["intent_ranking"]) == len(EXAMPLES)
    # A name spaCy recognises is not an unknown word.
    assert _classify(pipeline, classifier, "Ngozi Okafor")["intent"]["confidence"] > 0.5


def test_a_typing_slip_on_a_known_word_is_still_a_known_word(pipeline):
    classifier = _trained(pipeline, "slips")
    for text in ("heyyyy", "thaaanks", "hwllo", "thnaks", "drafft"):
        assert classifier._is_known(text), text
        assert _classify(pipeline, classifier, text)["intent"]["confidence"] > 0, text
    for text in ("qqq", "zzzx", "hyx"):  # too far from any word, or too short to guess
        assert not classifier._is_known(text), text


def test_words_of_an_extra_vocabulary_are_known(pipeline, tmp_path):
    words = tmp_path / "vocab.txt"
    words.write_text("[CLS]\naffirmative\n##ing\nroger\n")
    classifier = _trained(pipeline, "extra", extra_vocabulary=str(words))
    assert classifier._is_known("affirmative") and classifier._is_known("roger")
    assert not classifier._is_known("##ing") and not classifier._is_known("[cls]")
    assert _classify(pipeline, classifier, "affirmative")["intent"]["confidence"] > 0
    plain = _trained(pipeline, "no_extra")
    assert _classify(pipeline, plain, "affirmative")["intent"]["confidence"] == 0.0


def test_unknown_words_that_may_be_a_name_keep_the_models_order(pipeline):
    # "Nkechi" or "fatou diop" may be a client spaCy missed: the fallback looks them up, and
    # the ranking stays the classifier's own (at no confidence). Mash is out of scope.
    classifier = _trained(pipeline, "maybe_names")
    plain = _trained(pipeline, "maybe_names_plain", no_confidence_without_known_words=False)
    for text in ("Nkechi", "fatou diop", "l. tran"):
        result = _classify(pipeline, classifier, text)
        assert result["intent"]["confidence"] == 0.0, text
        assert ([r["name"] for r in result["intent_ranking"]]
                == [r["name"] for r in _classify(pipeline, plain, text)["intent_ranking"]]), text
    for text in ("qqq", "zxcv bnm", "blorp wug snorf zib"):
        assert _classify(pipeline, classifier, text)["intent"]["name"] == "out_of_scope", text


def test_each_dense_feature_has_its_own_weight(pipeline):
    _, _, featurize, _ = pipeline
    [message] = featurize([Message.build(text="thanks")])
    vectors = {"run_SpacyFeaturizer2": np.full((1, 3), 2.0),
               "run_reconnect.nlu.sentence_featurizer.SentenceEmbeddingFeaturizer3":
                   np.array([[0.0, 3.0, 4.0, 0.0]])}
    for origin, vector in vectors.items():
        message.add_features(Features(vector, FEATURE_TYPE_SENTENCE, TEXT, origin))
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), "entity_weight": 0,
         "dense_weights": {"SpacyFeaturizer": 0.5, "SentenceEmbeddingFeaturizer": 2.0}},
        pipeline[0], Resource("weights"), pipeline[1])
    dense = classifier._features(message).toarray()[0][-7:]
    # Sorted by origin: spaCy's block at unit length times 0.5, then the embedding times 2.
    assert dense == pytest.approx([0.5 / np.sqrt(3)] * 3 + [0.0, 1.2, 1.6, 0.0])


def test_the_vocabulary_survives_saving_and_loading(pipeline):
    storage, context, _, _ = pipeline
    _trained(pipeline, "vocab")
    loaded = LinearIntentClassifier.load({**LinearIntentClassifier.get_default_config()},
                                         storage, Resource("vocab"), context)
    assert {"thanks", "hello", "draft"} <= loaded.vocabulary
    assert _classify(pipeline, loaded, "qqq")["intent"]["confidence"] == 0.0


def test_without_an_out_of_scope_intent_an_unknown_message_keeps_the_models_order(pipeline):
    classifier = _trained(pipeline, "elsewhere", intent_without_known_words="no_such_intent")
    result = _classify(pipeline, classifier, "blorp wug snorf zib")
    assert result["intent"]["confidence"] == 0.0
    assert result["intent"]["name"] == result["intent_ranking"][0]["name"]
    assert result["intent"]["name"] != "no_such_intent"
