"""Small misbehaving HTTP servers on 127.0.0.1 (one thread per request) for the network tests.

Each :class:`Stub` answers every request the same way and records what it received, so a test
can check what reached it (for instance that no credential did).  Every loop is bounded.

Modes (``answer`` argument):
- ``Answer(status, headers, body)``: a fixed answer;
- ``redirect(code, location)``: a redirect;
- ``trickle(body, delay)``: the headers at once, then the body one byte per ``delay`` seconds;
- ``trickle_head(delay)``: the status line and headers themselves one byte at a time;
- ``huge(size, declared)``: ``size`` bytes of a JSON-looking body, with or without Content-Length;
- ``reflect()``: HTTP 400 whose text/plain body echoes the request headers;
- ``Answer(..., challenge='Basic realm="x"')``: HTTP 401 with that challenge until a request
  carries ``Authorization``, then the answer.
``routes`` gives some paths their own answer (a same-origin redirect target).

>>> with Stub(Answer(200, {"Content-Type": "text/plain"}, b"hi")) as stub:  # doctest: +SKIP
...     url = stub.url
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["JSON", "Answer", "Stub", "huge", "redirect", "reflect", "trickle", "trickle_head"]

JSON = "application/sparql-results+json"
MAX_SECONDS = 60  # no stub answer lasts longer, whatever the client does


@dataclass(frozen=True)
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    mode: str = "fixed"
    delay: float = 0.0
    size: int = 0
    declared: bool = True
    challenge: str | None = None  # answer 401 with this WWW-Authenticate unless Authorization was sent


def redirect(code: int, location: str) -> Answer:
    return Answer(code, {"Location": location, "Content-Length": "0"})


def trickle(body: bytes, delay: float, ctype: str = JSON) -> Answer:
    return Answer(200, {"Content-Type": ctype, "Content-Length": str(len(body))}, body, "trickle", delay)


def trickle_head(delay: float) -> Answer:
    return Answer(200, {}, b"", "trickle_head", delay)


def huge(size: int, declared: bool = True) -> Answer:
    return Answer(200, {"Content-Type": JSON}, b"", "huge", size=size, declared=declared)


def reflect() -> Answer:
    return Answer(400, {"Content-Type": "text/plain"}, b"", "reflect")


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Stub:
    def __init__(self, answer: Answer, routes: dict[str, Answer] | None = None):
        self.answer = answer
        self.routes = routes or {}  # path (without query) -> its own answer
        self.seen: list[Seen] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 64 << 20)) if length else b""
                stub.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                try:
                    stub._answer(self)
                except (BrokenPipeError, ConnectionResetError, TimeoutError):
                    pass
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)

    def __enter__(self) -> Stub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        a = self.routes.get(h.path.split("?", 1)[0], self.answer)
        if a.challenge and "Authorization" not in h.headers:
            a = Answer(401, {"WWW-Authenticate": a.challenge, "Content-Type": "text/plain"}, b"log in")
        start = time.monotonic()
        if a.mode == "trickle_head":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: " + JSON.encode() + b"\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
            for i in range(len(head)):
                if time.monotonic() - start > MAX_SECONDS:
                    return
                h.wfile.write(head[i:i + 1])
                h.wfile.flush()
                time.sleep(a.delay)
            return
        if a.mode == "reflect":
            body = "".join(f"{k}: {v}\n" for k, v in sorted(h.headers.items()) if k.lower() != "user-agent").encode()
            a = Answer(400, {"Content-Type": "text/plain"}, body)
        h.send_response(a.status)
        for name, value in a.headers.items():
            h.send_header(name, value)
        if a.mode == "huge":
            if a.declared:
                h.send_header("Content-Length", str(a.size))
            h.send_header("Connection", "close")
            h.end_headers()
            if h.command == "HEAD":
                return
            block = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b" " * 65000
            sent = 0
            while sent < a.size and time.monotonic() - start < MAX_SECONDS:
                piece = block[: a.size - sent]
                h.wfile.write(piece)
                sent += len(piece)
            return
        if "Content-Length" not in a.headers:
            h.send_header("Content-Length", str(len(a.body)))
        if "Connection" not in a.headers:  # every connection is closed after one answer: say so, or a
            h.send_header("Connection", "close")  # client may reuse it and race the close
        h.end_headers()
        if h.command == "HEAD":
            return
        if a.mode == "trickle":
            for i in range(len(a.body)):
                if time.monotonic() - start > MAX_SECONDS:
                    return
                h.wfile.write(a.body[i:i + 1])
                h.wfile.flush()
                time.sleep(a.delay)
            return
        h.wfile.write(a.body)
