"""Claims, entities, references and sources to RDF and back, losslessly.

Every record is a resource with a stable IRI under a configurable base (default
:data:`~serokg.graph.vocab.DEFAULT_BASE`): ``{base}claim/{id}``, ``{base}reference/{id}``,
``{base}source/{id}``.  An entity takes the standard IRI of its first identifier that no other
entity shares, expanded with the bioregistry prefix map in ``schema/prefixes.json``, else
``{base}entity/{id}``; it always keeps its local id in ``sk:id``.  A claim carries every field;
its direct triple ``subject predicate object`` is asserted only when the claim is not negated.
In TriG and N-Quads each claim is a nanopublication: assertion, provenance and publication-info
graphs tied together by a head graph.

N-Triples and N-Quads are written by a streaming string writer (:func:`write_nt`); the other
formats are made from that stream by pyoxigraph (Turtle, TriG, RDF/XML) or by :func:`_jsonld`.
Output is deterministic: the same data gives the same bytes.

>>> from serokg.graph.read import load
>>> import io
>>> buf = io.BytesIO()
>>> export(load(), "ntriples", buf) > 0
True
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from serokg.errors import DataError, DataProblem, SerokgError, UsageError
from serokg.graph.vocab import (
    DEFAULT_BASE, FIELDS, NS, SK, FieldMap, class_iri, context, enum_iri, prefixes_for, unmapped_fields,
)
from serokg.schema.models import Claim, Entity, EntityType, Reference, Source

if TYPE_CHECKING:
    import curies

    from serokg.graph.read import Dataset

__all__ = [
    "DATASET_FORMATS", "FORMATS", "Records", "ShaclReport", "entity_iris", "export", "guess_format",
    "parse_rdf", "quads", "read_rdf", "validate_shacl", "write_nt", "xref_converter",
]

#: Export formats and the file extension each is usually given.
FORMATS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig",
           "nquads": ".nq"}
DATASET_FORMATS = frozenset({"trig", "nquads"})

_RDF, _XSD, _OA = NS["rdf"], NS["xsd"], NS["oa"]
_TYPE = f"<{_RDF}type>"
_FIRST, _REST, _NIL = f"<{_RDF}first>", f"<{_RDF}rest>", f"<{_RDF}nil>"
_XSD_TYPES = {"int": f"{_XSD}nonNegativeInteger", "bool": f"{_XSD}boolean", "year": f"{_XSD}gYear"}

# --- N-Triples terms as strings ----------------------------------------------------------------

_ESCAPE = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F]}
_ESCAPE.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
# Characters N-Triples forbids inside <...>; they are percent-encoded, as an IRI would have them.
_IRI_UNSAFE = {i: f"%{i:02X}" for i in [*range(0x21), *map(ord, '<>"{}|^`\\'), 0x7F]}


# The characters _ESCAPE rewrites.  Most texts hold none of them, and a regex scan of a clean
# text is ~5x cheaper than str.translate walking it through the escape table.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]').search


def _lit(text: str) -> str:
    return '"' + (text.translate(_ESCAPE) if _NEEDS_ESCAPE(text) else text) + '"'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype}>'


_NEEDS_PERCENT = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]').search  # the keys of _IRI_UNSAFE, as for _lit


def _iri(iri: str) -> str:
    return "<" + (iri.translate(_IRI_UNSAFE) if _NEEDS_PERCENT(iri) else iri) + ">"


_P = {f.model + "." + f.field: f for f in FIELDS}


def _p(model: str, field: str) -> str:
    return "<" + _P[f"{model}.{field}"].iri + ">"


def _sk(name: str) -> str:
    return f"<{SK}{name}>"


_A_CLAIM, _A_ENTITY, _A_REFERENCE, _A_SOURCE = (_sk(n) for n in ("Claim", "Entity", "Reference", "Source"))
_A_EVIDENCE, _A_PART = _sk("Evidence"), _sk("SourcePart")
_A_SPECIFIC = f"<{_OA}SpecificResource>"
_A_QUOTE, _A_POSITION = f"<{_OA}TextQuoteSelector>", f"<{_OA}TextPositionSelector>"
_HAS_SELECTOR, _PREFIX, _SUFFIX = f"<{_OA}hasSelector>", f"<{_OA}prefix>", f"<{_OA}suffix>"
_EVIDENCE, _PART_NAME = _sk("evidence"), _sk("partName")
_EXACT_MATCH = f"<{NS['skos']}exactMatch>"
_SEE_ALSO = f"<{NS['rdfs']}seeAlso>"
_NP = NS["np"]
_NP_TYPE, _NP_ASSERTION = f"<{_NP}Nanopublication>", f"<{_NP}hasAssertion>"
_NP_PROVENANCE, _NP_PUBINFO = f"<{_NP}hasProvenance>", f"<{_NP}hasPublicationInfo>"
_DERIVED = f"<{NS['prov']}wasDerivedFrom>"
_DC_SOURCE = f"<{NS['dcterms']}source>"
_QUOTE_CONTEXT = 32  # characters of oa:prefix / oa:suffix around a quote


@lru_cache(maxsize=1)
def xref_converter() -> curies.Converter:
    """The curies converter of ``schema/prefixes.json`` (generated from bioregistry; offline)."""
    import curies

    path = Path(__file__).resolve().parent.parent / "schema" / "prefixes.json"
    return curies.load_extended_prefix_map(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _uri_prefixes() -> dict[str, str]:
    return dict(xref_converter().prefix_map)


def _expand(curie: str) -> str | None:
    """``xref_converter().expand(curie)``: the IRI of a CURIE, None if its prefix is unknown.

    Converter.expand rebuilds its whole prefix map on every call (10 µs, as long as writing a
    dozen statements).  This is its lookup with the map built once: the map holds every prefix
    and synonym, and the converter keeps identifiers as they are.  A test holds the two equal."""
    prefix, colon, identifier = curie.partition(":")
    if not colon:  # not a CURIE: let curies say so
        return xref_converter().expand(curie)
    uri_prefix = _uri_prefixes().get(prefix)
    return None if uri_prefix is None else uri_prefix + identifier


def entity_iris(entities: dict[str, Entity], base: str = DEFAULT_BASE) -> dict[str, str]:
    """Entity id -> IRI: the standard IRI of the first identifier no other entity lists, else a local IRI."""
    shared = Counter(x for e in entities.values() for x in set(e.xrefs))
    out: dict[str, str] = {}
    for e in entities.values():
        iri = None
        for x in e.xrefs:
            if shared[x] == 1:
                iri = _expand(x)
                if iri:
                    break
        out[e.id] = iri or f"{base}entity/{e.id}"
    return out


@dataclass
class _Ctx:
    base: str
    entity: dict[str, str]  # id -> N-Triples term
    texts: dict[str, str]

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
    for x in dict.fromkeys(e.xrefs):
        iri = _expand(x)
        if iri and _iri(iri) != s:
            yield s, _EXACT_MATCH, _iri(iri)


def _reference(r: Reference, ctx: _Ctx) -> Iterator[tuple[str, str, str]]:
    s = ctx.ref(r.id)
    yield s, _TYPE, _A_REFERENCE
    yield from _fields(s, r, "Reference", ctx, label=f"r-{r.id}")
    for curie in (f"pubmed:{r.pmid}" if r.pmid else None, f"doi:{r.doi}" if r.doi else None):
        iri = _expand(curie) if curie else None
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
    ga, gp, gi, gh = ((f"{root}/assertion>", f"{root}/provenance>", f"{root}/pubinfo>", f"{root}/head>")
                      if nanopub else (None, None, None, None))
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
        np_ = f"{root}/nanopub>"
        yield np_, _DC_SOURCE, ctx.src(ev.source), gi
        yield np_, _TYPE, _NP_TYPE, gh
        yield np_, _NP_ASSERTION, ga, gh
        yield np_, _NP_PROVENANCE, gp, gh
        yield np_, _NP_PUBINFO, gi, gh


def _check_base(base: str) -> str:
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise UsageError(f"the base IRI must start with http:// or https:// and end with / or #, not {base!r}")
    if any(ch in base for ch in ' <>"{}|^`\\'):
        raise UsageError(f"the base IRI {base!r} has characters an IRI cannot hold")
    return base


def _context(ds: Dataset, base: str) -> _Ctx:
    base = _check_base(base)
    missing = unmapped_fields()
    if missing:  # a model grew a field the mapping does not know: refuse rather than lose it
        raise SerokgError(f"the RDF mapping does not cover {', '.join(missing)}: add them to FIELDS in graph/vocab.py")
    return _Ctx(base, {k: _iri(v) for k, v in entity_iris(ds.entities, base).items()}, ds.texts)


def _records(ds: Dataset, ctx: _Ctx) -> Iterator[tuple[str, str, str, str | None]]:
    """The statements of the entities, references and sources (all in the default graph)."""
    for e in ds.entities.values():
        yield from _grouped((*t, None) for t in _entity(e, ctx))
    for r in ds.references.values():
        yield from _grouped((*t, None) for t in _reference(r, ctx))
    for src in ds.sources.values():
        yield from _grouped((*t, None) for t in _source(src, ctx))


def quads(ds: Dataset, base: str = DEFAULT_BASE, nanopub: bool = False
          ) -> Iterator[tuple[str, str, str, str | None]]:
    """Every statement of the dataset as N-Triples term strings ``(s, p, o, graph or None)``.

    This is the plain definition of the export; :func:`write_nt` writes the same statements,
    byte for byte, by a faster path (:class:`_Writer`)."""
    ctx = _context(ds, base)
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


# --- the fast claim writer ------------------------------------------------------------------------
#
# Claims are nearly all of the statements (33 per claim), and going through :func:`_claim`,
# :func:`_fields` and :func:`_grouped` costs a generator step, a tuple, a field-map scan and a
# grouping pass per statement: 3-4 µs each, where an f-string line costs 0.4 µs.  The writer below
# emits each claim's lines directly, already in the grouped order (graph, then subject, each in order
# of first appearance), from field plans made once per export.  Its output must equal the lines of
# :func:`quads`; tests/test_rdf_fast.py checks that on the bundled and synthetic data.


class _Memo(dict):  # type: ignore[type-arg]
    """``memo[key]`` computes ``fn(key)`` once; after that it is a plain dict lookup (in C)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Any], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.fn(key)
        return value


