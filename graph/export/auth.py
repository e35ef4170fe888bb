"""Credentials and HTTP authentication for the one HTTP layer (:mod:`~serokg.graph.export.http`).

Credentials come from ``SEROKG_TOKEN`` (Bearer), or ``SEROKG_USER`` / ``SEROKG_PASSWORD``, or the
netrc file (``$NETRC``, default ``~/.netrc``) entry for the endpoint's host; they are checked
(no control characters) without ever being echoed.  :class:`Auth` sends them the way the mode
says: ``auto`` answers the scheme the server's 401 challenge names (Digest or Basic).

>>> state, flow = make_auth(Credentials(), "auto")  # no credentials: requests go without
>>> state.sent is None
True
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from serokg.errors import UsageError

if TYPE_CHECKING:
    import httpx

__all__ = ["AUTH_MODES", "Auth", "Credentials", "credentials", "make_auth"]

AUTH_MODES = ("auto", "basic", "digest", "bearer")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None
    source: str = ""  # where they came from, for hints: "SEROKG_TOKEN", "SEROKG_USER", "netrc"

    def secrets(self) -> list[str]:
        found = [s for s in (self.password, self.token) if s]
        if self.user and self.password:
            found.append(base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii"))
        return found


def _netrc(host: str) -> Credentials:
    import netrc

    path = os.environ.get("NETRC") or None
    try:
        found = netrc.netrc(path).authenticators(host)
    except FileNotFoundError:
        return Credentials()
    except netrc.NetrcParseError as exc:
        # exc.msg can quote the file's tokens (a password): show only where the problem is
        why = "its permissions let others read it" if "permissive" in (exc.msg or "") else "it is not valid netrc syntax"
        raise UsageError(f"cannot read the netrc file {exc.filename}: {why}") from None
    except OSError as exc:
        raise UsageError(f"cannot read the netrc file: {exc.strerror or exc.__class__.__name__}") from None
    if not found:
        return Credentials()
    return Credentials(user=found[0], password=found[2], source="netrc")


def credentials(host: str) -> Credentials:
    token = os.environ.get("SEROKG_TOKEN")
    if token:
        if not _TOKEN.fullmatch(token):
            raise UsageError("SEROKG_TOKEN holds a space, a line break, a control or a non-ASCII character "
                             "(a trailing newline from a file?): a bearer token is printable ASCII")
        return Credentials(token=token, source="SEROKG_TOKEN")
    user, password = os.environ.get("SEROKG_USER"), os.environ.get("SEROKG_PASSWORD")
    found = Credentials(user=user, password=password, source="SEROKG_USER") if user is not None and \
        password is not None else _netrc(host)
    for name, value in (("user name", found.user), ("password", found.password)):
        if value is not None and _CONTROL.search(value):
            raise UsageError(f"the {name} from {found.source} holds a line break or a control character")
    return found


class Auth:
    """httpx authentication for one command: Bearer, Basic, Digest, or (auto) the scheme the
    server's challenge names.  Remembers what it sent and what was asked, for the error hint."""

    def __init__(self, creds: Credentials, mode: str):
        import httpx

        self.creds, self.mode = creds, mode
        self.sent: str | None = None
        self.challenge: list[str] = []
        self.basic = None
        if creds.user is not None:
            pair = base64.b64encode(f"{creds.user}:{creds.password}".encode()).decode("ascii")
            self.basic = f"Basic {pair}"
        self.digest = httpx.DigestAuth(creds.user or "", creds.password or "") if creds.user is not None else None
        self.chosen = {"basic": "basic", "digest": "digest"}.get(mode)

    def flow(self, req: httpx.Request):
        if self.creds.token:
            req.headers["Authorization"] = f"Bearer {self.creds.token}"
            self.sent = "Bearer"
        if self.chosen == "basic":
            req.headers["Authorization"] = self.basic
            self.sent = "Basic"
        if self.chosen == "digest":
            self.sent = "Digest"
            yield from self.digest.auth_flow(req)
            return
        resp = yield req
        if resp.status_code != 401:
            return
        self.challenge = [c.split(None, 1)[0].lower() for c in resp.headers.get_list("www-authenticate") if c]
        if self.mode != "auto" or self.sent or self.basic is None:
            return
        if "digest" in self.challenge:
            self.chosen, self.sent = "digest", "Digest"
            inner = self.digest.auth_flow(req)
            retry = inner.send(None)
            retry = inner.send(resp)
            resp = yield retry
            try:
                inner.send(resp)
            except StopIteration:
                pass
        elif "basic" in self.challenge or not self.challenge:  # no challenge at all: Basic, the old default
            self.chosen, self.sent = "basic", "Basic"
            req.headers["Authorization"] = self.basic
            yield req


def make_auth(creds: Credentials, mode: str):
    import httpx

    if mode not in AUTH_MODES:
        raise UsageError(f"--auth must be one of {', '.join(AUTH_MODES)}")
    if mode == "bearer" and not creds.token:
        raise UsageError("--auth bearer needs the token in SEROKG_TOKEN")
    if mode in ("basic", "digest") and creds.user is None:
        raise UsageError(f"--auth {mode} needs SEROKG_USER and SEROKG_PASSWORD, or a netrc entry for the host")
    state = Auth(creds, mode)

    class Flow(httpx.Auth):
        def auth_flow(self, req):
            return state.flow(req)

    return state, Flow()
