"""No training example is a near-copy of a message of the frozen test set.

The frozen NLU set (tests/frozen/nlu_messages.yml) is never trained on; a training example
(data/nlu/*.yml) that is the same message, or the same with a word or two swapped, would make
`make eval-nlu` optimistic. A pair is a near-copy when, after normalising (lowercase,
punctuation removed, whitespace collapsed), the two are identical, or their token sets have
a Jaccard similarity of at least 0.6 with at least 4 tokens on each side, or
difflib.SequenceMatcher gives a ratio of at least 0.85.
"""
from __future__ import annotations

import re
import string
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Dict, List, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "data" / "nlu"
FROZEN = ROOT / "tests" / "frozen" / "nlu_messages.yml"

JACCARD = 0.6
JACCARD_MIN_TOKENS = 4
RATIO = 0.85
RATIO_CANDIDATE_JACCARD = 0.4

# [word](entity) and [word]{"entity": ...} -> word
ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "‘’“”…–—"})


def normalise(text: str) -> str:
    return " ".join(text.lower().translate(PUNCTUATION).split())


def training_examples() -> List[Tuple[str, str, str]]:
    """(file name, intent, example text with entity annotations stripped)."""
    examples = []
    for path in sorted(TRAINING.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" not in item:
                continue
            raw = item.get("examples") or ""
            lines = raw.splitlines() if isinstance(raw, str) else [
                "- " + str(e.get("text", "")) for e in raw]
            for line in lines:
                line = line.strip()
                if line.startswith("- "):
                    text = ENTITY.sub(r"\1", line[2:].strip())
                    examples.append((path.name, item["intent"], text))
    return examples


def frozen_messages() -> List[str]:
    return [str(entry["text"]) for entry in yaml.safe_load(FROZEN.read_text(encoding="utf-8"))]


def near_copies() -> List[Tuple[str, str, int, str]]:
    """(file name, training example, frozen index, why) for every near-copy pair."""
    frozen = [normalise(text) for text in frozen_messages()]
    frozen_tokens = [set(text.split()) for text in frozen]
    index: Dict[str, Set[int]] = defaultdict(set)
    for i, tokens in enumerate(frozen_tokens):
        for token in tokens:
            index[token].add(i)
    by_text = defaultdict(list)
    for i, text in enumerate(frozen):
        by_text[text].append(i)

    found = []
    for name, _intent, example in training_examples():
        text = normalise(example)
        tokens = set(text.split())
        for i in by_text.get(text, []):
            found.append((name, example, i, "identical"))
        candidates: Set[int] = set()
        for token in tokens:
            candidates |= index.get(token, set())
        for i in sorted(candidates):
            if frozen[i] == text:
                continue
            other = frozen_tokens[i]
            jaccard = len(tokens & other) / len(tokens | other)
            if jaccard >= JACCARD and min(len(tokens), len(other)) >= JACCARD_MIN_TOKENS:
                found.append((name, example, i, f"jaccard {jaccard:.2f}"))
            elif jaccard >= RATIO_CANDIDATE_JACCARD:
                ratio = SequenceMatcher(None, text, frozen[i]).ratio()
                if ratio >= RATIO:
                    found.append((name, example, i, f"ratio {ratio:.2f}"))
    return found


def test_normalise_and_strip_entities():
    assert normalise("  Hey!  What's   UP? ") == "hey what s up"
    assert ENTITY.sub(r"\1", 'send a [text]{"entity": "channel", "value": "sms"} by [email](channel)') \
        == "send a text by email"


def test_no_training_example_is_a_near_copy_of_a_frozen_message():
    found = near_copies()
    listing = "\n".join(
        f"  {name}: {example!r} ~ frozen message #{i} ({why})" for name, example, i, why in found)
    assert not found, (
        f"{len(found)} training examples are near-copies of frozen messages "
        f"(tests/frozen/nlu_messages.yml, 0-based index):\n{listing}")
