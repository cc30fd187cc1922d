"""The widget and REST channels alone, wired into a Sanic app as Rasa wires them, with a
stand-in for the assistant that says what it was given and keeps the conversation's events
(for the history after a reload). For the channels' sign-in tests:

    python -m tests.channels.widget_server PORT SIGN_IN_JSON

SIGN_IN_JSON holds the channels' credentials (jwt_secret, jwt_public_key, jwt_issuer,
jwt_audience, idle_minutes); `{}` is demo mode (RECONNECT_DEMO_SECRET signs demo tokens).
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from types import SimpleNamespace
from typing import Any, Dict, List

from rasa.core.channels.channel import UserMessage, register
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from reconnect.channels.rest import ClinicRestInput
from reconnect.channels.widget import WidgetInput


class Store:
    def __init__(self) -> None:
        self.events: Dict[str, List[Any]] = defaultdict(list)

    async def retrieve(self, conversation: str) -> Any:
        if conversation not in self.events:
            return None
        return SimpleNamespace(events=list(self.events[conversation]))


class EchoAgent:
    def __init__(self) -> None:
        self.tracker_store = Store()

    async def handle_message(self, message: UserMessage) -> None:
        said = json.dumps({"conversation": message.sender_id, "channel": message.input_channel,
                           "metadata": message.metadata, "text": message.text})
        self.tracker_store.events[message.sender_id] += [
            UserUttered(message.text), BotUttered(said, {"buttons": [
                {"title": "Maya Chen", "payload": "/choose{\"c\": 1}"}]})]
        await message.output_channel.send_text_with_buttons(
            message.sender_id, said, [{"title": "Maya Chen", "payload": "/choose{\"c\": 1}"}])


def app(credentials: Dict[str, Any]) -> Sanic:
    server = Sanic("widget_test")
    server.ctx.agent = EchoAgent()
    register([ClinicRestInput.from_credentials(credentials),
              WidgetInput.from_credentials(credentials)], server, route="/webhooks/")
    return server


if __name__ == "__main__":
    port = int(sys.argv[1])
    app(json.loads(sys.argv[2])).run(host="127.0.0.1", port=port, access_log=False)
