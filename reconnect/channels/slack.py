"""Slack for clinic staff: `POST /webhooks/slack/webhook` (Events API and interactivity).

Rasa's `SlackInput`, made safe for a clinic (named in credentials.yml; README, "Slack"):

- Off unless both the bot token and the signing secret are set (RECONNECT_SLACK_BOT_TOKEN,
  RECONNECT_SLACK_SIGNING_SECRET): the webhook then answers 404 and nothing is read.
- Every request is checked against Slack's signature (HMAC-SHA256 of `v0:{timestamp}:{body}`)
  and timestamp before anything else: missing, wrong, or more than 5 minutes off gets 401.
- Each event is handled once: Slack's retries (X-Slack-Retry-Num) and replays of an event or
  click already seen are acknowledged and dropped, so nothing is answered or recorded twice;
  across restarts and across Rasa processes too, the clinic database being the record of
  what was handled (`HandledEvents`).
- The Slack user is mapped to a staff member by `slack_user_id`; an unknown user gets "not
  linked" and nothing else, and the refusal is audited.
- Direct messages only: in a channel Reconnect only says "Ask me in a direct message".
- The clinic's mode (clinic.yml `slack.health_information`, said at start-up): by default
  nothing identifying a client goes to Slack, and no message reaches the dialogue at all;
  each role gets counts and a link to the widget. With health information allowed, a
  therapist's messages go through the same walkthrough as the widget (staff id from the
  mapping, conversation `<staff id>:slack`), the front desk and supervisors get their views
  as Block Kit menus; a click works as the typed choice.
- The Web API's base URL can be set (RECONNECT_SLACK_API_URL): for GovSlack, or a fake Slack
  on loopback in the tests.

Log lines hold the kind of event and reasons only: never a message's text, a name or an id
of a client.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from reconnect.channels import slack_replies as say
from reconnect.channels.faults import UNREACHABLE_REPLY, limit_action_calls, turn_budget
from reconnect.channels.rest import conversation_id
from reconnect.channels.slack_roles import front_desk_reply, supervisor_reply
from reconnect.records.queries import ClientRecords
from reconnect.records.read_backs import FrontDeskReadBacks
from reconnect.records.slack_events import HandledSlackEvents
from reconnect.records.staff_views import StaffViews
from reconnect.settings import SlackMode, clinic_now, clinic_today, max_message_chars, slack_mode

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 5 * 60
SEEN_FOR_SECONDS = 60 * 60      # Slack retries within minutes; replays are refused by age
SEEN_MAX = 10_000
CHANNEL = "slack"
Handler = Callable[[UserMessage], Awaitable[Any]]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature: v0= + HMAC-SHA256 of `v0:{timestamp}:{body}`."""
    digest = hmac.new(secret.encode("utf-8"), b"v0:" + timestamp.encode("ascii") + b":" + body,
                      hashlib.sha256).hexdigest()
    return f"v0={digest}"


def refusal(secret: str, timestamp: Optional[str], given: Optional[str], body: bytes,
            now: Optional[float] = None) -> Optional[str]:
    """Why a request is not Slack's (None when it is)."""
    if not timestamp or not given:
        return "no signature"
    if not timestamp.isdigit():
        return "bad timestamp"
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_AGE_SECONDS:
        return "stale timestamp"
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        return "wrong signature"
    return None


