"""A real SMS gateway stand-in for the tests: an HTTP server on a free local port that
records each POSTed message (its bearer token and JSON body)."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SmsReceiver:
    def __init__(self):
        self.messages: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.messages.append({"path": self.path,
                                          "authorization": self.headers.get("Authorization"),
                                          **json.loads(body)})
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def last_code(self, to: str) -> str:
        message = [m for m in self.messages if m["to"] == to][-1]
        return re.search(r"\b(\d{6})\b", message["text"]).group(1)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