#: How to write the fields of one model, in FIELDS order, as steps ``(get, parts, many)``:
#: ``get(record)`` returns the values of a run of plain fields in one C call (``attrgetter``),
#: ``parts[i]`` turns value ``i`` into the text ``"<pred> object"``, and ``many`` is the
#: ``many`` field that follows the run, if any (written by :meth:`_Writer._many`).
_Plan = tuple[tuple[Callable[[Any], tuple[Any, ...]], tuple[Callable[[Any], str], ...], "FieldMap | None"], ...]


def _part(f: FieldMap, ctx: _Ctx) -> Callable[[Any], str]:
    pred = f"<{f.iri}> "
    if f.kind == "str":  # mostly distinct texts (quotes, reasons): not worth caching
        head = pred + '"'

        def literal(value: str) -> str:
            return f'{head}{value.translate(_ESCAPE) if _NEEDS_ESCAPE(value) else value}"'

        return literal
    if f.kind in ("int", "year"):
        return lambda value: pred + _scalar(f, value, ctx)
    # enum members, booleans, entity, reference and source ids: few distinct values, so each
    # "<pred> object" text is made once by the plain _scalar and then looked up.
    return _Memo(lambda value: pred + _scalar(f, value, ctx)).__getitem__


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return attrgetter(*names)  # dotted names (citation.marker) reach into nested models
    # attrgetter of one name returns the value itself, not a 1-tuple
    return (lambda record: (attrgetter(names[0])(record),)) if names else (lambda record: ())


