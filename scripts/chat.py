"""Chat with a running Reconnect server from the terminal, as a given staff member.

    .venv/bin/python scripts/chat.py --staff T01 [--url http://127.0.0.1:5005]

Buttons are listed with numbers: type the number to choose one.
"""
from __future__ import annotations

import argparse
import os
import uuid

import requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", required=True, help="your staff id, e.g. T01")
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}")
    args = parser.parse_args()
    sender = f"cli-{uuid.uuid4().hex[:8]}"
    buttons: list = []
    print("Type a message (Ctrl-D to quit).")
    while True:
        try:
            text = input("you> ").strip()
        except EOFError:
            print()
            return
        if not text:
            continue
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            reply = requests.post(f"{args.url}/webhooks/rest/webhook", timeout=60, json={
                "sender": sender, "message": text, "metadata": {"staff_id": args.staff}})
            reply.raise_for_status()
            messages = reply.json()
        except (requests.RequestException, ValueError) as exc:
            print(f"Cannot reach the assistant at {args.url} ({exc.__class__.__name__}). "
                  "Is `make run` running, and has it said \"Rasa server is up and running\"?")
            continue
        buttons = []
        for message in messages:
            if message.get("text"):
                print(f"bot> {message['text']}")
            for button in message.get("buttons", []):
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}")


if __name__ == "__main__":
    main()
