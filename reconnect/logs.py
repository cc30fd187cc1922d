"""Log lines without health information, whoever writes them.

Rasa, rasa-sdk, Sanic and the libraries below them write what they hold into their log lines
on error paths: a failed action call's exception carries the whole conversation, a message
that fails to parse is logged with its text (a structured `user_text` field, or a Python
warning quoting the line), an exception's message can carry SQL parameters or a request body.
The guard here rewrites every log record as it is made, before any handler sees it:

- an exception keeps its types and the place it was raised (file, line), never its message
  or its traceback's values;
- a structured log line (`{"event": ..., ...}`) keeps its event name and level only;
- a Python warning keeps its category and where it was raised;
- a line from outside Reconnect loses any quoted text that is not a plain identifier (an
  action, slot or intent name, a path), and is cut at MAX_CHARS.

Reconnect's own lines (`reconnect.*`, `actions.*`, the action server) are written to hold
ids, kinds and error types only, and pass as written, except for their exceptions.

It is installed by the logging configuration (`logging.yml`, passed to both servers with
`--logging-config-file`: its filter installs it) and by the servers' own code at start-up,
so it holds even when a library replaces the configured handlers (Rasa's coloured console
handler does).
"""
from __future__ import annotations

import json
import logging
import os
import re
import traceback
from types import TracebackType
from typing import Any, Optional, Tuple, Type

MAX_CHARS = 2000
OWN_LOGGERS = ("reconnect", "actions", "__main__")
# Quoted text that is an identifier (an action, slot or intent name, a path, a version) is
# kept; anything else in quotes, which may be what someone typed, is not.
IDENTIFIER = re.compile(r"[a-z0-9_]+(?:[._/:-]+[a-z0-9_]+)*")
# A single quote after a letter is an apostrophe ("Couldn't"), not the start of a quote.
QUOTED = re.compile(r"""(?<![A-Za-z])'[^'\n]*'|"[^"\n]*"|`[^`\n]*`""")
STRUCTURED_EVENT = re.compile(r'"event":\s*"([A-Za-z0-9_.:-]{1,100})"')
WITHHELD = "<withheld>"

ExcInfo = Tuple[Type[BaseException], BaseException, Optional[TracebackType]]

_installed: Optional[Any] = None  # the record factory the guard wraps, once installed


def _exception_line(exc_info: Any) -> str:
    """The exception's types (outermost first) and where the innermost was raised."""
    if not isinstance(exc_info, tuple) or exc_info[1] is None:
        return ""
    error: Optional[BaseException] = exc_info[1]
    types, seen = [], set()
    place = ""
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        types.append(type(error).__name__)
        frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
        if frames and not place:
            last = frames[-1]
            place = f" at {os.path.basename(last.filename)}:{last.lineno} in {last.name}"
        error = error.__cause__ or error.__context__
    return f" [{' <- '.join(types)}{place}]"


def _identifier_or_withheld(match: "re.Match[str]") -> str:
    quoted = match.group(0)
    inner = quoted[1:-1]
    if inner and len(inner) <= 100 and IDENTIFIER.fullmatch(inner) and (
            re.search(r"[._/:\d]", inner)):
        return quoted
    return quoted[0] + WITHHELD + quoted[-1] if inner else quoted


def scrub_text(name: str, message: str) -> str:
    """A log message from logger `name` with anything that may be someone's words removed."""
    if name == "py.warnings":
        # "<file>:<line>: <Category>: <text>\n  <source line>": keep the place and the kind.
        head = re.match(r"\s*(\S+?):(\d+): (\w+)", message)
        return (f"{head.group(3)} at {os.path.basename(head.group(1))}:{head.group(2)}"
                if head else "a warning (text withheld)")
    stripped = message.strip()
    if stripped.startswith("{") and '"event"' in stripped:
        try:
            data = json.loads(stripped)
            event = str(data.get("event", "")) if isinstance(data, dict) else ""
        except ValueError:
            found = STRUCTURED_EVENT.search(stripped)
            event = found.group(1) if found else ""
        return f"{event or 'structured event'} (fields withheld)"
    if name.split(".")[0] in OWN_LOGGERS:
        return message
    message = QUOTED.sub(_identifier_or_withheld, message)
    if len(message) > MAX_CHARS:
        message = message[:MAX_CHARS] + f"... ({len(message) - MAX_CHARS} characters cut)"
    return message


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite `record` in place (once): the message formatted and scrubbed, the exception
    reduced to its types."""
    if getattr(record, "_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: its arguments may be anything
        message = str(record.msg)
    message = scrub_text(record.name, message) + _exception_line(record.exc_info)
    record.msg, record.args = message, None
    record.exc_info, record.exc_text, record.stack_info = None, None, None
    record._scrubbed = True
    return record


class NoHealthInformation(logging.Filter):
    """The filter `logging.yml` names; making it installs the guard for every record."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install()

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def install() -> None:
    """Scrub every log record as it is made, and route Python warnings (which quote the
    line that caused them) through logging. Idempotent."""
    global _installed
    if _installed is not None:
        return
    make = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub(make(*args, **kwargs))

    logging.setLogRecordFactory(scrubbed_record)
    logging.captureWarnings(True)
    _installed = make


def uninstall() -> None:
    """Undo `install` (for tests that run in one process with others)."""
    global _installed
    if _installed is not None:
        logging.setLogRecordFactory(_installed)
        logging.captureWarnings(False)
        _installed = None
