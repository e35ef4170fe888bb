"""Every RDF format from the N-Triples stream: TriG, RDF/XML via pyoxigraph; Turtle and JSON-LD by
the writers of :mod:`.turtle` and :mod:`.jsonld`.

>>> from serokg.graph.read import load
>>> import io
>>> export(load(), "ntriples", io.BytesIO()) > 0
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from serokg.errors import UsageError
from serokg.graph.vocab import (
    DEFAULT_BASE, prefixes_for,
)
from serokg.graph.export.fast import nt_chunks, write_nt
from serokg.graph.export.terms import xml_text

if TYPE_CHECKING:

    from serokg.graph.read import Dataset

__all__ = ["DATASET_FORMATS", "FORMATS", "export"]

#: Export formats and the file extension each is usually given.
FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig",
           "nquads": ".nq"}
DATASET_FORMATS = frozenset({"trig", "nquads"})


def compactor(base: str, local: Callable[[str], object] | None = None) -> Callable[[str], str]:
    """IRI -> ``prefix:local`` by the longest namespace of the context, else the IRI itself.

    ``local`` says which local parts the syntax can write (Turtle's ``PN_LOCAL``); JSON-LD takes any
    that does not start with ``//``.

    >>> compactor("https://w3id.org/serokg/")("https://w3id.org/serokg/claim/C1")
    'claim:C1'
    """
    spaces = sorted(((ns, p) for p, ns in prefixes_for(base).items()), key=lambda x: -len(x[0]))

    def compact(iri: str) -> str:
        for ns, p in spaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                rest = iri[len(ns):]
                if local(rest) if local is not None else not rest.startswith("//"):
                    return f"{p}:{rest}"
        return iri

    return compact


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
    Every format streams: the N-Triples text is made piece by piece and rewritten (Turtle, JSON-LD)
    or parsed by pyoxigraph (TriG, RDF/XML), so memory stays bounded by a piece."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dataset = fmt in DATASET_FORMATS
    if fmt in ("ntriples", "nquads"):
        return write_nt(ds, out, base, dataset=dataset, created=created)
    if fmt == "jsonld":
        from serokg.graph.export.jsonld import write_jsonld

        return write_jsonld(ds, out, base)
    if fmt == "turtle":
        from serokg.graph.export.turtle import write_turtle

        return write_turtle(ds, out, base)
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
