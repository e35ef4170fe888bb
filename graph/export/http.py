"""The one HTTP layer for every server call (push, sparql --endpoint), on httpx.

* **Credentials** (:mod:`~serokg.graph.export.auth`) come from ``SEROKG_TOKEN`` (Bearer), or
  ``SEROKG_USER`` / ``SEROKG_PASSWORD``, or the netrc file (``$NETRC``, default ``~/.netrc``) entry for the endpoint's host.  With
  ``auth="auto"`` a token is sent as Bearer and a user/password answers the server's challenge
  (HTTP Digest or Basic, from ``WWW-Authenticate``); ``basic``, ``digest`` and ``bearer`` force one.
* **Redirects** are followed only within the endpoint's origin (scheme, host and port), at most
  :data:`MAX_REDIRECTS`, and only when the method and body survive (307/308, or any for GET);
  anything else is a one-line error, so credentials never reach another origin.
* **Deadline**: ``timeout`` bounds the whole request (connect, upload, headers, body), however
  slowly a server trickles bytes: every socket operation gets only the time that is left.
* **Size cap**: an answer larger than ``max_bytes`` (after decompression) is an error.
* **Errors** are :class:`~serokg.errors.RemoteError` / :class:`~serokg.errors.UsageError` with one
  line: the URL without query, status, reason and a hint; no secret ever appears in them.

>>> answer = request("GET", "http://127.0.0.1:7878/query?query=ASK%7B%7D", timeout=5)  # doctest: +SKIP
>>> answer.status, answer.content_type
(200, 'application/sparql-results+json')
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from serokg.graph.export.auth import AUTH_MODES, Auth, credentials, make_auth
from serokg.graph.export.endpoint import check_endpoint, origin, redact

from serokg.errors import RemoteError, UsageError

if TYPE_CHECKING:
    import httpx

__all__ = ["AUTH_MODES", "MAX_BYTES", "MAX_REDIRECTS", "Answer", "FileBody", "request"]

MAX_BYTES = 256 * 1024 * 1024
MAX_REDIRECTS = 5
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str  # lower case, without parameters
    body: bytes


class FileBody:
    """A request body read from a seekable file, re-readable from the start (an authentication
    challenge or a redirect sends it again) without holding it in memory."""

    def __init__(self, handle: Any, length: int):
        self.handle, self.length = handle, length

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(0)
        while chunk := self.handle.read(1 << 16):
            yield chunk


# --- deadline --------------------------------------------------------------------------------------


def _transport(deadline: float):
    """An httpx transport whose every connect, read and write waits at most until ``deadline``."""
    import ssl

    import httpcore
    import httpx

    def left(timeout: float | None, error: type[Exception]) -> float:
        rest = deadline - time.monotonic()
        if rest <= 0:
            raise error("deadline passed")
        return rest if timeout is None else min(timeout, rest)

    class Stream(httpcore.NetworkStream):
        def __init__(self, inner):
            self.inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self.inner.read(max_bytes, left(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            # a large buffer goes out in slices, so a slow reader cannot stretch the deadline
            for i in range(0, len(buffer), 1 << 16):
                self.inner.write(buffer[i:i + (1 << 16)], left(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self.inner.close()

        def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            return Stream(self.inner.start_tls(ssl_context, server_hostname, left(timeout, httpcore.ConnectTimeout)))

        def get_extra_info(self, info: str):
            return self.inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):
        inner = httpcore.SyncBackend()

        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            return Stream(self.inner.connect_tcp(host, port, left(timeout, httpcore.ConnectTimeout),
                                                 local_address, socket_options))

        def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
            raise httpcore.ConnectError("unix sockets are not used")

        def sleep(self, seconds: float) -> None:
            time.sleep(min(seconds, max(0.0, deadline - time.monotonic())))

    # the environment's proxies and netrc are not used (credentials are ours to send), but its CA file is
    context = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or None)
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    transport._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=Backend())
    return transport


# --- the request -----------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    """The OS-level reason under an httpx error (``Connection refused``), never its URL."""
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\"\]]+)", text)
    return match.group(1) if match else exc.__class__.__name__


def _hint(status: int, method: str, auth: Auth, what: str) -> str:
    creds = auth.creds
    if status == 401:
        if auth.sent is None and not (creds.user or creds.token):
            return ("no credentials were sent: set SEROKG_USER and SEROKG_PASSWORD (or SEROKG_TOKEN), "
                    "or add the host to your netrc file")
        if auth.sent == "Basic" and "digest" in auth.challenge or (auth.sent == "Basic" and not auth.challenge
                                                                    and auth.mode == "basic"):
            return "the store may want HTTP Digest: try --auth digest"
        if "bearer" in auth.challenge and not creds.token:
            return "the store asks for a bearer token: set SEROKG_TOKEN"
        return f"the store refused the credentials from {creds.source}: check them"
    if status == 403:
        if auth.sent is None and not (creds.user or creds.token):
            return ("the store forbids this without credentials: set SEROKG_USER and SEROKG_PASSWORD "
                    "(or SEROKG_TOKEN), or add the host to your netrc file")
        if auth.sent is None:
            return "the store forbids this and did not ask for credentials: try --auth basic or --auth digest"
        return "the credentials are valid but not allowed to do this: ask the store's admin for the right"
    if status == 404:
        return f"no such endpoint: check the URL's path ({what})"
    if status == 405:
        return f"this URL does not accept {method}: is it the right endpoint ({what})?"
    if status in (406, 415):
        return "the store does not speak this format at this URL"
    if status == 413:
        return "the request is larger than the store accepts"
    if status == 400:
        return "the store refused the request"
    if status >= 500:
        return "the store failed; its log may say why"
    return "unexpected answer"


def _detail(resp: httpx.Response, secrets: list[str]) -> str:
    """A short one-line excerpt of a plain-text error body (a query's syntax error), secrets masked."""
    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("text/plain", ""):
        return ""
    data = b""
    with contextlib.suppress(Exception):  # a broken error body is not worth a second error
        for chunk in resp.iter_bytes():
            data += chunk
            if len(data) >= 2000:
                break
    text = data[:2000].decode("utf-8", "replace")
    for secret in secrets:
        text = text.replace(secret, "***")
    text = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", " ", text).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def request(method: str, url: str, *, body: bytes | FileBody | None = None, headers: dict[str, str] | None = None,
            timeout: float = 60.0, max_bytes: int = MAX_BYTES, auth: str = "auto", what: str = "the endpoint",
            probe: bool = False) -> Answer:
    """Send one request and return its 2xx answer; anything else is a one-line error.

    ``what`` names the endpoint kind in hints (e.g. "the Graph Store URL, e.g. …/store").
    ``probe`` first asks ``HEAD`` with the credentials, so that an authentication challenge is
    met before a large body is sent (a server may close the connection on a 401 mid-upload).
    """
    import httpx

    parts = check_endpoint(url)
    shown = redact(url)
    deadline = time.monotonic() + timeout
    creds = credentials(parts.hostname or "")
    state, flow = make_auth(creds, auth)
    headers = dict(headers or {})
    if isinstance(body, FileBody):
        headers["Content-Length"] = str(body.length)
    home = origin(url)
    try:
        with httpx.Client(transport=_transport(deadline), timeout=timeout, follow_redirects=False,
                          trust_env=False) as client:
            if probe and (creds.user is not None or creds.token):
                with client.stream("HEAD", url, auth=flow) as resp:
                    if resp.status_code in (401, 403):
                        _fail(resp, method, state, what, shown)
            for _ in range(MAX_REDIRECTS + 1):
                req = client.build_request(method, url, content=body, headers=headers)
                resp = client.send(req, auth=flow, stream=True)
                try:
                    if resp.is_redirect:
                        url = _follow(resp, method, url, home, shown)
                        continue
                    if not 200 <= resp.status_code < 300:
                        _fail(resp, method, state, what, shown)
                    data = _read(resp, max_bytes, shown)
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    return Answer(resp.status_code, ctype, data)
                finally:
                    resp.close()
            raise RemoteError(f"{shown} redirected more than {MAX_REDIRECTS} times")
    except httpx.TimeoutException:
        raise RemoteError(f"no answer from {shown} within {timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise RemoteError(f"cannot reach {shown}: {_reason(exc)}") from None
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise RemoteError(f"connection to {shown} failed: {_reason(exc)}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, UnicodeError) as exc:
        if isinstance(exc, (RemoteError, UsageError)):
            raise
        raise RemoteError(f"cannot send the request to {shown}: {exc.__class__.__name__}") from None


def _fail(resp: httpx.Response, method: str, state: Auth, what: str, shown: str) -> None:
    code = resp.status_code
    detail = _detail(resp, state.creds.secrets()) if code == 400 or code >= 500 else ""
    raise RemoteError(f"{shown} answered HTTP {code} {_clean_reason(resp.reason_phrase)}: "
                      f"{_hint(code, method, state, what)}" + (f" (the store says: {detail})" if detail else ""))


def _clean_reason(reason: str) -> str:
    return " ".join(_CONTROL.sub(" ", reason).split())[:60]


def _follow(resp: httpx.Response, method: str, url: str, home, shown: str) -> str:
    """The next URL of a redirect we may follow, or a one-line error."""
    import urllib.parse

    location = resp.headers.get("location", "")
    target = urllib.parse.urljoin(url, location)
    try:
        same = location and origin(target) == home
    except ValueError:
        same = False
    code = resp.status_code
    if not same:
        raise RemoteError(f"{shown} answered HTTP {code} redirecting to {redact(target)}, another origin: "
                          "serokg sends credentials only to the endpoint's own origin; use that URL as --endpoint "
                          "if you trust it")
    if method != "GET" and code not in (307, 308):
        raise RemoteError(f"{shown} answered HTTP {code} redirecting to {redact(target)}, which would drop the "
                          f"{method} body: use that URL as --endpoint")
    return target


def _read(resp: httpx.Response, max_bytes: int, shown: str) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RemoteError(f"{shown} sent an answer of {int(declared):,} bytes, more than the limit of "
                          f"{max_bytes:,} (--max-size)")
    chunks, size = [], 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise RemoteError(f"{shown} sent an answer larger than the limit of {max_bytes:,} bytes (--max-size)")
        chunks.append(chunk)
    return b"".join(chunks)
