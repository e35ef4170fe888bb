"""Answers to the questions people come with, one function each.

:func:`acting_on` answers "which substances act on autoreceptors?": the claims whose *object* is
the term or a node below it (``touches`` also takes the claims where it is the subject: what the
autoreceptor itself does), made by a substance, grouped by substance, denials kept as "no change".

>>> from serokg.graph.read import load
>>> answer = acting_on(load(), "autoreceptor")
>>> lithium = next(s for s in answer if s.substance == "lithium")
>>> [(a.effect, a.site, a.negated) for a in lithium.actions]
[('no change in sensitivity', '5-HT1A autoreceptor', True)]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from serokg.schema.models import EntityType

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["SUBSTANCE_TYPES", "Action", "SubstanceAnswer", "acting_on"]

#: Entity types that act as substances: chemicals and drugs, drug classes, supplements, hormones,
#: neurotransmitters and interventions (exercise, rTMS, diets).  Receptors, genes, processes,
#: phenotypes, diseases, regions, cells and organisms are not.
SUBSTANCE_TYPES = frozenset({EntityType.chemical, EntityType.drug_class, EntityType.supplement,
                             EntityType.hormone, EntityType.neurotransmitter, EntityType.intervention})


@dataclass(frozen=True)
class Action:
    """One claim of a substance acting on a site, with what a reader weighs it by."""

    claim: str
    statement: str
    effect: str  # "decreases sensitivity", "no change in sensitivity" (a denial), "activates"
    aspect: str | None  # the aspect of the site that changes (sensitivity, abundance...)
    negated: bool
    modality: str
    site: str  # the object's label
    site_id: str
    regimen: str | None
    dose: str | None
    organism: str | None  # label
    organism_basis: str  # stated, cited_source, not_stated
    evidence_level: str  # "animal study (rat)", "author opinion"...
    marker: str | None
    reference: str | None
    fidelity: str  # the verdict
    fidelity_reason: str


@dataclass(frozen=True)
class SubstanceAnswer:
    """A substance and its claims on the asked sites, in file order."""

    substance: str
    label: str
    type: str
    actions: tuple[Action, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"substance": self.substance, "label": self.label, "type": self.type,
                "actions": [asdict(a) for a in self.actions]}


def acting_on(ds: Dataset, term: str = "autoreceptor") -> list[SubstanceAnswer]:
    """Substances (:data:`SUBSTANCE_TYPES`) with a claim whose object is ``term`` or a node below
    it in the receptor hierarchy, sorted by label; denials included (their effect says "no change")."""
    from serokg.graph.evidence import evidence_info
    from serokg.graph.query import expand
    from serokg.graph.sentence import effect, is_plural, say

    sites = expand(ds, term)
    by_substance: dict[str, list[Action]] = {}
    for c in ds.claims.values():
        if c.object not in sites or ds.entities[c.subject].type not in SUBSTANCE_TYPES:
            continue
        by_substance.setdefault(c.subject, []).append(Action(
            claim=c.id, statement=say(c, ds.entities), effect=effect(c, plural=is_plural(ds.entities[c.subject])), aspect=c.aspect.value if c.aspect else None,
            negated=c.negated,
            modality=c.modality.value, site=ds.entities[c.object].label, site_id=c.object,
            regimen=c.regimen.value if c.regimen else None, dose=c.dose,
            organism=ds.entities[c.organism].label if c.organism else None,
            organism_basis=c.organism_basis.value, evidence_level=evidence_info(c, ds).label,
            marker=c.citation.marker, reference=c.citation.reference, fidelity=c.fidelity.verdict.value,
            fidelity_reason=c.fidelity.reason))
    out = [SubstanceAnswer(s, ds.entities[s].label, ds.entities[s].type.value, tuple(actions))
           for s, actions in by_substance.items()]
    return sorted(out, key=lambda s: (s.label.casefold(), s.substance))
