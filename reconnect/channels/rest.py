"""The REST channel, made safe on its own: `POST /webhooks/rest/webhook`.

    {"sender": "...", "message": "...", "metadata": {"staff_id": "T01"}}

Rasa's own `RestInput` files a request without a sender under one shared `default`
conversation, lets anyone continue anyone's conversation by reusing its sender id, answers a
malformed body with HTTP 500 and a traceback, and reads a message of any length. This channel
(named in `credentials.yml` in place of `rest:`, same URL):

- refuses a request without a sender (400, with a short reason);
- keeps staff members' conversations apart: the conversation id is derived here, on the
  server, from the staff id of the message's metadata and the sender
  (`conversation_id("T01", "me")` is `"T01:me"`), so a second staff member sending on the
  first one's sender id gets a fresh conversation and never sees or changes the first one's;
  a message without a staff id has a conversation of its own that no staff member's is;
- answers a malformed body (not JSON, not an object, wrong types, characters that are not
  text, nesting too deep) with 400 and a short reason, never a traceback;
- answers an empty or blank message with a short prompt, and a message longer than
  `max_message_chars` (clinic.yml, or RECONNECT_MAX_MESSAGE_CHARS; default 2,000) with a
  clear reply, before the NLU sees either;
- caps the request body (413 beyond it), reading it in chunks so a huge body is never held;
- answers a message that got no reply at all (the action server stopped, hung or failed) with
  a clear one, and gives up on a hung action server after a few seconds
  (reconnect/channels/faults.py).

When a sign-in secret or key is configured (reconnect.channels.sign_in), every request needs
`Authorization: Bearer <token>`, signed as the web widget's are (401 without a valid one), and
the staff id is the verified token's: any `staff_id` in the metadata is replaced. Without one
(demo mode) the staff id of the metadata is trusted, and the start-up log says so.

Its log lines hold reasons and sizes only: never a message's text, a sender or metadata.
"""
from __future__ import annotations

import json
import logging
import re
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reconnect.channels.faults import UNREACHABLE_REPLY, limit_action_calls, turn_budget
from reconnect.channels.sign_in import (
    SignInError,
    SignInSettings,
    bearer,
    settings_from,
    verify,
)
from reconnect.logs import install as guard_logs
from reconnect.settings import max_message_chars

logger = logging.getLogger(__name__)

# A staff id as the clinic's records hold it: letters, digits and . _ - only, so that the
# first ":" of a conversation id always ends it.
STAFF_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_SENDER_CHARS = 128
MAX_DEPTH = 16
# Bytes of body allowed per character of message (a JSON escape of an emoji is 12), plus
# room for the sender and metadata: a message a little over the limit still gets its reply.
BODY_BYTES_PER_CHAR = 12
BODY_OVERHEAD = 16 * 1024

EMPTY_PROMPT = ("I didn't get a message there. Name a client you'd like to look at, or ask "
                "what I can do.")


def too_long_reply(length: int, limit: int) -> str:
    return (f"That message is too long for me to read ({length:,} characters; the limit is "
            f"{limit:,}). Please send the question on its own, in fewer words.")


def conversation_id(staff_id: Optional[str], sender: str) -> str:
    """The server's conversation id for a sender as this staff member (none: "")."""
    return f"{staff_id or ''}:{sender}"


@dataclass
class Incoming:
    sender: str
    text: str
    metadata: Dict[str, Any]
    staff_id: Optional[str]

    @property
    def conversation(self) -> str:
        return conversation_id(self.staff_id, self.sender)


class BadRequest(ValueError):
    """A request the channel refuses; the message is the short reason given back."""


