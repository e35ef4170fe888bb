"""Push to and query real stores: `oxigraph serve` and Virtuoso 7, each on 127.0.0.1 with a
temporary folder.  The same tests run on both: push, re-push (replaces), named graphs kept
apart, and every docs/queries/*.rq answering as the embedded store does (which
tests/export/test_sparql.py checks against the Python API)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export import export
from serokg.graph.export.results import to_json
from serokg.graph.export.store import query_local
from serokg.graph.read import load

from conftest import MINI
from support.faultproxy import free_port
from support.virtuoso import virtuoso_server  # noqa: F401  (the session fixture)

QUERIES = Path(__file__).parents[2] / "docs" / "queries"
BIG, SMALL = "https://w3id.org/serokg/graph/test-big", "https://w3id.org/serokg/graph/test-small"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
runner = CliRunner()


@dataclass(frozen=True)
class Store:
    name: str
    store: str  # Graph Store Protocol endpoint
    query: str  # SPARQL endpoint
    env: dict[str, str]  # credentials for push
    docs_graph: str | None  # where to push the data that queries without GRAPH see
    docs_query: str  # the SPARQL endpoint whose default graph is that one


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request, monkeypatch) -> Store:
    for name in ("SEROKG_USER", "SEROKG_PASSWORD", "SEROKG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "oxigraph":
        url = request.getfixturevalue("oxigraph_server")
        return Store("oxigraph", f"{url}/store", f"{url}/query", {}, None, f"{url}/query")
    vt = request.getfixturevalue("virtuoso_server")
    # Virtuoso's default graph is the union of all its graphs, so the docs queries name theirs with
    # the protocol's default-graph-uri (kept by the URL builder); its Graph Store wants HTTP Digest
    docs = "https://w3id.org/serokg/graph/docs"
    return Store("virtuoso", vt.store, vt.sparql, {"SEROKG_USER": vt.user, "SEROKG_PASSWORD": vt.password},
                 docs, f"{vt.sparql}?default-graph-uri={quote(docs, safe='')}")


def _invoke(args: list[str], env: dict[str, str] | None = None):
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def _graph(s: Store, graph: str) -> list[tuple[str, ...]]:
    """The graph's triples, blank nodes blanked (a store relabels them on every load)."""
    rows = json.loads(_invoke(["sparql", f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                               "--endpoint", s.query, "-f", "json"]).stdout)["results"]["bindings"]
    return sorted(tuple("_:" if b[k]["type"] == "bnode" else b[k]["value"] for k in "spo") for b in rows)


def _triples(data: Path | None = None) -> int:
    buf = io.BytesIO()
    export(load(data), "ntriples", buf)
    return len(set(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_TRIPLES)))


def test_push_replace_and_graphs_apart(store):
    big, small = _triples(), _triples(MINI)
    for graph, data in ((BIG, None), (SMALL, MINI)):
        args = ["push", "--endpoint", store.store, "--graph", graph] + (["--data", str(data)] if data else [])
        result = _invoke(args, store.env)
        assert result.stderr.startswith("pushed ") and f"to graph <{graph}> (HTTP 20" in result.stderr
    small_before = _graph(store, SMALL)
    assert len(_graph(store, BIG)) == big and len(small_before) == small
    # pushed again, the graph is replaced (same triples, not twice), and the other graph is untouched
    _invoke(["push", "--endpoint", store.store, "--graph", BIG], store.env)
    assert len(_graph(store, BIG)) == big
    _invoke(["push", "--endpoint", store.store, "--graph", SMALL, "--data", str(MINI)], store.env)
    _invoke(["push", "--endpoint", store.store, "--graph", BIG, "--data", str(MINI)], store.env)
    assert _graph(store, SMALL) == small_before
    assert len(_graph(store, BIG)) == small


