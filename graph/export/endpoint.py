"""The one URL builder for every server call (push, sparql --endpoint).

An endpoint is parsed once with :func:`urllib.parse.urlsplit` and checked; parameters are merged
into its query with :func:`urllib.parse.urlencode`, never by pasting strings, so a ``#``, a
trailing ``?`` or an existing ``?x=1`` cannot drop or garble them (a ``PUT`` that loses its
``graph`` parameter replaces a whole store).

>>> with_params("http://h/store?x=1", {"graph": "http://g/1"})
'http://h/store?x=1&graph=http%3A%2F%2Fg%2F1'
>>> with_params("http://h/store?", {"default": None})
'http://h/store?default'
>>> redact("http://h:1/query?apikey=SECRET")
'http://h:1/query'
"""

from __future__ import annotations

import re
import urllib.parse
from typing import NamedTuple

from serokg.errors import UsageError

__all__ = ["Origin", "check_endpoint", "origin", "redact", "with_params"]

_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


class Origin(NamedTuple):
    scheme: str
    host: str
    port: int


def redact(url: str) -> str:
    """The URL as it may be shown: scheme, host, port and path; no userinfo, query or fragment
    (a query can hold an API key)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
    except ValueError:
        return "the endpoint"
    shown = urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
    return _BAD_CHARS.sub("?", shown)


def check_endpoint(url: str, what: str = "the endpoint") -> urllib.parse.SplitResult:
    """``url`` split, if it is an absolute http(s) URL without credentials, fragment, spaces or
    control characters and with a valid port; else :class:`UsageError` (the URL redacted)."""
    shown = redact(url)
    if _BAD_CHARS.search(url):
        raise UsageError(f"{what} {shown!r} contains a space, a backslash or a control character: "
                         "percent-encode it (%20)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number in range)
    except ValueError:
        raise UsageError(f"{what} {shown!r} is not a valid URL (check the host and port)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http:// or https:// URL, not {shown!r}")
    if "@" in parts.netloc:
        raise UsageError("credentials do not belong in the endpoint URL: set SEROKG_USER and SEROKG_PASSWORD "
                         "(or SEROKG_TOKEN), or add the host to your netrc file")
    if "#" in url:
        raise UsageError(f"{what} {shown!r} has a #fragment, which is never sent to the server: remove it")
    return parts


def origin(url: str) -> Origin:
    """Scheme, host and port (the default port filled in): where credentials may go."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return Origin(parts.scheme.lower(), (parts.hostname or "").lower(), port)


def with_params(endpoint: str, params: dict[str, str | None], reserved: tuple[str, ...] = (),
                what: str = "the endpoint") -> str:
    """``endpoint`` with ``params`` added to its query (``None``: a bare key such as ``default``).

    Refuses an endpoint whose query already names one of ``params`` or ``reserved``: which one
    the server would use is not defined, and for a Graph Store a lost ``graph`` means the whole store.
    """
    parts = check_endpoint(endpoint, what)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    taken = sorted({k for k, _ in pairs} & (set(params) | set(reserved)))
    if taken:
        raise UsageError(f"{what} {redact(endpoint)!r} already has a {taken[0]!r} parameter in its query: "
                         "remove it (serokg sets it)")
    query = [urllib.parse.urlencode(pairs)] if pairs else []
    for key, value in params.items():
        query.append(urllib.parse.quote(key, safe="") if value is None else urllib.parse.urlencode({key: value}))
    return urllib.parse.urlunsplit(parts._replace(query="&".join(query), fragment=""))
