"""How faithfully the article reports its cited sources: claims per fidelity verdict, with reasons.

>>> from serokg.graph.read import load
>>> s = fidelity_summary(load())
>>> s.total == len(load().claims)
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from serokg.graph.evidence import EvidenceLevel, evidence_info, evidence_level
from serokg.graph.sentence import say
from serokg.schema.models import FidelityVerdict

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["FidelityItem", "FidelitySummary", "fidelity_summary"]


@dataclass(frozen=True)
class FidelityItem:
    claim: str
    statement: str
    marker: str | None
    reference: str | None
    reason: str
    evidence_level: str


@dataclass(frozen=True)
class FidelitySummary:
    """Claims per fidelity verdict (every verdict, in the schema's order) and each claim's reason."""

    counts: dict[str, int]
    items: dict[str, list[FidelityItem]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "counts": dict(self.counts),
                "items": {k: [vars(i) for i in v] for k, v in self.items.items()}}


def fidelity_summary(ds: Dataset, evidence: EvidenceLevel | None = None, limit: int | None = None) -> FidelitySummary:
    """How faithfully the article reports its sources: counts by verdict, and the list with reasons
    (with ``evidence``, over the claims of that evidence level only; with ``limit``, at most that many
    items per verdict, the first in data order, while the counts stay whole)."""
    counts: Counter[FidelityVerdict] = Counter()
    items: dict[str, list[FidelityItem]] = {v.value: [] for v in FidelityVerdict}
    for c in ds.claims.values():
        if evidence is not None and evidence_level(c, ds) is not evidence:
            continue
        counts[c.fidelity.verdict] += 1
        listed = items[c.fidelity.verdict.value]
        if limit is None or len(listed) < limit:
            listed.append(FidelityItem(c.id, say(c, ds.entities), c.citation.marker, c.citation.reference,
                                       c.fidelity.reason, evidence_info(c, ds).label))
    return FidelitySummary({v.value: counts.get(v, 0) for v in FidelityVerdict}, items)
