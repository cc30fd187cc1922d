"""A fake Slack Web API on loopback: records every call (chat.postMessage, conversations.open,
...) and answers as Slack does, so that what Reconnect sends to Slack can be checked offline."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Tuple
from urllib.parse import parse_qs


class FakeSlack:
    def __init__(self) -> None:
        self.calls: List[Tuple[str, Dict[str, Any]]] = []
        self.signing_secret = ""  # the app's, for whoever signs requests to the webhook
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                kind = (self.headers.get("content-type") or "").split(";")[0]
                if kind == "application/json":
                    params = json.loads(body or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    for key in ("blocks", "attachments"):
                        if isinstance(params.get(key), str):
                            params[key] = json.loads(params[key])
                path, _, query = self.path.partition("?")
                method = path.rsplit("/", 1)[-1]
                for key, values in parse_qs(query).items():  # some methods send a query
                    params.setdefault(key, values[0])
                params["_token"] = (self.headers.get("authorization") or "").split(" ")[-1]
                with fake._lock:
                    fake.calls.append((method, params))
                answer: Dict[str, Any] = {"ok": True}
                if method == "conversations.open":
                    answer["channel"] = {"id": "D" + str(params.get("users", "X"))}
                elif method == "chat.postMessage":
                    answer.update(channel=params.get("channel"), ts=f"{time.time():.6f}")
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeSlack":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def posts(self, channel: str = "") -> List[Dict[str, Any]]:
        with self._lock:
            return [p for m, p in self.calls if m == "chat.postMessage"
                    and (not channel or p.get("channel") == channel)]

    def wait_for_posts(self, count: int = 1, channel: str = "", timeout: float = 30.0
                       ) -> List[Dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            posts = self.posts(channel)
            if len(posts) >= count:
                return posts
            time.sleep(0.05)
        raise AssertionError(f"expected {count} post(s) to {channel or 'Slack'}, got "
                             f"{self.posts(channel)}")

    def everything_sent(self) -> str:
        """Every call's parameters as one text, to look for what must never be there."""
        with self._lock:
            return json.dumps(self.calls)


def text_of(post: Dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in post.items() if k != "_token"})