def _plan(model: str, ctx: _Ctx, keep: Callable[[str], bool]) -> _Plan:
    steps = []
    run: list[FieldMap] = []
    for f in [*(f for f in FIELDS if f.model == model and keep(f.field)), None]:
        if f is None or f.many:  # a run ends before each many field and at the end
            steps.append((_getter([g.field for g in run]), tuple(_part(g, ctx) for g in run), f))
            run = []
        else:
            run.append(f)
    return tuple(steps)


_XSD_INT = _XSD_TYPES["int"]
_CLAIM_TYPE, _ENTITY_TYPE, _REFERENCE_TYPE = f"{_TYPE} {_A_CLAIM}", f"{_TYPE} {_A_ENTITY}", f"{_TYPE} {_A_REFERENCE}"
_EVIDENCE_TYPES = (f"{_TYPE} {_A_EVIDENCE}", f"{_TYPE} {_A_SPECIFIC}")
_EXACT, _START, _END = _p("Evidence", "quote"), _p("Evidence", "start"), _p("Evidence", "end")


def _group(s: str, parts: list[str], end: str) -> str:
    """The lines of one subject: every part is ``"<pred> object"``; one join, not one string per line."""
    return f"{s} " + f"{end}{s} ".join(parts) + end


class _Writer:
    """Appends the N-Triples (or N-Quads) text of entities, references and claims to a list and
    returns the number of statements; the text equals the lines of :func:`_grouped` over
    :func:`_entity`, :func:`_reference` and :func:`_claim`."""

    def __init__(self, ctx: _Ctx, nanopub: bool) -> None:
        self.ctx, self.nanopub = ctx, nanopub
        self.claim_ns = f"<{ctx.base}claim/"
        self.entity_plan = _plan("Entity", ctx, lambda name: True)
        self.reference_plan = _plan("Reference", ctx, lambda name: True)
        self.assertion = _plan("Claim", ctx, lambda name: name not in _CLAIM_PROVENANCE)
        self.provenance = _plan("Claim", ctx, lambda name: name in _CLAIM_PROVENANCE)
        self.evidence = _plan("Evidence", ctx, lambda name: name not in _EVIDENCE_ON_SELECTORS)
        self.predicate = _Memo(lambda p: f"<{enum_iri(p)}>")
        self.source = _Memo(ctx.src)
        self.entity_term = ctx.entity
        # the direct triples written so far (N-Triples only: each is written once)
        self.seen: set[tuple[str, str, str]] | None = None if nanopub else set()

    def _fields(self, plan: _Plan, record: Any, parts: list[str], label: str, end: str) -> str:
        """Append the ``"<pred> object"`` texts of ``record`` to ``parts``; return the lines of its
        rdf:List nodes (their own subjects, so they follow the record's subject group)."""
        nodes = ""
        for get, run, many in plan:
            # most fields: a comprehension, no per-field branching
            parts += [part(value) for part, value in zip(run, get(record)) if value is not None]
            if many is not None:
                values = attrgetter(many.field)(record)
                if values:  # None or empty: no statement
                    nodes += self._many(many, values, parts, label, end)
        return nodes

    def _many(self, f: FieldMap, values: Iterable[Any], parts: list[str], label: str, end: str) -> str:
        """A ``many`` field, as :func:`_fields` writes it: one statement per distinct value and,
        for two or more values, their order as an rdf:List."""
        terms = [_scalar(f, v, self.ctx) for v in values]
        pred = f"<{f.iri}> "
        parts += [pred + t for t in dict.fromkeys(terms)]
        if len(terms) < 2:
            return ""
        nodes = [f"_:{label}-{f.field}-{i}" for i in range(len(terms))]
        parts.append(f"<{f.list_iri}> {nodes[0]}")
        return "".join(f"{node} {_FIRST} {t}{end}{node} {_REST} {rest}{end}"
                       for node, t, rest in zip(nodes, terms, [*nodes[1:], _NIL]))

    def entity(self, e: Entity, out: list[str]) -> int:
        s = self.entity_term[e.id]
        parts = [_ENTITY_TYPE, f"{_TYPE} <{class_iri(e.type)}>"]
        nodes = self._fields(self.entity_plan, e, parts, f"e-{e.id}", " .\n")
        for x in dict.fromkeys(e.xrefs):
            iri = _expand(x)
            if iri and _iri(iri) != s:
                parts.append(f"{_EXACT_MATCH} {_iri(iri)}")
        out.append(_group(s, parts, " .\n") + nodes)
        return len(parts) + nodes.count("\n")

    def reference(self, r: Reference, out: list[str]) -> int:
        s = self.ctx.ref(r.id)
        parts = [_REFERENCE_TYPE]
        nodes = self._fields(self.reference_plan, r, parts, f"r-{r.id}", " .\n")
        for curie in (f"pubmed:{r.pmid}" if r.pmid else None, f"doi:{r.doi}" if r.doi else None):
            iri = _expand(curie) if curie else None
            if iri:
                parts.append(f"{_SEE_ALSO} {_iri(iri)}")
        out.append(_group(s, parts, " .\n") + nodes)
        return len(parts) + nodes.count("\n")

    def claim(self, c: Claim, out: list[str]) -> int:
        s = self.claim_ns + c.id + ">"
        root = s[:-1]
        nanopub = self.nanopub
        if nanopub:
            ga, gp, gi, gh = f"{root}/assertion>", f"{root}/provenance>", f"{root}/pubinfo>", f"{root}/head>"
            end_a, end_p = f" {ga} .\n", f" {gp} .\n"
        else:
            end_a = end_p = " .\n"
        n = 0
        subj, obj = self.entity_term[c.subject], self.entity_term[c.object]
        if not c.negated:
            pred = self.predicate[c.predicate]
            seen = self.seen
            if seen is None or (subj, pred, obj) not in seen:
                if seen is not None:
                    seen.add((subj, pred, obj))
                out.append(f"{subj} {pred} {obj}{end_a}")
                n = 1
        parts = [_CLAIM_TYPE]
        label = f"c-{c.id}"
        nodes = self._fields(self.assertion, c, parts, label, end_a)
        e = root + "/evidence>"
        if nanopub:  # the provenance statements of the claim start a new group, in their own graph
            out.append(_group(s, parts, end_a) + nodes)
            n += len(parts) + nodes.count("\n")
            parts, nodes = [], ""
        parts.append(f"{_EVIDENCE} {e}")
        nodes += self._fields(self.provenance, c, parts, "", end_p)
        out.append(_group(s, parts, end_p) + nodes)
        n += len(parts) + nodes.count("\n")
        if nanopub:
            out.append(f"{ga} {_DERIVED} {e}{end_p}")
            n += 1
        ev = c.evidence
        q, pos = f"{root}/evidence/quote>", f"{root}/evidence/position>"
        parts = [*_EVIDENCE_TYPES]
        nodes = self._fields(self.evidence, ev, parts, "", end_p)
        parts += (f"{_HAS_SELECTOR} {q}", f"{_HAS_SELECTOR} {pos}")
        out.append(_group(e, parts, end_p) + nodes)
        n += len(parts) + nodes.count("\n")
        # the selectors: a fixed shape, so each is one f-string
        quote, start, end = ev.quote, ev.start, ev.end
        text = self.ctx.texts.get(ev.source)
        anchor = ""
        if text is not None and text[start:end] == quote:
            anchor = (f"{q} {_PREFIX} {_lit(text[max(0, start - _QUOTE_CONTEXT):start])}{end_p}"
                      f"{q} {_SUFFIX} {_lit(text[end:end + _QUOTE_CONTEXT])}{end_p}")
            n += 2
        out.append(f"{q} {_TYPE} {_A_QUOTE}{end_p}{q} {_EXACT} {_lit(quote)}{end_p}{anchor}"
                   f"{pos} {_TYPE} {_A_POSITION}{end_p}"
                   f'{pos} {_START} "{start}"^^<{_XSD_INT}>{end_p}{pos} {_END} "{end}"^^<{_XSD_INT}>{end_p}')
        n += 5
        if nanopub:
            np_ = f"{root}/nanopub>"
            out.append(f"{np_} {_DC_SOURCE} {self.source[ev.source]} {gi} .\n"
                       f"{np_} {_TYPE} {_NP_TYPE} {gh} .\n{np_} {_NP_ASSERTION} {ga} {gh} .\n"
                       f"{np_} {_NP_PROVENANCE} {gp} {gh} .\n{np_} {_NP_PUBINFO} {gi} {gh} .\n")
            n += 5
        return n


