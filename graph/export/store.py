"""SPARQL over the data: an embedded pyoxigraph store, a remote SPARQL 1.1 endpoint, and push.

* :func:`query_local` loads the export (N-Quads, nanopublication graphs; the default graph is
  their union) into an in-memory pyoxigraph store and runs a query; ``SERVICE`` is refused, so
  a query file never makes the machine call the network.
* :func:`query_remote` asks a SPARQL 1.1 Protocol endpoint: ``GET ?query=`` for short queries,
  a form-encoded ``POST`` otherwise (the two forms every store answers).
* :func:`push` replaces one graph of a store through the Graph Store HTTP Protocol: a single
  ``PUT`` of the N-Triples export, so a failed push leaves the previous graph as it was.

URLs are built by :mod:`~serokg.graph.export.endpoint`, requests sent by
:mod:`~serokg.graph.export.http` (credentials, redirects, deadline, size cap), answers read by
:mod:`~serokg.graph.export.results`.

>>> from serokg.graph.read import load
>>> query_local(load(), "ASK { ?s ?p ?o }").boolean
True
"""

from __future__ import annotations

import tempfile
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from serokg.graph.export import sparql_text
from serokg.graph.export.endpoint import redact, with_params
from serokg.graph.export.results import ACCEPT, Results, from_oxigraph, parse_answer
from serokg.graph.vocab import DEFAULT_BASE

from serokg.errors import UsageError

if TYPE_CHECKING:
    import pyoxigraph
    from serokg.graph.read import Dataset

__all__ = ["DEFAULT_TIMEOUT", "GET_LIMIT", "PushResult", "check_graph", "check_query", "load_store", "push",
           "query_local", "query_remote", "read_query"]

DEFAULT_TIMEOUT = 60.0
GET_LIMIT = 1500  # encoded query length up to which GET is used (URLs stay well under common limits)
QUERY_ONLY = "serokg sparql runs queries only; use your store's update endpoint"


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
        except UnicodeDecodeError as exc:
            raise UsageError(f"cannot read the query file {path}: not UTF-8 (byte {exc.start})") from None
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


def check_query(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE, or None if unrecognised); an update
    is refused (serokg reads, it never changes a store through ``sparql``)."""
    form = sparql_text.form(query)
    if form in sparql_text.UPDATE_FORMS:
        raise UsageError(QUERY_ONLY)
    return form


def query_local(ds: Dataset | None, query: str, base: str = DEFAULT_BASE,
                store: pyoxigraph.Store | None = None) -> Results:
    """Run a SPARQL query on the embedded store (the default graph is the union of all graphs)."""
    check_query(query)
    if sparql_text.uses_service(query):
        raise UsageError("SERVICE is not allowed in the embedded store: it would send requests over the network; "
                         "run federated queries on a store with --endpoint")
    store = store if store is not None else load_store(ds, base)  # type: ignore[arg-type]
    try:
        return from_oxigraph(store.query(query, use_default_graph_as_union=True))
    except SyntaxError as exc:
        raise UsageError(f"the query is not valid SPARQL: {' '.join(str(exc).split())}") from None
    except OSError as exc:
        raise UsageError(f"the query failed: {' '.join(str(exc).split())[:200]}") from None


def query_remote(endpoint: str, query: str, timeout: float = DEFAULT_TIMEOUT, *, auth: str = "auto",
                 max_bytes: int | None = None) -> Results:
    """Run a query on a SPARQL 1.1 Protocol endpoint (e.g. ``http://localhost:7878/query``)."""
    from serokg.graph.export import http

    form = check_query(query)
    accept = ACCEPT["graph"] if form in ("CONSTRUCT", "DESCRIBE") else ACCEPT["results"] if form else \
        f'{ACCEPT["results"]}, {ACCEPT["graph"]}'
    headers = {"Accept": accept}
    limit = http.MAX_BYTES if max_bytes is None else max_bytes
    what = "the SPARQL query URL, e.g. …/query or …/sparql"
    encoded = urllib.parse.urlencode({"query": query})
    if len(encoded) <= GET_LIMIT:
        url = with_params(endpoint, {"query": query})
        answer = http.request("GET", url, headers=headers, timeout=timeout, max_bytes=limit, auth=auth, what=what)
    else:
        with_params(endpoint, {"query": query})  # the same checks of the endpoint
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = http.request("POST", endpoint, body=encoded.encode("ascii"), headers=headers, timeout=timeout,
                              max_bytes=limit, auth=auth, what=what)
    return parse_answer(answer.body, answer.content_type, form, redact(endpoint))


def check_graph(graph: str) -> str:
    """``graph`` if it is an absolute IRI (checked by pyoxigraph's IRI parser) with a host for
    http(s), and free of controls and bidi marks; else :class:`UsageError`."""
    import re

    import pyoxigraph as ox

    shown = graph.encode("unicode_escape").decode("ascii")
    if re.search(r"[\x00-\x20\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", graph):
        raise UsageError(f"the graph name '{shown}' holds a space, a control or a bidi character")
    try:
        ox.NamedNode(graph)
    except ValueError:
        raise UsageError(f"the graph name must be an absolute IRI, not '{shown}'") from None
    parts = urllib.parse.urlsplit(graph)
    if parts.scheme not in ("http", "https", "urn") or (parts.scheme != "urn" and not parts.hostname):
        raise UsageError(f"the graph name must be an http(s) IRI with a host, or a urn:, not '{shown}'")
    return graph


def push(ds: Dataset, endpoint: str, graph: str | None = None, base: str = DEFAULT_BASE,
         timeout: float = DEFAULT_TIMEOUT, *, auth: str = "auto") -> PushResult:
    """Replace ``graph`` (default: the default graph) of a Graph Store Protocol endpoint
    (e.g. ``http://localhost:7878/store``) with the N-Triples export, in one PUT."""
    from serokg.graph.export import http, write_nt

    if graph is not None:
        check_graph(graph)
    url = with_params(endpoint, {"graph": graph} if graph is not None else {"default": None},
                      reserved=("graph", "default"))
    what = "the Graph Store URL, e.g. …/store or …/sparql-graph-crud-auth"
    with tempfile.TemporaryFile() as handle:  # streamed to disk first: the body can be larger than memory
        n = write_nt(ds, handle, base)
        body = http.FileBody(handle, handle.tell())
        answer = http.request("PUT", url, body=body, headers={"Content-Type": "application/n-triples"},
                              timeout=timeout, auth=auth, what=what, probe=True, max_bytes=1 << 20)
    return PushResult(n, graph, answer.status)
