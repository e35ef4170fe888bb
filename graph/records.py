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

__all__ = ["claim_record", "dump_record", "entity_record", "load_record"]


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


def dump_record(record: dict[str, Any]) -> bytes:
    """A record as compact JSON that :func:`load_record` turns back into an equal dict, keys in order.

    >>> load_record(dump_record({"b": [1, None], "a": "é"}))
    {'b': [1, None], 'a': 'é'}
    """
    import orjson

    try:
        return orjson.dumps(record)
    except (TypeError, orjson.JSONEncodeError):  # an int past 64 bits: json's own way
        import json

        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def load_record(raw: bytes) -> dict[str, Any]:
    """The dict :func:`dump_record` wrote; a ``ValueError`` for anything that is not one."""
    import orjson

    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:  # (an int past 64 bits, or damage: json decides)
        import json

        value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not a record")  # noqa: TRY004 (damage, as a broken row is: callers rebuild on ValueError)
    return value
