"""Read and validate a data folder into a :class:`Dataset`, reporting every problem at once.

A data folder holds ``entities.jsonl``, ``claims.jsonl``, ``references.jsonl`` and
``sources/*.meta.json`` (each naming its text file).  Problems come back as
``file:line: field: message`` inside one :class:`~serokg.errors.DataError`.

>>> ds = load()                      # the bundled data
>>> ds.entities["htr1a"].label
'5-HT1A receptor'
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from serokg.errors import DataError, DataProblem, ProblemList
from serokg.schema.models import MARKER, SLUG, XREF_PREFIXES, Claim, Entity, EntityType, Reference, Source
from serokg.schema.sources import MARKER_ASCII

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["DATA_FILES", "Dataset", "bundled_data_dir", "load", "read_jsonl"]

#: The record files of a data folder, with the model each line must satisfy.
DATA_FILES: dict[str, type[BaseModel]] = {
    "entities.jsonl": Entity,
    "claims.jsonl": Claim,
    "references.jsonl": Reference,
}

M = TypeVar("M", bound=BaseModel)


def bundled_data_dir() -> Path:
    """The dataset that ships inside the package."""
    from importlib.resources import files

    return Path(str(files("serokg.data")))


@dataclass(frozen=True)
class Dataset:
    """Validated records of one data folder.  Mappings keep file order."""

    path: Path
    entities: dict[str, Entity]
    claims: dict[str, Claim]
    references: dict[str, Reference]
    sources: dict[str, Source]
    texts: dict[str, str] = field(repr=False)
    markers: dict[str, tuple[str, ...]] = field(repr=False, default_factory=dict)
    lines: dict[tuple[str, str], int] = field(repr=False, default_factory=dict)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The claim graph, built once on first use."""
        from serokg.graph.build import build

        return build(self)

    @cached_property
    def name_words(self) -> dict[str, tuple[list[str], ...]]:
        """Entity id -> the casefolded words of its id, label and each synonym (for term search)."""
        from serokg.graph.query import _words

        return {e.id: tuple(_words(name) for name in (e.id, e.label, *e.synonyms)) for e in self.entities.values()}

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        """Entity id -> ids of the entities whose ``parent`` it is."""
        out: dict[str, list[str]] = {}
        for e in self.entities.values():
            if e.parent:
                out.setdefault(e.parent, []).append(e.id)
        return {k: tuple(v) for k, v in out.items()}


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _field_of(loc: tuple[Any, ...]) -> str:
    # pydantic locations hold union branch names ('str', 'constrained-str'); drop them.
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p in {"str", "int", "none"}))]
    return ".".join(parts) or "(record)"


_PATTERN_MEANING = {
    SLUG: "a lowercase slug (letters a-z, digits, '-')",
    MARKER: "a citation marker such as R07",
    MARKER_ASCII: "a citation marker such as R07",
}


def _message(err: dict[str, Any]) -> str:
    """pydantic's message, made plainer where it would show a regular expression."""
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        value = err.get("input")
        if pattern in _PATTERN_MEANING:
            meaning = _PATTERN_MEANING[pattern]
        elif pattern.startswith("^(CHEBI|"):
            meaning = "a CURIE with a known prefix (" + ", ".join(XREF_PREFIXES) + ")"
        else:
            meaning = f"text matching {pattern}"
        return f"{value!r} is not {meaning}" if isinstance(value, str) else f"should be {meaning}"
    if err["type"] == "enum":
        return f"{err.get('input')!r} is not one of {err.get('ctx', {}).get('expected', '')}"
    return err["msg"].removeprefix("Value error, ")


# --- the fast path ---------------------------------------------------------------------------
# A line is first validated straight from its bytes by pydantic-core (``model_validate_json``),
# with no Python dict in between.  That parser keeps the last of duplicate keys silently, so the
# line's key tokens are counted and compared with the keys the record was built from; any
# failure, or any doubt, sends the line down the careful path below, which alone reports
# problems.  A line the fast path accepts is therefore exactly a line the careful path accepts,
# and it yields an equal record.

_NESTED: dict[type, tuple[str, ...]] = {}


def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    try:
        return _NESTED[model]
    except KeyError:
        names = tuple(name for name, f in model.model_fields.items()
                      if isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel))
        _NESTED[model] = names
        return names


