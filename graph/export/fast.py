"""The fast N-Triples / N-Quads writer: the statements of :func:`~serokg.graph.export.triples.quads`, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from serokg.graph.vocab import (
    DEFAULT_BASE, FIELDS, FieldMap, class_iri, enum_iri,
)
from serokg.schema.models import Claim, Entity, Reference
from serokg.graph.export.terms import _A_CLAIM, _A_ENTITY, _A_EVIDENCE, _A_POSITION, _A_QUOTE, _A_REFERENCE, _A_SPECIFIC, _DC_CREATED, _DC_SOURCE, _DERIVED, _ESCAPE, _EVIDENCE, _FIRST, _HAS_SELECTOR, _NEEDS_ESCAPE, _NIL, _NP_ASSERTION, _NP_PROVENANCE, _NP_PUBINFO, _NP_TYPE, _PREFIX, _QUOTE_CONTEXT, _REST, _SEE_ALSO, _SUFFIX, _TYPE, _XSD_TYPES, _expand, _iri, _lit, _p, doi_iri, _MATCH_PROPERTY
from serokg.graph.export.nanopub import nanopub_iri
from serokg.graph.export.triples import _CLAIM_PROVENANCE, _Ctx, _EVIDENCE_ON_SELECTORS, _context, _grouped, _scalar, _source

if TYPE_CHECKING:

    from serokg.graph.read import Dataset

__all__ = ["NtChunk", "nt_chunks", "write_nt"]

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
        self.np_ns = "<" + nanopub_iri(ctx.base, "")
        self.created = f'"{ctx.created}"^^<{_XSD_TYPES["datetime"]}>' if ctx.created else None
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
        # subject -> its direct triples' "<pred> <obj>", when :meth:`gather_direct` moved them
        self.direct: dict[str, list[str]] = {}

    def _direct(self, c: Claim) -> tuple[str, str, str] | None:
        """The claim's direct triple, if it is the first claim to state it (N-Triples)."""
        if c.negated:
            return None
        t = (self.entity_term[c.subject], self.predicate[c.predicate], self.entity_term[c.object])
        seen = self.seen
        if seen is None:
            return t
        if t in seen:
            return None
        seen.add(t)
        return t

    def gather_direct(self, claims: Iterable[Claim]) -> None:
        """Take the claims' direct triples out of the claims' pieces and into their subjects' groups,
        so that every subject is one group (one Turtle block, one JSON-LD node); N-Triples only."""
        for c in claims:
            t = self._direct(c)
            if t is not None:
                self.direct.setdefault(t[0], []).append(f"{t[1]} {t[2]}")

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
        for field, prop in _MATCH_PROPERTY.items():
            for x in dict.fromkeys(getattr(e, field)):
                iri = _expand(x)
                if iri and _iri(iri) != s:
                    parts.append(f"{prop} {_iri(iri)}")
        parts += self.direct.pop(s, ())
        out.append(_group(s, parts, " .\n") + nodes)
        return len(parts) + nodes.count("\n")

    def reference(self, r: Reference, out: list[str]) -> int:
        s = self.ctx.ref(r.id)
        parts = [_REFERENCE_TYPE]
        nodes = self._fields(self.reference_plan, r, parts, f"r-{r.id}", " .\n")
        for iri in (_expand(f"pubmed:{r.pmid}") if r.pmid else None, doi_iri(r.doi) if r.doi else None):
            if iri:
                parts.append(f"{_SEE_ALSO} {_iri(iri)}")
        out.append(_group(s, parts, " .\n") + nodes)
        return len(parts) + nodes.count("\n")

    def claim(self, c: Claim, out: list[str]) -> int:
        s = self.claim_ns + c.id + ">"
        root = s[:-1]
        nanopub = self.nanopub
        if nanopub:
            np_ = self.np_ns + c.id
            ga, gp, gi, gh = f"{np_}/assertion>", f"{np_}/provenance>", f"{np_}/pubinfo>", f"{np_}/Head>"
            np_ += ">"
            end_a, end_p = f" {ga} .\n", f" {gp} .\n"
        else:
            end_a = end_p = " .\n"
        n = 0
        direct = self._direct(c)
        if direct is not None:
            out.append(" ".join(direct) + end_a)
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
            created = f"{np_} {_DC_CREATED} {self.created} {gi} .\n" if self.created else ""
            out.append(f"{np_} {_DC_SOURCE} {self.source[ev.source]} {gi} .\n{created}"
                       f"{np_} {_TYPE} {_NP_TYPE} {gh} .\n{np_} {_NP_ASSERTION} {ga} {gh} .\n"
                       f"{np_} {_NP_PROVENANCE} {gp} {gh} .\n{np_} {_NP_PUBINFO} {gi} {gh} .\n")
            n += 5 + bool(created)
        return n


