"""When a part behind the Rasa server fails, the therapist gets a clear reply, not silence.

Rasa 3.6 waits 300 s for the action server (`DEFAULT_REQUEST_TIMEOUT`, not read from
endpoints.yml), and when an action call fails it logs the error, drops the action's events and
sends nothing. The channels (REST and widget) load this at start-up and:

- set the timeout of a call to the action server to RECONNECT_ACTION_TIMEOUT seconds (default
  8), through the module attribute Rasa's `RemoteAction` reads at each call (no installed file
  is changed);
- answer a message that produced no reply at all (the action server stopped, hung or failed)
  with UNREACHABLE_REPLY. The conversation keeps the message and whatever was waiting (a plan
  read back, safety open), and goes on from there once the part is back.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional

ACTION_TIMEOUT_ENV = "RECONNECT_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 8.0
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


def limit_action_calls(seconds: Optional[float] = None) -> float:
    """Make Rasa give up on a call to the action server after `seconds`; returns them."""
    import rasa.core.actions.action as remote

    seconds = action_timeout() if seconds is None else seconds
    remote.DEFAULT_REQUEST_TIMEOUT = seconds
    return seconds