#: One set object per distinct set of given keys, shared by every record that has it.
_SHARED_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(record: BaseModel) -> None:
    """Point the record's ``__pydantic_fields_set__`` at the shared set with the same keys.

    Each record otherwise owns a set of the keys it was given: about half of a claim's memory
    (10^6 claims: ~1.9 GB of 3.9 GB).  Frozen models never change that set (pydantic adds to
    it only on attribute assignment, and ``model_copy`` copies it first), so equal sets can be
    one object.
    """
    given = record.__pydantic_fields_set__
    if len(given) < 5:  # a set of up to 4 keys is small (216 bytes); sharing it costs more than it saves
        return
    shared = _SHARED_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(record, "__pydantic_fields_set__", shared)


def _key_count(record: BaseModel) -> int:
    """Keys the record was validated from: its fields set, recursively (extra keys are forbidden).

    Shares each (sub)record's fields set on the way (see :func:`_share_fields_set`).
    """
    given = record.__pydantic_fields_set__
    n = len(given)
    for name in _nested_fields(type(record)):
        if name in given:
            sub = getattr(record, name)
            if sub is not None:
                n += _key_count(sub)
    _share_fields_set(record)
    return n


def _fast(raw: bytes, validate_json: Any) -> BaseModel | None:
    """The record of a line when it is plainly valid with no duplicate key, else None."""
    try:
        record = validate_json(raw)
    except Exception:  # any doubt: the careful path decides and reports
        return None
    keys = _key_count(record)
    # Each key is followed by exactly one colon, and a string value may hold more: when the
    # line has as many colons as the record has keys, no key was given twice.
    if raw.count(b":") == keys:
        return record
    # Some value holds a colon.  Count key ends ('":') instead, unless whitespace before a
    # colon could hide one (valid JSON, never serokg's canonical form: the careful path decides).
    if b" :" in raw or b"\t:" in raw or b"\n:" in raw or b"\r:" in raw:
        return None
    return record if raw.count(b'":') == keys else None


class _SubRecords:
    """Equal frozen sub-records (a claim's ``citation``, ``fidelity``) made one object per load.

    Frozen models cannot change, so equal ones can be shared, as Python shares small ints;
    equality and hashing are unaffected.  A field whose values rarely repeat (``evidence``)
    stops being looked up after a first sample, so it costs nothing.
    """

    SAMPLE = 2000
    MIN_HITS = 0.2

    def __init__(self, model: type[BaseModel]):
        self.fields = list(_nested_fields(model))
        self.seen: dict[str, dict[Any, Any]] = {name: {} for name in self.fields}
        self.tries = dict.fromkeys(self.fields, 0)
        self.hits = dict.fromkeys(self.fields, 0)

    def share(self, record: BaseModel) -> None:
        values = record.__dict__
        for name in self.fields:
            sub = values.get(name)
            if sub is None:
                continue
            seen = self.seen[name]
            # Keyed by the values and the given keys as plain tuples: hashing and comparing them
            # stays in C (a pydantic model's own __hash__/__eq__ run in Python).
            try:
                canonical = seen.setdefault((tuple(sub.__dict__.values()), tuple(sub.__pydantic_fields_set__)), sub)
            except TypeError:  # an unhashable value: never share this field
                self._drop(name)
                continue
            if canonical is not sub:
                values[name] = canonical
                self.hits[name] += 1
            self.tries[name] += 1
            if self.tries[name] == self.SAMPLE and self.hits[name] < self.MIN_HITS * self.SAMPLE:
                self._drop(name)

    def _drop(self, name: str) -> None:
        self.fields = [f for f in self.fields if f != name]
        self.seen[name] = {}


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while records pile up.

    Reading creates millions of small objects that all survive; each collection would walk
    them again (at 10^5 claims that is most of the load time).  The records hold no cycles,
    and the collector's previous state is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: A line longer than this is reported, not read: memory stays bounded whatever one line holds
#: (a record of twenty 20,000-character texts, each character \u-escaped, takes under 3 MB).
MAX_LINE_BYTES = 16 * 2**20


