"""The streaming JSON-LD writer on hostile texts (quotes, backslashes, controls, U+2028, 20,000
characters): pyld in JSON-LD 1.0 and 1.1 reads exactly the N-Triples graph, and the bytes equal
one json.dumps of the whole document made from pyoxigraph's reading of the N-Triples."""

from __future__ import annotations

import json

import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from serokg.graph.read import load

from test_jsonld import _export, _plain_jsonld, _refuse_remote
from test_stream_turtle import _hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return load(_hostile(tmp_path_factory.mktemp("hostile") / "data"))


@pytest.mark.parametrize("mode", ["json-ld-1.0", "json-ld-1.1"])
def test_pyld_reads_the_ntriples_graph_from_hostile_texts(hostile, mode):
    nquads = jsonld.to_rdf(json.loads(_export(hostile, "jsonld")),
                           {"format": "application/n-quads", "processingMode": mode, "documentLoader": _refuse_remote})
    theirs = rdflib.Graph().parse(data=nquads, format="nt")
    ours = rdflib.Graph().parse(data=_export(hostile, "ntriples"), format="nt")
    assert len(theirs) == len(ours) > 0
    assert isomorphic(theirs, ours)


def test_hostile_texts_are_written_as_json_dumps_writes_them(hostile):
    data = _export(hostile, "jsonld")
    # the slow path ran: U+0000 as \u0000, U+007F raw (N-Triples writes \u007F), as json.dumps does
    assert b"\\u0000" in data and b"\x7f" in data and b"\\u007F" not in data
    assert data == _plain_jsonld(hostile)
