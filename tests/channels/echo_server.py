"""The REST channel alone, wired into a Sanic app as Rasa wires it (`/webhooks/<name>/`),
with a stand-in for the assistant that says what it was given. For the channel's tests:

    python -m tests.channels.echo_server PORT [MAX_CHARS]
"""
from __future__ import annotations

import json
import sys

from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic

from reconnect.channels.rest import ClinicRestInput

FAIL = "please fail now"  # the stand-in raises on this text, as a broken assistant would


class EchoAgent:
    async def handle_message(self, message: UserMessage) -> None:
        if message.text == FAIL:
            raise RuntimeError(f"failed on {message.text}")
        await message.output_channel.send_text_message(message.sender_id, json.dumps({
            "conversation": message.sender_id, "channel": message.input_channel,
            "metadata": message.metadata, "chars": len(message.text or "")}))


def app(max_chars: int = 0) -> Sanic:
    server = Sanic("channel_test")
    server.ctx.agent = EchoAgent()
    register([ClinicRestInput(max_chars or None)], server, route="/webhooks/")
    return server


if __name__ == "__main__":
    port = int(sys.argv[1])
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    app(limit).run(host="127.0.0.1", port=port, access_log=False)
