"""Two Rasa replicas and two action servers behind nginx, sharing PostgreSQL and Redis.

One topology for the module (tests/scaleout/topology.py); the replica-killing test runs last.
"""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import TEST_TODAY
from tests.live.servers import MODEL
from tests.scaleout.topology import LOCK_LIFETIME_SECONDS, scaled_out

pytestmark = pytest.mark.scaleout

PLAN = ("let's offer fortnightly telehealth on Thursdays and I'll call her next Friday, "
        "review in 2 weeks")
PROPOSED = "Here's the plan for Ellen Brooks as I understood it"


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: scripts/test.sh trains it before this test")
    with scaled_out(tmp_path_factory.mktemp("scaleout"), TEST_TODAY.isoformat(), MODEL) as top:
        yield top


def _sender() -> str:
    return f"scale-{uuid.uuid4().hex[:8]}"


def _plans(topology, client_id: str = "C005") -> int:
    engine = create_engine(topology.clinic_url, future=True)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM plans WHERE client_id = :c "
                                        "AND staff_id = 'T01'"), {"c": client_id}).scalar()
    engine.dispose()
    return int(count or 0)


def test_one_conversation_goes_on_across_replicas(topology):
    a, b = topology.replicas
    me = _sender()
    before = _plans(topology)
    assert "Ellen Brooks" in topology.text("pull up Ellen Brooks", me, url=a)
    proposed = topology.text(PLAN, me, url=b)          # the plan form, filled on B
    assert PROPOSED in proposed and "Follow-up: Mon 30 Mar 2026" in proposed
    assert "Saved" in topology.text("yes", me, url=a)  # ... confirmed on A
    assert _plans(topology) == before + 1


def test_concurrent_messages_on_one_conversation_are_handled_one_at_a_time(topology):
    me = _sender()
    clients = ["Ellen Brooks", "Maya Patel", "Rosa Delgado", "Maya Chen", "Tom Becker",
               "Ellen Brooks", "Rosa Delgado", "Maya Patel"]
    replicas = topology.replicas

    def send(i: int) -> Tuple[str, str]:
        return clients[i], topology.text(f"pull up {clients[i]}", me,
                                         url=replicas[i % len(replicas)])

    with ThreadPoolExecutor(len(clients)) as pool:
        answers = list(pool.map(send, range(len(clients))))
    for client, reply in answers:      # each reply is its own message's
        assert reply.startswith(f"{client}: attendance"), (client, reply[:60])
    events = topology.tracker(f"T01:{me}")["events"]
    said = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(said) == sorted(f"pull up {c}" for c in clients)   # none lost, none twice
    # Handled one at a time: between two messages, exactly the first one's summary.
    summaries: List[List[str]] = []
    for event in events:
        if event["event"] == "user":
            summaries.append([event["text"].removeprefix("pull up ")])
        elif event["event"] == "bot" and ": attendance" in (event.get("text") or "") \
                and summaries:
            summaries[-1].append(event["text"].split(":")[0])
    assert summaries and all(turn[1:] == turn[:1] for turn in summaries), summaries


def test_killing_a_replica_under_load_loses_no_plan_and_conversations_go_on(topology):
    a, _ = topology.replicas
    saved_before = _plans(topology)
    me = _sender()
    topology.text("pull up Ellen Brooks", me, url=a)
    assert PROPOSED in topology.text(PLAN, me, url=a)   # proposed on A, which will die

    results: List[Tuple[float, float, bool]] = []
    stop = threading.Event()

    def load() -> None:
        session = requests.Session()
        while not stop.is_set():
            sender, began = _sender(), time.monotonic()
            try:
                reply = session.post(f"{topology.balancer}/webhooks/rest/webhook", timeout=60,
                                     json={"sender": sender, "message": "pull up Rosa Delgado",
                                           "metadata": {"staff_id": "T01"}})
                ok = reply.ok and reply.json()[0]["text"].startswith("Rosa Delgado")
            except requests.RequestException:
                ok = False
            results.append((began, time.monotonic(), ok))

    senders = [threading.Thread(target=load) for _ in range(4)]
    for thread in senders:
        thread.start()
    time.sleep(4)
    killed_at = time.monotonic()
    topology.kill_replica(0)
    # The conversation whose plan was proposed on A is confirmed through the balancer (on B).
    assert "Saved" in topology.text("yes", me)
    time.sleep(6)
    stop.set()
    for thread in senders:
        thread.join()

    assert _plans(topology) == saved_before + 1
    before = [ok for _, ended, ok in results if ended < killed_at]
    after = [ok for began, _, ok in results if began > killed_at + 1]
    assert before and all(before)
    # Once the balancer has seen A refuse, every message goes to B and is answered.
    assert len(after) >= 4 and all(after), after
    assert LOCK_LIFETIME_SECONDS <= 10
