"""Reading RDF back into records, losslessly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from serokg.errors import DataError, DataProblem, UsageError
from serokg.graph.vocab import (
    FIELDS, SK, FieldMap, class_iri, enum_iri,
)
from serokg.schema.models import Claim, Entity, EntityType, Reference, Source
from serokg.graph.export.serialize import _OX_FORMATS
from serokg.graph.export.terms import _A_POSITION, _A_QUOTE, _OA, _P, _RDF
from serokg.graph.export.triples import _EVIDENCE_ON_SELECTORS, _NOT_POSITION, _NOT_QUOTE

if TYPE_CHECKING:

    pass

__all__ = ["Records", "guess_format", "parse_rdf", "read_rdf"]

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


