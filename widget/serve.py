"""Serve the chat widget bundle (widget/dist) and its demo page.

Environment:
  WIDGET_PORT       port to listen on (default 8080)
  WIDGET_HOST       interface to bind (default 127.0.0.1)
  WIDGET_RASA_URL   bot server the demo page connects to (default http://localhost:5005)
  WIDGET_START_OPEN "true" opens the chat on the demo page at load (default true)
  WIDGET_DEMO_CSP   "0" turns off the demo page's Content-Security-Policy (default on)

Only the files of widget/dist are served; the demo page is dist/index.html with
its placeholders filled in.  Stdlib only.
"""

from __future__ import annotations

import argparse
import gzip
import html
import mimetypes
import os
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
DEFAULT_DIST = HERE / "dist"

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("application/json", ".map")


_GZIP_CACHE: dict = {}


def _gzipped(file: Path, body: bytes) -> bytes:
    """gzip of a dist file, cached per path until the file changes."""
    mtime = file.stat().st_mtime_ns
    cached = _GZIP_CACHE.get(str(file))
    if cached is None or cached[0] != mtime:
        cached = (mtime, gzip.compress(body, compresslevel=6))
        _GZIP_CACHE[str(file)] = cached
    return cached[1]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """CSP for the demo page: scripts only from this server; sockets only to the bot."""
    origin = _origin(rasa_url)
    ws_origin = origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # deep-chat and the widget inject <style> elements and style attributes
            "style-src 'self' 'unsafe-inline'",
            f"connect-src 'self' {origin} {ws_origin}",
            "img-src 'self' data: https:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
        ]
    )


class WidgetHandler(BaseHTTPRequestHandler):
    server_version = "symptom-chat-widget"
    sys_version = ""

    def __init__(self, *args, dist: Path, settings: dict[str, str], **kwargs):
        self.dist = dist
        self.settings = settings
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if os.environ.get("WIDGET_QUIET") != "1":
            super().log_message(format, *args)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return self._index()
        if path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        name = path.lstrip("/")
        if not name or "/" in name or name.startswith("."):
            return self._not_found()
        file = (self.dist / name).resolve()
        if (
            file.parent != self.dist.resolve()
            or not file.is_file()
            or name == "index.html"
        ):
            return self._not_found()
        ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/json",):
            ctype += "; charset=utf-8"
        extra = (
            {"Access-Control-Allow-Origin": "*"}
            if file.suffix in (".js", ".map")
            else {}
        )
        body = file.read_bytes()
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts_gzip and file.suffix in (".js", ".map", ".txt"):
            body = _gzipped(file, body)
            extra.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        self._send(HTTPStatus.OK, body, ctype, extra)

    def _index(self) -> None:
        page = self.dist / "index.html"
        if not page.is_file():
            msg = b"widget/dist is missing: run `make widget-build` first.\n"
            return self._send(
                HTTPStatus.SERVICE_UNAVAILABLE, msg, "text/plain; charset=utf-8"
            )
        text = page.read_text(encoding="utf-8")
        text = text.replace(
            "__RASA_URL__", html.escape(self.settings["rasa_url"], quote=True)
        )
        text = text.replace(
            "__START_OPEN__", html.escape(self.settings["start_open"], quote=True)
        )
        extra = {}
        if self.settings["csp"]:
            extra["Content-Security-Policy"] = content_security_policy(
                self.settings["rasa_url"]
            )
        self._send(
            HTTPStatus.OK, text.encode("utf-8"), "text/html; charset=utf-8", extra
        )


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default=os.environ.get("WIDGET_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("WIDGET_PORT", "8080"))
    )
    parser.add_argument(
        "--rasa-url", default=os.environ.get("WIDGET_RASA_URL", "http://localhost:5005")
    )
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST)
    args = parser.parse_args(argv)

    rasa_url = args.rasa_url.rstrip("/")
    if urlsplit(rasa_url).scheme not in ("http", "https"):
        parser.error(f"WIDGET_RASA_URL must be an http(s) URL, got {rasa_url!r}")
    settings = {
        "rasa_url": rasa_url,
        "start_open": "false"
        if os.environ.get("WIDGET_START_OPEN", "true").lower() in ("0", "false", "no")
        else "true",
        "csp": os.environ.get("WIDGET_DEMO_CSP", "1").lower()
        not in ("0", "false", "no"),
    }
    if not (args.dist / "widget.js").is_file():
        print(
            f"warning: {args.dist}/widget.js not found; run `make widget-build`",
            file=sys.stderr,
        )

    handler = partial(WidgetHandler, dist=args.dist, settings=settings)
    httpd = ThreadingHTTPServer((args.host, args.port), handler)
    httpd.daemon_threads = True
    shown_host = (
        "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::", "::1") else args.host
    )
    port = httpd.server_address[1]
    print(
        f"Chat widget demo: http://{shown_host}:{port}/  (bot server: {rasa_url})",
        flush=True,
    )
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
