"""F1: whatever the endpoint URL looks like, a push replaces only the graph it names.

A live `oxigraph serve` holds two graphs; after every push, refused or accepted, both are
exactly what they were.  (Before the one URL builder, `…/store#` and `…/store?` sent a PUT
without `graph`, and Oxigraph replaced the whole store.)
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export.store import query_remote

from conftest import MINI

KEEP, KEEP_TOO, NEW = ("http://example.org/keep-me", "http://example.org/keep-me-too", "http://example.org/new")
runner = CliRunner()


def _graph(url: str, graph: str) -> list[tuple]:
    rows = query_remote(f"{url}/query", f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return sorted(tuple("_:" if v.startswith("_:") else v for v in (r["s"], r["p"], r["o"])) for r in rows)


def _default(url: str) -> int:
    return int(query_remote(f"{url}/query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows[0]["n"])


@pytest.fixture(scope="module")
def store(oxigraph_server):
    for graph, data in ((KEEP, None), (KEEP_TOO, MINI)):
        args = ["push", "--endpoint", f"{oxigraph_server}/store", "--graph", graph]
        assert runner.invoke(app, args + (["--data", str(data)] if data else [])).exit_code == 0
    return oxigraph_server, {g: _graph(oxigraph_server, g) for g in (KEEP, KEEP_TOO)}


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in ("SEROKG_USER", "SEROKG_PASSWORD", "SEROKG_TOKEN"):
        monkeypatch.delenv(name, raising=False)


FRAGMENT = "has a #fragment, which is never sent to the server: remove it"
REFUSED = {
    "/store#": FRAGMENT,
    "/store#x": FRAGMENT,
    "/store?#": FRAGMENT,
    "/store?x=1#": FRAGMENT,
    "/store?graph=http://example.org/keep-me": "already has a 'graph' parameter in its query: remove it (serokg sets it)",
    "/store?default": "already has a 'default' parameter in its query: remove it (serokg sets it)",
    "/store?x=1&default=": "already has a 'default' parameter in its query: remove it (serokg sets it)",
}
ACCEPTED = ["/store?", "/store?&", "/store?x=1", "/store?x=a%23b"]


@pytest.mark.parametrize("tail", sorted(REFUSED))
def test_refused_endpoints_touch_nothing(store, tail):
    url, before = store
    endpoint = url + tail
    default = _default(url)
    result = runner.invoke(app, ["push", "--endpoint", endpoint, "--graph", NEW, "--data", str(MINI)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"error: the endpoint '{url}/store' {REFUSED[tail]}\n"
    assert {g: _graph(url, g) for g in before} == before
    assert _graph(url, NEW) == [] and _default(url) == default


@pytest.mark.parametrize("tail", ACCEPTED)
def test_accepted_endpoints_replace_only_the_named_graph(store, tail):
    url, before = store
    default = _default(url)
    result = runner.invoke(app, ["push", "--endpoint", url + tail, "--graph", NEW, "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"pushed 312 statements to graph <{NEW}> (HTTP 20")
    assert {g: _graph(url, g) for g in before} == before
    assert _graph(url, NEW) == before[KEEP_TOO]  # the same data as keep-me-too
    assert _default(url) == default


def test_default_graph_push_keeps_named_graphs(store):
    url, before = store
    result = runner.invoke(app, ["push", "--endpoint", f"{url}/store?", "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "to the default graph" in result.stderr
    assert {g: _graph(url, g) for g in before} == before


@pytest.mark.parametrize(("tail", "message"), [
    ("/query#", FRAGMENT),
    ("/query?query=ASK%7B%7D", "already has a 'query' parameter in its query: remove it (serokg sets it)"),
])
def test_sparql_endpoint_checked_the_same_way(store, tail, message):
    url, _ = store
    result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", url + tail])
    assert result.exit_code == 1
    assert result.stderr == f"error: the endpoint '{url}/query' {message}\n"


def test_sparql_endpoint_with_its_own_parameters(store):
    url, before = store
    q = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{KEEP_TOO}> {{ ?s ?p ?o }} }}"
    for tail in ("/query?", "/query?x=1"):
        result = runner.invoke(app, ["sparql", q, "--endpoint", url + tail, "-f", "csv"])
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == f"n\r\n{len(before[KEEP_TOO])}\r\n".encode()


@pytest.mark.parametrize(("graph", "message"), [
    ("http://a/b\nc", r"the graph name 'http://a/b\nc' holds a space, a control or a bidi character"),
    ("http://a/\tb", r"the graph name 'http://a/\tb' holds a space, a control or a bidi character"),
    ("http://a/\u202eb", r"the graph name 'http://a/\u202eb' holds a space, a control or a bidi character"),
    ("http://a b", "the graph name 'http://a b' holds a space, a control or a bidi character"),
    ("http:", "the graph name must be an http(s) IRI with a host, or a urn:, not 'http:'"),
    ("http://", "the graph name must be an http(s) IRI with a host, or a urn:, not 'http://'"),
    ("relative/g", "the graph name must be an absolute IRI, not 'relative/g'"),
    ("http://a/<b>", "the graph name must be an absolute IRI, not 'http://a/<b>'"),
])
def test_graph_names_are_checked_before_any_request(store, graph, message):
    url, before = store
    result = runner.invoke(app, ["push", "--endpoint", f"{url}/store", "--graph", graph, "--data", str(MINI)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
    assert {g: _graph(url, g) for g in before} == before
