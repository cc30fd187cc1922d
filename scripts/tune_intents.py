"""Quick 5-fold cross-validation of the intent classifier alone, for trying feature weights.

`make crossval` runs Rasa's own cross-validation of the whole pipeline (about 45 minutes: it
trains the response selector and evaluates every training message too). This script gives a
figure for one setting of the intent classifier in about 5 minutes, so that weights can be
compared before the full run. It reproduces the classifier's features with scikit-learn and
spaCy (word 1-2-grams and character 1-4-grams, log-scaled and unit length; spaCy's mean word
vector; the sentence embedding; spaCy's name and date cues) and leaves out the regex features
and the no-known-words rule, so its figures run a little above `make crossval`'s. Use it to
compare settings, and `make crossval` for the figure to report.

    python scripts/tune_intents.py '[{"spacy": 0.5, "minilm": 0.7, "C": 100}, ...]'

A setting with "risk": true also prints, for several thresholds, the share of risk concerns
and of other messages whose held-out probability of a risk concern reaches it.
A setting with "answers": true cross-validates the knowledge-answer selector instead: the
knowledge questions only, labelled with their answer, without spaCy's name and date cues (as
`LinearResponseSelector` is configured).

The folds are stratified and fixed (seed 0); embeddings are cached in results/tune/.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "results" / "tune" / "features.npz"


def load_examples():
    from rasa.shared.nlu.training_data.loading import load_data

    examples = [m for m in load_data(str(ROOT / "data" / "nlu")).training_examples
                if m.get("intent")]
    # A knowledge question's label is its answer ("faq/reminders"), every other its intent.
    return ([m.get("text") for m in examples],
            np.array([m.get("intent_response_key") or m.get("intent") for m in examples]))


def features(texts):
    if CACHE.exists():
        cached = np.load(CACHE, allow_pickle=True)
        if list(cached["texts"]) == texts:
            return cached["tokens"].tolist(), cached["spacy"], cached["minilm"], cached["cues"]
    import spacy

    from reconnect.nlu.linear_intent import entity_cues
    from reconnect.nlu.minilm import MiniLM

    nlp = spacy.load(ROOT / "models" / "spacy" / "en_core_web_sm_vectors")
    docs = list(nlp.pipe(texts))
    tokens = [" ".join(t.text.lower() for t in d) for d in docs]
    vectors = np.array([np.mean([t.vector for t in d if t.vector.any()] or [np.zeros(300)], 0)
                        for d in docs])
    cues = [entity_cues(d) for d in docs]
    started = time.time()
    embeddings = MiniLM.load(ROOT / "models" / "minilm" / "all-MiniLM-L6-v2").encode(texts)
    print(f"sentence embeddings of {len(texts)} messages in {time.time() - started:.0f} s")
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE, texts=np.array(texts, dtype=object), tokens=np.array(tokens, dtype=object),
             spacy=vectors, minilm=embeddings, cues=np.array(cues))
    return tokens, vectors, embeddings, np.array(cues)


def _log_unit(counts):
    counts = counts.astype(np.float64)
    counts.data = np.log1p(counts.data)
    return normalize(counts)


def cross_validate(tokens, vectors, embeddings, cues, labels, spacy=0.5, minilm=0.7, C=100.0,
                   risk=False):
    predicted = np.empty(len(labels), dtype=object)
    risk_probability = np.zeros(len(labels))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(tokens, labels):
        words = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b")
        chars = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))
        blocks = {"train": [], "test": []}
        for part, rows in (("train", train), ("test", test)):
            texts = [tokens[i] for i in rows]
            if part == "train":
                counts = hstack([words.fit_transform(texts), chars.fit_transform(texts)])
            else:
                counts = hstack([words.transform(texts), chars.transform(texts)])
            blocks[part] = [_log_unit(counts.tocsr()),
                            csr_matrix(normalize(vectors[rows]) * spacy),
                            csr_matrix(embeddings[rows] * minilm), csr_matrix(cues[rows])]
        model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        model.fit(hstack(blocks["train"]).tocsr(), labels[train])
        predicted[test] = model.predict(hstack(blocks["test"]).tocsr())
        column = list(model.classes_).index(RISK)
        risk_probability[test] = model.predict_proba(hstack(blocks["test"]).tocsr())[:, column]
    if risk:
        print_risk_thresholds(labels, risk_probability)
    return f1_score(labels, predicted, average="weighted"), int((predicted != labels).sum())


RISK = "report_risk_concern"


def print_risk_thresholds(labels, probability):
    """How many risk concerns, and how many other messages, reach each probability of a risk
    concern on held-out folds: the basis for the safety gate's `model_threshold`."""
    is_risk = labels == RISK
    for threshold in (0.05, 0.1, 0.15, 0.2, 0.3, 0.5):
        flagged = probability >= threshold
        print(json.dumps({"risk_threshold": threshold,
                          "risk_recall": round(float(flagged[is_risk].mean()), 4),
                          "others_flagged": round(float(flagged[~is_risk].mean()), 4),
                          "others_flagged_n": int(flagged[~is_risk].sum())}), flush=True)


if __name__ == "__main__":
    settings = json.loads(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].strip() else [{}]
    texts, labels = load_examples()
    tokens, vectors, embeddings, cues = features(texts)
    answers = np.array([str(label).startswith("faq/") for label in labels])
    intents = np.array([str(label).split("/")[0] for label in labels])
    for setting in settings:
        shown = dict(setting)
        if setting.pop("answers", False):
            rows = np.flatnonzero(answers)
            data = ([tokens[i] for i in rows], vectors[rows], embeddings[rows],
                    np.zeros_like(cues[rows]), labels[rows])
        else:
            data = (tokens, vectors, embeddings, cues, intents)
        f1, wrong = cross_validate(*data, **setting)
        print(json.dumps({**shown, "weighted_f1": round(f1, 4), "wrong": wrong,
                          "of": len(data[-1])}), flush=True)
