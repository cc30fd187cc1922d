"""The Slack channel alone, wired into a Sanic app as Rasa wires it (`/webhooks/slack/`),
with a stand-in for the assistant that says (through Slack) what it was given:

    python -m tests.channels.slack_server PORT DATABASE_URL API_URL SECRET [phi]
"""
from __future__ import annotations

import json
import sys

from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from reconnect.channels.slack import ClinicSlackInput
from reconnect.settings import SlackMode


class EchoAgent:
    async def handle_message(self, message: UserMessage) -> None:
        await message.output_channel.send_text_with_buttons(
            message.sender_id, json.dumps({
                "conversation": message.sender_id, "channel": message.input_channel,
                "staff_id": (message.metadata or {}).get("staff_id"), "text": message.text}),
            [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}])


def app(database_url: str, api_url: str, secret: str, phi: bool) -> Sanic:
    server = Sanic("slack_channel_test")
    server.ctx.agent = EchoAgent()
    channel = ClinicSlackInput("xoxb-test", secret, api_url, SlackMode(phi), database_url)
    register([channel], server, route="/webhooks/")
    return server


if __name__ == "__main__":
    port, url, api, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    app(url, api, secret, len(sys.argv) > 5 and sys.argv[5] == "phi").run(
        host="127.0.0.1", port=port, access_log=False)
