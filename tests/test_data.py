"""Data tests: every record of data/*.jsonl, checked line by line against the models, the source
text and the reconstructed reference table.

Each claim, entity and reference is its own test case (its id is in the test id), so a failure
names the record.  Files are read with plain ``json`` and the pydantic models, independently of
the library's reader.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from serokg.schema.models import Claim, Entity, EntityType, FidelityVerdict, Part, Reference

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = DATA / "sources"
MODELS = {"entities.jsonl": Entity, "claims.jsonl": Claim, "references.jsonl": Reference}


def _lines(name: str) -> list[tuple[int, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), start=1))


def _record_id(name: str, lineno: int, line: str) -> str:
    try:
        return str(json.loads(line)["id"])
    except (ValueError, KeyError, TypeError):
        return f"{name}:{lineno}"


def _params(name: str) -> list:
    return [pytest.param(lineno, line, id=_record_id(name, lineno, line)) for lineno, line in _lines(name)]


def _load(name: str) -> list:
    return [MODELS[name].model_validate_json(line) for _, line in _lines(name)]


ENTITIES = {e.id: e for e in _load("entities.jsonl")}
CLAIMS = _load("claims.jsonl")
REFERENCES = {r.id: r for r in _load("references.jsonl")}
TABLE = {m["marker"]: m for m in json.loads((SOURCES / "reconstructed-references.json").read_text(encoding="utf-8"))["markers"]}
MARKERS = [m["marker"] for m in json.loads((SOURCES / "citation-markers.json").read_text(encoding="utf-8"))["markers"]]
META = {
    m["id"]: m
    for m in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.meta.json")))
}
TEXTS = {sid: (SOURCES / m["text_file"]).read_text(encoding="utf-8") for sid, m in META.items()}
PART_RANGE = {Part.body: "body", Part.comment: "comments"}
BIB = ("title", "first_author", "year", "journal", "pmid", "doi")

claim_params = [pytest.param(c, id=c.id) for c in CLAIMS]
entity_params = [pytest.param(e, id=e.id) for e in ENTITIES.values()]
reference_params = [pytest.param(r, id=r.id) for r in REFERENCES.values()]


def _best(marker: str) -> dict | None:
    cands = TABLE[marker]["candidates"]
    return cands[0] if cands else None


def _resolvable(marker: str) -> bool:
    best = _best(marker)
    return best is not None and best["confidence"] in ("high", "medium")


# --- every line validates and is canonical ------------------------------------------------------


@pytest.mark.parametrize(("lineno", "line"), _params("entities.jsonl"))
def test_entity_line(lineno: int, line: str) -> None:
    _check_line(Entity, line)


@pytest.mark.parametrize(("lineno", "line"), _params("claims.jsonl"))
def test_claim_line(lineno: int, line: str) -> None:
    _check_line(Claim, line)


@pytest.mark.parametrize(("lineno", "line"), _params("references.jsonl"))
def test_reference_line(lineno: int, line: str) -> None:
    _check_line(Reference, line)


def _check_line(model: type, line: str) -> None:
    record = model.model_validate_json(line)
    canonical = json.dumps(record.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
    assert line == canonical, "not canonical: keys in model order, defaults omitted, ensure_ascii=False"


@pytest.mark.parametrize("name", list(MODELS))
def test_file_ends_with_one_newline(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text


@pytest.mark.parametrize("name", list(MODELS))
def test_ids_unique(name: str) -> None:
    ids = Counter(json.loads(line)["id"] for _, line in _lines(name))
    assert [i for i, n in ids.items() if n > 1] == []


# --- entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entity", entity_params)
def test_entity_parent_known(entity: Entity) -> None:
    if entity.parent is not None:
        assert entity.parent in ENTITIES
        assert entity.parent != entity.id
        seen = {entity.id}
        node = entity
        while node.parent is not None:  # no cycles
            assert node.parent not in seen
            seen.add(node.parent)
            node = ENTITIES[node.parent]


def test_receptor_sites_hang_under_their_receptor() -> None:
    assert ENTITIES["htr1a-autoreceptor"].parent == "htr1a"
    assert ENTITIES["htr1a-postsynaptic"].parent == "htr1a"
    assert ENTITIES["htr1b-autoreceptor"].parent == "htr1b"
    for eid in ("htr1a-autoreceptor", "htr1a-postsynaptic", "htr1b-autoreceptor"):
        assert ENTITIES[eid].type is EntityType.receptor_population


def test_every_entity_is_used() -> None:
    used = set()
    for c in CLAIMS:
        used |= {c.subject, c.object, *c.anatomy}
        if c.organism:
            used.add(c.organism)
    parents = {e.parent for e in ENTITIES.values() if e.parent}
    assert sorted(set(ENTITIES) - used - parents) == []


# --- claims -----------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", claim_params)
def test_claim_entities_known_and_typed(claim: Claim) -> None:
    assert claim.subject in ENTITIES, claim.subject
    assert claim.object in ENTITIES, claim.object
    if claim.organism is not None:
        assert ENTITIES[claim.organism].type is EntityType.organism
    for a in claim.anatomy:
        assert a in ENTITIES, a
        assert ENTITIES[a].type is EntityType.anatomy
    if claim.predicate.value == "variant_of":
        assert ENTITIES[claim.subject].type is EntityType.variant
        assert ENTITIES[claim.object].type is EntityType.gene


@pytest.mark.parametrize("claim", claim_params)
def test_quote_is_the_source_text(claim: Claim) -> None:
    ev = claim.evidence
    assert ev.source in TEXTS
    assert TEXTS[ev.source][ev.start : ev.end] == ev.quote
    assert ev.quote == ev.quote.strip(), "quotes carry no leading or trailing whitespace"


@pytest.mark.parametrize("claim", claim_params)
def test_evidence_in_its_part(claim: Claim) -> None:
    ev = claim.evidence
    lo, hi = META[ev.source]["parts"][PART_RANGE[ev.part]]
    assert lo <= ev.start < ev.end <= hi


@pytest.mark.parametrize("claim", claim_params)
def test_comment_claims_have_no_marker(claim: Claim) -> None:
    if claim.evidence.part is Part.comment:
        assert claim.citation.marker is None
        assert claim.evidence.commenter


@pytest.mark.parametrize("claim", claim_params)
def test_inferred_sections_say_so(claim: Claim) -> None:
    assert claim.evidence.section_inferred == ("inferred" in claim.evidence.section)


def test_claims_in_reading_order() -> None:
    starts = [(c.evidence.source, c.evidence.start) for c in CLAIMS]
    assert starts == sorted(starts)


def test_every_marker_used() -> None:
    used = {c.citation.marker for c in CLAIMS if c.citation.marker}
    assert len(MARKERS) == 44
    assert [m for m in MARKERS if m not in used] == []
    assert used <= set(MARKERS)


# --- citations, references and fidelity -------------------------------------------------------


@pytest.mark.parametrize("claim", claim_params)
def test_claim_citation(claim: Claim) -> None:
    marker, rid = claim.citation.marker, claim.citation.reference
    verdict = claim.fidelity.verdict
    if marker is None:
        assert rid is None and verdict is FidelityVerdict.no_source
        return
    assert marker in TABLE
    if not _resolvable(marker):
        assert rid is None, f"{marker}'s best candidate is low or missing: no reference"
        assert verdict is FidelityVerdict.unverifiable
        return
    assert rid is not None, f"{marker}'s best candidate is high or medium: link it"
    ref = REFERENCES[rid]
    assert marker in ref.markers
    best = _best(marker)
    for k in BIB:
        assert getattr(ref, k) == best[k], f"{rid}.{k} is not the table's best candidate for {marker}"
    assert verdict is not FidelityVerdict.no_source


@pytest.mark.parametrize("reference", reference_params)
def test_reference_copied_from_table(reference: Reference) -> None:
    """Every identifier and bibliographic field equals the table's best candidate of its markers."""
    for marker in reference.markers:
        assert _resolvable(marker), f"{marker} is low or unresolved and must not have a reference"
        best = _best(marker)
        for k in BIB:
            assert getattr(reference, k) == best[k], f"{k} differs from the table for {marker}"
        assert reference.organism_studied == best["organism_studied"]
    # no identifier outside the table
    pool = [c for m in reference.markers for c in TABLE[m]["candidates"]]
    for k in ("pmid", "doi", "title"):
        value = getattr(reference, k)
        if value is not None:
            assert value in {c[k] for c in pool}


@pytest.mark.parametrize("reference", reference_params)
def test_reference_is_cited(reference: Reference) -> None:
    cited = {c.citation.marker for c in CLAIMS if c.citation.reference == reference.id}
    assert cited == set(reference.markers)


def test_each_marker_has_at_most_one_reference() -> None:
    owners = Counter(m for r in REFERENCES.values() for m in r.markers)
    assert [m for m, n in owners.items() if n > 1] == []


@pytest.mark.parametrize("name", ["entities.jsonl", "claims.jsonl", "references.jsonl"])
def test_files_are_canonical(name: str) -> None:
    """Re-dumping every record gives the file byte for byte (`serokg fmt` writes this form)."""
    from serokg.graph.read import load
    from serokg.graph.write import canonical_line

    ds = load(DATA)
    records = {"entities.jsonl": ds.entities, "claims.jsonl": ds.claims, "references.jsonl": ds.references}[name]
    assert (DATA / name).read_text(encoding="utf-8") == "".join(canonical_line(r) + "\n" for r in records.values())