def _lines(handle: Any) -> Iterator[bytes | int]:
    """The file's lines; a line over :data:`MAX_LINE_BYTES` comes as its length, skipped in chunks."""
    cap = MAX_LINE_BYTES
    while raw := handle.readline(cap + 1):
        if len(raw) <= cap or raw.endswith(b"\n"):
            yield raw
            continue
        size = len(raw)
        while (rest := handle.readline(2**20)) and not rest.endswith(b"\n"):
            size += len(rest)
        yield size + len(rest)


def read_jsonl(path: Path, model: type[M], problems: list[DataProblem],
               invalid_ids: set[str] | None = None) -> Iterator[tuple[int, M]]:
    """Yield ``(line number, record)`` for each valid line of ``path``; append problems for the rest.

    The file is read as a stream of lines, so memory stays bounded whatever its size.  Ids of
    records that fail validation go to ``invalid_ids`` so that links to them are not reported
    a second time as unknown.
    """
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        problems.append(DataProblem(name, 0, "", f"cannot read: {exc.strerror or exc}"))
        return
    validate_json = model.__pydantic_validator__.validate_json
    shared = _SubRecords(model)
    with handle:
        for number, raw in enumerate(_lines(handle), start=1):
            if isinstance(raw, int):
                problems.append(DataProblem(name, number, "", f"line of {raw:,} bytes is longer than "
                                            f"{MAX_LINE_BYTES:,}, the most a record may take: not read"))
                continue
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a byte-order mark is noise, not data
            if raw.isascii() or _valid_utf8(raw):
                record = _fast(raw, validate_json)
                if record is not None:
                    if shared.fields:
                        shared.share(record)
                    yield number, record  # type: ignore[misc]
                    continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(DataProblem(name, number, "", f"not valid UTF-8 (byte {exc.start + 1})"))
                continue
            if not line.strip(" \t\r\n"):
                continue
            try:
                obj = json.loads(line.rstrip("\r\n"), object_pairs_hook=_reject_duplicate_keys)
            except RecursionError:
                problems.append(DataProblem(name, number, "", "JSON nested too deeply"))
                continue
            except json.JSONDecodeError as exc:
                problems.append(DataProblem(name, number, "", f"not valid JSON: {exc.msg.removesuffix(' starting at')} (column {exc.colno})"))
                continue
            except ValueError as exc:
                problems.append(DataProblem(name, number, "", f"not valid JSON: {exc}"))
                continue
            if not isinstance(obj, dict):
                problems.append(DataProblem(name, number, "", f"expected a JSON object, got {type(obj).__name__}"))
                continue
            try:
                record = model.model_validate(obj)
            except ValidationError as exc:
                if invalid_ids is not None and isinstance(obj.get("id"), str):
                    invalid_ids.add(obj["id"])
                if getattr(problems, "full", False):  # a flood: count the rest, do not word them
                    problems.omitted += exc.error_count()  # type: ignore[attr-defined]
                    continue
                for err in exc.errors(include_url=False):
                    problems.append(DataProblem(name, number, _field_of(err["loc"]), _message(err)))
                continue
            yield number, record


def _collect(path: Path, model: type[M], problems: list[DataProblem], kind: str,
             lines: dict[tuple[str, str], int], invalid_ids: set[str]) -> dict[str, M]:
    records: dict[str, M] = {}
    for number, record in read_jsonl(path, model, problems, invalid_ids):
        rid = record.id  # type: ignore[attr-defined]
        if rid in records:
            problems.append(DataProblem(str(path), number, "id",
                                        f"duplicate id {rid!r} (first on line {lines[(kind, rid)]})"))
            continue
        records[rid] = record
        lines[(kind, rid)] = number
    return records


