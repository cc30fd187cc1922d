#!/usr/bin/env python
"""Score the plan reader on the frozen plan sentences (tests/frozen/plans.yml).

Each sentence is read as the assistant reads an agreed plan (today: Mon 16 Mar 2026) and
compared with the steps, owners, due dates, key words and follow-up date expected. A plan is
exact when all of them match. Prints each miss and the score; exit status 1 below the target
(95% exact).

    .venv/bin/python scripts/eval_plans.py [--set FILE] [--target 0.95]
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reconnect.guidance.plan_parser import ParsedPlan, describe_plan, parse_plan  # noqa: E402

TODAY = date(2026, 3, 16)


def _iso(value: Any) -> Any:
    return None if value is None else str(value)[:10]


def misses(expected: Dict[str, Any], plan: ParsedPlan) -> List[str]:
    """What differs between the plan read and the plan expected (empty: exact)."""
    found: List[str] = []
    if _iso(expected.get("follow_up_on")) != _iso(plan.follow_up_on):
        found.append(f"follow-up {_iso(plan.follow_up_on)}, expected "
                     f"{_iso(expected.get('follow_up_on'))}")
    want = expected.get("steps") or []
    if len(want) != len(plan.steps):
        return found + [f"{len(plan.steps)} steps, expected {len(want)}"]
    for n, (step, got) in enumerate(zip(want, plan.steps, strict=True), start=1):
        if step["owner"] != got.owner:
            found.append(f"step {n} owner {got.owner}, expected {step['owner']}")
        if _iso(step.get("due")) != _iso(got.due):
            found.append(f"step {n} due {_iso(got.due)}, expected {_iso(step.get('due'))}")
        text = got.text.lower()
        lost = [w for w in step.get("words") or []
                if w.lower() not in text and not (len(w) >= 4 and w.lower()[:4] in text)]
        if lost:
            found.append(f"step {n} lacks {lost}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "tests" / "frozen" / "plans.yml"))
    parser.add_argument("--target", type=float, default=0.95)
    args = parser.parse_args()
    sentences = yaml.safe_load(Path(args.set).read_text())
    exact = 0
    for item in sentences:
        plan = parse_plan(item["text"], TODAY)
        wrong = misses(item, plan)
        if wrong:
            print(f"- {item['text']}\n  " + "; ".join(wrong) + "\n  read as: "
                  + describe_plan(plan).replace("\n", " | "))
        else:
            exact += 1
    share = exact / max(1, len(sentences))
    print(f"\nPlans read exactly: {exact} of {len(sentences)} ({share:.1%}); "
          f"target {args.target:.0%}.")
    return 0 if share >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