class SeenEvents:
    """Event ids (and clicks) handled lately: a retry or replay of one is not handled again."""

    def __init__(self) -> None:
        self._seen: "OrderedDict[str, float]" = OrderedDict()

    def first_time(self, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        while self._seen and (len(self._seen) > SEEN_MAX
                              or next(iter(self._seen.values())) < now - SEEN_FOR_SECONDS):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


class HandledEvents:
    """Whether an event or click is seen for the first time, by any Rasa process, since
    an hour ago: the claim on its key in the clinic database (`slack_events_handled`,
    reconnect/records/slack_events.py) decides; this process's own memory is a fast path
    that answers "seen before" without asking the database.

    When the database cannot be reached (or is not migrated) the claim falls back to this
    process's memory for that request: the event is handled unless this process saw it, and
    an error is logged, naming the kind of fault only. A retry reaching another process (or
    this one after a restart) while the database is down could then be handled again; not
    answering staff at all while it is down would be worse, and their messages need the
    database anyway.
    """

    def __init__(self, database_url: Optional[str] = None) -> None:
        self.memory = SeenEvents()
        self.store = HandledSlackEvents(database_url)

    async def first_time(self, key: str) -> bool:
        if not self.memory.first_time(key):
            return False
        try:
            return await asyncio.to_thread(self.store.claim, key)
        except Exception as exc:  # the kind only: never a key, a statement or its values
            logger.error("slack: the record of events handled could not be reached (%s); "
                         "checked against this process's memory only", type(exc).__name__)
            return True


@dataclass(frozen=True)
class Incoming:
    """What a verified request asks: who, where, what (None: nothing to answer)."""

    user: str
    channel: str
    text: str
    direct: bool
    key: str           # the event id or click id that makes it unique


def _event(data: Dict[str, Any], body: bytes) -> Optional[Incoming]:
    event = data.get("event") or {}
    kind = event.get("type")
    if kind not in ("message", "app_mention") or event.get("bot_id") or event.get("subtype"):
        return None  # edits, joins, the bot's own messages: nothing to answer
    direct = event.get("channel_type") == "im"
    if kind == "message" and not direct:
        return None  # in a channel only a mention is answered (with "ask me in a DM")
    key = str(data.get("event_id") or hashlib.sha256(body).hexdigest())
    return Incoming(str(event.get("user") or ""), str(event.get("channel") or ""),
                    str(event.get("text") or ""), direct, key)


def _click(payload: Dict[str, Any], body: bytes) -> Optional[Incoming]:
    if payload.get("type") != "block_actions" or not payload.get("actions"):
        return None
    action = payload["actions"][0]
    text = SlackInput._get_interactive_response(action)
    if text is None:
        return None  # a link button: nothing to send
    channel = str((payload.get("channel") or {}).get("id")
                  or (payload.get("container") or {}).get("channel_id") or "")
    key = "click:" + str(payload.get("trigger_id") or action.get("action_ts")
                         or hashlib.sha256(body).hexdigest())  # never the click's text
    return Incoming(str((payload.get("user") or {}).get("id") or ""), channel, str(text),
                    channel.startswith("D"), key)


class ClinicSlackBot(SlackBot):
    """Rasa's Slack output, through the configured Web API base URL, with buttons as Block
    Kit, and only payloads meant for Slack passed on (the widget's own ones are dropped)."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None,
                 api_url: Optional[str] = None) -> None:
        super().__init__(token, slack_channel)
        self.client = make_client(token, api_url)
        self.sent = False

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)  # not accepted from bot tokens
        await self.client.chat_postMessage(channel=channel, **kwargs)
        self.sent = True

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        # Rasa's drops every button past five; Block Kit takes 25 in one actions block.
        reply = say.Reply(text, [(str(b.get("title", "")), str(b.get("payload", "")))
                                 for b in buttons])
        await self._post_message(channel=self.slack_channel or recipient_id,
                                 **reply.as_slack())

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        if isinstance(json_message, dict) and ("blocks" in json_message
                                               or "text" in json_message):
            await super().send_custom_json(recipient_id, json_message, **kwargs)


def make_client(token: str, api_url: Optional[str] = None) -> AsyncWebClient:
    if api_url:
        return AsyncWebClient(token, base_url=api_url.rstrip("/") + "/")
    return AsyncWebClient(token)


class ClinicSlackInput(SlackInput):
    """Slack for the clinic's staff (see the module's notes); same name and URL as Rasa's."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ClinicSlackInput":
        credentials = credentials or {}
        limit_action_calls()
        channel = cls(str(credentials.get("slack_token") or ""),
                      str(credentials.get("slack_signing_secret") or ""),
                      str(credentials.get("slack_api_url") or "") or None)
        logger.info("slack channel %s", channel.start_line)
        return channel

    def __init__(self, token: str, signing_secret: str, api_url: Optional[str] = None,
                 mode: Optional[SlackMode] = None, database_url: Optional[str] = None
                 ) -> None:
        self.enabled = bool(token and signing_secret)
        self.mode = mode or slack_mode()
        super().__init__(token, slack_signing_secret=signing_secret)
        self.api_url = api_url
        self.views = StaffViews(database_url)
        self.records = ClientRecords(database_url)
        self.max_chars = max_message_chars()
        self.seen = HandledEvents(database_url)
        # A front desk's outreach attempt waiting for its yes, by staff id, in the database.
        self.pending = FrontDeskReadBacks(database_url)
        self._tasks: Set[asyncio.Task] = set()

    @property
    def start_line(self) -> str:
        if not self.enabled:
            return ("OFF (set RECONNECT_SLACK_BOT_TOKEN and RECONNECT_SLACK_SIGNING_SECRET to "
                    "connect it)")
        return f"ON; {self.mode.line}"

    def _validate_credentials(self) -> None:
        pass  # off without a secret, rather than stopping the server

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> "ClinicSlackBot":
        return ClinicSlackBot(self.slack_token, channel, self.api_url)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        @hook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": "Slack is not configured"}, status=404)
            why = refusal(self.slack_signing_secret,
                          request.headers.get("x-slack-request-timestamp"),
                          request.headers.get("x-slack-signature"), request.body)
            if why:
                logger.warning("slack: request refused (401): %s", why)
                return response.json({"error": "not signed by Slack"}, status=401)
            return await self._receive(request, on_new_message)

        return hook

    async def _receive(self, request: Request, on_new_message: Handler) -> HTTPResponse:
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip()
        try:
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(request.body.decode("utf-8"))
                incoming = _click(json.loads(form["payload"][0]), request.body)
            else:
                data = json.loads(request.body)
                if data.get("type") == "url_verification":
                    return response.json({"challenge": data.get("challenge")})
                incoming = _event(data, request.body) if data.get("type") == \
                    "event_callback" else None
        except (ValueError, KeyError, TypeError, AttributeError):
            logger.info("slack: a signed request that could not be read (400)")
            return response.json({"error": "unreadable request"}, status=400)
        if incoming is None:
            return response.text("")
        if not await self.seen.first_time(incoming.key):
            logger.info("slack: event seen before (retry %s): acknowledged, not handled again",
                        request.headers.get("x-slack-retry-num") or "-")
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        # Slack wants an answer within 3 seconds: the work goes on after it.
        task = asyncio.create_task(self._handle_safely(incoming, on_new_message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return response.text("")

    async def _handle_safely(self, incoming: Incoming, on_new_message: Handler) -> None:
        try:
            await self.handle(incoming, on_new_message)
        except Exception as exc:  # the type only: the message may be health data
            logger.error("slack: the message failed (%s)", type(exc).__name__)

    async def post(self, channel: str, reply: say.Reply) -> None:
        await make_client(self.slack_token, self.api_url).chat_postMessage(
            channel=channel, **reply.as_slack())

    async def handle(self, incoming: Incoming, on_new_message: Handler) -> None:
        """Answer one verified event or click."""
        if not incoming.direct:
            await self.post(incoming.channel, say.Reply(say.ASK_IN_DM))
            return
        staff = await asyncio.to_thread(self.views.staff_by_slack, incoming.user)
        if staff is None:
            await asyncio.to_thread(self.records.record_denied, None,
                                    "slack user not linked to staff", CHANNEL)
            logger.info("slack: a message from a Slack user not linked to staff, refused")
            await self.post(incoming.channel, say.Reply(say.NOT_LINKED))
            return
        text = SlackInput._sanitize_user_message(incoming.text, [])
        if len(text) > self.max_chars:
            await self.post(incoming.channel, say.Reply(say.TOO_LONG))
            return
        staff_id, _name, role = staff
        if not self.mode.health_information:
            reply = await asyncio.to_thread(self._counts, staff_id, role, bool(text.strip()))
            await self.post(incoming.channel, reply)
        elif role == "therapist":
            output = self.get_output_channel(incoming.channel)
            with turn_budget():
                await on_new_message(UserMessage(
                    text, output, conversation_id(staff_id, CHANNEL),
                    input_channel=self.name(),
                    metadata={"staff_id": staff_id, "out_channel": incoming.channel}))
            if not output.sent:  # an action failed or timed out: say so, never silence
                logger.error("slack: no reply to a message; answered that the records are "
                             "unreachable")
                await self.post(incoming.channel, say.Reply(UNREACHABLE_REPLY))
        else:
            reply = await asyncio.to_thread(self.role_reply, staff_id, role, text)
            await self.post(incoming.channel, reply)

    # -- default mode ----------------------------------------------------------------

    def _counts(self, staff_id: str, role: str, asked: bool) -> say.Reply:
        today, now, url = clinic_today(), clinic_now(), self.mode.widget_url
        if role == "therapist":
            view = self.views.therapist(staff_id, today, now, CHANNEL)
            return say.therapist_counts(view, url, asked) if view else say.Reply(url)
        if role == "front_desk":
            desk = self.views.front_desk(staff_id, today, now, CHANNEL)
            return say.front_desk_counts(desk, url, asked) if desk else say.Reply(url)
        supervision = self.views.supervisor(staff_id, today, now, CHANNEL)
        return say.supervisor_counts(supervision, url, asked) if supervision else say.Reply(url)

    # -- health-information mode: front desk and supervisors ---------------------------

    def role_reply(self, staff_id: str, role: str, text: str) -> say.Reply:
        if role == "front_desk":
            return front_desk_reply(self, staff_id, text)
        return supervisor_reply(self, staff_id, text)
