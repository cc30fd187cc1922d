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
`LinearResponseSelector` is configured), and prints the most confused answers and held-out
questions answered wrongly. A setting with "pipeline": true cross-validates both steps as the
assistant acts on them (the FallbackClassifier's 0.5 and 0.1, then the answer), and, for each
[threshold, ambiguity] in its "answer_fallback", how often the assistant acts right, asks and
acts wrongly when the answer selector also asks below those thresholds:

    python scripts/tune_intents.py '[{"pipeline": true, "answer_fallback": [[0.5, 0.1]]}]'

The folds are stratified and fixed (seed 0); embeddings are cached in results/tune/.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
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
    """Each message's tokens, spaCy word vector, sentence embedding and spaCy cues. They are
    cached per message text, so after an edit to the training data only new messages are
    encoded."""
    known = {}
    if CACHE.exists():
        cached = np.load(CACHE, allow_pickle=True)
        known = {text: (tokens, vector, embedding, cue) for text, tokens, vector, embedding, cue
                 in zip(cached["texts"], cached["tokens"], cached["spacy"], cached["minilm"],
                        cached["cues"], strict=True)}
    new = sorted({t for t in texts if t not in known})
    if new:
        known.update(_encode(new))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        keys = list(known)
        np.savez(CACHE, texts=np.array(keys, dtype=object),
                 tokens=np.array([known[k][0] for k in keys], dtype=object),
                 spacy=np.array([known[k][1] for k in keys]),
                 minilm=np.array([known[k][2] for k in keys]),
                 cues=np.array([known[k][3] for k in keys]))
    rows = [known[t] for t in texts]
    return ([r[0] for r in rows], np.array([r[1] for r in rows]), np.array([r[2] for r in rows]),
            np.array([r[3] for r in rows]))


def _encode(texts):
    import spacy

    from reconnect.nlu.linear_intent import entity_cues
    from reconnect.nlu.minilm import MiniLM

    nlp = spacy.load(ROOT / "models" / "spacy" / "en_core_web_sm_vectors")
    docs = list(nlp.pipe(texts))
    tokens = [" ".join(t.text.lower() for t in d) for d in docs]
    vectors = [np.mean([t.vector for t in d if t.vector.any()] or [np.zeros(300)], 0)
               for d in docs]
    cues = [entity_cues(d) for d in docs]
    started = time.time()
    embeddings = MiniLM.load(ROOT / "models" / "minilm" / "all-MiniLM-L6-v2").encode(texts)
    print(f"sentence embeddings of {len(texts)} new messages in {time.time() - started:.0f} s")
    return {text: row for text, *row in zip(texts, tokens, vectors, embeddings, cues, strict=True)}


def _log_unit(counts):
    counts = counts.astype(np.float64)
    counts.data = np.log1p(counts.data)
    return normalize(counts)


def _blocks(tokens, vectors, embeddings, cues, rows, spacy, minilm, words, chars, fit):
    texts = [tokens[i] for i in rows]
    if fit:
        counts = hstack([words.fit_transform(texts), chars.fit_transform(texts)])
    else:
        counts = hstack([words.transform(texts), chars.transform(texts)])
    return hstack([_log_unit(counts.tocsr()), csr_matrix(normalize(vectors[rows]) * spacy),
                   csr_matrix(embeddings[rows] * minilm), csr_matrix(cues[rows])]).tocsr()


def _fit(tokens, vectors, embeddings, cues, labels, train, spacy, minilm, C):
    """A model trained on the rows `train`, and a function giving its probabilities for rows."""
    words = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b")
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4))
    data = (tokens, vectors, embeddings, cues)
    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    model.fit(_blocks(*data, train, spacy, minilm, words, chars, True), labels[train])
    return model, lambda rows: model.predict_proba(
        _blocks(*data, rows, spacy, minilm, words, chars, False))


def cross_validate(tokens, vectors, embeddings, cues, labels, spacy=0.5, minilm=0.7, C=100.0,
                   risk=False):
    """Held-out probabilities of every label for every row (5 stratified folds), and the
    labels in the order of their columns."""
    classes = np.array(sorted(set(labels)))
    probabilities = np.zeros((len(labels), len(classes)))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(tokens, labels):
        model, predict = _fit(tokens, vectors, embeddings, cues, labels, train, spacy, minilm, C)
        columns = [list(classes).index(c) for c in model.classes_]
        probabilities[np.ix_(test, columns)] = predict(test)
    if risk:
        print_risk_thresholds(labels, probabilities[:, list(classes).index(RISK)])
    return classes, probabilities


