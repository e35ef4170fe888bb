"""Evidence level of a claim, derived from its data (never typed by hand).

The level says what kind of evidence stands behind a claim: a human study, an animal study
(with its species), in vitro work, a review or encyclopedia, a reader comment, or the author's
own opinion.  It is read, in this order, from the claim's part (comment), its modality
(speculative or anecdotal: the author's word), its study system, the linked reference's study
system and organism, and the claim's organism.

>>> from serokg.graph.read import load
>>> ds = load()
>>> evidence_level(next(iter(ds.claims.values())), ds) in EvidenceLevel
True
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from serokg.schema.models import Claim, Modality, OrganismBasis, Part, Reference, StudySystem

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["EvidenceInfo", "EvidenceLevel", "LEVEL_LABELS", "count_levels", "evidence_info", "evidence_level",
           "is_human"]


class EvidenceLevel(StrEnum):
    """What kind of evidence stands behind a claim."""

    human = "human"  # a study in people (in vivo, or postmortem human tissue)
    animal = "animal"  # an animal study; see EvidenceInfo.species
    in_vitro = "in_vitro"  # cells, membranes, cloned receptors
    review = "review"  # a review article or an encyclopedia (Wikipedia)
    comment = "comment"  # a reader comment
    opinion = "opinion"  # the author's inference, advice, experience, or an uncited statement
    unknown = "unknown"  # cited, but the source is unresolved and the organism unknown


#: Labels for people (reports, legends).
LEVEL_LABELS: dict[EvidenceLevel, str] = {
    EvidenceLevel.human: "human study",
    EvidenceLevel.animal: "animal study",
    EvidenceLevel.in_vitro: "in vitro",
    EvidenceLevel.review: "review / encyclopedia",
    EvidenceLevel.comment: "reader comment",
    EvidenceLevel.opinion: "author opinion",
    EvidenceLevel.unknown: "unknown",
}

_HUMAN_TAXON = "NCBITaxon:9606"
_HUMAN_WORDS = {"human", "humans", "people", "person", "man", "men", "women", "patients", "volunteers",
                "homo", "sapiens"}
_WORD = re.compile(r"[a-z0-9]+")
_IN_VITRO = re.compile(r"\bin[ -]vitro\b|\bcell[- ]?(?:line|culture)s?\b|\bmembranes?\b|\bcloned\b", re.I)
_REVIEW = re.compile(r"\breview\b|\bwikipedia\b|\bencyclop", re.I)


@dataclass(frozen=True)
class EvidenceInfo:
    """The level, the animal species where it applies (an organism label), and why."""

    level: EvidenceLevel
    species: str | None
    basis: str

    @property
    def label(self) -> str:
        text = LEVEL_LABELS[self.level]
        return f"{text} ({self.species})" if self.species else text


def is_human(organism_id: str, ds: Dataset) -> bool:
    """Whether an organism entity stands for people."""
    e = ds.entities.get(organism_id)
    if e is None:
        return bool(set(_WORD.findall(organism_id.casefold())) & _HUMAN_WORDS)
    if _HUMAN_TAXON in e.xrefs:
        return True
    names = " ".join((e.id, e.label, *e.synonyms)).casefold()
    return bool(set(_WORD.findall(names)) & _HUMAN_WORDS) and not any(
        x.startswith("NCBITaxon:") and x != _HUMAN_TAXON for x in e.xrefs)


def _organism_level(organism_id: str, ds: Dataset, basis: str) -> EvidenceInfo:
    if is_human(organism_id, ds):
        return EvidenceInfo(EvidenceLevel.human, None, basis)
    e = ds.entities.get(organism_id)
    return EvidenceInfo(EvidenceLevel.animal, e.label if e else organism_id, basis)


def _reference_level(ref: Reference, ds: Dataset) -> EvidenceInfo | None:
    """The level a linked reference gives, from its structured fields first, then its words."""
    where = f"reference {ref.id}"
    if ref.study_system is StudySystem.in_vitro:
        return EvidenceInfo(EvidenceLevel.in_vitro, None, f"{where}: study system in vitro")
    if ref.study_system is StudySystem.review:
        return EvidenceInfo(EvidenceLevel.review, None, f"{where}: a review")
    studied = ref.organism_studied or ""
    if _REVIEW.search(studied) or _REVIEW.search(ref.journal or "") or _REVIEW.search(ref.title):
        if ref.study_system is None:
            return EvidenceInfo(EvidenceLevel.review, None, f"{where}: review or encyclopedia")
    if _IN_VITRO.search(studied) and ref.study_system is None:
        return EvidenceInfo(EvidenceLevel.in_vitro, None, f"{where}: studied {studied}")
    if studied:
        words = set(_WORD.findall(studied.casefold()))
        if words & _HUMAN_WORDS:
            return EvidenceInfo(EvidenceLevel.human, None, f"{where}: studied {studied}")
        for e in ds.entities.values():
            if e.type.value != "organism":
                continue
            names = {n.casefold() for n in (e.id, e.label, *e.synonyms)}
            if any(n in words or (n.endswith("s") and n[:-1] in words) or n + "s" in words for n in names):
                return EvidenceInfo(EvidenceLevel.animal, e.label, f"{where}: studied {studied}")
    return None


def evidence_info(claim: Claim, ds: Dataset) -> EvidenceInfo:
    """The evidence level of a claim, with the animal species and the basis of the decision."""
    if claim.evidence.part is Part.comment:
        return EvidenceInfo(EvidenceLevel.comment, None, f"a comment by {claim.evidence.commenter}")
    if claim.modality in (Modality.speculative, Modality.anecdotal):
        return EvidenceInfo(EvidenceLevel.opinion, None, f"the author's {claim.modality.value} statement")
    if claim.study_system is StudySystem.in_vitro:
        return EvidenceInfo(EvidenceLevel.in_vitro, None, "study system in vitro")
    if claim.study_system is StudySystem.review:
        return EvidenceInfo(EvidenceLevel.review, None, "cited source is a review")
    ref = ds.references.get(claim.citation.reference) if claim.citation.reference else None
    # An organism the article states wins over the reference's (the claim is about what it says);
    # but in vitro or review sources stay what they are, whatever the article implies.
    from_ref = _reference_level(ref, ds) if ref else None
    if (from_ref and from_ref.level in (EvidenceLevel.in_vitro, EvidenceLevel.review)
            and claim.study_system is None):
        return from_ref
    if claim.organism is not None:
        basis = ("organism stated in the text" if claim.organism_basis is OrganismBasis.stated
                 else "organism of the cited source")
        return _organism_level(claim.organism, ds, basis)
    if from_ref:
        return from_ref
    if claim.citation.marker is None:
        return EvidenceInfo(EvidenceLevel.opinion, None, "the author's statement, citing nothing")
    return EvidenceInfo(EvidenceLevel.unknown, None,
                        f"cites {claim.citation.marker}, whose source is unresolved, and states no organism")


def evidence_level(claim: Claim, ds: Dataset) -> EvidenceLevel:
    """The evidence level of a claim (see :func:`evidence_info` for species and basis)."""
    return evidence_info(claim, ds).level


def count_levels(ds: Dataset, claims=None) -> dict[str, int]:
    """Claims per evidence level (every level listed, zeros included, in enum order)."""
    counts = Counter(evidence_level(c, ds) for c in (ds.claims.values() if claims is None else claims))
    return {lvl.value: counts.get(lvl, 0) for lvl in EvidenceLevel}