_PIECE = 8192  # statements a piece of nt_chunks holds, about (it ends after a whole record)


class NtChunk(NamedTuple):
    """A piece of the N-Triples (N-Quads) text: whole records, ``statements`` lines; ``claims``
    says whether they are claims (else entities, references or sources, which come first)."""

    text: bytes
    statements: int
    claims: bool


def nt_chunks(ds: Dataset, base: str = DEFAULT_BASE, dataset: bool = False, created: str | None = None,
              grouped: bool = False) -> Iterator[NtChunk]:
    """The N-Triples (N-Quads when ``dataset``) text of :func:`write_nt` in pieces of whole records
    (about 8k statements each): what a streaming serializer reads, so no export holds the whole text.

    ``grouped`` (N-Triples only) writes each claims' direct triple with its subject entity's
    statements rather than before the claim: the same statements, every subject's lines contiguous."""
    ctx = _context(ds, base, created)
    writer = _Writer(ctx, nanopub=dataset)
    if grouped and not dataset:
        writer.gather_direct(ds.claims.values())
    n = 0
    chunk: list[str] = []

    def flush(claims: bool) -> NtChunk:
        # Encoding piece by piece and joining bytes is ~2.5x cheaper than joining then encoding:
        # one non-ASCII quote makes the joined str two bytes a character, and its encoding a
        # transcode of everything; this way only the pieces that hold one are transcoded.
        piece = b"".join(map(str.encode, chunk))
        chunk.clear()
        return NtChunk(piece, n, claims)

    # every loop flushes a piece after ~8k statements of whole records: no piece holds the records
    # of a large dataset whole (43 MB of text at 10^5 claims, mostly the source texts)
    for e in ds.entities.values():
        n += writer.entity(e, chunk)
        if n >= _PIECE:
            yield flush(claims=False)
            n = 0
    for s, parts in writer.direct.items():  # a subject that is no entity (never, once validated)
        chunk.append(_group(s, parts, " .\n"))
        n += len(parts)
    writer.direct.clear()
    for r in ds.references.values():
        n += writer.reference(r, chunk)
        if n >= _PIECE:
            yield flush(claims=False)
            n = 0
    for src in ds.sources.values():  # one per article: the plain path
        lines = [f"{s} {p} {o} .\n" for s, p, o, _ in _grouped((*t, None) for t in _source(src, ctx))]
        chunk += lines
        n += len(lines)
        if n >= _PIECE:
            yield flush(claims=False)
            n = 0
    yield flush(claims=False)
    n = 0
    write_claim = writer.claim
    for c in ds.claims.values():
        n += write_claim(c, chunk)
        if n >= _PIECE:
            yield flush(claims=True)
            n = 0
    yield flush(claims=True)


def write_nt(ds: Dataset, out: IO[bytes], base: str = DEFAULT_BASE, dataset: bool = False,
             created: str | None = None) -> int:
    """Stream N-Triples (or N-Quads when ``dataset``) to ``out``; return the number of statements.

    The statements are those of :func:`quads`, in the same order, written by :class:`_Writer`."""
    total = 0
    for chunk in nt_chunks(ds, base, dataset, created):
        out.write(chunk.text)
        total += chunk.statements
    return total
