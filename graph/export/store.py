"""SPARQL over the data: an embedded pyoxigraph store, a remote SPARQL 1.1 endpoint, and push.

* :func:`query_local` loads the export (N-Quads, nanopublication graphs; the default graph is
  their union) into an in-memory pyoxigraph store and runs a query.
* :func:`query_remote` asks a SPARQL 1.1 Protocol endpoint (POST ``application/sparql-query``).
* :func:`push` replaces one graph of a store through the Graph Store HTTP Protocol: a single
  ``PUT`` of the N-Triples export, so a failed push leaves the previous graph as it was.

Credentials come from ``SEROKG_USER`` / ``SEROKG_PASSWORD`` (or ``SEROKG_TOKEN`` for a bearer
token), else from netrc (``$NETRC`` or ``~/.netrc``), never from the command line; no message
ever contains them.  Only the standard library speaks HTTP.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from serokg.errors import RemoteError, UsageError
from serokg.graph.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    import pyoxigraph

    from serokg.graph.read import Dataset

__all__ = ["DEFAULT_TIMEOUT", "PushResult", "QueryResult", "load_store", "push", "query_local", "query_remote",
           "read_query"]

DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT (variables as columns), one ``ask`` row for ASK, ``s p o`` rows for CONSTRUCT.

    Values are plain strings: an IRI, a literal's lexical form, ``_:label`` for a blank node,
    ``None`` where a variable is unbound.
    """

    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class PushResult:
    statements: int
    graph: str | None
    status: int


def read_query(text: str) -> str:
    """A query given as text, or ``@path`` to read it from a file."""
    if text.startswith("@"):
        path = text[1:]
        try:
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except OSError as exc:
            raise UsageError(f"cannot read the query file {path}: {exc.strerror or exc}") from None
    return text


def load_store(ds: Dataset, base: str = DEFAULT_BASE) -> pyoxigraph.Store:
    """An in-memory pyoxigraph store holding the dataset as nanopublication graphs."""
    import io

    import pyoxigraph as ox

    from serokg.graph.export import write_nt

    buf = io.BytesIO()
    write_nt(ds, buf, base, dataset=True)
    store = ox.Store()
    store.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    return store


def _text(term: Any) -> str | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def query_local(ds: Dataset, query: str, base: str = DEFAULT_BASE,
                store: pyoxigraph.Store | None = None) -> QueryResult:
    """Run a SPARQL query on the embedded store (the default graph is the union of all graphs)."""
    import pyoxigraph as ox

    store = store if store is not None else load_store(ds, base)
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise UsageError(f"the query is not valid SPARQL: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(("ask",), [{"ask": bool(result)}])
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(v.value for v in result.variables)
        return QueryResult(columns, [{c: _text(sol[c]) for c in columns} for sol in result])
    return QueryResult(("s", "p", "o"), [{"s": _text(t.subject), "p": _text(t.predicate), "o": _text(t.object)}
                                         for t in result])


# --- HTTP ------------------------------------------------------------------------------------------


def _check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"the endpoint must be an http:// or https:// URL, not {_redact(url)!r}")
    if parts.username is not None or parts.password is not None:
        raise UsageError("credentials do not belong in the endpoint URL: set SEROKG_USER and SEROKG_PASSWORD "
                         "(or SEROKG_TOKEN), or add the host to your netrc file")
    return parts


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1])
    return urllib.parse.urlunsplit(parts._replace(query="", fragment=""))


def _auth_header(host: str) -> str | None:
    token = os.environ.get("SEROKG_TOKEN")
    if token:
        return f"Bearer {token}"
    user, password = os.environ.get("SEROKG_USER"), os.environ.get("SEROKG_PASSWORD")
    if user is None or password is None:
        import netrc

        try:
            found = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
        except FileNotFoundError:
            found = None
        except (netrc.NetrcParseError, OSError) as exc:
            raise RemoteError(f"cannot read the netrc file: {getattr(exc, 'msg', None) or exc.__class__.__name__}"
                              ) from None
        if not found:
            return None
        user, password = found[0], found[2]
    pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {pair}"


