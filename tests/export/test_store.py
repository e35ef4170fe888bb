"""Push to and query a real store: `oxigraph serve` on 127.0.0.1 with a temporary directory."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export import export
from serokg.graph.read import load
from serokg.graph.export.store import query_local

from support.faultproxy import free_port

QUERIES = Path(__file__).parents[2] / "docs" / "queries"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
runner = CliRunner()


@pytest.fixture(scope="module")
def server(oxigraph_server):
    return oxigraph_server


def _count(url: str, query: str = COUNT) -> int:
    result = runner.invoke(app, ["sparql", query, "--endpoint", f"{url}/query", "-f", "csv"])
    assert result.exit_code == 0, result.output
    return int(result.stdout.splitlines()[1])


def test_push_query_and_push_again(server, monkeypatch):
    monkeypatch.delenv("SEROKG_USER", raising=False)
    monkeypatch.delenv("SEROKG_PASSWORD", raising=False)
    monkeypatch.delenv("SEROKG_TOKEN", raising=False)
    ds = load()
    buf = io.BytesIO()
    export(ds, "ntriples", buf)
    triples = len(rdflib.Graph().parse(data=buf.getvalue(), format="nt"))

    result = runner.invoke(app, ["push", "--endpoint", f"{server}/store"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("pushed ") and "to the default graph (HTTP 20" in result.stderr
    assert _count(server) == triples

    local = query_local(ds, (QUERIES / "autoreceptor-substances.rq").read_text()).rows
    result = runner.invoke(app, ["sparql", f"@{QUERIES / 'autoreceptor-substances.rq'}", "--endpoint",
                                 f"{server}/query", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == local and local

    result = runner.invoke(app, ["push", "--endpoint", f"{server}/store"])
    assert result.exit_code == 0, result.output
    assert _count(server) == triples  # PUT replaces: the same count, not twice

    graph = "https://w3id.org/serokg/graph/test"
    result = runner.invoke(app, ["push", "--endpoint", f"{server}/store", "--graph", graph])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("pushed ") and f"graph <{graph}>" in result.stderr
    in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert _count(server, in_graph) == triples
    assert runner.invoke(app, ["push", "--endpoint", f"{server}/store", "--graph", graph]).exit_code == 0
    assert _count(server, in_graph) == triples


def test_server_down_is_a_clean_error():
    port = free_port()
    for args in (["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query"],
                 ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "--data",
                  str(Path(__file__).parents[1] / "fixtures" / "mini")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr == f"error: cannot reach http://127.0.0.1:{port}/{args[3].rsplit('/', 1)[1] if args[0] == 'sparql' else 'store'}: Connection refused\n"
        assert "Traceback" not in result.output


def test_credentials_never_on_the_command_line_nor_in_messages(monkeypatch):
    port = free_port()
    result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"http://alice:s3cret@127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert "s3cret" not in result.output and "alice" not in result.output
    assert result.stderr.startswith("error: credentials do not belong in the endpoint URL")
    monkeypatch.setenv("SEROKG_USER", "alice")
    monkeypatch.setenv("SEROKG_PASSWORD", "s3cret")
    result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert "s3cret" not in result.output


def test_http_error_and_timeout_are_clean(server):
    result = runner.invoke(app, ["sparql", "SELECT nonsense", "--endpoint", f"{server}/query"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {server}/query answered HTTP 400")
    with socket.socket() as silent:  # accepts the connection but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        result = runner.invoke(app, ["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query",
                                     "--timeout", "0.5"])
    assert result.exit_code == 1
    assert result.stderr == f"error: no answer from http://127.0.0.1:{port}/query within 0.5 s\n"
