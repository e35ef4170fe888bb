"""Failing servers: down, 401/403/500, hanging, or cut mid-request.

A real `oxigraph serve` holds a named graph; a fault-injecting proxy on 127.0.0.1 stands between
serokg and the store.  After every failed push the graph is exactly what it was, the command
exits 1 with one clean line, and no credential appears anywhere.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.read import bundled_data_dir
from serokg.graph.export.store import query_remote

from conftest import MINI
from support.faultproxy import FaultProxy, free_port

GRAPH = "https://w3id.org/serokg/graph/faults"
ALL = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
USER, SECRET = "alice", "s3cret-Pa55"
runner = CliRunner()


def snapshot(url: str) -> list[tuple]:
    return sorted((r["s"], r["p"], r["o"]) for r in query_remote(f"{url}/query", ALL).rows)


@pytest.fixture(scope="module")
def store(oxigraph_server):
    """The store with the small fixture pushed into GRAPH, and its contents."""
    result = runner.invoke(app, ["push", "--endpoint", f"{oxigraph_server}/store", "--graph", GRAPH, "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    before = snapshot(oxigraph_server)
    assert len(before) > 100
    return oxigraph_server, before


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("SEROKG_USER", USER)
    monkeypatch.setenv("SEROKG_PASSWORD", SECRET)
    monkeypatch.delenv("SEROKG_TOKEN", raising=False)


# mode -> the exact message ({url} is the endpoint); None where the wording depends on the
# moment the connection broke (before or after the server read part of the body).
EXPECTED = {
    "status:401": "error: {url} answered HTTP 401 Simulated: the store refused the credentials from SEROKG_USER: "
                  "check them",
    "status:403": "error: {url} answered HTTP 403 Simulated: the store forbids this and did not ask for "
                  "credentials: try --auth basic or --auth digest",
    "status:500": "error: {url} answered HTTP 500 Simulated: the store failed; its log may say why (the store says: "
                  "simulated failure)",
    "hang": "error: no answer from {url} within 1 s",
    "drop": None,
}


def _clean(result, url: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert SECRET not in result.output and USER not in result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: ") and url in line
    return line


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_failed_push_leaves_the_graph_intact(store, mode):
    url, before = store
    host, port = url.removeprefix("http://").split(":")
    with FaultProxy(host, int(port), mode) as proxy:
        # the bundled data differs from the fixture: a partial write would show
        result = runner.invoke(app, ["push", "--endpoint", f"{proxy.url}/store", "--graph", GRAPH,
                                     "--data", str(bundled_data_dir()), "--timeout", "1"])
        target = f"{proxy.url}/store"
        line = _clean(result, target)
        assert proxy.requests >= 1
    if EXPECTED[mode] is not None:
        assert line == EXPECTED[mode].format(url=target)
    else:
        assert line.startswith((f"error: connection to {target} failed", f"error: cannot reach {target}",
                                f"error: no answer from {target}", f"error: {target} answered HTTP"))
    assert snapshot(url) == before


def test_push_to_a_server_that_is_down(store):
    url, before = store
    target = f"http://127.0.0.1:{free_port()}/store"
    result = runner.invoke(app, ["push", "--endpoint", target, "--graph", GRAPH, "--data", str(bundled_data_dir())])
    assert _clean(result, target) == f"error: cannot reach {target}: Connection refused"
    assert snapshot(url) == before


@pytest.mark.parametrize("mode", ["status:401", "status:500", "hang", "drop"])
def test_failed_remote_query_is_clean(store, mode):
    url, _ = store
    host, port = url.removeprefix("http://").split(":")
    with FaultProxy(host, int(port), mode) as proxy:
        result = runner.invoke(app, ["sparql", ALL, "--endpoint", f"{proxy.url}/query", "--timeout", "1"])
        _clean(result, f"{proxy.url}/query")


def test_pass_through_proxy_works(store):
    """The proxy itself is sound: in pass mode the push lands."""
    url, before = store
    host, port = url.removeprefix("http://").split(":")
    with FaultProxy(host, int(port), "pass") as proxy:
        result = runner.invoke(app, ["push", "--endpoint", f"{proxy.url}/store", "--graph", GRAPH, "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    after = snapshot(url)
    # blank nodes (RDF lists) get new labels when a graph is loaded again
    def unlabelled(rows: list[tuple]) -> list[tuple]:
        return sorted(tuple("_:" if term and term.startswith("_:") else term for term in row) for row in rows)

    assert unlabelled(after) == unlabelled(before)
