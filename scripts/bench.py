#!/usr/bin/env python
"""Reconnect beside a plain `rasa init` bot, measured in one run (not a test).

Trains the plain bot once in var/bench/plain (again only when the installed Rasa changes),
starts each bot in turn on free loopback ports (Reconnect: its action server and its Rasa
server, with a fresh demo clinic), and drives both through the REST webhook:

- cold start: from starting the Rasa server's process to its first reply;
- the Rasa server's memory (RSS) after the run;
- p50 and p95 over sequential messages (conversations of three messages, a new sender each);
- throughput and p95 with concurrent senders for a while (8 senders, 30 s by default);
- one long conversation (200 messages): the median reply of each 50, and the end against
  the start (median of messages 191-200 over median of messages 5-14).

Then, for Reconnect alone, where a message spends its time (each NLU component, the policies,
the action call and its database queries, the conversation store: the model loaded in this
process with Rasa's Agent, each graph node timed) and where the memory goes (each graph
node's load, and the imports). With --scale, throughput with 1 and 2 Rasa processes (the
scale-out topology: PostgreSQL, Redis, nginx; tests/scaleout/topology.py).

    .venv/bin/python scripts/bench.py [--duration 30] [--sequential 60] [--senders 8]
                                      [--long 200] [--no-profile] [--scale]
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live.servers import (  # noqa: E402
    MODEL,
    SIGN_IN_SETTINGS,
    SLACK_SETTINGS,
    VENV_BIN,
    free_port,
)

PLAIN = ROOT / "var" / "bench" / "plain"
TODAY = "2026-03-16"
# One conversation: the summary, the opening, a barrier (a demo therapist's own client).
RECONNECT_MESSAGES = ("pull up Rosa Delgado", "how do I raise it without sounding punitive?",
                      "her work shifts changed and she has no childcare")
PLAIN_MESSAGES = ("hello there", "I am feeling very sad", "yes")
STAFF_ID = "T01"


# --------------------------------------------------------------------------- processes

def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pids += [int(c) for c in children]
        except (OSError, StopIteration):
            continue
    return total / 1024


@dataclass
class Bot:
    name: str
    url: str
    messages: Sequence[str]
    staff_id: Optional[str]
    rasa: subprocess.Popen
    others: List[subprocess.Popen] = field(default_factory=list)
    cold_start: float = 0.0

    def say(self, session: requests.Session, sender: str, text: str) -> float:
        body: Dict[str, object] = {"sender": sender, "message": text}
        if self.staff_id:
            body["metadata"] = {"staff_id": self.staff_id}
        began = time.perf_counter()
        reply = session.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=120)
        reply.raise_for_status()
        if not reply.json():
            raise RuntimeError(f"{self.name}: an empty reply")
        return time.perf_counter() - began

    def stop(self) -> None:
        for process in [self.rasa, *self.others]:
            process.terminate()
        for process in [self.rasa, *self.others]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_first_reply(bot: Bot, began: float, log: Path, timeout: float = 300) -> None:
    session = requests.Session()
    while time.monotonic() - began < timeout:
        if bot.rasa.poll() is not None:
            raise RuntimeError(f"{bot.name} exited early:\n{log.read_text()[-3000:]}")
        try:
            bot.say(session, f"warm-{uuid.uuid4().hex[:6]}", bot.messages[0])
            bot.cold_start = time.monotonic() - began
            return
        except (requests.RequestException, RuntimeError):
            time.sleep(0.25)
    raise RuntimeError(f"{bot.name} did not answer in {timeout:.0f} s")


def base_env() -> Dict[str, str]:
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2",
                SQLALCHEMY_SILENCE_UBER_WARNING="1",
                # This checkout's package, not another copy installed in the environment.
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                         os.environ.get("PYTHONPATH")])))


def plain_is_current() -> bool:
    stamp = PLAIN / ".rasa-version"
    return stamp.exists() and stamp.read_text() == rasa_version() and \
        any((PLAIN / "models").glob("*.tar.gz"))


def rasa_version() -> str:
    from importlib.metadata import version
    return version("rasa")


def ensure_plain_bot() -> Path:
    """The plain `rasa init` bot, trained once and reused while Rasa's version is the same."""
    if not plain_is_current():
        print("Training the plain `rasa init` bot in var/bench/plain (about 2 minutes) ...",
              flush=True)
        subprocess.run(["rm", "-rf", str(PLAIN)], check=True)
        PLAIN.mkdir(parents=True)
        subprocess.run([str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(PLAIN)],
                       cwd=PLAIN, env=base_env(), check=True, stdout=subprocess.DEVNULL)
        (PLAIN / ".rasa-version").write_text(rasa_version())
    return max((PLAIN / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def start_plain(folder: Path) -> Bot:
    model = ensure_plain_bot()
    port = free_port()
    log = folder / "plain.log"
    began = time.monotonic()
    rasa = subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--interface", "127.0.0.1",
                             "--port", str(port), "--model", str(model)],
                            cwd=PLAIN, env=base_env(), stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
    bot = Bot("plain rasa init bot", f"http://127.0.0.1:{port}", PLAIN_MESSAGES, None, rasa)
    wait_first_reply(bot, began, log)
    return bot


def reconnect_env(folder: Path, action_port: int) -> Dict[str, str]:
    return dict(base_env(), DATABASE_URL=f"sqlite:///{folder / 'clinic.db'}",
                RECONNECT_TODAY=TODAY, RECONNECT_TIMEZONE="America/New_York",
                ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
                ACTION_SERVER_TOKEN=secrets.token_hex(32), TRACKER_DIALECT="sqlite",
                TRACKER_DB=str(folder / "conversations.db"),
                # demo sign-in, Slack off
                **{name: "" for name in SIGN_IN_SETTINGS + SLACK_SETTINGS})


def load_demo_clinic(env: Dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([str(VENV_BIN / "reconnect"), *command], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_reconnect(folder: Path) -> Bot:
    action_port, port = free_port(), free_port()
    env = reconnect_env(folder, action_port)
    load_demo_clinic(env)
    log = folder / "reconnect.log"
    began = time.monotonic()
    actions = subprocess.Popen([str(VENV_BIN / "python"), "-m", "reconnect.action_server",
                                "--actions", "actions", "--port", str(action_port)],
                               env=env, cwd=ROOT, stdout=(folder / "actions.log").open("w"),
                               stderr=subprocess.STDOUT)
    rasa = subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--interface", "127.0.0.1",
                             "--port", str(port), "--model", str(MODEL), "--endpoints",
                             "endpoints.yml", "--credentials", "credentials.yml"],
                            env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    bot = Bot("Reconnect", f"http://127.0.0.1:{port}", RECONNECT_MESSAGES, STAFF_ID, rasa,
              [actions])
    wait_first_reply(bot, began, log)
    return bot


# --------------------------------------------------------------------------- measurements

def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def sequential(bot: Bot, count: int) -> List[float]:
    session = requests.Session()
    times = []
    sender = ""
    for i in range(count):
        if i % len(bot.messages) == 0:
            sender = f"seq-{uuid.uuid4().hex[:8]}"
        times.append(bot.say(session, sender, bot.messages[i % len(bot.messages)]))
    return times


def concurrent(say: Callable[[requests.Session, str, str], float], messages: Sequence[str],
               senders: int, duration: float) -> Tuple[float, List[float], int]:
    """Messages per second, latencies and failures with `senders` senders for `duration` s."""
    latencies: List[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def sender_loop() -> None:
        session = requests.Session()
        i = 0
        sender = ""
        while time.monotonic() < deadline:
            if i % len(messages) == 0:
                sender = f"load-{uuid.uuid4().hex[:8]}"
            try:
                took = say(session, sender, messages[i % len(messages)])
                with lock:
                    latencies.append(took)
            except (requests.RequestException, RuntimeError):
                with lock:
                    failures[0] += 1
            i += 1

    began = time.monotonic()
    threads = [threading.Thread(target=sender_loop) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return len(latencies) / elapsed, latencies, failures[0]


def long_conversation(bot: Bot, count: int) -> List[float]:
    session = requests.Session()
    sender = f"long-{uuid.uuid4().hex[:8]}"
    return [bot.say(session, sender, bot.messages[i % len(bot.messages)]) for i in range(count)]


@dataclass
class Figures:
    cold_start: float
    rss: float
    p50: float
    p95: float
    throughput: float
    p95_load: float
    failures: int
    long_medians: List[float]
    long_ratio: float
    other_rss: float


def measure(bot: Bot, args) -> Figures:
    print(f"  {bot.name}: cold start {bot.cold_start:.1f} s; {args.sequential} sequential "
          f"messages ...", flush=True)
    seq = sequential(bot, args.sequential)
    print(f"  {bot.name}: {args.senders} senders for {args.duration:.0f} s ...", flush=True)
    rate, loaded, failures = concurrent(bot.say, bot.messages, args.senders, args.duration)
    print(f"  {bot.name}: one conversation of {args.long} messages ...", flush=True)
    long = long_conversation(bot, args.long)
    blocks = [statistics.median(long[i:i + 50]) * 1000 for i in range(0, len(long), 50)]
    start = statistics.median(long[4:14])
    end = statistics.median(long[-10:])
    return Figures(bot.cold_start, rss_mib(bot.rasa.pid), statistics.median(seq) * 1000,
                   percentile(seq, 0.95) * 1000, rate, percentile(loaded, 0.95) * 1000,
                   failures, blocks, end / start,
                   sum(rss_mib(p.pid) for p in bot.others))


def print_table(plain: Figures, reconnect: Figures, long: int) -> None:
    rows = [("cold start", "s", "cold_start", "{:.1f}"), ("Rasa server RSS", "MB", "rss", "{:,.0f}"),
            ("p50", "ms", "p50", "{:.1f}"), ("p95", "ms", "p95", "{:.1f}"),
            ("throughput", "msg/s", "throughput", "{:.1f}"),
            ("p95 under load", "ms", "p95_load", "{:.0f}"),
            (f"message {long - 9}-{long} / 5-14", "x", "long_ratio", "{:.2f}")]
    print()
    print("| | plain `rasa init` bot | Reconnect | ratio |")
    print("|---|---|---|---|")
    for label, unit, name, form in rows:
        a, b = getattr(plain, name), getattr(reconnect, name)
        print(f"| {label} ({unit}) | {form.format(a)} | {form.format(b)} | {b / a:.2f} |")
    print()
    print(f"Failed requests under load: plain {plain.failures}, Reconnect {reconnect.failures}; "
          f"Reconnect's action server RSS {reconnect.other_rss:,.0f} MB.")
    print("Median reply along one conversation, per 50 messages (ms):")
    print(f"  plain:     {'  '.join(f'{m:.1f}' for m in plain.long_medians)}")
    print(f"  Reconnect: {'  '.join(f'{m:.1f}' for m in reconnect.long_medians)}")


def run_bot(start: Callable[[Path], Bot], folder: Path, args) -> Figures:
    bot = start(folder)
    try:
        return measure(bot, args)
    finally:
        bot.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=30.0,
                        help="seconds of concurrent load (default 30)")
    parser.add_argument("--sequential", type=int, default=60)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--long", type=int, default=200, help="messages in one conversation")
    parser.add_argument("--no-profile", action="store_true",
                        help="skip the in-process profile of Reconnect's message handling")
    parser.add_argument("--scale", action="store_true",
                        help="also throughput with 1 and 2 Rasa processes (PostgreSQL, Redis, "
                             "nginx; root or installed packages needed)")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the throughput with 1 and 2 Rasa processes")
    args = parser.parse_args(argv)
    if not MODEL.is_file():
        print(f"No trained model at {MODEL}: run `make setup` first.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="reconnect-bench-") as tmp:
        folder = Path(tmp)
        if args.scale_only:
            from tests.scaleout.topology import bench_scale
            bench_scale(folder, RECONNECT_MESSAGES, args.senders, args.duration, TODAY, MODEL)
            return 0
        print("Plain bot:", flush=True)
        plain = run_bot(start_plain, folder, args)
        print("Reconnect:", flush=True)
        reconnect = run_bot(start_reconnect, folder, args)
        print_table(plain, reconnect, args.long)
        if not args.no_profile:
            from bench_profile import profile
            profile(folder, RECONNECT_MESSAGES, reconnect_env(folder, 1), rounds=10)
        if args.scale:
            from tests.scaleout.topology import bench_scale
            bench_scale(folder, RECONNECT_MESSAGES, args.senders, args.duration, TODAY, MODEL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