def write_nt(ds: Dataset, out: IO[bytes], base: str = DEFAULT_BASE, dataset: bool = False) -> int:
    """Stream N-Triples (or N-Quads when ``dataset``) to ``out``; return the number of statements.

    The statements are those of :func:`quads`, in the same order, written by :class:`_Writer`."""
    ctx = _context(ds, base)
    writer = _Writer(ctx, nanopub=dataset)
    n = 0
    chunk: list[str] = []

    def flush() -> None:
        # Encoding piece by piece and joining bytes is ~2.5x cheaper than joining then encoding:
        # one non-ASCII quote makes the joined str two bytes a character, and its encoding a
        # transcode of everything; this way only the pieces that hold one are transcoded.
        out.write(b"".join(map(str.encode, chunk)))
        chunk.clear()

    for e in ds.entities.values():
        n += writer.entity(e, chunk)
    for r in ds.references.values():
        n += writer.reference(r, chunk)
    flush()
    for src in ds.sources.values():  # one per article: the plain path
        lines = [f"{s} {p} {o} .\n" for s, p, o, _ in _grouped((*t, None) for t in _source(src, ctx))]
        chunk += lines
        n += len(lines)
    write_claim = writer.claim
    for c in ds.claims.values():
        n += write_claim(c, chunk)
        if len(chunk) >= 2048:  # ~8k statements
            flush()
    flush()
    return n


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