def _check_links(ds: Dataset, folder: Path, problems: list[DataProblem], invalid_ids: set[str]) -> None:
    """Cross-record checks: every id a record names exists and has a fitting type."""
    ent_file, claim_file = str(folder / "entities.jsonl"), str(folder / "claims.jsonl")
    entities = ds.entities

    def entity(file: str, line: int, fld: str, eid: str, want: EntityType | None = None) -> None:
        found = entities.get(eid)
        if found is None:
            if eid not in invalid_ids:  # an invalid record was reported already
                problems.append(DataProblem(file, line, fld, f"unknown entity {eid!r}"))
        elif want is not None and found.type is not want:
            problems.append(DataProblem(file, line, fld, f"{eid!r} has type {found.type.value}, expected {want.value}"))

    for e in entities.values():
        if e.parent is not None:
            entity(ent_file, ds.lines[("entity", e.id)], "parent", e.parent)
    for parent_cycle in _cycles(entities):
        problems.append(DataProblem(ent_file, ds.lines[("entity", parent_cycle)], "parent",
                                    f"parent chain of {parent_cycle!r} loops back on itself"))

    sources, texts, references = ds.sources, ds.texts, ds.references
    marker_sets = {sid: frozenset(m) for sid, m in ds.markers.items()}
    organism_t, anatomy_t = EntityType.organism, EntityType.anatomy
    for c in ds.claims.values():
        line = ds.lines[("claim", c.id)]
        entity(claim_file, line, "subject", c.subject)
        entity(claim_file, line, "object", c.object)
        if c.organism is not None:
            entity(claim_file, line, "organism", c.organism, organism_t)
        for i, region in enumerate(c.anatomy):
            entity(claim_file, line, f"anatomy.{i}", region, anatomy_t)
        ev = c.evidence
        text = texts.get(ev.source)
        if ev.source not in sources:
            if ev.source not in invalid_ids:  # a broken source was reported already
                problems.append(DataProblem(claim_file, line, "evidence.source",
                                            f"unknown source {ev.source!r}"))
        elif text is not None and text[ev.start:ev.end] != ev.quote:
            problems.append(DataProblem(claim_file, line, "evidence.quote",
                                        f"does not match the source text at {ev.start}:{ev.end}"))
        marker, ref_id = c.citation.marker, c.citation.reference
        known = marker_sets.get(ev.source)
        if marker is not None and known is not None and marker not in known:
            problems.append(DataProblem(claim_file, line, "citation.marker",
                                        f"{marker} is not a citation marker of {ev.source!r}"))
        if ref_id is not None:
            ref = references.get(ref_id)
            if ref is None and ref_id not in invalid_ids:
                problems.append(DataProblem(claim_file, line, "citation.reference", f"unknown reference {ref_id!r}"))
            elif ref is not None and marker not in ref.markers:
                problems.append(DataProblem(claim_file, line, "citation.marker",
                                            f"{marker} is not a marker of reference {ref_id!r}"))


def _cycles(entities: dict[str, Entity]) -> list[str]:
    looping = []
    for start in entities:
        seen, node = {start}, entities[start].parent
        while node is not None and node in entities:
            if node == start:
                looping.append(start)
                break
            if node in seen:
                break
            seen.add(node)
            node = entities[node].parent
    return looping


def load(path: str | Path | None = None) -> Dataset:
    """Read and validate the data folder at ``path`` (default: the bundled data).

    Raises :class:`~serokg.errors.DataError` listing every problem found.
    """
    folder = Path(path) if path is not None else bundled_data_dir()
    problems: list[DataProblem] = ProblemList()
    if not folder.is_dir():
        problems.append(DataProblem(str(folder), 0, "", "not a data folder (no such directory)"))
        raise DataError(problems)
    missing = [name for name in DATA_FILES if not (folder / name).is_file()]
    for name in missing:
        problems.append(DataProblem(str(folder / name), 0, "", "missing data file"))
    with _gc_paused():
        return _load(folder, problems, missing)


def _load(folder: Path, problems: list[DataProblem], missing: list[str]) -> Dataset:
    lines: dict[tuple[str, str], int] = {}
    invalid: set[str] = set()
    entities = (_collect(folder / "entities.jsonl", Entity, problems, "entity", lines, invalid)
                if "entities.jsonl" not in missing else {})
    claims = _collect(folder / "claims.jsonl", Claim, problems, "claim", lines, invalid) if "claims.jsonl" not in missing else {}
    references = (_collect(folder / "references.jsonl", Reference, problems, "reference", lines, invalid)
                  if "references.jsonl" not in missing else {})
    from serokg.graph.sources import read_sources

    sources, texts, markers = read_sources(folder / "sources", problems, required=bool(claims),
                                           invalid_ids=invalid)
    ds = Dataset(folder, entities, claims, references, sources, texts, markers, lines)
    _check_links(ds, folder, problems, invalid)
    if problems:
        raise DataError(problems)
    return ds