def confident(probabilities, threshold=0.5, ambiguity=0.1):
    """Whether each row's top label would be acted on: its probability reaches `threshold`
    and leads the second by at least `ambiguity` (as Rasa's FallbackClassifier decides)."""
    top = np.sort(probabilities, axis=1)[:, ::-1]
    second = top[:, 1] if top.shape[1] > 1 else np.zeros(len(top))
    return (top[:, 0] >= threshold) & (top[:, 0] - second >= ambiguity)


def summary(labels, classes, probabilities, threshold=0.5, ambiguity=0.1):
    predicted = classes[probabilities.argmax(axis=1)]
    acts = confident(probabilities, threshold, ambiguity)
    right = predicted == labels
    return {"weighted_f1": round(float(f1_score(labels, predicted, average="weighted")), 4),
            "accuracy": round(float(right.mean()), 4), "wrong": int((~right).sum()),
            "of": len(labels),
            "acts_right": round(float((acts & right).mean()), 4),
            "asks": round(float((~acts).mean()), 4),
            "acts_wrongly": round(float((acts & ~right).mean()), 4),
            "acts_wrongly_n": int((acts & ~right).sum())}


def print_confusions(labels, classes, probabilities, top=15, threshold=0.5, ambiguity=0.1):
    """The most frequent (true, predicted) pairs among held-out mistakes, with how many of
    them would be acted on at the fallback thresholds."""
    predicted = classes[probabilities.argmax(axis=1)]
    acts = confident(probabilities, threshold, ambiguity)
    pairs = Counter(zip(labels[predicted != labels], predicted[predicted != labels], strict=True))
    acted = Counter(zip(labels[(predicted != labels) & acts],
                        predicted[(predicted != labels) & acts], strict=True))
    print(f"top confused pairs (true -> predicted: all / acted on at {threshold}, {ambiguity}):")
    for (true, guess), count in pairs.most_common(top):
        print(f"  {count:3d} / {acted[(true, guess)]:3d}  {true} -> {guess}")


def print_mistakes(texts, labels, classes, probabilities, shown=25, threshold=0.5,
                   ambiguity=0.1):
    """Held-out examples predicted wrongly and acted on, most confident first."""
    predicted = classes[probabilities.argmax(axis=1)]
    top = probabilities.max(axis=1)
    wrong = np.flatnonzero((predicted != labels) & confident(probabilities, threshold,
                                                             ambiguity))
    print("confident held-out mistakes:")
    for i in wrong[np.argsort(-top[wrong])][:shown]:
        print(f"  {top[i]:.2f} {labels[i]} -> {predicted[i]}: {texts[i]}")


def print_answer_fallback(labels, classes, probabilities, intent_acts_faq):
    """For each threshold (confidence, margin) of the answer selector's own fallback: of the
    knowledge questions the intent step would answer, how many right answers become asks and
    how many wrong answers become asks, and what stays wrong."""
    predicted = classes[probabilities.argmax(axis=1)]
    right = (predicted == labels)[intent_acts_faq]
    probabilities = probabilities[intent_acts_faq]
    print(f"answer selector fallback, over {intent_acts_faq.sum()} knowledge questions whose "
          f"intent is acted on as faq ({int((~right).sum())} answered wrongly without it):")
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        for ambiguity in (0.0, 0.1, 0.2, 0.3):
            acts = confident(probabilities, threshold, ambiguity)
            print(json.dumps({"answer_threshold": threshold, "answer_ambiguity": ambiguity,
                              "right_to_ask": int((right & ~acts).sum()),
                              "wrong_to_ask": int((~right & ~acts).sum()),
                              "still_wrong": int((~right & acts).sum())}))


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