# --- reading back --------------------------------------------------------------------------------

_EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdfxml",
               ".xml": "rdfxml", ".owl": "rdfxml", ".trig": "trig", ".nq": "nquads"}


def guess_format(path: str | Path) -> str:
    """The RDF format of a file from its extension."""
    fmt = _EXTENSIONS.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the RDF format of {path} from its extension "
                         f"(use one of {', '.join(sorted(_EXTENSIONS))})")
    return fmt


def parse_rdf(source: str | Path | bytes, fmt: str | None = None) -> Iterator[Any]:
    """pyoxigraph triples or quads of an RDF file (or bytes), any of :data:`FORMATS`."""
    import pyoxigraph as ox

    if fmt is None:
        if isinstance(source, bytes):
            raise UsageError("the format of RDF bytes must be given")
        fmt = guess_format(source)
    if fmt not in _OX_FORMATS:
        raise UsageError(f"unknown RDF format {fmt!r}")
    rdf_format = getattr(ox.RdfFormat, _OX_FORMATS[fmt])
    try:
        if isinstance(source, bytes):
            yield from ox.parse(source, format=rdf_format)
        else:
            with open(source, "rb") as handle:
                yield from ox.parse(handle, format=rdf_format)
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
    except SyntaxError as exc:
        raise DataError([DataProblem(str(source) if not isinstance(source, bytes) else "<rdf>", 0, "",
                                     f"not valid {fmt}: {exc}")]) from None


