"""Every RDF format from the N-Triples stream: Turtle, TriG, RDF/XML via pyoxigraph, JSON-LD here.

>>> from serokg.graph.read import load
>>> import io
>>> export(load(), "ntriples", io.BytesIO()) > 0
True
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from serokg.errors import UsageError
from serokg.graph.vocab import (
    DEFAULT_BASE, context, prefixes_for,
)
from serokg.graph.export.fast import write_nt
from serokg.graph.export.terms import _RDF, _XSD

if TYPE_CHECKING:

    from serokg.graph.read import Dataset

__all__ = ["DATASET_FORMATS", "FORMATS", "export"]

#: Export formats and the file extension each is usually given.
FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig",
           "nquads": ".nq"}
DATASET_FORMATS = frozenset({"trig", "nquads"})

def _jsonld(triples: Iterable[Any], base: str, out: IO[bytes]) -> None:
    """Compact JSON-LD with the prefix context of ``schema/context.jsonld`` inlined."""
    import pyoxigraph as ox

    ctx = context(base)
    spaces = sorted(((ns, p) for p, ns in prefixes_for(base).items()), key=lambda x: -len(x[0]))

    def compact(iri: str) -> str:
        for ns, p in spaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{p}:{iri[len(ns):]}"
        return iri

    xsd_string = f"{_XSD}string"
    nodes: dict[str, dict[str, Any]] = {}
    for t in triples:
        s = t.subject
        key = f"_:{s.value}" if isinstance(s, ox.BlankNode) else compact(s.value)
        node = nodes.setdefault(key, {"@id": key})
        o = t.object
        if t.predicate.value == f"{_RDF}type" and isinstance(o, ox.NamedNode):
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
    doc = {**ctx, "@graph": list(nodes.values())}
    out.write(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b"\n")


_OX_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
               "rdfxml": "RDF_XML", "jsonld": "JSON_LD"}


def export(ds: Dataset, fmt: str, out: IO[bytes], base: str = DEFAULT_BASE) -> int:
    """Write the dataset in ``fmt`` (a key of :data:`FORMATS`) to ``out``; return the statement count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dataset = fmt in DATASET_FORMATS
    if fmt in ("ntriples", "nquads"):
        return write_nt(ds, out, base, dataset=dataset)
    import pyoxigraph as ox

    buf = io.BytesIO()
    n = write_nt(ds, buf, base, dataset=dataset)
    buf.seek(0)
    parsed = ox.parse(buf, format=ox.RdfFormat.N_QUADS if dataset else ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        _jsonld(parsed, base, out)
    else:
        ox.serialize(parsed, out, format=getattr(ox.RdfFormat, _OX_FORMATS[fmt]), prefixes=prefixes_for(base))
    return n


