"""A :class:`~serokg.graph.read.Dataset` made from an index, holding only the claims a command needs.

Every entity, source and marker list is there; the claims are those a need names (in file
order), and references and source texts load as they are asked for.  Records come back
through the models' own JSON validation, so each is equal to the one the reader made, with
the same fields set.  A command then runs its usual code on this dataset: when the need
keeps every claim the command would look at, the answer is the same by construction.

Needs: ``None`` (every claim), a :class:`~serokg.graph.query.ClaimFilter` (a superset found
by SQL: the command's own filter then decides), :class:`Ids` or :class:`Around`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from serokg.graph.index.store import Index, record_crc

# The reader's own sharing of equal key sets and sub-records (see graph/read.py): records made
# here must cost no more memory than the ones load() makes.
from serokg.graph.read import Dataset, _key_count, _SubRecords
from serokg.schema.models import Claim, Entity, Reference, Source

if TYPE_CHECKING:
    from serokg.graph.query import ClaimFilter

__all__ = ["Around", "Ids", "Need", "dataset", "records"]


@dataclass(frozen=True)
class Ids:
    """The claims with these ids (``show``)."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class Around:
    """The claims whose subject or object a term covers, hierarchy included (``neighbors``)."""

    term: str


Need = Union[None, "ClaimFilter", Ids, Around]