def _request(method: str, url: str, body: Any, headers: dict[str, str], timeout: float,
             length: int | None = None) -> tuple[int, str, bytes]:
    parts = _check_url(url)
    shown = _redact(url)
    headers = dict(headers)
    auth = _auth_header(parts.hostname or "")
    if auth:
        headers["Authorization"] = auth
    if length is not None:
        headers["Content-Length"] = str(length)
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(600).decode("utf-8", "replace").strip()
        hint = " (check SEROKG_USER / SEROKG_PASSWORD or netrc)" if exc.code in (401, 403) else ""
        raise RemoteError(f"{shown} answered HTTP {exc.code} {exc.reason}{hint}"
                          + (f": {detail[:300]}" if detail else "")) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise RemoteError(f"no answer from {shown} within {timeout:g} s") from None
        why = getattr(reason, "strerror", None) or str(reason)
        raise RemoteError(f"cannot reach {shown}: {why}") from None
    except (TimeoutError, socket.timeout):
        raise RemoteError(f"no answer from {shown} within {timeout:g} s") from None
    except (ConnectionError, OSError) as exc:
        raise RemoteError(f"connection to {shown} failed: {exc.strerror or exc.__class__.__name__}") from None


def query_remote(endpoint: str, query: str, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a query on a SPARQL 1.1 Protocol endpoint (e.g. ``http://localhost:7878/query``)."""
    status, ctype, body = _request(
        "POST", endpoint, query.encode("utf-8"),
        {"Content-Type": "application/sparql-query; charset=utf-8",
         "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"},
        timeout)
    ctype = ctype.split(";")[0].strip().lower()
    if ctype in ("application/sparql-results+json", "application/json"):
        try:
            doc = json.loads(body)
        except ValueError:
            raise RemoteError(f"{_redact(endpoint)} sent results that are not valid JSON") from None
        if "boolean" in doc:
            return QueryResult(("ask",), [{"ask": bool(doc["boolean"])}])
        columns = tuple(doc.get("head", {}).get("vars", []))
        rows = []
        for b in doc.get("results", {}).get("bindings", []):
            rows.append({c: (("_:" + b[c]["value"]) if b[c].get("type") == "bnode" else b[c]["value"])
                         if c in b else None for c in columns})
        return QueryResult(columns, rows)
    if ctype in ("application/n-triples", "text/turtle"):
        import pyoxigraph as ox

        fmt = ox.RdfFormat.N_TRIPLES if ctype == "application/n-triples" else ox.RdfFormat.TURTLE
        return QueryResult(("s", "p", "o"), [{"s": _text(t.subject), "p": _text(t.predicate),
                                              "o": _text(t.object)} for t in ox.parse(body, format=fmt)])
    raise RemoteError(f"{_redact(endpoint)} answered with an unexpected content type {ctype!r}")


def push(ds: Dataset, endpoint: str, graph: str | None = None, base: str = DEFAULT_BASE,
         timeout: float = DEFAULT_TIMEOUT) -> PushResult:
    """Replace ``graph`` (default: the default graph) of a Graph Store Protocol endpoint
    (e.g. ``http://localhost:7878/store``) with the N-Triples export, in one PUT."""
    from serokg.graph.export import write_nt

    _check_url(endpoint)
    if graph is not None:
        g = urllib.parse.urlsplit(graph)
        if g.scheme not in ("http", "https", "urn") or any(ch in graph for ch in ' <>"{}|^`\\'):
            raise UsageError(f"the graph name must be an absolute IRI, not {graph!r}")
    query = urllib.parse.urlencode({"graph": graph}) if graph is not None else "default"
    url = endpoint + ("&" if urllib.parse.urlsplit(endpoint).query else "?") + query
    with tempfile.TemporaryFile() as body:  # streamed to disk first: the body can be larger than memory
        n = write_nt(ds, body, base)
        length = body.tell()
        body.seek(0)
        status, _, _ = _request("PUT", url, body, {"Content-Type": "application/n-triples"}, timeout, length)
    return PushResult(n, graph, status)
