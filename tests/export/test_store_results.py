"""F8: whatever a server sends as results, `sparql --endpoint` prints a correct answer or one
line of error with exit 1: never a wrong answer, never a traceback.  Stub servers on 127.0.0.1
send each malformed body with the content type it claims."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from serokg.cli.main import app

from support.stub import JSON, Answer, Stub

XML = "application/sparql-results+xml"
SELECT, ASK, CONSTRUCT = "SELECT * { ?s ?p ?o }", "ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
runner = CliRunner()

MALFORMED = {  # name -> (query, content type, body)
    "json-list": (SELECT, JSON, b"[1,2,3]"),
    "json-string": (SELECT, JSON, b'"boolean"'),
    "json-number": (SELECT, JSON, b"42"),
    "json-null": (SELECT, JSON, b"null"),
    "json-truncated": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":'),
    "not-utf8": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"\xff"}}]}}'),
    "vars-ints": (SELECT, JSON, b'{"head":{"vars":[1,2]},"results":{"bindings":[]}}'),
    "head-list": (SELECT, JSON, b'{"head":[],"results":{"bindings":[]}}'),
    "head-missing": (SELECT, JSON, b'{"results":{"bindings":[]}}'),
    "head-missing-ask": (ASK, JSON, b'{"boolean":true}'),
    "results-null": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":null}'),
    "binding-not-dict": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":["x"]}}'),
    "binding-value-missing": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri"}}]}}'),
    "binding-value-str": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":"http://x"}]}}'),
    "binding-unknown-var": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"o":{"type":"uri",'
                                          b'"value":"http://x"}}]}}'),
    "binding-bad-iri": (SELECT, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri",'
                                      b'"value":"not an iri"}}]}}'),
    "deep": (SELECT, JSON, b"[" * 100000 + b"]" * 100000),
    "deep-in-extra-key": (ASK, JSON, b'{"head":{},"boolean":true,"x":' + b"[" * 100000 + b"]" * 100000 + b"}"),
    "boolean-str": (ASK, JSON, b'{"head":{},"boolean":"false"}'),
    "boolean-int": (ASK, JSON, b'{"head":{},"boolean":0}'),
    "ask-answered-with-rows": (ASK, JSON, b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'),
    "select-answered-with-boolean": (SELECT, JSON, b'{"head":{},"boolean":false}'),
    "xml-broken": (SELECT, XML, b"<sparql xmlns='http://www.w3.org/2005/sparql-results#'><head>"),
    "xml-entities": (SELECT, XML, b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
                                  b'&a;&a;&a;&a;&a;&a;&a;">]><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                                  b'<head><variable name="s"/></head><results><result><binding name="s"><literal>&b;'
                                  b'</literal></binding></result></results></sparql>'),
    "turtle-broken": (CONSTRUCT, "text/turtle", b"<http://a> <http://b> ."),
    "ntriples-broken": (CONSTRUCT, "application/n-triples", b"<http://a> <http://b> <http://c>"),
    "construct-answered-with-results": (CONSTRUCT, JSON, b'{"head":{},"boolean":true}'),
    "html": (SELECT, "text/html", b"<html><body>maintenance\n</body></html>"),
    "no-content-type": (SELECT, "", b'{"head":{},"boolean":true}'),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_malformed_results_are_one_line_errors(name, fmt):
    query, ctype, body = MALFORMED[name]
    if fmt != "table" and query == CONSTRUCT:
        fmt = "ntriples"
    headers = {"Content-Type": ctype} if ctype else {}
    with Stub(Answer(200, headers, body)) as stub:
        result = runner.invoke(app, ["sparql", query, "--endpoint", f"{stub.url}/query", "-f", fmt])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {stub.url}/query "), line
    assert len(line) < 400


def test_the_messages_say_what_is_wrong():
    cases = {
        "boolean-str": "sent malformed results (application/sparql-results+json): Unexpected boolean value",
        "head-missing-ask": "sent malformed results (application/sparql-results+json): the document has no 'head' "
                            "object",
        "deep": "sent malformed results (application/sparql-results+json): nested too deeply",
        "ask-answered-with-rows": "answered an ASK query with rows",
        "html": "answered with content type 'text/html', not SPARQL results",
        "construct-answered-with-results": "answered with content type 'application/sparql-results+json', not RDF "
                                           "triples",
    }
    for name, message in cases.items():
        query, ctype, body = MALFORMED[name]
        with Stub(Answer(200, {"Content-Type": ctype}, body)) as stub:
            result = runner.invoke(app, ["sparql", query, "--endpoint", f"{stub.url}/query"])
        assert result.stderr == f"error: {stub.url}/query {message}\n", name


@pytest.mark.parametrize(("body", "shown"), [(b'{"head":{},"boolean":false}', "ask\n---\nno\n"),
                                             (b'{"head":{},"boolean":true}', "ask\n---\nyes\n")])
def test_well_formed_booleans_are_read_right(body, shown):
    with Stub(Answer(200, {"Content-Type": JSON}, body)) as stub:
        result = runner.invoke(app, ["sparql", ASK, "--endpoint", f"{stub.url}/query"])
        assert result.exit_code == 0, result.output
        assert result.stdout == shown
        result = runner.invoke(app, ["sparql", ASK, "--endpoint", f"{stub.url}/query", "-f", "json"])
        assert json.loads(result.stdout) == json.loads(body)


def test_well_formed_select_keeps_every_term_kind():
    doc = {"head": {"vars": ["s", "o"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": "http://e/a"}, "o": {"type": "literal", "value": "x", "xml:lang": "en"}},
        {"s": {"type": "bnode", "value": "b0"}, "o": {"type": "literal", "value": "1",
                                                    "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
        {"s": {"type": "uri", "value": "http://e/b"}},
    ]}}
    with Stub(Answer(200, {"Content-Type": JSON}, json.dumps(doc).encode())) as stub:
        result = runner.invoke(app, ["sparql", SELECT, "--endpoint", f"{stub.url}/query", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == doc
        tsv = runner.invoke(app, ["sparql", SELECT, "--endpoint", f"{stub.url}/query", "-f", "tsv"]).stdout
        assert tsv == ('?s\t?o\n<http://e/a>\t"x"@en\n_:b0\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
                       "<http://e/b>\t\n")
        # the standard's own reader (pyoxigraph's) reads both back
        assert len(list(ox.parse_query_results(result.stdout_bytes, format=ox.QueryResultsFormat.JSON))) == 3
        assert len(list(ox.parse_query_results(tsv.encode(), format=ox.QueryResultsFormat.TSV))) == 3


def test_virtuoso_blank_node_labels_are_accepted():
    doc = {"head": {"link": [], "vars": ["s"]}, "results": {"bindings": [
        {"s": {"type": "bnode", "value": "nodeID://b10426"}}, {"s": {"type": "bnode", "value": "nodeID://b10426"}},
        {"s": {"type": "bnode", "value": "nodeID://b7"}}]}}
    with Stub(Answer(200, {"Content-Type": JSON}, json.dumps(doc).encode())) as stub:
        result = runner.invoke(app, ["sparql", SELECT, "--endpoint", f"{stub.url}/query", "-f", "json"])
    assert result.exit_code == 0, result.output
    labels = [b["s"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]
    assert labels[0] == labels[1] != labels[2]  # one node stays one node, two stay two