class _Lazy(Mapping):
    """Records of one table, validated when first asked for; iterates in file order."""

    def __init__(self, index: Index, table: str, model: type, column: str = "json",
                 lines: dict | None = None, kind: str = ""):
        self._index, self._table, self._model, self._column = index, table, model, column
        self._lines, self._kind = lines, kind  # line numbers of the records loaded, for messages
        self._got: dict[str, Any] = {}
        self._ids: list[str] | None = None

    def preload(self, ids: set[str]) -> None:
        want = [i for i in ids if i not in self._got]
        if want:
            rows = self._index.rows(f"SELECT id, {self._column}, {self._line} FROM {self._table} "
                                    "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(want),))
            for rid, raw, line in rows:
                self._got[rid] = self._make(raw)
                self._note(rid, line)

    @property
    def _line(self) -> str:
        return "line" if self._lines is not None else "NULL"

    def _note(self, rid: str, line: int | None) -> None:
        if self._lines is not None:
            self._lines[(self._kind, rid)] = line

    def _make(self, raw: str) -> Any:
        if self._model is str:
            return raw
        record = self._model.model_validate_json(raw)
        _key_count(record)
        return record

    def __getitem__(self, key: str) -> Any:
        try:
            return self._got[key]
        except KeyError:
            pass
        if not isinstance(key, str):
            raise KeyError(key)
        row = self._index.rows(f"SELECT {self._column}, {self._line} FROM {self._table} WHERE id = ?", (key,))
        if not row:
            raise KeyError(key)
        self._got[key] = value = self._make(row[0][0])
        self._note(key, row[0][1])
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._got or (isinstance(key, str) and bool(
            self._index.rows(f"SELECT 1 FROM {self._table} WHERE id = ?", (key,))))

    def _all_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = [r[0] for r in self._index.rows(f"SELECT id FROM {self._table} ORDER BY ord")]
        return self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    def __len__(self) -> int:
        return len(self._all_ids())


def _claim_where(base: Dataset, flt) -> tuple[str, list[Any]]:
    """SQL conditions met by exactly the claims matching ``flt`` (:func:`records` relies on it;
    a command that runs :func:`~serokg.graph.query.select` after decides again).

    The terms are expanded in the order :func:`~serokg.graph.query.select` expands them, so a
    term that names nothing fails with the same message.
    """
    from serokg.graph.query import expand

    sets = {name: expand(base, getattr(flt, name)) if getattr(flt, name) else None
            for name in ("subject", "object", "touches", "organism", "anatomy")}
    conds: list[str] = []
    args: list[Any] = []

    def among(column: str, ids: set[str]) -> str:
        args.append(json.dumps(sorted(ids)))
        return f"{column} IN (SELECT value FROM json_each(?))"

    if sets["touches"] is not None:
        conds.append(f"({among('subject', sets['touches'])} OR {among('object', sets['touches'])})")
    for name in ("subject", "object", "organism"):
        if sets[name] is not None:
            conds.append(among(name, sets[name]))
    if sets["anatomy"] is not None:
        conds.append(f"ord IN (SELECT ord FROM claim_anatomy WHERE {among('anatomy', sets['anatomy'])})")
    for name, column in (("predicate", "predicate"), ("direction", "direction"), ("aspect", "aspect"),
                         ("modality", "modality"), ("part", "part"), ("marker", "marker"),
                         ("reference", "reference")):
        value = getattr(flt, name)
        if value is not None:
            conds.append(f"{column} = ?")
            args.append(getattr(value, "value", value))
    if flt.negated is not None:
        conds.append("negated = ?")
        args.append(int(flt.negated))
    if flt.evidence is not None:
        conds.append("evidence = ?")
        args.append(flt.evidence.value)
    return (" AND ".join(conds) or "1"), args


def _entities(index: Index, lines: dict[tuple[str, str], int]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    validate = Entity.__pydantic_validator__.validate_json
    for eid, line, raw in index.stream("SELECT id, line, json FROM entity ORDER BY ord"):
        entities[eid] = entity = validate(raw)
        _key_count(entity)
        lines[("entity", eid)] = line
    return entities


def records(index: Index, folder: Path, flt: ClaimFilter) -> list[str]:
    """The stored JSON list items (see :class:`~serokg.graph.records.Records`) of the claims
    matching ``flt``, in file order: selected by SQL, no claim validated or rendered again."""
    lines: dict[tuple[str, str], int] = {}
    base = Dataset(folder, _entities(index, lines), {}, {}, {}, {}, {}, lines)
    where, args = _claim_where(base, flt)
    items = []
    for item, crc in index.stream(f"SELECT record, record_crc FROM claim WHERE {where} ORDER BY ord", tuple(args)):
        if not isinstance(item, str) or record_crc(item) != crc:
            raise ValueError("a stored record is damaged")
        items.append(item)
    return items


def dataset(index: Index, folder: Path, need: Need) -> Dataset:
    """The dataset of ``folder`` from ``index``, with the claims ``need`` asks for."""
    lines: dict[tuple[str, str], int] = {}
    entities = _entities(index, lines)
    sources: dict[str, Source] = {}
    markers: dict[str, tuple[str, ...]] = {}
    for sid, raw, mark in index.rows("SELECT id, json, markers FROM source ORDER BY ord"):
        sources[sid] = Source.model_validate_json(raw)
        if mark is not None:
            markers[sid] = tuple(json.loads(mark))
    references = _Lazy(index, "reference", Reference, lines=lines, kind="reference")
    texts = _Lazy(index, "source", str, "text")
    base = Dataset(folder, entities, {}, references, sources, texts, markers, lines)  # type: ignore[arg-type]

    if need is None:
        where, args = "1", []
    elif isinstance(need, Ids) and len(need.ids) == index.rows(
            "SELECT count(*) FROM claim WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(need.ids)),))[0][0]:
        where, args = "id IN (SELECT value FROM json_each(?))", [json.dumps(list(need.ids))]
    elif isinstance(need, Ids):  # an unknown id: the command's message may name close ids, from all of them
        where, args = "1", []
    elif isinstance(need, Around):
        from serokg.graph.query import expand

        nodes = json.dumps(sorted(expand(base, need.term)))
        where = "(subject IN (SELECT value FROM json_each(?)) OR object IN (SELECT value FROM json_each(?)))"
        args = [nodes, nodes]
    else:
        where, args = _claim_where(base, need)
    claims: dict[str, Claim] = {}
    validate = Claim.__pydantic_validator__.validate_json
    shared = _SubRecords(Claim)
    for cid, line, raw in index.stream(f"SELECT id, line, json FROM claim WHERE {where} ORDER BY ord", tuple(args)):
        claims[cid] = claim = validate(raw)
        _key_count(claim)  # the reader's memory sharing, so a claim costs what it costs after load()
        shared.share(claim)
        lines[("claim", cid)] = line
    if need is None:  # every claim: a whole-dataset command (stats, exports) will walk them all
        references.preload(set(references))
    else:
        references.preload({c.citation.reference for c in claims.values() if c.citation.reference})
    ds = Dataset(folder, entities, claims, references, sources, texts, markers, lines)  # type: ignore[arg-type]
    for cached in ("name_words", "children"):  # they depend on the entities only
        if cached in base.__dict__:
            ds.__dict__[cached] = base.__dict__[cached]
    return ds