def _check_values(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BadRequest("the body is nested too deeply")
    if isinstance(value, str):
        if "\x00" in value:
            raise BadRequest("the body holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest("the body holds characters that are not valid text") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_values(key, depth + 1)
            _check_values(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_values(item, depth + 1)


def parse_request(body: bytes, verified_staff_id: Optional[str] = None) -> Incoming:
    """The message a request body carries, or BadRequest with the reason.

    With a verified staff id (from a signed token), the metadata's own `staff_id` is replaced
    by it, whatever it was."""
    data = _json_object(body)
    sender = _sender(data.get("sender"))
    text = data["message"] if "message" in data else _missing("message is required")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadRequest("message must be a string")
    metadata = data.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise BadRequest("metadata must be a JSON object")
    if verified_staff_id is not None:
        return Incoming(sender, text, dict(metadata, staff_id=verified_staff_id),
                        verified_staff_id)
    return Incoming(sender, text, metadata,
                    _staff_id(metadata.get("staff_id")))


def _missing(reason: str) -> Any:
    raise BadRequest(reason)


def _json_object(body: bytes) -> Dict[str, Any]:
    if not body.strip():
        raise BadRequest("the body is empty: send a JSON object with sender and message")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object with sender and message")
    _check_values(data)
    return data


def _sender(sender: Any) -> str:
    if sender is None or (isinstance(sender, str) and not sender.strip()):
        raise BadRequest("sender is required: a string naming the conversation")
    if not isinstance(sender, str):
        raise BadRequest("sender must be a string")
    if len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"sender is longer than {MAX_SENDER_CHARS} characters")
    if not sender.isprintable():
        raise BadRequest("sender holds control characters")
    return sender


def _staff_id(staff_id: Any) -> Optional[str]:
    if staff_id in (None, ""):
        return None
    if not isinstance(staff_id, str) or not STAFF_ID.fullmatch(staff_id):
        raise BadRequest("metadata.staff_id must be a staff id (letters, digits, . _ -; "
                         "at most 64)")
    return staff_id


def _error(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


class WholeMessages(CollectingOutputChannel):
    """Rasa's collecting output, with each text kept whole: Rasa's splits it at each blank
    line, so a letter came back as a dozen messages."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=text.strip()))


class ClinicRestInput(RestInput):
    """Rasa's REST channel with the checks above; same name, same URL."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ClinicRestInput":
        guard_logs()
        sign_in = settings_from(credentials)
        logger.info("rest channel %s", sign_in.mode_line)
        logger.info("rest channel: calls to the action server time out after %.0f s",
                    limit_action_calls())
        return cls(sign_in=sign_in)

    def __init__(self, max_chars: Optional[int] = None,
                 sign_in: Optional[SignInSettings] = None) -> None:
        # Read at start-up: a wrong setting stops the server with the setting's name.
        self.max_chars = max_chars or max_message_chars()
        self.sign_in = sign_in or settings_from()
        self.max_body_bytes = BODY_OVERHEAD + BODY_BYTES_PER_CHAR * self.max_chars

    async def _read_body(self, request: Request) -> Optional[bytes]:
        """The body, or None when it is larger than the cap (never read past it)."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return None
        chunks, size = [], 0
        while True:
            chunk = await request.stream.read() if request.stream else None
            if chunk is None:
                break
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                  ) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            body = await self._read_body(request)
            if body is None:
                logger.warning("rest: request refused, body over %d bytes", self.max_body_bytes)
                return _error(413, f"the request body is larger than {self.max_body_bytes} "
                                   "bytes")
            verified: Optional[str] = None
            if not self.sign_in.demo:
                try:
                    verified = verify(bearer(request.headers.get("authorization")),
                                      self.sign_in).staff_id
                except SignInError as refused:
                    return _error(401, str(refused))
            try:
                incoming = parse_request(body, verified)
            except BadRequest as refused:
                logger.info("rest: request refused (400): %s", refused)
                return _error(400, str(refused))
            return await self._answer(incoming, on_new_message)

        return hook

    async def _answer(self, incoming: Incoming,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]
                      ) -> HTTPResponse:
        if not incoming.text.strip():
            return self._reply(incoming, EMPTY_PROMPT)
        if len(incoming.text) > self.max_chars:
            logger.info("rest: message of %d characters refused (limit %d)",
                        len(incoming.text), self.max_chars)
            return self._reply(incoming, too_long_reply(len(incoming.text), self.max_chars))
        collector = WholeMessages()
        try:
            with turn_budget():
                await on_new_message(UserMessage(incoming.text, collector,
                                                 incoming.conversation,
                                                 input_channel=self.name(),
                                                 metadata=incoming.metadata))
        except CancelledError:
            logger.error("rest: the message timed out")
            return _error(503, "the assistant took too long to answer; try again")
        except Exception as exc:  # the error type only: the message may be health data
            logger.error("rest: the message failed (%s)", type(exc).__name__)
            return _error(500, "the assistant failed on this message; try again")
        if not collector.messages:
            # An action failed or timed out (its error is in the log): say so, never silence.
            logger.error("rest: no reply to a message; answered that the records are "
                         "unreachable")
            return self._reply(incoming, UNREACHABLE_REPLY)
        return response.json(self._for_sender(collector.messages, incoming.sender))

    def _reply(self, incoming: Incoming, text: str) -> HTTPResponse:
        return response.json([{"recipient_id": incoming.sender, "text": text}])

    @staticmethod
    def _for_sender(messages: Any, sender: str) -> Union[list, Any]:
        """Replies addressed as the caller named the conversation."""
        return [dict(m, recipient_id=sender) if isinstance(m, dict) else m for m in messages]
