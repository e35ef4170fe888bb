"""The JSON-LD export reads in JSON-LD 1.0 and 1.1 processors (pyld in both processing modes) as
exactly the N-Triples export's triples; and its streamed writer equals the plain one."""

from __future__ import annotations

import io
import json

import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from serokg.graph.export import export
from serokg.graph.read import load

from conftest import MINI


def _refuse_remote(url, options=None):
    raise AssertionError(f"pyld tried to load {url}: the export must be self-contained")


def _export(ds, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    export(ds, fmt, buf, **kw)
    return buf.getvalue()


@pytest.fixture(scope="module", params=["mini", "bundled"])
def ds(request):
    return load(MINI if request.param == "mini" else None)


@pytest.mark.parametrize("mode", ["json-ld-1.0", "json-ld-1.1"])
def test_pyld_reads_exactly_the_ntriples_triples(ds, mode):
    doc = json.loads(_export(ds, "jsonld"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "processingMode": mode,
                                 "documentLoader": _refuse_remote})
    theirs = rdflib.Graph().parse(data=nquads, format="nt")
    ours = rdflib.Graph().parse(data=_export(ds, "ntriples"), format="nt")
    assert len(theirs) == len(ours) > 0
    assert isomorphic(theirs, ours)


def test_pyld_reads_it_with_another_base_in_json_ld_1_0():
    ds = load(MINI)
    doc = json.loads(_export(ds, "jsonld", base="http://example.org/kg#"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "processingMode": "json-ld-1.0",
                                 "documentLoader": _refuse_remote})
    ours = rdflib.Graph().parse(data=_export(ds, "ntriples", base="http://example.org/kg#"), format="nt")
    assert isomorphic(rdflib.Graph().parse(data=nquads, format="nt"), ours)


def test_the_context_declares_no_json_ld_1_1_version():
    """A JSON-LD 1.0 processor refuses ``"@version": 1.1`` (pyld in 1.0 mode as Jena's jsonld10 does)."""
    doc = json.loads(_export(load(MINI), "jsonld"))
    assert "@version" not in doc["@context"]
    versioned = {**doc, "@context": {**doc["@context"], "@version": 1.1}}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(versioned, {"processingMode": "json-ld-1.0", "documentLoader": _refuse_remote})


# --- the streamed writer equals one json.dumps of the whole document ------------------------------

def _plain_jsonld(ds) -> bytes:
    """The JSON-LD export as it was before streaming: the N-Triples parsed by pyoxigraph, every
    node in memory (in order of first appearance), one json.dumps."""
    import pyoxigraph as ox

    from serokg.graph.export.serialize import compactor
    from serokg.graph.vocab import context

    compact = compactor("https://w3id.org/serokg/")
    rdf_type, xsd_string = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2001/XMLSchema#string"
    nodes: dict = {}
    for t in ox.parse(_export(ds, "ntriples"), format=ox.RdfFormat.N_TRIPLES):
        s, o = t.subject, t.object
        node = nodes.setdefault(key := f"_:{s.value}" if isinstance(s, ox.BlankNode) else compact(s.value),
                                {"@id": key})
        if t.predicate.value == rdf_type and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(compact(o.value))
            continue
        if isinstance(o, ox.NamedNode):
            value = {"@id": compact(o.value)}
        elif isinstance(o, ox.BlankNode):
            value = {"@id": f"_:{o.value}"}
        elif o.language:
            value = {"@value": o.value, "@language": o.language}
        elif o.datatype.value == xsd_string:
            value = o.value
        else:
            value = {"@value": o.value, "@type": compact(o.datatype.value)}
        node.setdefault(compact(t.predicate.value), []).append(value)
    doc = {**context(), "@graph": list(nodes.values())}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def test_streamed_jsonld_equals_the_whole_document(ds):
    assert _export(ds, "jsonld") == _plain_jsonld(ds)


def test_streamed_jsonld_equals_the_whole_document_over_many_pieces(tmp_path):
    import sys
    from pathlib import Path

    from serokg.graph.export.fast import nt_chunks

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench import synth

    folder = tmp_path / "data"
    synth.generate(folder, 1500, seed=3, per_source=500, profile=synth.profile_of(MINI), perturb=0.3)
    ds = load(folder)
    assert sum(chunk.claims for chunk in nt_chunks(ds)) > 2  # the claims span several pieces
    assert _export(ds, "jsonld") == _plain_jsonld(ds)


def test_empty_dataset_is_an_empty_graph():
    import dataclasses

    ds = dataclasses.replace(load(MINI), entities={}, claims={}, references={}, sources={})
    assert json.loads(_export(ds, "jsonld"))["@graph"] == []
    assert _export(ds, "jsonld") == _plain_jsonld(ds)
