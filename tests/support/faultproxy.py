"""A small fault-injecting HTTP proxy on 127.0.0.1 for testing how serokg meets failing servers.

Modes:
- ``status:CODE``: answer every request with that HTTP status, forwarding nothing;
- ``hang``: read the request, then say nothing until the client gives up;
- ``drop``: forward the request line, headers and half of the body to the real server, then
  close both connections (a connection lost mid-request);
- ``pass``: forward everything (to check the proxy itself).

>>> with FaultProxy("127.0.0.1", 7878, "status:500") as proxy:  # doctest: +SKIP
...     url = proxy.url
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable

__all__ = ["FaultProxy", "free_port", "wait_until_up"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float, failure: Callable[[], str],
                  poll: float = 0.25) -> None:
    """Return once ``url`` answers; fail the test with ``failure()`` if ``proc`` dies or ``seconds`` pass."""
    import pytest

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=min(2.0, seconds)).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(failure())
            time.sleep(poll)


def _read_request(conn: socket.socket) -> tuple[bytes, bytes]:
    """The head (up to the blank line) and the body, read to Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n", body


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, mode: str):
        self.upstream = (upstream_host, upstream_port)
        self.mode = mode
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.requests = 0

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.requests += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                head, body = _read_request(conn)
                if self.mode.startswith("status:"):
                    code = int(self.mode.split(":")[1])
                    text = b"simulated failure"
                    conn.sendall(b"HTTP/1.1 %d Simulated\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                                 b"Connection: close\r\n\r\n%s" % (code, len(text), text))
                elif self.mode == "hang":
                    self._stop.wait(30)
                elif self.mode in ("drop", "pass"):
                    with socket.create_connection(self.upstream, timeout=10) as up:
                        if self.mode == "drop":
                            up.sendall(head + body[: len(body) // 2])
                            return  # both sockets close: the request is cut in the middle of its body
                        up.sendall(head + body)
                        while chunk := up.recv(65536):
                            conn.sendall(chunk)
            except OSError:
                pass
