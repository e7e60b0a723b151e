"""A school system's webhook endpoint, for tests: a real HTTP server on a free local port that
keeps every POST it receives and answers with the statuses it is given, in turn (then 200)."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    answers: list = field(default_factory=list)
    delay: float = 0.0
    received: list = field(default_factory=list)

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(dict(self.headers), body))
                time.sleep(receiver.delay)
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/casework-events"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def verify(secret: str, received: Received, *, tolerance: int = 300) -> bool:
    """What a receiver does with ``Casework-Signature``: recompute the HMAC of "<t>.<body>" with
    its secret, compare in constant time, and refuse a signature older than ``tolerance``."""
    import hashlib
    import hmac

    parts = dict(item.split("=", 1) for item in received.headers["Casework-Signature"].split(","))
    signed = f"{parts['t']}.".encode() + received.body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(parts["t"])) <= tolerance
    return fresh and hmac.compare_digest(expected, parts["v1"])
