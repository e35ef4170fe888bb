"""Claims as plain dicts for output: the claim's fields plus resolved labels and reference.

>>> from serokg.graph.read import load
>>> ds = load()
>>> rec = claim_record(next(iter(ds.claims.values())), ds)
>>> {"subject_label", "object_label", "statement"} <= rec.keys()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from serokg.graph.sentence import effect, say
from serokg.schema.models import Claim

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["claim_record", "entity_record"]


def claim_record(claim: Claim, ds: Dataset) -> dict[str, Any]:
    """The claim's JSON form with ``subject_label``, ``object_label``, ``organism_label``,
    ``effect`` (a short label that says "no change" for denials), ``statement`` and the
    linked reference's bibliographic fields."""
    rec = claim.model_dump(mode="json")
    labels = {k: ds.entities[v].label for k, v in (("subject_label", claim.subject), ("object_label", claim.object))}
    rec = {"id": rec.pop("id"), "subject": rec.pop("subject"), "subject_label": labels["subject_label"],
           "effect": effect(claim), "object": rec.pop("object"), "object_label": labels["object_label"],
           "statement": say(claim, ds.entities), **rec}
    rec["organism_label"] = ds.entities[claim.organism].label if claim.organism else None
    rec["anatomy_labels"] = [ds.entities[a].label for a in claim.anatomy]
    ref = ds.references.get(claim.citation.reference) if claim.citation.reference else None
    rec["reference"] = (
        {k: getattr(ref, k) for k in ("id", "first_author", "year", "title", "journal", "pmid", "doi", "confidence")}
        if ref else None
    )
    if ref:
        rec["reference"]["confidence"] = ref.confidence.value
    return rec


def entity_record(eid: str, ds: Dataset) -> dict[str, Any]:
    return ds.entities[eid].model_dump(mode="json")
