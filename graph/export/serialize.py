"""Every RDF format from the N-Triples stream: Turtle, TriG, RDF/XML via pyoxigraph, JSON-LD here.

>>> from serokg.graph.read import load
>>> import io
>>> export(load(), "ntriples", io.BytesIO()) > 0
True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from serokg.errors import UsageError
from serokg.graph.vocab import (
    DEFAULT_BASE, context, prefixes_for,
)
from serokg.graph.export.fast import nt_chunks, write_nt
from serokg.graph.export.terms import _RDF, _XSD, xml_text

if TYPE_CHECKING:

    from serokg.graph.read import Dataset

__all__ = ["DATASET_FORMATS", "FORMATS", "export"]

#: Export formats and the file extension each is usually given.
FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig",
           "nquads": ".nq"}
DATASET_FORMATS = frozenset({"trig", "nquads"})

def _compactor(base: str) -> Callable[[str], str]:
    """IRI -> compact IRI by the longest namespace of the context (``sk:id``), else the IRI."""
    spaces = sorted(((ns, p) for p, ns in prefixes_for(base).items()), key=lambda x: -len(x[0]))

    def compact(iri: str) -> str:
        for ns, p in spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    return compact


def _add_nodes(triples: Iterable[Any], nodes: dict[str, dict[str, Any]], compact: Callable[[str], str],
               skip: Container[str] = ()) -> None:
    """Add each triple to the JSON-LD node of its subject (made in order of first appearance)."""
    import pyoxigraph as ox

    rdf_type, xsd_string = f"{_RDF}type", f"{_XSD}string"
    for t in triples:
        s = t.subject
        key = f"_:{s.value}" if isinstance(s, ox.BlankNode) else compact(s.value)
        if key in skip:
            continue
        node = nodes.setdefault(key, {"@id": key})
        o = t.object
        if t.predicate.value == rdf_type and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(compact(o.value))
            continue
        if isinstance(o, ox.NamedNode):
            value: Any = {"@id": compact(o.value)}
        elif isinstance(o, ox.BlankNode):
            value = {"@id": f"_:{o.value}"}
        elif o.language:
            value = {"@value": o.value, "@language": o.language}
        elif o.datatype.value == xsd_string:
            value = o.value
        else:
            value = {"@value": o.value, "@type": compact(o.datatype.value)}
        node.setdefault(compact(t.predicate.value), []).append(value)


def _write_jsonld(ds: Dataset, base: str, out: IO[bytes]) -> int:
    """Compact JSON-LD with the prefix context of ``schema/context.jsonld`` inlined, written node by node.

    A node holds every statement about its subject, and the direct triples of the claims are
    statements about entities; so a first pass gathers the records' nodes with those triples, and
    a second writes them, then each claim's nodes as its piece of the stream is read.  The bytes
    equal one ``json.dumps(indent=1)`` of the whole document (a test holds them equal)."""
    import pyoxigraph as ox

    compact = _compactor(base)
    records: dict[str, dict[str, Any]] = {}
    subjects: set[bytes] = set()
    n = 0
    for chunk in nt_chunks(ds, base):
        n += chunk.statements
        lines = chunk.text.splitlines(keepends=True)
        if not chunk.claims:
            subjects.update(line.split(b" ", 1)[0] for line in lines)
        else:  # only the statements about a record: the claims' direct triples
            lines = [line for line in lines if line.split(b" ", 1)[0] in subjects]
        _add_nodes(ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES), records, compact)

    def dump(node: dict[str, Any]) -> bytes:
        return ("\n  " + json.dumps(node, ensure_ascii=False, indent=1).replace("\n", "\n  ")).encode("utf-8")

    head = json.dumps({**context(base), "@graph": []}, ensure_ascii=False, indent=1)
    out.write(head.removesuffix("[]\n}").encode("utf-8") + b"[")
    first = True
    for node in records.values():
        out.write(dump(node) if first else b"," + dump(node))
        first = False
    for chunk in nt_chunks(ds, base):
        if chunk.claims:
            nodes: dict[str, dict[str, Any]] = {}
            _add_nodes(ox.parse(chunk.text, format=ox.RdfFormat.N_TRIPLES), nodes, compact, skip=records)
            for node in nodes.values():
                out.write(dump(node) if first else b"," + dump(node))
                first = False
    out.write(b"]\n}\n" if first else b"\n ]\n}\n")
    return n


def _xml_safe(triples: Iterable[Any]) -> Iterator[Any]:
    """The triples with every literal XML can hold (see :func:`xml_text`): RDF/XML is XML 1.0."""
    import pyoxigraph as ox

    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and xml_text(o.value) != o.value:
            o = ox.Literal(xml_text(o.value), language=o.language) if o.language else \
                ox.Literal(xml_text(o.value), datatype=o.datatype)
            t = ox.Triple(t.subject, t.predicate, o)
        yield t


_OX_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
               "rdfxml": "RDF_XML", "jsonld": "JSON_LD"}


def export(ds: Dataset, fmt: str, out: IO[bytes], base: str = DEFAULT_BASE, created: str | None = None) -> int:
    """Write the dataset in ``fmt`` (a key of :data:`FORMATS`) to ``out``; return the statement count.

    ``created`` (an ``xsd:dateTime``) dates the nanopublications of the TriG and N-Quads formats.
    Every format streams: the N-Triples text is made and parsed piece by piece, so memory stays
    bounded by a piece (and, for JSON-LD, the nodes of the entities, references and sources)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dataset = fmt in DATASET_FORMATS
    if fmt in ("ntriples", "nquads"):
        return write_nt(ds, out, base, dataset=dataset, created=created)
    if fmt == "jsonld":
        return _write_jsonld(ds, base, out)
    import pyoxigraph as ox

    counted = [0]
    syntax = ox.RdfFormat.N_QUADS if dataset else ox.RdfFormat.N_TRIPLES

    def statements() -> Iterator[Any]:
        for chunk in nt_chunks(ds, base, dataset=dataset, created=created):
            counted[0] += chunk.statements
            yield from ox.parse(chunk.text, format=syntax)

    parsed = _xml_safe(statements()) if fmt == "rdfxml" else statements()
    ox.serialize(parsed, out, format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]), prefixes=prefixes_for(base))
    return counted[0]
