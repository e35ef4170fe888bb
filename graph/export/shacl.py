"""SHACL validation of an RDF file against ``schema/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from serokg.graph.vocab import (
    NS, prefixes_for,
)
from serokg.graph.export.reader import parse_rdf
from serokg.graph.export.terms import _XSD

if TYPE_CHECKING:

    pass

__all__ = ["ShaclReport", "validate_shacl"]

# --- SHACL -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShaclReport:
    """The outcome of a SHACL validation: ``conforms`` and one readable line per violation."""

    conforms: bool
    violations: tuple[str, ...]
    triples: int

    def text(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples satisfy schema/shapes.ttl"
        lines = [f"does not conform: {len(self.violations)} violation{'s' * (len(self.violations) != 1)}"]
        return "\n".join(lines + [f"  {v}" for v in self.violations])


def _schema_file(name: str) -> Path:
    return Path(__file__).resolve().parents[2] / "schema" / name


def validate_shacl(source: str | Path | bytes, fmt: str | None = None) -> ShaclReport:
    """Validate an RDF file against ``schema/shapes.ttl`` (named graphs merged into one graph)."""
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    for t in parse_rdf(source, fmt):  # pyoxigraph parses every format; rdflib only holds the graph
        data.add(tuple(_to_rdflib(x) for x in (t.subject, t.predicate, t.object)))
    shapes = rdflib.Graph().parse(_schema_file("shapes.ttl"), format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    sh = rdflib.Namespace(NS["sh"])
    nm = rdflib.Graph().namespace_manager
    for p, ns in prefixes_for().items():
        nm.bind(p, ns, override=True)

    def show(term: Any) -> str:
        if term is None:
            return "-"
        if isinstance(term, rdflib.URIRef):
            return term.n3(nm)
        return str(term)

    lines = []
    for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus, path = results.value(r, sh.focusNode), results.value(r, sh.resultPath)
        message = results.value(r, sh.resultMessage)
        value = results.value(r, sh.value)
        lines.append(f"{show(focus)} {show(path)}: {message}" + (f" (value: {show(value)})" if value is not None else ""))
    return ShaclReport(bool(conforms), tuple(sorted(lines)), len(data))


def _to_rdflib(term: Any) -> Any:
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == f"{_XSD}string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