@pytest.mark.parametrize("query", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_docs_queries_answer_as_the_embedded_store(store, query):
    args = ["push", "--endpoint", store.store] + (["--graph", store.docs_graph] if store.docs_graph else [])
    _invoke(args, store.env)
    text = (QUERIES / query).read_text(encoding="utf-8")
    local = json.loads(to_json(query_local(load(), text)))
    assert local["results"]["bindings"], f"{query} finds nothing in the bundled data"
    remote = json.loads(_invoke(["sparql", f"@{QUERIES / query}", "--endpoint", store.docs_query, "-f", "json"]
                                ).stdout)
    assert remote["head"]["vars"] == local["head"]["vars"]

    def key(b: dict) -> str:
        # the same values, Virtuoso writing booleans in their other lexical form (1/0)
        canonical = {k: {**t, "value": {"1": "true", "0": "false"}.get(t["value"], t["value"])}
                     if t.get("datatype") == XSD_BOOLEAN else t for k, t in b.items()}
        return json.dumps(canonical, sort_keys=True)

    assert sorted(map(key, remote["results"]["bindings"])) == sorted(map(key, local["results"]["bindings"]))


def test_default_graph_push_on_oxigraph(oxigraph_server, monkeypatch):
    for name in ("SEROKG_USER", "SEROKG_PASSWORD", "SEROKG_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = _invoke(["push", "--endpoint", f"{oxigraph_server}/store", "--data", str(MINI)])
    assert "to the default graph (HTTP 20" in result.stderr
    n = _invoke(["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", f"{oxigraph_server}/query",
                 "-f", "csv"]).stdout_bytes
    assert n == f"n\r\n{_triples(MINI)}\r\n".encode()


def test_server_down_is_a_clean_error():
    port = free_port()
    for args in (["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query"],
                 ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "--data", str(MINI)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr == f"error: cannot reach {args[args.index('--endpoint') + 1]}: Connection refused\n"
        assert "Traceback" not in result.output


def test_http_error_and_timeout_are_clean(oxigraph_server):
    import socket

    result = runner.invoke(app, ["sparql", "SELECT nonsense", "--endpoint", f"{oxigraph_server}/query"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {oxigraph_server}/query answered HTTP 400 Bad Request: the store refused the "
                           "request (the store says: ")
    with socket.socket() as silent:  # accepts the connection but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query",
                                     "--timeout", "0.5"])
    assert result.exit_code == 1
    assert result.stderr == f"error: no answer from http://127.0.0.1:{port}/query within 0.5 s\n"


def test_virtuoso_auth_errors_leave_the_graph_intact(virtuoso_server, monkeypatch):  # noqa: F811
    vt = virtuoso_server
    env = {"SEROKG_USER": vt.user, "SEROKG_PASSWORD": vt.password}
    graph = "https://w3id.org/serokg/graph/auth"
    store = Store("virtuoso", vt.store, vt.sparql, env, None, vt.sparql)
    _invoke(["push", "--endpoint", vt.store, "--graph", graph, "--data", str(MINI), "--auth", "digest"], env)
    before = _graph(store, graph)
    assert len(before) == _triples(MINI)
    cases = [
        (["--auth", "basic"], env, "the store may want HTTP Digest: try --auth digest"),
        ([], {**env, "SEROKG_PASSWORD": "wrong"}, "the store refused the credentials from SEROKG_USER: check them"),
        ([], {"SEROKG_USER": None, "SEROKG_PASSWORD": None},
         "no credentials were sent: set SEROKG_USER and SEROKG_PASSWORD (or SEROKG_TOKEN), or add the host to your "
         "netrc file"),
    ]
    for auth, case_env, hint in cases:
        result = runner.invoke(app, ["push", "--endpoint", vt.store, "--graph", graph, *auth], env=case_env)
        assert result.exit_code == 1
        assert result.stderr == f"error: {vt.store} answered HTTP 401 Unauthorized: {hint}\n"
        assert vt.password not in result.output
    assert _graph(store, graph) == before
