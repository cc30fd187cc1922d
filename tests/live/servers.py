"""The real action server and Rasa server on free loopback ports, with a demo clinic database
of their own, for the live tests and the frozen evaluation sets."""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
# The Rasa environment's programs, also when the browser tests (their own virtualenv) start
# the servers.
VENV_BIN = Path(sys.executable).parent
if not (VENV_BIN / "rasa").exists():
    VENV_BIN = ROOT / ".venv" / "bin"
SIGN_IN_SETTINGS = ("RECONNECT_JWT_SECRET", "RECONNECT_JWT_PUBLIC_KEY", "RECONNECT_JWT_ISSUER",
                    "RECONNECT_JWT_AUDIENCE", "RECONNECT_IDLE_MINUTES",
                    "RECONNECT_WIDGET_ORIGINS", "RECONNECT_DEMO_SECRET")
# The Slack channel's settings: empty (off) unless a test gives them.
SLACK_SETTINGS = ("RECONNECT_SLACK_BOT_TOKEN", "RECONNECT_SLACK_SIGNING_SECRET",
                  "RECONNECT_SLACK_API_URL")


def conversation_id(staff_id: Optional[str], sender: str) -> str:
    """As reconnect.channels.rest.conversation_id (a test checks they agree)."""
    return f"{staff_id or ''}:{sender}"
MODEL = ROOT / "models" / "reconnect.tar.gz"
START_TIMEOUT = 240


def stop_all(processes: List[subprocess.Popen]) -> None:
    """Ask each process to end, then wait for each; kill what has not ended in 30 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, process, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log.read_text()[-4000:]}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"{what} did not start in {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


class ActionServer:
    """The action server process, which the fault tests stop, hang and start again."""

    def __init__(self, command: List[str], env: Dict[str, str], log: Path, port: int):
        self.command, self.env, self.log, self.port = command, env, log, port
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT,
                                        stdout=self.log.open("a"), stderr=subprocess.STDOUT)
        _wait(lambda: requests.get(f"http://127.0.0.1:{self.port}/health", timeout=2).ok,
              self.process, "the action server", self.log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGCONT)  # in case it was hung
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def hang(self) -> None:
        """Freeze it (SIGSTOP): it accepts connections and never answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


class LiveBot:
    def __init__(self, url: str, database_url: str, tracker_db: Path, action_url: str = "",
                 action_token: str = "", logs: Optional[Dict[str, Path]] = None,
                 settings: Optional[Mapping[str, str]] = None,
                 action_server: Optional[ActionServer] = None):
        self.url = url
        self.database_url = database_url
        self.tracker_db = tracker_db
        self.action_url = action_url        # the action server's base URL
        self.action_token = action_token    # the secret the Rasa server sends it
        self.logs = logs or {}
        self.settings = dict(settings or {})  # the sign-in settings it was started with
        self.action_server = action_server

    @staticmethod
    def conversation(sender: str, staff_id: Optional[str] = "T01") -> str:
        """The id the server keeps a sender's conversation under for this staff member."""
        return conversation_id(staff_id, sender)

    def say(self, text: str, staff_id: Optional[str] = "T01",
            sender: Optional[str] = None):
        body = {"sender": sender or f"live-{uuid.uuid4().hex[:10]}", "message": text}
        if staff_id is not None:
            body["metadata"] = {"staff_id": staff_id}
        reply = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60)
        reply.raise_for_status()
        return reply.json()

    def text(self, *args, **kwargs) -> str:
        return "\n".join(m.get("text", "") for m in self.say(*args, **kwargs))


@contextmanager
def running_servers(folder: Path, today: date, model: Path = MODEL,
                    settings: Optional[Mapping[str, str]] = None) -> Iterator[LiveBot]:
    """Start both servers with a fresh demo clinic in `folder`; stop them afterwards.

    `settings`: sign-in settings (SIGN_IN_SETTINGS); none given means demo mode."""
    database_url = f"sqlite:///{folder / 'clinic.db'}"
    tracker_db = folder / "conversations.db"
    action_port, rasa_port, token = free_port(), free_port(), secrets.token_hex(16)
    action_token = secrets.token_hex(32)  # a fresh secret between the two servers each run
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=database_url, RECONNECT_TODAY=today.isoformat(),
               RECONNECT_TIMEZONE="America/New_York",
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
               ACTION_SERVER_TOKEN=action_token,
               TRACKER_DIALECT="sqlite", TRACKER_DB=str(tracker_db),
               RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("ACTION_HOST", None)  # the action server's own default: loopback
    sign_in = {name: "" for name in SIGN_IN_SETTINGS + SLACK_SETTINGS}
    sign_in.update(settings or {})
    env.update(sign_in)
    reconnect = str(VENV_BIN / "reconnect")
    subprocess.run([reconnect, "db", "upgrade"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    subprocess.run([reconnect, "demo", "load"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)

    action_log, rasa_log = folder / "actions.log", folder / "rasa.log"
    processes: List[subprocess.Popen] = []
    logging_config = ["--logging-config-file", str(ROOT / "logging.yml")]
    action_log.write_text("")
    actions = ActionServer(
        [str(VENV_BIN / "python"), "-m", "reconnect.action_server", "--actions", "actions",
         "--port", str(action_port), *logging_config], env, action_log, action_port)
    try:
        rasa = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--interface", "127.0.0.1", "--port", str(rasa_port),
             "--model", str(model), "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "--enable-api", "--auth-token", token,
             *logging_config],
            env=env, cwd=ROOT, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT)
        processes.append(rasa)
        actions.start()
        _wait(lambda: requests.get(f"http://127.0.0.1:{rasa_port}/status",
                                   params={"token": token}, timeout=2
                                   ).json().get("model_file"),
              rasa, "the Rasa server", rasa_log)
        yield LiveBot(f"http://127.0.0.1:{rasa_port}", database_url, tracker_db,
                      f"http://127.0.0.1:{action_port}", action_token,
                      {"actions": action_log, "rasa": rasa_log}, sign_in, actions)
    finally:
        actions.stop()
        stop_all(processes)
