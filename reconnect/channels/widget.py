"""The therapists' web widget: a socket.io channel where every conversation is signed in.

Named in credentials.yml; Rasa serves it under `/webhooks/widget/`:

- `widget.js` (socket.io-client, vendored from the npm registry at set-up, and the widget in
  one file) and `widget.css`: a clinic portal embeds the widget with one element and one
  `<script>` tag (README, "Chat in the widget");
- `/webhooks/widget/` a page showing it; in demo mode (no secret or key configured) with a
  demo sign-in (`demo/staff`, `demo/sign-in`, `demo/token`, `demo/sign-out`), which does not
  exist otherwise;
- the socket.io server at `/socket.io/`.

Signed in, always: a socket connects only with a valid token (`auth: {token}`, checked by
reconnect.channels.sign_in), and the staff id it verifies is bound to that socket. Every
message's metadata is the verified staff id and nothing the browser sent. The conversation id
is derived here from that staff id (`<staff id>:widget`), never from anything the browser
says, so one staff member can never continue or read another's conversation. On request the
socket gets its conversation's earlier messages from the tracker store (after a reload),
and nothing else. A socket idle for longer than `idle_minutes` (default 15), or whose token
has expired, is told why and disconnected; the widget then clears the screen.

Some messages are answered here, for the signed-in staff member's role, without the
dialogue (reconnect.channels.widget_roles): an item a link from Slack opens (`#open=<item>`,
sent by the widget after sign-in), and everything the front desk and supervisors ask.

Log lines hold reasons only: never a message, a token or a staff id.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Coroutine, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError

from reconnect.channels.faults import UNREACHABLE_REPLY, limit_action_calls, turn_budget
from reconnect.channels.open_items import requested
from reconnect.channels.rest import EMPTY_PROMPT, conversation_id, too_long_reply
from reconnect.channels.sign_in import (
    Identity,
    SignInError,
    SignInSettings,
    demo_token,
    settings_from,
    verify,
)
from reconnect.channels.widget_roles import Routed, WidgetRoles, shown_as
from reconnect.logs import install as guard_logs
from reconnect.settings import max_message_chars

logger = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent / "web"
SOCKET_IO_CLIENT = WEB / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
WIDGET_SENDER = "widget"
HISTORY_LIMIT = 200
SWEEP_SECONDS = 10.0
DEMO_COOKIE = "reconnect_demo_token"
# The pages and scripts come from this server only; images of the timeline are data: URIs.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
FAILED_REPLY = "Something went wrong on my side with that message. Please try again."


@dataclass
class WidgetSession:
    identity: Identity
    conversation: str
    last_active: float


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, with custom payloads sent as `{"custom": ...}` (Rasa's own
    passes them to `emit` as keyword arguments, which loses them)."""

    sent = 0  # messages sent for the current user message

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        # One message as written: Rasa's splits at each blank line, so a letter arrived as a
        # dozen messages.
        await self._send_message(recipient_id, {"text": text.strip()})


