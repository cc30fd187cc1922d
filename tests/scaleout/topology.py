"""Reconnect scaled out on one machine, with real components on loopback:

    nginx (rasa) -> Rasa replica A, Rasa replica B   (endpoints.scaleout.yml)
    nginx (actions) -> action server 1, action server 2
    PostgreSQL: the clinic's records and the conversations (Rasa's SQLTrackerStore)
    Redis: Rasa's RedisLockStore, so one conversation is handled by one process at a time

PostgreSQL is the tests' server when scripts/test.sh started it (RECONNECT_TEST_POSTGRES_URL),
else one started here with scripts/postgres.sh; Redis and nginx are started with
scripts/redis.sh and scripts/nginx.sh. The two Rasa replicas load in parallel.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.live.servers import (
    ROOT,
    SIGN_IN_SETTINGS,
    SLACK_SETTINGS,
    VENV_BIN,
    free_port,
    stop_all,
)

START_TIMEOUT = 300
# A conversation whose message was being handled by a replica that died keeps its lock in
# Redis until the lock's lifetime ends (Rasa's default: 60 s); the next message waits that long.
LOCK_LIFETIME_SECONDS = 10


@dataclass
class Topology:
    balancer: str                 # nginx in front of every Rasa replica
    replicas: List[str]           # each replica directly
    single: str                   # nginx in front of replica A alone (benchmark)
    clinic_url: str               # the clinic's records (PostgreSQL)
    tracker_url: str              # the conversations (PostgreSQL)
    api_token: str                # Rasa's HTTP API
    rasa: List[subprocess.Popen] = field(default_factory=list)
    actions: List[subprocess.Popen] = field(default_factory=list)
    logs: Dict[str, Path] = field(default_factory=dict)

    def say(self, message: str, sender: str, url: Optional[str] = None,
            staff_id: str = "T01") -> List[dict]:
        reply = requests.post(f"{url or self.balancer}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message,
                                    "metadata": {"staff_id": staff_id}}, timeout=120)
        reply.raise_for_status()
        return reply.json()

    def text(self, message: str, sender: str, url: Optional[str] = None) -> str:
        return "\n".join(m.get("text") or "" for m in self.say(message, sender, url))

    def tracker(self, conversation: str) -> dict:
        reply = requests.get(f"{self.replicas[-1]}/conversations/{conversation}/tracker",
                             params={"token": self.api_token}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def kill_replica(self, index: int) -> None:
        self.rasa[index].send_signal(signal.SIGKILL)
        self.rasa[index].wait(timeout=30)


def _script(env: Dict[str, str], *args: str) -> str:
    done = subprocess.run([str(ROOT / "scripts" / args[0]), *args[1:]], env=env, cwd=ROOT,
                          check=True, stdout=subprocess.PIPE, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@contextmanager
def _postgres(folder: Path) -> Iterator[str]:
    url = os.environ.get("RECONNECT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    env = dict(os.environ, PG_TEST_PORT=str(free_port()))  # its folder: /tmp/reconnect-pg-PORT
    url = _script(env, "postgres.sh", "start")
    try:
        yield url
    finally:
        _script(env, "postgres.sh", "stop")


@contextmanager
def _redis() -> Iterator[str]:
    env = dict(os.environ, REDIS_TEST_PORT=str(free_port()))
    url = _script(env, "redis.sh", "start")
    try:
        yield url
    finally:
        _script(env, "redis.sh", "stop")


@contextmanager
def _nginx(folder: Path, balancers: List[str]) -> Iterator[None]:
    _script(dict(os.environ), "nginx.sh", "start", str(folder / "nginx"), *balancers)
    try:
        yield
    finally:
        _script(dict(os.environ), "nginx.sh", "stop", str(folder / "nginx"))


def _fresh_databases(server_url: str, names: List[str]) -> List[str]:
    url = make_url(server_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                           future=True)
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return [str(url.set(database=name)) for name in names]


def _wait(url: str, process: subprocess.Popen, log: Path, params: Optional[dict] = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.name}: exited early\n{log.read_text()[-3000:]}")
        try:
            reply = requests.get(url, params=params, timeout=2)
            if reply.ok and (params is None or reply.json().get("model_file")):
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{log.name}: not up in {START_TIMEOUT}s\n{log.read_text()[-3000:]}")


def _environment(clinic_url: str, tracker_url: str, redis_url: str, actions_port: int,
                 today: str) -> Dict[str, str]:
    tracker, redis = make_url(tracker_url), make_url(redis_url)
    env = dict(os.environ, DATABASE_URL=clinic_url, RECONNECT_TODAY=today,
               RECONNECT_TIMEZONE="America/New_York",
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions_port}/webhook",
               ACTION_SERVER_TOKEN=secrets.token_hex(32),
               TRACKER_HOST=tracker.host or "127.0.0.1", TRACKER_PORT=str(tracker.port or 5432),
               TRACKER_DB=tracker.database or "", TRACKER_USER=tracker.username or "",
               TRACKER_PASSWORD=tracker.password or "",
               REDIS_HOST=redis.host or "127.0.0.1", REDIS_PORT=str(redis.port or 6379),
               REDIS_DB="1", TICKET_LOCK_LIFETIME=str(LOCK_LIFETIME_SECONDS),
               RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
               SQLALCHEMY_SILENCE_UBER_WARNING="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                        os.environ.get("PYTHONPATH")])))
    for name in SIGN_IN_SETTINGS + SLACK_SETTINGS:  # demo sign-in, Slack off
        env[name] = ""
    env.pop("ACTION_HOST", None)
    return env


def _start(command: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)


@contextmanager
def scaled_out(folder: Path, today: str, model: Path, replicas: int = 2,
               action_servers: int = 2) -> Iterator[Topology]:
    """Bring the topology up; take it down (and its databases' servers) afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        server = stack.enter_context(_postgres(folder))
        suffix = uuid.uuid4().hex[:6]
        clinic_url, tracker_url = _fresh_databases(
            server, [f"scaleout_clinic_{suffix}", f"scaleout_conversations_{suffix}"])
        redis_url = stack.enter_context(_redis())
        rasa_ports = [free_port() for _ in range(replicas)]
        action_ports = [free_port() for _ in range(action_servers)]
        balancer, single, actions_port = free_port(), free_port(), free_port()
        env = _environment(clinic_url, tracker_url, redis_url, actions_port, today)
        for command in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([str(VENV_BIN / "reconnect"), *command], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
        token = secrets.token_hex(16)
        topology = Topology(f"http://127.0.0.1:{balancer}",
                            [f"http://127.0.0.1:{p}" for p in rasa_ports],
                            f"http://127.0.0.1:{single}", clinic_url, tracker_url, token)
        stack.callback(stop_all, topology.actions)
        stack.callback(stop_all, topology.rasa)
        for i, port in enumerate(action_ports):
            log = folder / f"actions-{i + 1}.log"
            topology.logs[log.stem] = log
            topology.actions.append(_start(
                [str(VENV_BIN / "python"), "-m", "reconnect.action_server", "--actions",
                 "actions", "--port", str(port)], env, log))
        for i, port in enumerate(rasa_ports):
            log = folder / f"rasa-{'AB'[i]}.log"
            topology.logs[log.stem] = log
            topology.rasa.append(_start(
                [str(VENV_BIN / "rasa"), "run", "--interface", "127.0.0.1", "--port", str(port),
                 "--model", str(model), "--endpoints", "endpoints.scaleout.yml",
                 "--credentials", "credentials.yml", "--enable-api", "--auth-token", token],
                env, log))
        stack.enter_context(_nginx(folder, [
            "rasa=" + f"{balancer}:" + ",".join(f"127.0.0.1:{p}" for p in rasa_ports),
            f"single={single}:127.0.0.1:{rasa_ports[0]}",
            "actions=" + f"{actions_port}:" + ",".join(f"127.0.0.1:{p}" for p in action_ports),
        ]))
        for i, (port, process) in enumerate(zip(action_ports, topology.actions, strict=True)):
            _wait(f"http://127.0.0.1:{port}/health", process, folder / f"actions-{i + 1}.log")
        for url, process, log in zip(topology.replicas, topology.rasa,
                                     sorted(folder.glob("rasa-*.log")), strict=True):
            _wait(f"{url}/status", process, log, {"token": token})
        yield topology


def bench_scale(folder: Path, messages, senders: int, duration: float, today: str,
                model: Path) -> None:
    """Throughput with 1 and 2 Rasa processes, through nginx, on the shared stores."""
    from bench import concurrent, percentile

    print("\nScale-out (PostgreSQL conversations, Redis locks, nginx; loading two Rasa "
          "processes) ...", flush=True)
    with scaled_out(folder / "scale", today, model) as topology:
        rows = []
        for label, url in (("1 Rasa process", topology.single),
                           ("2 Rasa processes", topology.balancer)):
            def say(session: requests.Session, sender: str, message: str,
                    url: str = url) -> float:
                began = time.perf_counter()
                reply = session.post(f"{url}/webhooks/rest/webhook", timeout=120,
                                     json={"sender": sender, "message": message,
                                           "metadata": {"staff_id": "T01"}})
                reply.raise_for_status()
                return time.perf_counter() - began
            concurrent(say, messages, 2, 3)  # warm up first
            rate, latencies, failures = concurrent(say, messages, senders, duration)
            rows.append((label, rate, percentile(latencies, 0.95) * 1000, failures))
    print(f"\n| {senders} senders, {duration:.0f} s | throughput (msg/s) | p95 (ms) | failed |")
    print("|---|---|---|---|")
    for label, rate, p95, failures in rows:
        print(f"| {label} | {rate:.1f} | {p95:.0f} | {failures} |")
    print(f"ratio 2 / 1 processes: {rows[1][1] / rows[0][1]:.2f}")
