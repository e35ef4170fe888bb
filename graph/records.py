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

__all__ = ["Records", "claim_record", "entity_record"]


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



class Records:
    """What a claim command prints: claim records, held as dicts or as the JSON list items the
    index stored (:func:`~serokg.graph.present.jsontext.list_item`), each made into the other
    only when asked.

    >>> from serokg.graph.present.jsontext import list_item
    >>> r = Records(items=[list_item({"id": "x"})])
    >>> (len(r), r.dicts(), r.json_text().split())
    (1, [{'id': 'x'}], ['[', '{', '"id":', '"x"', '}', ']'])
    """

    def __init__(self, dicts: list[dict[str, Any]] | None = None, items: list[str] | None = None):
        if (dicts is None) == (items is None):
            raise TypeError("Records takes dicts or items")
        self._dicts, self._items = dicts, items

    def __len__(self) -> int:
        return len(self._dicts if self._dicts is not None else self._items)  # type: ignore[arg-type]

    def dicts(self) -> list[dict[str, Any]]:
        """The records; a ``ValueError`` when a stored item is not one (a damaged index)."""
        if self._dicts is None:
            self._dicts = [_load_item(i) for i in self._items]  # type: ignore[union-attr]
        return self._dicts

    def json_text(self) -> str:
        """The records as ``serokg query --format json`` prints them (without the final newline)."""
        from serokg.graph.present.jsontext import join_items, json_text

        return join_items(self._items) if self._items is not None else json_text(self._dicts, 2)


def _load_item(text: str) -> dict[str, Any]:
    import orjson

    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:  # an int past 64 bits (or damage: json decides)
        import json

        value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not a record")  # noqa: TRY004 (damage, as a broken row is: callers rebuild on ValueError)
    return value
