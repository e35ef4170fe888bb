"""The models: committed JSON Schema is current; validators reject what they should."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from serokg.schema.jsonschema import SCHEMA_DIR, generate
from serokg.schema.models import Citation, Claim, Evidence, Fidelity


def test_committed_json_schema_is_current():
    for name, text in generate().items():
        path = SCHEMA_DIR / name
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python -m serokg.schema.jsonschema"


EV = dict(source="selfhacked-5ht1a", quote="abc", start=10, end=13, section="S")


def _claim(**kw):
    base = dict(id="c-1", subject="a1", predicate="affects", object="b1", evidence=EV,
                fidelity=dict(verdict="no_source", reason="r"))
    return Claim.model_validate({**base, **kw})


def test_evidence_offsets_must_fit_the_quote():
    with pytest.raises(ValidationError, match="end - start is 4 but the quote has 3 characters"):
        Evidence(**{**EV, "end": 14})


def test_comment_needs_commenter():
    with pytest.raises(ValidationError, match="a comment needs its commenter"):
        Evidence(**EV, part="comment")
    assert Evidence(**EV, part="comment", commenter="ed").commenter == "ed"


def test_reference_needs_marker():
    with pytest.raises(ValidationError, match="a reference needs the marker"):
        Citation(reference="x1")


@pytest.mark.parametrize("kw, message", [
    (dict(object="a1"), "subject and object are the same entity"),
    (dict(subject_direction="decreased"), "subject_direction needs the subject_aspect it applies to"),
    (dict(organism_basis="stated"), "organism_basis is stated but no organism is given"),
    (dict(organism="rat"), "an organism is given but organism_basis is not_stated"),
    (dict(fidelity=dict(verdict="supported", reason="r")), "a claim without a citation marker has fidelity verdict no_source"),
    (dict(citation=dict(marker="R01")), "a cited claim cannot have fidelity verdict no_source"),
    (dict(colour="red"), "Extra inputs are not permitted"),
    (dict(id="Bad Id"), "String should match pattern"),
])
def test_claim_invariants(kw, message):
    with pytest.raises(ValidationError, match=message):
        _claim(**kw)


def test_models_are_frozen():
    with pytest.raises(ValidationError):
        _claim().negated = True  # type: ignore[misc]
    assert Fidelity(verdict="supported", reason="r").verdict.value == "supported"
