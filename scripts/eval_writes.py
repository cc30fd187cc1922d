#!/usr/bin/env python
"""Score the frozen sets of exchanges that write to the record (tests/frozen/writes*.yml).

Starts the real action server and Rasa server with the demo clinic (today: Mon 16 Mar 2026),
plays each exchange through the REST webhook as its staff member (a click on a button is
"[Title]"), then reads the rows written with plain SQL and compares them with the rows the
exchange expects: outreach attempts, plan outcomes and plans. Before each exchange the
written tables are reset to the same open plans, so exchanges never see each other's rows.

Prints, per category and in all: expected rows written right, rows missing, rows invented
(written but not expected). Exit status 1 when any row is invented.

    .venv/bin/python scripts/eval_writes.py [--set FILE ...] [--only ID ...] [--show]

Five sets, written separately from the training data and from each other: writes.yml,
writes_dev2.yml, writes_dev3.yml and writes_dev4.yml (their misses were read while the write path was built:
development sets) and writes_holdout.yml (never read: only its score is looked at; `make eval-holdout` plays it, and CI).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live.servers import MODEL, LiveBot, running_servers  # noqa: E402

TODAY = date(2026, 3, 16)
# The open plans every exchange starts with (the set's own header says the same).
SEED_PLANS = [
    ("C001", "T01", date(2026, 3, 2), "Call her Thursday", date(2026, 3, 12)),
    ("C007", "T01", date(2026, 2, 23), "Offer telehealth", date(2026, 3, 9)),
    ("C019", "T02", date(2026, 3, 3), "Call her", date(2026, 3, 13)),
]


def reset(engine) -> None:
    with engine.begin() as db:
        for table in ("safety_concerns", "outreach_attempts", "plans"):
            db.execute(text(f"DELETE FROM {table}"))
        for client, staff, made, step, follow_up in SEED_PLANS:
            db.execute(text(
                "INSERT INTO plans (client_id, staff_id, created_at, created_on, steps, owner, "
                "follow_up_on, status) VALUES (:c, :s, :at, :on, :steps, 'therapist', :f, 'open')"),
                {"c": client, "s": staff, "at": datetime(made.year, made.month, made.day, 12),
                 "on": made, "steps": json.dumps([{"text": step, "owner": "therapist"}]),
                 "f": follow_up})


def written(engine) -> Dict[str, List[Dict[str, Any]]]:
    seeds = {(c, on) for c, _, on, _, _ in SEED_PLANS}
    with engine.connect() as db:
        outreach = [{"client": r.client_id, "on": str(r.on), "channel": r.channel,
                     "outcome": r.outcome} for r in db.execute(text(
                         'SELECT client_id, "on", channel, outcome FROM outreach_attempts '
                         "WHERE withdrawn_at IS NULL ORDER BY id"))]
        plans = list(db.execute(text(
            "SELECT client_id, created_on, steps, follow_up_on, status, outcome FROM plans "
            "WHERE withdrawn_at IS NULL ORDER BY id")))
    outcomes = [{"client": p.client_id, "outcome": p.outcome} for p in plans
                if (p.client_id, _day(p.created_on)) in seeds and p.status == "closed"]
    new = [{"client": p.client_id, "follow_up_on": _iso(p.follow_up_on),
            "steps": [{"owner": s.get("owner"), "due": s.get("due"), "text": s.get("text", "")}
                      for s in json.loads(p.steps)]}
           for p in plans if (p.client_id, _day(p.created_on)) not in seeds]
    return {"outreach": outreach, "plan_outcomes": outcomes, "plans": new}


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _iso(value) -> Any:
    return None if value is None else str(value)[:10]


def _plan_matches(expected: Dict[str, Any], actual: Dict[str, Any]) -> bool:
    if expected["client"] != actual["client"]:
        return False
    if _iso(expected.get("follow_up_on")) != actual["follow_up_on"]:
        return False
    if len(expected.get("steps") or []) != len(actual["steps"]):
        return False
    for want, got in zip(expected["steps"], actual["steps"], strict=True):
        if want["owner"] != got["owner"] or _iso(want.get("due")) != got["due"]:
            return False
        words = got["text"].lower()
        if not all(w.lower() in words or (len(w) >= 4 and w.lower()[:4] in words)
                   for w in want.get("words") or []):
            return False
    return True


def _same(kind: str, expected: Dict[str, Any], actual: Dict[str, Any]) -> bool:
    if kind == "plans":
        return _plan_matches(expected, actual)
    want = {k: (_iso(v) if k == "on" else v) for k, v in expected.items()}
    return want == actual


def compare(expect: Dict[str, Any], got: Dict[str, List[Dict[str, Any]]]
            ) -> Tuple[int, int, int, int, List[str]]:
    """(right, missing, wrong, invented, notes) for one exchange.

    A row written where one of its kind was expected for that client, but not as expected,
    is wrong (and the expected one missing); a row with no expected row of its kind for
    that client at all is invented: the record says something that was never said."""
    right = missing = wrong = invented = 0
    notes: List[str] = []
    for kind in ("outreach", "plan_outcomes", "plans"):
        left = list(got[kind])
        unmatched = []
        for row in expect.get(kind) or []:
            match = next((a for a in left if _same(kind, row, a)), None)
            if match is None:
                unmatched.append(row)
            else:
                right += 1
                left.remove(match)
        missing += len(unmatched)
        notes += [f"missing {kind}: {row}" for row in unmatched]
        for row in left:
            pair = next((e for e in unmatched if e["client"] == row["client"]), None)
            if pair is not None:
                unmatched.remove(pair)
                wrong += 1
                notes.append(f"wrong {kind}: {row}")
            else:
                invented += 1
                notes.append(f"invented {kind}: {row}")
    return right, missing, wrong, invented, notes


def play(bot: LiveBot, staff: str, turns: List[str], show: bool = False) -> None:
    sender = f"eval-{uuid.uuid4().hex[:10]}"
    last: List[Dict[str, Any]] = []
    for turn in turns:
        message = turn
        if turn.startswith("[") and turn.endswith("]"):
            title = turn[1:-1].strip().lower()
            buttons = [b for m in last for b in (m.get("buttons") or [])]
            chosen = next((b for b in buttons if b["title"].lower() == title), None)
            message = chosen["payload"] if chosen else turn[1:-1]
        last = bot.say(message, staff_id=staff, sender=sender)
        if show:
            print(f"  > {message}")
            for reply in last:
                print("    " + (reply.get("text") or "").replace("\n", "\n    "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="*", default=[
        str(ROOT / "tests" / "frozen" / name)
        for name in ("writes.yml", "writes_dev2.yml", "writes_dev3.yml", "writes_dev4.yml",
                     "writes_dev5.yml", "writes_dev6.yml", "writes_dev7.yml", "writes_dev8.yml",
                     "writes_dev9.yml", "writes_dev10.yml", "writes_dev11.yml",
                     "writes_holdout.yml")])
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--show", action="store_true", help="print each conversation")
    parser.add_argument("--model", default=str(MODEL))
    args = parser.parse_args()
    invented = 0
    with tempfile.TemporaryDirectory() as folder, \
            running_servers(Path(folder), TODAY, Path(args.model)) as bot:
        engine = create_engine(bot.database_url, future=True)
        for path in args.set:
            invented += score(bot, engine, Path(path).resolve(), args.only, args.show)
    return 1 if invented else 0


def score(bot: LiveBot, engine, path: Path, only, show: bool) -> int:
    """Play one set, print its score; the number of rows invented."""
    exchanges = yaml.safe_load(path.read_text())
    if only:
        exchanges = [e for e in exchanges if e["id"] in only]
    totals: Dict[str, Counter] = defaultdict(Counter)
    failures: List[str] = []
    for number, exchange in enumerate(exchanges, start=1):
        reset(engine)
        if show:
            print(f"{exchange['id']} ({exchange['staff']})")
        play(bot, exchange["staff"], [str(t) for t in exchange["turns"]], show)
        right, missing, wrong, invented, notes = compare(exchange.get("expect") or {},
                                                         written(engine))
        for key in (exchange["category"], "all"):
            totals[key].update(exchanges=1, right=right, missing=missing, wrong=wrong,
                               invented=invented,
                               exact=int(not missing and not wrong and not invented))
        if notes:
            failures += [f"{exchange['id']}: {note}" for note in notes]
        print(f"\r{number}/{len(exchanges)} exchanges played", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(f"\n== {path.relative_to(ROOT)}")
    if "holdout" not in path.name:  # the held-out set's details stay unread
        for line in failures:
            print(line)
    print(f"\n{'category':<14}{'exchanges':>10}{'exact':>8}{'rows right':>12}{'missing':>9}"
          f"{'of them wrong':>15}{'invented':>10}")
    for key in sorted(totals, key=lambda k: (k == "all", k)):
        t = totals[key]
        expected = t["right"] + t["missing"]
        print(f"{key:<14}{t['exchanges']:>10}{t['exact']:>8}"
              f"{t['right']:>6}/{expected:<5}{t['missing']:>9}{t['wrong']:>15}"
              f"{t['invented']:>10}")
    t = totals["all"]
    share = t["right"] / max(1, t["right"] + t["missing"])
    print(f"\nRows right: {t['right']} of {t['right'] + t['missing']} ({share:.1%}); "
          f"rows written wrong: {t['wrong']}; rows invented: {t['invented']}; "
          f"exchanges exactly right: {t['exact']} of "
          f"{t['exchanges']}.")
    return t["invented"]


if __name__ == "__main__":
    sys.exit(main())
