"""How well each entity is grounded, and whether every identifier has its evidence.

An entity's identifiers sit in four fields of the model (``xrefs`` = exact, ``close_matches``,
``broad_matches``, ``related_matches``), or it says why it has none (``no_match_reason``).  The
evidence is the SSSOM mapping set ``data/mappings.sssom.tsv``: one row per identifier with the
predicate of its field, and one ``sssom:NoTermFound`` row per ungroundable entity.
:func:`mapping_problems` holds the two together; the tests validate the file itself with the
``sssom`` package.

>>> from serokg.schema.models import Entity, EntityType
>>> grounding_status(Entity(id="dha", label="DHA", type=EntityType.chemical, close_matches=("MESH:D004281",)))
'close'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from serokg.schema.models import Entity

__all__ = [
    "FIELD_PREDICATE", "MAPPINGS_FILE", "NO_TERM", "STATUSES", "MappingRow", "grounding_status", "mapping_problems",
    "read_mappings",
]

#: The mapping set beside the bundled data.
MAPPINGS_FILE = "mappings.sssom.tsv"
#: The SSSOM object of a row that says no term applies.
NO_TERM = "sssom:NoTermFound"
#: Entity field -> the SKOS predicate of its rows.
FIELD_PREDICATE = {
    "xrefs": "skos:exactMatch",
    "close_matches": "skos:closeMatch",
    "broad_matches": "skos:broadMatch",
    "related_matches": "skos:relatedMatch",
}
#: Grounding statuses, best first.
STATUSES = ("exact", "close", "broad_or_related", "ungroundable", "not_reviewed")
_LOCAL = "serokg:"


def grounding_status(e: Entity) -> str:
    """``exact`` (an xref), ``close`` (a close match, no xref), ``broad_or_related`` (only broader or
    related matches), ``ungroundable`` (a reason why none applies) or ``not_reviewed``."""
    if e.xrefs:
        return "exact"
    if e.close_matches:
        return "close"
    if e.broad_matches or e.related_matches:
        return "broad_or_related"
    return "ungroundable" if e.no_match_reason else "not_reviewed"


@dataclass(frozen=True)
class MappingRow:
    line: int
    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    comment: str
    fields: Mapping[str, str]


def read_mappings(path: Path) -> tuple[list[str], list[MappingRow]]:
    """The metadata lines (``#...``) and the rows of an SSSOM TSV file, with their line numbers."""
    meta, body, first = [], [], None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(keepends=True), 1):
        if line.startswith("#") and first is None:
            meta.append(line.rstrip("\n"))
        else:
            first = first or n
            body.append(line)
    rows = []
    for i, r in enumerate(csv.DictReader(io.StringIO("".join(body)), delimiter="\t")):
        rows.append(MappingRow((first or 1) + 1 + i, r["subject_id"], r["predicate_id"], r["object_id"],
                               r.get("mapping_justification") or "", r.get("comment") or "", r))
    return meta, rows


def mapping_problems(entities: Mapping[str, Entity], rows: Iterable[MappingRow]) -> list[str]:
    """Every disagreement between the entities' identifiers and the mapping set, as messages."""
    problems: list[str] = []
    want = {(f"{_LOCAL}{e.id}", pred, curie) for e in entities.values()
            for field, pred in FIELD_PREDICATE.items() for curie in getattr(e, field)}
    want_none = {f"{_LOCAL}{e.id}": e.no_match_reason for e in entities.values() if e.no_match_reason}
    seen: dict[tuple[str, str, str], int] = {}
    for r in rows:
        where = f"line {r.line}: {r.subject_id} {r.predicate_id} {r.object_id}"
        eid = r.subject_id.removeprefix(_LOCAL)
        if not r.subject_id.startswith(_LOCAL) or eid not in entities:
            problems.append(f"{where}: no entity {eid!r}")
            continue
        if r.object_id == NO_TERM:
            if r.subject_id not in want_none:
                problems.append(f"{where}: the entity has no no_match_reason")
            elif want_none.pop(r.subject_id) != r.comment:
                problems.append(f"{where}: the comment is not the entity's no_match_reason")
            continue
        key = (r.subject_id, r.predicate_id, r.object_id)
        if key in seen:
            problems.append(f"{where}: repeats line {seen[key]}")
            continue
        seen[key] = r.line
        if key not in want:
            field = next((f for f, p in FIELD_PREDICATE.items() if r.object_id in getattr(entities[eid], f)), None)
            problems.append(f"{where}: " + (f"the entity has it in {field}, not {_field_of(r.predicate_id)}"
                                              if field else "the entity does not carry this identifier"))
        if not r.comment.startswith(("seen in ", "seen by hand in ")):
            problems.append(f"{where}: the comment does not name the file it was seen in ('seen in ...')")
    for subject, pred, curie in sorted(want - set(seen)):
        problems.append(f"{subject.removeprefix(_LOCAL)}: {_field_of(pred)} {curie} has no evidence row")
    for subject in sorted(want_none):
        problems.append(f"{subject.removeprefix(_LOCAL)}: no_match_reason has no {NO_TERM} row")
    return problems


def _field_of(predicate: str) -> str:
    return next((f for f, p in FIELD_PREDICATE.items() if p == predicate), predicate)
