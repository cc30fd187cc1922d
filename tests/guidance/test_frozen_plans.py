"""The frozen plan sentences (tests/frozen/plans.yml), read as the assistant reads a plan:
at least 95% exactly right (steps, owners, due dates, key words and the follow-up)."""
from __future__ import annotations

from pathlib import Path

import yaml

from reconnect.guidance.plan_parser import parse_plan
from scripts.eval_plans import TODAY, misses

SET = Path(__file__).resolve().parents[1] / "frozen" / "plans.yml"


def test_the_frozen_plan_sentences_are_read_as_said():
    sentences = yaml.safe_load(SET.read_text())
    wrong = [(s["text"], misses(s, parse_plan(s["text"], TODAY))) for s in sentences]
    wrong = [w for w in wrong if w[1]]
    assert len(sentences) >= 60
    assert len(wrong) <= 0.05 * len(sentences), wrong
