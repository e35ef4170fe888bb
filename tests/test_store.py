"""Push to and query a real store: `oxigraph serve` on 127.0.0.1 with a temporary directory."""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.rdf import export
from serokg.graph.read import load
from serokg.graph.store import query_local

QUERIES = Path(__file__).parents[1] / "docs" / "queries"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server (PyPI package 'oxigraph') is not installed")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()[-500:]}")
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
    port = _free_port()
    for args in (["sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{port}/query"],
                 ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "--data",
                  str(Path(__file__).parent / "fixtures" / "mini")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr == f"error: cannot reach http://127.0.0.1:{port}/{args[3].rsplit('/', 1)[1] if args[0] == 'sparql' else 'store'}: Connection refused\n"
        assert "Traceback" not in result.output


def test_credentials_never_on_the_command_line_nor_in_messages(monkeypatch):
    port = _free_port()
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
