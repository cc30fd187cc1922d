#!/usr/bin/env python
"""Score the trained model on an NLU message set (by default the frozen one, tests/frozen/nlu_messages.yml).

The set was written from the intent descriptions alone and is never trained on. Each message
is parsed by the trained model as the Rasa server would; the result is one of:
  - acts right: the intent (for the knowledge questions, the faq/<topic> the response selector
    picks) is the one expected;
  - asks: the model is unsure (nlu_fallback), so the assistant asks the therapist to rephrase
    or, for a client's name, looks it up;
  - acts wrongly: another intent, confidently.
Prints a table by intent and the totals; exit status 1 when acting wrongly is above 1% or
acting right below 97% (the targets). --show also prints the misses themselves, for a
development set (tests/dev/nlu_dev.yml) only: it is refused for the frozen set, whose messages
stay unread.

    .venv/bin/python scripts/eval_nlu.py [--set FILE] [--model FILE] [--show]
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "frozen" / "nlu_messages.yml"


def is_frozen(path: Path) -> bool:
    """Whether a set is the frozen one (or inside tests/frozen, or a copy of it): then no message
    of it is printed."""
    try:
        resolved = path.resolve()
        return (resolved == FROZEN.resolve() or FROZEN.parent.resolve() in resolved.parents
                or (FROZEN.exists() and path.read_bytes() == FROZEN.read_bytes()))
    except OSError:
        return False


def predicted(result: Dict[str, Any]) -> Tuple[str, float]:
    intent = result["intent"]["name"]
    confidence = float(result["intent"].get("confidence") or 0.0)
    if intent == "faq":
        response = (result.get("response_selector") or {}).get("faq", {}).get("response", {})
        intent = response.get("intent_response_key") or "faq"
    return intent, confidence


async def parse_all(model: str, texts):
    import structlog
    from rasa.core.agent import Agent

    # Rasa's debug lines carry the message text: not printed.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(FROZEN))
    parser.add_argument("--model", default=str(ROOT / "models" / "reconnect.tar.gz"))
    parser.add_argument("--max-wrong", type=float, default=0.01)
    parser.add_argument("--min-right", type=float, default=0.97)
    parser.add_argument("--show", action="store_true",
                        help="print the misses themselves (development sets only)")
    args = parser.parse_args()
    if args.show and is_frozen(Path(args.set)):
        parser.error("--show is for a development set: this set's messages stay unread")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    logging.disable(logging.WARNING)
    items = yaml.safe_load(Path(args.set).read_text())
    results = asyncio.run(parse_all(args.model, [i["text"] for i in items]))
    counts: Dict[str, Counter] = defaultdict(Counter)
    for item, result in zip(items, results, strict=True):
        got, confidence = predicted(result)
        want = item["intent"]
        verdict = "right" if got == want else "asks" if got == "nlu_fallback" else "wrong"
        for key in (want, "all"):
            counts[key][verdict] += 1
        if args.show and verdict != "right":
            print(f"{verdict:<6} {want:<22} -> {got:<24} {confidence:.2f}  {item['text']}")
    print(f"\n{'intent':<26}{'messages':>9}{'right':>7}{'asks':>6}{'wrong':>7}")
    for key in sorted(counts, key=lambda k: (k == "all", k)):
        c = counts[key]
        print(f"{key:<26}{sum(c.values()):>9}{c['right']:>7}{c['asks']:>6}{c['wrong']:>7}")
    c = counts["all"]
    total = sum(c.values())
    right, wrong = c["right"] / total, c["wrong"] / total
    print(f"\nActs right: {c['right']} of {total} ({right:.1%}); asks: {c['asks']} "
          f"({c['asks'] / total:.1%}); acts wrongly: {c['wrong']} ({wrong:.1%}). Targets: right "
          f"at least {args.min_right:.0%}, wrongly at most {args.max_wrong:.0%}.")
    return 0 if wrong <= args.max_wrong and right >= args.min_right else 1


if __name__ == "__main__":
    sys.exit(main())
