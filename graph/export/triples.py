"""The RDF mapping of the records as plain generators: what every field becomes.

:func:`quads` is the definition of the export; :mod:`serokg.graph.export.fast` writes the same
statements, byte for byte, by a faster path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from serokg.errors import DataError, DataProblem, SerokgError
from serokg.graph.vocab import (
    DEFAULT_BASE, FIELDS, FieldMap, class_iri, enum_iri, unmapped_fields,
)
from serokg.schema.models import Claim, Entity, Reference, Source
from serokg.graph.export.nanopub import nanopub_graphs
from serokg.graph.export.terms import _A_CLAIM, _A_ENTITY, _A_EVIDENCE, _A_PART, _A_POSITION, _A_QUOTE, _A_REFERENCE, _A_SOURCE, _A_SPECIFIC, _DC_CREATED, _DC_SOURCE, _DERIVED, _EVIDENCE, _FIRST, _HAS_SELECTOR, _NIL, _NP_ASSERTION, _NP_PROVENANCE, _NP_PUBINFO, _NP_TYPE, _PART_NAME, _PREFIX, _QUOTE_CONTEXT, _REST, _SEE_ALSO, _SUFFIX, _TYPE, _XSD_TYPES, _check_base, _expand, doi_iri, doi_problem, _iri, _lit, _p, _typed, entity_iris, _MATCH_PROPERTY

if TYPE_CHECKING:

    from serokg.graph.read import Dataset

__all__ = ["quads"]

@dataclass
class _Ctx:
    base: str
    entity: dict[str, str]  # id -> N-Triples term
    texts: dict[str, str]
    created: str | None = None  # the nanopublications' creation time (xsd:dateTime), if given

    def ref(self, rid: str) -> str:
        return f"<{self.base}reference/{rid}>"

    def src(self, sid: str) -> str:
        return f"<{self.base}source/{sid}>"


@lru_cache(maxsize=None, typed=True)  # typed: members of two enums can be equal strings
def _enum_term(member: Any) -> str:
    return f"<{enum_iri(member)}>"


# Each model's field maps, in FIELDS order, with a getter that follows dotted names.
_MODEL_FIELDS: dict[str, list[tuple[FieldMap, Callable[[Any], Any]]]] = {
    model: [(f, attrgetter(f.field)) for f in FIELDS if f.model == model] for model in {f.model for f in FIELDS}}


def _scalar(f: FieldMap, value: Any, ctx: _Ctx) -> str:
    kind = f.kind
    if kind == "str":
        return _lit(value)
    if kind == "enum":
        return _enum_term(value)
    if kind == "entity":
        return ctx.entity[value]
    if kind == "reference":
        return ctx.ref(value)
    if kind == "source":
        return ctx.src(value)
    if kind == "bool":
        return _typed("true" if value else "false", _XSD_TYPES["bool"])
    return _typed(str(value), _XSD_TYPES[kind])


def _fields(subject: str, record: Any, model: str, ctx: _Ctx, skip: frozenset[str] = frozenset(),
            label: str = "") -> Iterator[tuple[str, str, str]]:
    """The triples of the plain fields of ``record`` (dotted names reach into nested models)."""
    for f, get in _MODEL_FIELDS[model]:
        if f.field in skip:
            continue
        value = get(record)
        if value is None:
            continue
        pred = f"<{f.iri}>"
        if not f.many:
            yield subject, pred, _scalar(f, value, ctx)
            continue
        terms = [_scalar(f, v, ctx) for v in value]
        for t in dict.fromkeys(terms):
            yield subject, pred, t
        if len(terms) > 1:  # the order, as an rdf:List (deterministic blank-node labels)
            nodes = [f"_:{label}-{f.field}-{i}" for i in range(len(terms))]
            yield subject, f"<{f.list_iri}>", nodes[0]
            for i, (node, t) in enumerate(zip(nodes, terms)):
                yield node, _FIRST, t
                yield node, _REST, nodes[i + 1] if i + 1 < len(nodes) else _NIL


def _entity(e: Entity, ctx: _Ctx) -> Iterator[tuple[str, str, str]]:
    s = ctx.entity[e.id]
    yield s, _TYPE, _A_ENTITY
    yield s, _TYPE, f"<{class_iri(e.type)}>"
    yield from _fields(s, e, "Entity", ctx, label=f"e-{e.id}")
    for field, prop in _MATCH_PROPERTY.items():
        for x in dict.fromkeys(getattr(e, field)):
            iri = _expand(x)
            if iri and _iri(iri) != s:
                yield s, prop, _iri(iri)


def _reference(r: Reference, ctx: _Ctx) -> Iterator[tuple[str, str, str]]:
    s = ctx.ref(r.id)
    yield s, _TYPE, _A_REFERENCE
    yield from _fields(s, r, "Reference", ctx, label=f"r-{r.id}")
    for iri in (_expand(f"pubmed:{r.pmid}") if r.pmid else None, doi_iri(r.doi) if r.doi else None):
        if iri:
            yield s, _SEE_ALSO, _iri(iri)


def _source(src: Source, ctx: _Ctx) -> Iterator[tuple[str, str, str]]:
    s = ctx.src(src.id)
    yield s, _TYPE, _A_SOURCE
    yield from _fields(s, src, "Source", ctx, skip=frozenset({"parts"}), label=f"s-{src.id}")
    has_part = _p("Source", "parts")
    for name, (start, end) in src.parts.items():
        part = f"<{s[1:-1]}/part/{quote(name, safe='')}>"
        yield s, has_part, part
        yield part, _TYPE, _A_PART
        yield part, _PART_NAME, _lit(name)
        yield part, _p("Evidence", "start"), _typed(str(start), _XSD_TYPES["int"])
        yield part, _p("Evidence", "end"), _typed(str(end), _XSD_TYPES["int"])


_CLAIM_PROVENANCE = frozenset({"citation.marker", "citation.reference", "fidelity.verdict", "fidelity.reason"})
_EVIDENCE_ON_SELECTORS = frozenset({"quote", "start", "end"})
_EVIDENCE_FIELDS = frozenset(f.field for f in FIELDS if f.model == "Evidence")
_NOT_QUOTE, _NOT_POSITION = _EVIDENCE_FIELDS - {"quote"}, _EVIDENCE_FIELDS - {"start", "end"}


def _claim(c: Claim, ctx: _Ctx, nanopub: bool, seen: set[tuple[str, str, str]] | None
           ) -> Iterator[tuple[str, str, str, str | None]]:
    """The claim as quads; graph is None (default graph) unless ``nanopub``."""
    s = f"<{ctx.base}claim/{c.id}>"
    root = s[:-1]
    if nanopub:
        np_, gh, ga, gp, gi = (f"<{iri}>" for iri in nanopub_graphs(ctx.base, c.id).values())
    else:
        ga = gp = gi = gh = None
    subj, obj = ctx.entity[c.subject], ctx.entity[c.object]
    if not c.negated:
        direct = (subj, f"<{enum_iri(c.predicate)}>", obj)
        if seen is None or direct not in seen:
            if seen is not None:
                seen.add(direct)
            yield (*direct, ga)
    yield s, _TYPE, _A_CLAIM, ga
    for t in _fields(s, c, "Claim", ctx, skip=_CLAIM_PROVENANCE, label=f"c-{c.id}"):
        yield (*t, ga)
    ev = c.evidence
    e = f"{root}/evidence>"
    yield s, _EVIDENCE, e, gp
    for t in _fields(s, c, "Claim", ctx, skip=frozenset(f.field for f in FIELDS if f.model == "Claim")
                     - _CLAIM_PROVENANCE):
        yield (*t, gp)
    if nanopub:
        yield ga, _DERIVED, e, gp
    yield e, _TYPE, _A_EVIDENCE, gp
    yield e, _TYPE, _A_SPECIFIC, gp
    for t in _fields(e, ev, "Evidence", ctx, skip=_EVIDENCE_ON_SELECTORS):
        yield (*t, gp)
    q, pos = f"{root}/evidence/quote>", f"{root}/evidence/position>"
    yield e, _HAS_SELECTOR, q, gp
    yield e, _HAS_SELECTOR, pos, gp
    yield q, _TYPE, _A_QUOTE, gp
    yield q, _p("Evidence", "quote"), _lit(ev.quote), gp
    text = ctx.texts.get(ev.source)
    if text is not None and text[ev.start:ev.end] == ev.quote:
        # prefix and suffix let a reader re-anchor the quote if the offsets ever drift
        yield q, _PREFIX, _lit(text[max(0, ev.start - _QUOTE_CONTEXT):ev.start]), gp
        yield q, _SUFFIX, _lit(text[ev.end:ev.end + _QUOTE_CONTEXT]), gp
    yield pos, _TYPE, _A_POSITION, gp
    yield pos, _p("Evidence", "start"), _typed(str(ev.start), _XSD_TYPES["int"]), gp
    yield pos, _p("Evidence", "end"), _typed(str(ev.end), _XSD_TYPES["int"]), gp
    if nanopub:
        yield np_, _DC_SOURCE, ctx.src(ev.source), gi
        if ctx.created:
            yield np_, _DC_CREATED, _typed(ctx.created, _XSD_TYPES["datetime"]), gi
        yield np_, _TYPE, _NP_TYPE, gh
        yield np_, _NP_ASSERTION, ga, gh
        yield np_, _NP_PROVENANCE, gp, gh
        yield np_, _NP_PUBINFO, gi, gh



def _context(ds: Dataset, base: str, created: str | None = None) -> _Ctx:
    base = _check_base(base)
    problems = [DataProblem(str(ds.path / "references.jsonl"), ds.lines.get(("reference", r.id), 0), "doi", why)
                for r in ds.references.values() if r.doi and (why := doi_problem(r.doi))]
    if problems:  # found before anything is written
        raise DataError(problems)
    missing = unmapped_fields()
    if missing:  # a model grew a field the mapping does not know: refuse rather than lose it
        raise SerokgError(f"the RDF mapping does not cover {', '.join(missing)}: add them to FIELDS in graph/vocab.py")
    return _Ctx(base, {k: _iri(v) for k, v in entity_iris(ds.entities, base).items()}, ds.texts, created)


def _records(ds: Dataset, ctx: _Ctx) -> Iterator[tuple[str, str, str, str | None]]:
    """The statements of the entities, references and sources (all in the default graph)."""
    for e in ds.entities.values():
        yield from _grouped((*t, None) for t in _entity(e, ctx))
    for r in ds.references.values():
        yield from _grouped((*t, None) for t in _reference(r, ctx))
    for src in ds.sources.values():
        yield from _grouped((*t, None) for t in _source(src, ctx))


def quads(ds: Dataset, base: str = DEFAULT_BASE, nanopub: bool = False, created: str | None = None
          ) -> Iterator[tuple[str, str, str, str | None]]:
    """Every statement of the dataset as N-Triples term strings ``(s, p, o, graph or None)``.

    With ``nanopub`` each claim is a nanopublication (:mod:`.nanopub`) whose publication info
    carries ``created`` (an ``xsd:dateTime``) when it is given.

    This is the plain definition of the export; :func:`write_nt` writes the same statements,
    byte for byte, by a faster path (:class:`_Writer`)."""
    ctx = _context(ds, base, created)
    yield from _records(ds, ctx)
    seen: set[tuple[str, str, str]] | None = None if nanopub else set()
    for c in ds.claims.values():
        yield from _grouped(_claim(c, ctx, nanopub, seen))


def _grouped(items: Iterable[tuple[str, str, str, str | None]]) -> list[tuple[str, str, str, str | None]]:
    """One record's statements grouped by graph, then subject, each in order of first appearance,
    so Turtle and TriG writers can nest them."""
    groups: dict[tuple[str | None, str], list[tuple[str, str, str, str | None]]] = {}
    graphs: dict[str | None, None] = {}
    for q in items:
        graphs.setdefault(q[3])
        groups.setdefault((q[3], q[0]), []).append(q)
    order = {g: i for i, g in enumerate(graphs)}
    keys = sorted(groups, key=lambda k: order[k[0]])  # stable: subjects keep first-appearance order
    return [q for k in keys for q in groups[k]]

