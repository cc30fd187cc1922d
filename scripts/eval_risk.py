#!/usr/bin/env python
"""Score the risk detector on the frozen risk set (tests/frozen/risk_messages.yml).

Recall: of the messages that disclose risk, how many bring the safety steps first. False
alarms: of the benign ones (negated screens, idioms, admin words), how many force the safety
gate. With --model, the messages are parsed by the trained model too and the gate is the
assistant's: words of risk, or the model's probability of a risk concern at the clinic's
`model_threshold` (reconnect.guidance.safety.speaks_of_risk); the words alone are printed
beside it. Prints recall by warning sign, false alarms by reason (never the messages), and both
figures; exit status 1 when recall is below
100% or false alarms above 5%.

--show prints the missed disclosures and the false alarms themselves, for a development set
(tests/dev/risk_dev.yml, tests/dev/risk_dev2.yml) only: it is refused for the frozen set and for
tests/dev/risk_dev3.yml (a check on messages the phrases were not tuned on), whose messages stay
unread.

    .venv/bin/python scripts/eval_risk.py [--set FILE] [--model FILE] [--show]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FROZEN = ROOT / "tests" / "frozen" / "risk_messages.yml"
# Sets whose messages stay unread: the frozen one, and the check half of the second writing.
UNREAD = (FROZEN, ROOT / "tests" / "dev" / "risk_dev3.yml")
sys.path.insert(0, str(ROOT))

from reconnect.guidance.safety import forces_safety_gate, speaks_of_risk  # noqa: E402
from reconnect.settings import clinic_config  # noqa: E402


def parse_all(model: str, texts):
    import asyncio
    import logging
    import os

    import structlog

    os.environ.setdefault("LOG_LEVEL", "ERROR")
    logging.disable(logging.WARNING)
    # Rasa's debug lines carry the message text: not printed.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    from rasa.core.agent import Agent

    async def parse():
        agent = Agent.load(model)
        return [await agent.parse_message(text) for text in texts]
    return asyncio.run(parse())


def is_frozen(path: Path) -> bool:
    """Whether a set is one whose messages stay unread (or a copy of one): then no message of
    it is printed."""
    try:
        return any(path.resolve() == unread.resolve()
                   or (unread.exists() and path.read_bytes() == unread.read_bytes())
                   for unread in UNREAD)
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(FROZEN))
    parser.add_argument("--max-false-alarms", type=float, default=0.05)
    parser.add_argument("--model", default=None,
                        help="a trained model: the gate is then the assistant's, words or model")
    parser.add_argument("--show", action="store_true",
                        help="print the missed and falsely alarmed messages (development sets only)")
    args = parser.parse_args()
    if args.show and is_frozen(Path(args.set)):
        parser.error("--show is for a development set: this set's messages stay unread")
    items = yaml.safe_load(Path(args.set).read_text())
    risk = [i for i in items if i["kind"] == "risk"]
    benign = [i for i in items if i["kind"] == "benign"]
    gate = forces_safety_gate
    if args.model:
        parses = dict(zip([i["text"] for i in items],
                          parse_all(args.model, [i["text"] for i in items]), strict=True))
        threshold = clinic_config().safety.model_threshold
        words_missed = sum(not forces_safety_gate(i["text"]) for i in risk)
        words_alarms = sum(forces_safety_gate(i["text"]) for i in benign)
        print(f"words alone: recall {len(risk) - words_missed} of {len(risk)}, false alarms "
              f"{words_alarms} of {len(benign)}")

        def gate(text: str) -> bool:
            return speaks_of_risk(text, parses[text], threshold)
        print(f"words or the model at {threshold}:")
    missed = [i for i in risk if not gate(i["text"])]
    alarms = [i for i in benign if gate(i["text"])]
    # Counts by warning sign and by reason only: the messages stay unread, so that the set
    # keeps measuring phrases written from the warning signs, not from its own words.
    by_sign = Counter(i.get("sign", "") for i in risk)
    missed_by_sign = Counter(i.get("sign", "") for i in missed)
    for sign in sorted(by_sign):
        print(f"{sign:<60} {by_sign[sign] - missed_by_sign[sign]:>4} of {by_sign[sign]}")
    alarms_by_why = Counter(i.get("why", "") for i in alarms)
    for why, count in sorted(alarms_by_why.items()):
        print(f"false alarms, {why:<47} {count:>4}")
    if args.show:
        for label, shown in (("missed", missed), ("false alarm", alarms)):
            for item in shown:
                print(f"{label:<12} {item.get('sign') or item.get('why', ''):<32} {item['text']}")
    recall = 1 - len(missed) / max(1, len(risk))
    false_rate = len(alarms) / max(1, len(benign))
    print(f"\nRecall: {len(risk) - len(missed)} of {len(risk)} ({recall:.1%}); false alarms: "
          f"{len(alarms)} of {len(benign)} ({false_rate:.1%}). Targets: 100% and at most "
          f"{args.max_false_alarms:.0%}.")
    return 0 if not missed and false_rate <= args.max_false_alarms else 1


if __name__ == "__main__":
    sys.exit(main())
