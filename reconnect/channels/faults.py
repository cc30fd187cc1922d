"""When a part behind the Rasa server fails, the therapist gets a clear reply, not silence.

Rasa 3.6 waits 300 s for the action server (`DEFAULT_REQUEST_TIMEOUT`, not read from
endpoints.yml); when an action call fails it logs the error, drops the action's events, sends
nothing, and goes on predicting: a turn whose rules run two custom actions (an answer, then
"back to where we were") waits for each in turn. The channels (REST, widget, Slack) load this
at start-up and:

- set the timeout of one call to the action server to RECONNECT_ACTION_TIMEOUT seconds
  (default 8), through the module attribute Rasa's `RemoteAction` reads at each call;
- give each message one budget of the same length for *all* its calls to the action server
  (`turn_budget()`, around the channel's call into Rasa): a call gets what is left of it, and
  once one call has failed or the budget is spent, the turn's later calls fail at once
  instead of waiting again. `RemoteAction.run` is wrapped at start-up for this (no installed
  file is changed); outside a channel's turn (training, `rasa test`) nothing changes;
- answer a message that produced no reply at all (the action server stopped, hung or failed)
  with UNREACHABLE_REPLY. The conversation keeps the message and whatever was waiting (a plan
  read back, safety open), and goes on from there once the part is back.
"""
from __future__ import annotations

import asyncio
import contextvars
import os
import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Optional

ACTION_TIMEOUT_ENV = "RECONNECT_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 8.0
# Less than this left of a turn's budget is not worth a call.
LEAST_USEFUL_SECONDS = 0.05
UNREACHABLE_REPLY = ("I can't reach the clinic records right now; nothing you told me was "
                     "lost, and nothing was saved from this message. Please try again in a "
                     "minute.")


def action_timeout(environ: Optional[Mapping[str, str]] = None) -> float:
    raw = (environ if environ is not None else os.environ).get(ACTION_TIMEOUT_ENV, "")
    if not raw.strip():
        return DEFAULT_ACTION_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 300:
        raise ValueError(f"{ACTION_TIMEOUT_ENV} must be a number of seconds between 0 and 300")
    return seconds


class TurnBudget:
    """The time one message may spend waiting for the action server, over all its calls. The
    clock starts at the turn's first call (waiting for the conversation's lock and reading
    the message do not count)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: Optional[float] = None
        self.failed = False

    def left(self) -> float:
        now = time.monotonic()
        if self.deadline is None:
            self.deadline = now + self.seconds
        return self.deadline - now


_turn: "contextvars.ContextVar[Optional[TurnBudget]]" = contextvars.ContextVar(
    "reconnect_turn_budget", default=None)
_limit = {"seconds": DEFAULT_ACTION_TIMEOUT}


@contextmanager
def turn_budget(seconds: Optional[float] = None) -> Iterator[TurnBudget]:
    """One message's budget for its calls to the action server (see the module's doc)."""
    budget = TurnBudget(_limit["seconds"] if seconds is None else seconds)
    token = _turn.set(budget)
    try:
        yield budget
    finally:
        _turn.reset(token)


def limit_action_calls(seconds: Optional[float] = None) -> float:
    """Make Rasa give up on a call to the action server after `seconds`, and on all of one
    message's calls after the same time in total; returns the seconds."""
    import rasa.core.actions.action as remote

    seconds = action_timeout() if seconds is None else seconds
    remote.DEFAULT_REQUEST_TIMEOUT = seconds
    _limit["seconds"] = seconds
    run = remote.RemoteAction.run
    if not getattr(run, "within_turn_budget", False):
        remote.RemoteAction.run = _within_budget(run)
    return seconds


def _within_budget(run: Any) -> Any:
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    async def run_within_budget(self: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _turn.get()
        if budget is None:
            return await run(self, *args, **kwargs)
        left = budget.left()
        if budget.failed or left < LEAST_USEFUL_SECONDS:
            budget.failed = True
            raise RasaException(f"Not running custom action '{self.name()}': the action "
                                "server already failed or timed out on this message")
        try:
            return await asyncio.wait_for(run(self, *args, **kwargs), timeout=left)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError as timed_out:
            budget.failed = True
            raise RasaException(f"Custom action '{self.name()}' timed out") from timed_out
        except Exception:
            budget.failed = True
            raise

    run_within_budget.within_turn_budget = True  # type: ignore[attr-defined]
    return run_within_budget