@dataclass(frozen=True)
class Records:
    """Records read back from RDF, keyed by id, in the order their resources first appear."""

    entities: dict[str, Entity]
    claims: dict[str, Claim]
    references: dict[str, Reference]
    sources: dict[str, Source]


_ENUM_BY_IRI = {enum_iri(m): m for f in FIELDS if f.enum is not None for m in f.enum}
_TYPE_BY_IRI = {class_iri(t): t for t in EntityType}


def read_rdf(source: str | Path | bytes, fmt: str | None = None) -> Records:
    """Rebuild the records from an export in any format (named graphs are merged)."""
    import pyoxigraph as ox

    index: dict[Any, list[tuple[str, Any]]] = {}
    for t in parse_rdf(source, fmt):
        index.setdefault(t.subject, []).append((t.predicate.value, t.object))
    rdf_type = f"{_RDF}type"
    typed: dict[str, list[Any]] = {"Entity": [], "Claim": [], "Reference": [], "Source": []}
    for subject, pairs in index.items():
        for p, o in pairs:
            if p == rdf_type and isinstance(o, ox.NamedNode) and o.value.startswith(SK):
                kind = o.value[len(SK):]
                if kind in typed and subject not in typed[kind]:
                    typed[kind].append(subject)
    sk_id = SK + "id"
    problems: list[DataProblem] = []

    def ids(kind: str) -> dict[Any, str]:
        out = {}
        for s in typed[kind]:
            found = [o.value for p, o in index[s] if p == sk_id]
            if len(found) != 1:
                problems.append(DataProblem(str(s), 0, "id", f"a {kind.lower()} needs exactly one sk:id"))
            else:
                out[s] = found[0]
        return out

    refs = {"entity": ids("Entity"), "reference": ids("Reference"), "source": ids("Source")}

    def values(s: Any, iri: str) -> list[Any]:
        return [o for p, o in index.get(s, ()) if p == iri]

    def convert(f: FieldMap, o: Any, where: str) -> Any:
        if f.kind in refs:
            found = refs[f.kind].get(o)
            if found is None:
                problems.append(DataProblem(where, 0, f.field, f"{o} is not a known {f.kind}"))
            return found
        if f.kind == "enum":
            member = _ENUM_BY_IRI.get(getattr(o, "value", None))
            if member is None or type(member) is not f.enum:
                problems.append(DataProblem(where, 0, f.field, f"{o} is not a value of {f.enum.__name__}"))
                return None
            return member.value
        if not isinstance(o, ox.Literal):
            problems.append(DataProblem(where, 0, f.field, f"{o} should be a literal"))
            return None
        if f.kind == "bool":
            return o.value in ("true", "1")
        if f.kind in ("int", "year"):
            try:
                return int(o.value)
            except ValueError:
                problems.append(DataProblem(where, 0, f.field, f"{o.value!r} is not an integer"))
                return None
        return o.value

    def rdf_list(head: Any) -> list[Any]:
        items, node, guard = [], head, 0
        while not (isinstance(node, ox.NamedNode) and node.value == f"{_RDF}nil") and guard < 100_000:
            first, rest = values(node, f"{_RDF}first"), values(node, f"{_RDF}rest")
            if len(first) != 1 or len(rest) != 1:
                break
            items.append(first[0])
            node, guard = rest[0], guard + 1
        return items

    def fill(s: Any, model: str, data: dict[str, Any], where: str, skip: frozenset[str] = frozenset()) -> None:
        for f in FIELDS:
            if f.model != model or f.field in skip:
                continue
            found = values(s, f.iri)
            if f.many:
                heads = values(s, f.list_iri) if f.list_iri else []
                ordered = rdf_list(heads[0]) if heads else sorted(found, key=str)
                result = [convert(f, o, where) for o in ordered]
            elif not found:
                continue
            else:
                if len(found) > 1:
                    problems.append(DataProblem(where, 0, f.field, f"{len(found)} values where one is allowed"))
                result = convert(f, found[0], where)
            target = data
            *path, last = f.field.split(".")
            for part in path:
                target = target.setdefault(part, {})
            target[last] = result

    def build(model_cls: Any, data: dict[str, Any], where: str) -> Any:
        from pydantic import ValidationError

        try:
            return model_cls.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False, include_input=False):
                problems.append(DataProblem(where, 0, ".".join(map(str, err["loc"])) or "(record)",
                                            err["msg"].removeprefix("Value error, ")))
            return None

    entities: dict[str, Entity] = {}
    for s, eid in refs["entity"].items():
        data: dict[str, Any] = {}
        fill(s, "Entity", data, str(s))
        types = [_TYPE_BY_IRI[o.value] for o in values(s, rdf_type) if getattr(o, "value", None) in _TYPE_BY_IRI]
        if len(types) == 1:
            data["type"] = types[0].value
        else:
            problems.append(DataProblem(str(s), 0, "type", f"{len(types)} entity types where one is needed"))
        e = build(Entity, data, str(s))
        if e is not None:
            entities[e.id] = e
    references = {}
    for s in refs["reference"]:
        data = {}
        fill(s, "Reference", data, str(s))
        r = build(Reference, data, str(s))
        if r is not None:
            references[r.id] = r
    sources = {}
    for s in refs["source"]:
        data = {}
        fill(s, "Source", data, str(s), skip=frozenset({"parts"}))
        parts = {}
        for part in values(s, _P["Source.parts"].iri):
            name, start, end = (values(part, SK + "partName"), values(part, _OA + "start"), values(part, _OA + "end"))
            if len(name) == len(start) == len(end) == 1:
                parts[name[0].value] = (int(start[0].value), int(end[0].value))
            else:
                problems.append(DataProblem(str(s), 0, "parts", f"{part} needs one name, start and end"))
        if parts:
            data["parts"] = parts
        src = build(Source, data, str(s))
        if src is not None:
            sources[src.id] = src
    claims = {}
    for s in typed["Claim"]:
        data = {}
        fill(s, "Claim", data, str(s))
        evidence = values(s, SK + "evidence")
        if len(evidence) == 1:
            ev: dict[str, Any] = {}
            fill(evidence[0], "Evidence", ev, str(s), skip=_EVIDENCE_ON_SELECTORS)
            for sel in values(evidence[0], _OA + "hasSelector"):
                kinds = {o.value for o in values(sel, rdf_type) if isinstance(o, ox.NamedNode)}
                if _A_QUOTE[1:-1] in kinds:
                    fill(sel, "Evidence", ev, str(s), skip=_NOT_QUOTE)
                if _A_POSITION[1:-1] in kinds:
                    fill(sel, "Evidence", ev, str(s), skip=_NOT_POSITION)
            data["evidence"] = ev
        else:
            problems.append(DataProblem(str(s), 0, "evidence", f"{len(evidence)} evidence resources where one is needed"))
        c = build(Claim, data, str(s))
        if c is not None:
            claims[c.id] = c
    if problems:
        raise DataError(problems)
    return Records(entities, claims, references, sources)


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
    return Path(__file__).resolve().parent.parent / "schema" / name


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