class _Blueprint(SocketBlueprint):
    """Remembers the app it is registered on, where the agent (and its tracker store) is."""

    def __init__(self, channel: "WidgetInput", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        self.ctx.channel.app = app
        super().register(app, options)


def _user_text(text: str, buttons: List[Dict[str, Any]]) -> str:
    """What the user saw themselves say: a button's title for its payload."""
    for button in buttons:
        if button.get("payload") == text:
            return str(button.get("title") or text)
    return text


def history_of(events: List[Any]) -> List[Dict[str, Any]]:
    """The messages of a conversation's events, as the widget shows them."""
    messages: List[Dict[str, Any]] = []
    buttons: List[Dict[str, Any]] = []
    for event in events:
        kind = getattr(event, "type_name", None)
        if kind == "user" and event.text is not None:
            messages.append({"from": "user", "text": shown_as(event.text)
                             or _user_text(event.text, buttons)})
            buttons = []
        elif kind == "bot":
            data = dict(event.data or {})
            message: Dict[str, Any] = {"from": "bot"}
            if event.text:
                message["text"] = event.text
            if data.get("buttons"):
                buttons = list(data["buttons"])
                message["buttons"] = [{"title": b.get("title"), "payload": b.get("payload")}
                                      for b in buttons]
            if data.get("image"):
                message["image"] = data["image"]
            if data.get("custom"):
                message["custom"] = data["custom"]
            if len(message) > 1:
                messages.append(message)
    return messages[-HISTORY_LIMIT:]


class WidgetInput(SocketIOInput):
    """The signed-in socket.io channel of the web widget."""

    @classmethod
    def name(cls) -> Text:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WidgetInput":
        credentials = credentials or {}
        guard_logs()
        limit_action_calls()
        sign_in = settings_from(credentials)
        logger.info("widget channel %s", sign_in.mode_line)
        origins = [o.strip() for o in str(credentials.get("allowed_origins") or "").split(",")
                   if o.strip()]
        return cls(sign_in, origins or None)

    def __init__(self, sign_in: Optional[SignInSettings] = None,
                 allowed_origins: Optional[List[str]] = None,
                 max_chars: Optional[int] = None, database_url: Optional[str] = None) -> None:
        super().__init__(user_message_evt="user_uttered", bot_message_evt="bot_uttered",
                         socketio_path="/socket.io")
        self.sign_in = sign_in or settings_from()
        # None: the page's own origin only; a portal on another origin is named here.
        self.allowed_origins = allowed_origins
        self.max_chars = max_chars or max_message_chars()
        self.sessions: Dict[str, WidgetSession] = {}
        self.roles = WidgetRoles(database_url)
        self.app: Optional[Sanic] = None
        self._sweeper_started = False

    def get_output_channel(self) -> Optional[WidgetOutput]:
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio else None

    # --- the socket ------------------------------------------------------------------------

    def _check(self, sid: str) -> WidgetSession:
        """The socket's session, still signed in and active, or SignInError."""
        session = self.sessions.get(sid)
        if session is None:
            raise SignInError("Please sign in.")
        if session.identity.expires_at <= time.time():
            raise SignInError("Your sign-in has expired. Please sign in again.")
        if time.monotonic() - session.last_active > self.sign_in.idle_minutes * 60:
            raise SignInError(f"You were signed out after {self.sign_in.idle_minutes:g} "
                              "minutes without activity. Please sign in again.")
        return session

    async def _sign_out(self, sio: AsyncServer, sid: str, reason: str) -> None:
        self.sessions.pop(sid, None)
        await sio.emit("signed_out", {"reason": reason}, room=sid)
        await sio.disconnect(sid)

    async def _sweep(self, sio: AsyncServer) -> None:
        """Ends sessions that went idle or whose token expired, without waiting for them."""
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            for sid in list(self.sessions):
                try:
                    self._check(sid)
                except SignInError as ended:
                    logger.info("widget: a session ended (idle or expired)")
                    try:
                        await self._sign_out(sio, sid, str(ended))
                    except Exception as exc:  # a socket gone meanwhile
                        logger.debug("widget: sign-out failed (%s)", type(exc).__name__)

    async def _history(self, conversation: str) -> List[Dict[str, Any]]:
        agent = getattr(getattr(self.app, "ctx", None), "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return []
        tracker = await store.retrieve(conversation)
        return history_of(list(tracker.events)) if tracker else []

    async def _staff_name(self, staff_id: str) -> Optional[str]:
        from reconnect.records.queries import ClientRecords

        try:
            staff = await asyncio.to_thread(ClientRecords().staff, staff_id)
        except Exception as exc:  # the records down: the widget still works, unnamed
            logger.warning("widget: staff name unavailable (%s)", type(exc).__name__)
            return None
        return staff.name if staff else None

    def _register_socket(self, sio: AsyncServer,
                         on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        @sio.on("connect")
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            token = auth.get("token") if isinstance(auth, dict) else None
            try:
                identity = verify(token, self.sign_in)
            except SignInError as refused:
                raise ConnectionRefusedError(str(refused)) from None
            session = WidgetSession(identity, conversation_id(identity.staff_id,
                                                              WIDGET_SENDER),
                                    time.monotonic())
            self.sessions[sid] = session
            entered = sio.enter_room(sid, session.conversation)
            if inspect.isawaitable(entered):  # python-socketio >= 5.10
                await entered
            if not self._sweeper_started:
                self._sweeper_started = True
                sio.start_background_task(self._sweep, sio)
            return True

        @sio.on("disconnect")
        async def disconnect(sid: Text) -> None:
            self.sessions.pop(sid, None)

        @sio.on("session_request")
        async def session_request(sid: Text, data: Any = None) -> None:
            """Whatever session id the browser asks for, it gets its own conversation."""
            try:
                session = self._check(sid)
            except SignInError as ended:
                await self._sign_out(sio, sid, str(ended))
                return
            staff_id = session.identity.staff_id
            await sio.emit("signed_in", {
                "staff_id": staff_id, "name": await self._staff_name(staff_id),
                "idle_minutes": self.sign_in.idle_minutes,
                "expires_at": session.identity.expires_at,
                "demo": self.sign_in.demo}, room=sid)
            await sio.emit("history", {"messages": await self._history(session.conversation)},
                           room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any = None) -> None:
            try:
                session = self._check(sid)
            except SignInError as ended:
                await self._sign_out(sio, sid, str(ended))
                return
            session.last_active = time.monotonic()
            text = data.get("message") if isinstance(data, dict) else None
            if not isinstance(text, str) or not text.strip():
                await sio.emit(self.bot_message_evt, {"text": EMPTY_PROMPT}, room=sid)
                return
            if len(text) > self.max_chars:
                await sio.emit(self.bot_message_evt,
                               {"text": too_long_reply(len(text), self.max_chars)}, room=sid)
                return
            await self._answer(sio, session, text, on_new_message)

    async def _route(self, session: WidgetSession, text: str) -> Routed:
        """What the channel answers itself (an item, the front desk's and supervisors'
        views), or the text the dialogue gets."""
        try:
            return await asyncio.to_thread(self.roles.route, session.identity.staff_id, text)
        except Exception as exc:  # the records down: the dialogue says so as it does then
            logger.warning("widget: the staff member's view failed (%s)", type(exc).__name__)
            return Routed({"text": UNREACHABLE_REPLY}) if requested(text) else Routed(text=text)

    async def _answer(self, sio: AsyncServer, session: WidgetSession, text: str,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        room = session.conversation
        # The only metadata is the verified staff id: nothing the browser sends is passed on.
        metadata = {"staff_id": session.identity.staff_id}
        await sio.emit("bot_typing", {"typing": True}, room=room)
        output = WidgetOutput(sio, self.bot_message_evt)
        try:
            routed = await self._route(session, text)
            if routed.reply is not None:
                await sio.emit(self.bot_message_evt, routed.reply, room=room)
                return
            with turn_budget():
                await on_new_message(UserMessage(
                    routed.text, output, room, input_channel=self.name(), metadata=metadata))
            if not output.sent:  # an action failed or timed out: say so, never silence
                logger.error("widget: no reply to a message; answered that the records are "
                             "unreachable")
                await sio.emit(self.bot_message_evt, {"text": UNREACHABLE_REPLY}, room=room)
        except Exception as exc:  # the type only: the message may be health data
            logger.error("widget: the message failed (%s)", type(exc).__name__)
            await sio.emit(self.bot_message_evt, {"text": FAILED_REPLY}, room=room)
        finally:
            await sio.emit("bot_typing", {"typing": False}, room=room)

    # --- what the server serves --------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                  ) -> Blueprint:
        sio = AsyncServer(async_mode="sanic",
                          cors_allowed_origins=self.allowed_origins)
        self.sio = sio
        hook = _Blueprint(self, sio, self.socketio_path, "widget_webhook", __name__)
        self._register_socket(sio, on_new_message)
        self._register_assets(hook)
        self._register_demo(hook)
        return hook

    def _register_assets(self, hook: Blueprint) -> None:
        @hook.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # the page's links are relative to the folder
                return response.redirect(request.path + "/")
            return response.html(self.page_html(), headers=_page_headers())

        @hook.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "demo": self.sign_in.demo})

        @hook.route("/widget.js", methods=["GET"])
        async def widget_js(request: Request) -> HTTPResponse:
            if not SOCKET_IO_CLIENT.is_file():
                logger.error("widget: %s is missing; run `make setup`", SOCKET_IO_CLIENT)
                return response.text("// the widget's assets are not installed: make setup",
                                     status=503, content_type="text/javascript")
            body = (SOCKET_IO_CLIENT.read_text(encoding="utf-8") + "\n;\n"
                    + (WEB / "widget.js").read_text(encoding="utf-8"))
            return response.text(body, content_type="text/javascript; charset=utf-8",
                                 headers=_asset_headers())

        for name, kind in (("widget.css", "text/css"), ("page.css", "text/css"),
                           ("demo.js", "text/javascript")):
            hook.add_route(_static(WEB / name, kind), f"/{name}", methods=["GET"],
                           name=name.replace(".", "_"))

    def page_html(self) -> str:
        """The page showing the widget; with the demo sign-in only in demo mode."""
        html = (WEB / "index.html").read_text(encoding="utf-8")
        if self.sign_in.demo:
            demo = (WEB / "demo.html").read_text(encoding="utf-8")
            widget = ('<script src="widget.js" data-target="reconnect-chat" '
                      'data-token-url="demo/token"></script>\n<script src="demo.js"></script>')
        else:
            demo, widget = "", '<script src="widget.js" data-target="reconnect-chat"></script>'
        return html.replace("<!--DEMO-->", demo).replace("<!--WIDGET-->", widget)

    def _register_demo(self, hook: Blueprint) -> None:
        if not self.sign_in.demo:
            return  # with a real secret or key, no demo sign-in exists at all

        @hook.route("/demo/staff", methods=["GET"])
        async def demo_staff(request: Request) -> HTTPResponse:
            from reconnect.records.queries import ClientRecords

            staff = await asyncio.to_thread(ClientRecords().staff_members)
            return response.json([{"id": s.id, "name": s.name, "role": s.role}
                                  for s in staff])

        @hook.route("/demo/sign-in", methods=["POST"])
        async def demo_sign_in(request: Request) -> HTTPResponse:
            from reconnect.records.queries import ClientRecords

            try:
                staff_id = json.loads(request.body or b"{}").get("staff_id")
            except (ValueError, AttributeError):
                staff_id = None
            known = (await asyncio.to_thread(ClientRecords().staff, staff_id)
                     if isinstance(staff_id, str) else None)
            if known is None:
                return response.json({"error": "pick one of the demo clinic's staff"},
                                     status=400)
            token = demo_token(self.sign_in, staff_id)
            reply = response.json({"token": token})
            _set_cookie(reply, token, max_age=30 * 60)
            return reply

        @hook.route("/demo/token", methods=["GET"])
        async def demo_current_token(request: Request) -> HTTPResponse:
            """What a portal's token endpoint does: a token for whoever is signed in."""
            token = request.cookies.get(DEMO_COOKIE)
            try:
                verify(token, self.sign_in)
            except SignInError as refused:
                return response.json({"error": str(refused)}, status=401)
            return response.json({"token": token}, headers={"Cache-Control": "no-store"})

        @hook.route("/demo/sign-out", methods=["POST"])
        async def demo_sign_out(request: Request) -> HTTPResponse:
            reply = response.json({"signed_out": True})
            _set_cookie(reply, "", max_age=0)
            return reply


def _set_cookie(reply: HTTPResponse, value: str, max_age: int) -> None:
    reply.cookies[DEMO_COOKIE] = value
    cookie = reply.cookies[DEMO_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/webhooks/widget/"
    cookie["max-age"] = max_age
    reply.headers["Cache-Control"] = "no-store"


def _page_headers() -> Dict[str, str]:
    return {"Content-Security-Policy": CSP, "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _asset_headers() -> Dict[str, str]:
    return {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


def _static(path: Path, kind: str) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse]]:
    async def serve(request: Request) -> HTTPResponse:
        return response.text(path.read_text(encoding="utf-8"),
                             content_type=f"{kind}; charset=utf-8", headers=_asset_headers())
    return serve