def pipeline(texts, tokens, vectors, embeddings, cues, labels, setting, thresholds):
    """Both steps held out, as the assistant acts: the intent (asks below the fallback
    thresholds), then for a message acted on as faq the answer (asks below the answer
    selector's thresholds). Each knowledge question's answer comes from the answer folds;
    other messages read as faq get the answer of a selector trained on every question. One
    result for each (answer_threshold, answer_ambiguity) in `thresholds`."""
    spacy, minilm, C = (setting.get(k, d) for k, d in (("spacy", 0.5), ("minilm", 0.7),
                                                        ("C", 100.0)))
    intents = np.array([str(label).split("/")[0] for label in labels])
    is_faq = np.array([str(label).startswith("faq/") for label in labels])
    intent_classes, intent_p = cross_validate(tokens, vectors, embeddings, cues, intents,
                                              spacy, minilm, C)
    rows = np.flatnonzero(is_faq)
    no_cues = np.zeros_like(cues)
    answer_classes, answer_p_faq = cross_validate([tokens[i] for i in rows], vectors[rows],
                                                  embeddings[rows], no_cues[rows], labels[rows],
                                                  spacy, minilm, C)
    _, predict = _fit(tokens, vectors, embeddings, no_cues, labels, rows, spacy, minilm, C)
    answer_p = predict(np.arange(len(labels)))
    answer_p[rows] = answer_p_faq
    intent_predicted = intent_classes[intent_p.argmax(axis=1)]
    answer_predicted = answer_classes[answer_p.argmax(axis=1)]
    intent_acts = confident(intent_p)
    read_as_faq = intent_acts & (intent_predicted == "faq")
    right = np.where(is_faq, (intent_predicted == "faq") & (answer_predicted == labels),
                     intent_predicted == intents)
    print("intents:", json.dumps(summary(intents, intent_classes, intent_p)))
    print_confusions(intents, intent_classes, intent_p)
    print_mistakes(texts, intents, intent_classes, intent_p, shown=15)
    print("answers:", json.dumps(summary(labels[rows], answer_classes, answer_p_faq)))
    print_confusions(labels[rows], answer_classes, answer_p_faq)
    print_mistakes([texts[i] for i in rows], labels[rows], answer_classes, answer_p_faq)
    print_answer_fallback(labels[rows], answer_classes, answer_p_faq, read_as_faq[rows])
    results = []
    for answer_threshold, answer_ambiguity in thresholds:
        answer_acts = confident(answer_p, answer_threshold, answer_ambiguity)
        acts = intent_acts & (~read_as_faq | answer_acts)
        results.append({
            "answer_threshold": answer_threshold, "answer_ambiguity": answer_ambiguity,
            "acts_right": round(float((acts & right).mean()), 4),
            "asks": round(float((~acts).mean()), 4),
            "acts_wrongly": round(float((acts & ~right).mean()), 4),
            "acts_wrongly_n": int((acts & ~right).sum()), "of": len(labels),
            "knowledge_acts_wrongly_n": int((acts & ~right & is_faq).sum()),
            "read_as_faq_wrongly_n": int((acts & ~right & ~is_faq & read_as_faq).sum())})
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0)
    settings = json.loads(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].strip() else [{}]
    texts, labels = load_examples()
    tokens, vectors, embeddings, cues = features(texts)
    answers = np.array([str(label).startswith("faq/") for label in labels])
    intents = np.array([str(label).split("/")[0] for label in labels])
    for setting in settings:
        shown = dict(setting)
        if setting.pop("pipeline", False):
            thresholds = [(0.0, 0.0)] + [tuple(t) for t in setting.pop("answer_fallback", [])]
            for result in pipeline(texts, tokens, vectors, embeddings, cues, labels, setting,
                                   thresholds):
                print(json.dumps({**shown, **result}), flush=True)
            continue
        if setting.pop("answers", False):
            rows = np.flatnonzero(answers)
            data = ([tokens[i] for i in rows], vectors[rows], embeddings[rows],
                    np.zeros_like(cues[rows]), labels[rows])
            shown_texts = [texts[i] for i in rows]
        else:
            data = (tokens, vectors, embeddings, cues, intents)
            shown_texts = texts
        classes, probabilities = cross_validate(*data, **setting)
        print(json.dumps({**shown, **summary(data[-1], classes, probabilities)}), flush=True)
        print_confusions(data[-1], classes, probabilities)
        if shown.get("answers"):
            print_mistakes(shown_texts, data[-1], classes, probabilities)
