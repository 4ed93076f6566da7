"""Local fakes of the messaging providers' APIs, on 127.0.0.1.

Each fake records the bot's outbound calls and answers like the real API
(shapes from the providers' docs), checking the credentials it was given.
It can be stopped and started again on the same port to play an outage.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.servers import free_port


@dataclass
class Call:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    json: dict | None = None
    form: dict = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class FakeProvider:
    """kind: telegram | slack | twilio | facebook."""

    def __init__(self, kind: str, secret: str, account: str = "") -> None:
        self.kind = kind
        self.secret = secret  # bot token / bearer token / auth token / page token
        self.account = account  # Twilio account SID
        self.port = free_port()
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.sent_ids = 0

    # --- lifecycle -------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeProvider:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                call = Call(
                    "POST",
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    call.json = json.loads(body or b"{}")
                elif "form" in ctype:
                    call.form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                status, answer = fake.answer(call)
                with fake.lock:
                    fake.calls.append(call)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    # --- the API ---------------------------------------------------------
    def answer(self, call: Call) -> tuple[int, dict]:
        self.sent_ids += 1
        if self.kind == "telegram":
            if not call.path.startswith(f"/bot{self.secret}/"):
                return 401, {
                    "ok": False,
                    "error_code": 401,
                    "description": "Unauthorized",
                }
            if call.endpoint == "getMe":
                return 200, {"ok": True, "result": {"id": 1, "is_bot": True,
                                                    "username": "TwitchHelpBot"}}  # fmt: skip
            if call.endpoint == "sendMessage":
                text = (call.json or {}).get("text", "")
                if len(text) > 4096:
                    return 400, {"ok": False, "description": "message is too long"}
                return 200, {"ok": True, "result": {"message_id": self.sent_ids}}
            return 200, {"ok": True, "result": True}
        if self.kind == "slack":
            if call.headers.get("authorization") != f"Bearer {self.secret}":
                return 200, {"ok": False, "error": "invalid_auth"}
            return 200, {"ok": True, "ts": f"1700000000.{self.sent_ids:06d}"}
        if self.kind == "twilio":
            expected = (
                "Basic "
                + base64.b64encode(f"{self.account}:{self.secret}".encode()).decode()
            )
            if call.headers.get("authorization") != expected:
                return 401, {"code": 20003, "message": "Authenticate"}
            if len(call.form.get("Body", "")) > 1600:
                return 400, {"code": 21617, "message": "body too long"}
            return 201, {"sid": f"SM{self.sent_ids:032d}", "status": "queued"}
        if self.kind == "facebook":
            if call.query.get("access_token") != self.secret:
                return 400, {"error": {"message": "Invalid OAuth access token",
                                       "code": 190}}  # fmt: skip
            return 200, {"recipient_id": "x", "message_id": f"m_{self.sent_ids}"}
        return 404, {}

    # --- for the tests ---------------------------------------------------
    def take(self) -> list[Call]:
        """The calls received since the last take()."""
        with self.lock:
            calls, self.calls = self.calls, []
        return calls
