"""What a claim card shows, computed once for every page that shows claims (the viewer, the reading page).

:func:`card_data` is the JSON the shared card script (``page_common.js: claimCard``) draws: the
claim as a sentence, its effect class and colour, organism and basis, citation and reference link,
fidelity verdict and reason, evidence level and conflicts.  :func:`claim_facets` counts the filter
choices both pages offer (effect, modality, evidence level, article vs comments).

>>> from serokg.graph.read import load
>>> ds = load()
>>> c = ds.claims["lithium-affects-htr1a-autoreceptor"]
>>> card_data(c, ds, evidence_levels(ds, [c]))["cls"]
'no_change'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from serokg.graph.sentence import effect, say
from serokg.schema.models import Claim, Direction, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["EDGE_CLASSES", "EVIDENCE_COLORS", "EdgeClass", "MODALITIES", "card_data", "claim_facets",
           "conflicts_by_claim", "edge_class", "evidence_labels", "evidence_levels", "reference_data", "reference_url",
           "xref_url"]


@dataclass(frozen=True)
class EdgeClass:
    label: str
    color: str


#: Colour by what the claim says happens to the object (edge colour in the viewer, highlight in the reading page).
EDGE_CLASSES: dict[str, EdgeClass] = {
    "increase": EdgeClass("increases", "#2e7d32"),
    "decrease": EdgeClass("decreases", "#c62828"),
    "activation": EdgeClass("activates", "#1565c0"),
    "inhibition": EdgeClass("inhibits / blocks", "#ef6c00"),
    "no_change": EdgeClass("no change / denied", "#757575"),
    "other": EdgeClass("other relation", "#6d4c41"),
}

#: Colour by evidence level, keyed by :class:`serokg.graph.evidence.EvidenceLevel` values, strongest first.
EVIDENCE_COLORS: dict[str, str] = {
    "human": "#1b5e20",
    "animal": "#1565c0",
    "in_vitro": "#00838f",
    "review": "#6a1b9a",
    "comment": "#ef6c00",
    "opinion": "#c62828",
    "unknown": "#9e9e9e",
}

MODALITIES = ("asserted", "hedged", "speculative", "anecdotal")


def edge_class(claim: Claim) -> str:
    """The key of :data:`EDGE_CLASSES` for a claim: negation wins, then the predicate, then the direction."""
    if claim.negated:
        return "no_change"
    if claim.predicate is Predicate.activates:
        return "activation"
    if claim.predicate is Predicate.inhibits:
        return "inhibition"
    if claim.direction is Direction.increased:
        return "increase"
    if claim.direction is Direction.decreased:
        return "decrease"
    return "other"


def xref_url(curie: str) -> str:
    """A resolver address for a CURIE (bioregistry resolves every prefix serokg accepts)."""
    return f"https://bioregistry.io/{curie}"


def reference_url(pmid: str | None, doi: str | None) -> str | None:
    """The publication's page: PubMed when there is a PMID, else the DOI resolver."""
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if doi:
        return f"https://doi.org/{doi}"
    return None


def reference_data(ds: Dataset, reference_id: str | None) -> dict[str, Any] | None:
    """A reference as the card shows it: title with author, journal and year, link, identifier, confidence."""
    ref = ds.references.get(reference_id) if reference_id else None
    if ref is None:
        return None
    where = ", ".join(str(x) for x in (ref.first_author, ref.journal, ref.year) if x)
    return {
        "text": ref.title + (f" ({where})" if where else ""),
        "url": reference_url(ref.pmid, ref.doi),
        "ident": f"PMID {ref.pmid}" if ref.pmid else (f"doi:{ref.doi}" if ref.doi else "no identifier"),
        "confidence": ref.confidence.value,
    }


_BASIS = {"stated": "stated in the text", "cited_source": "from the cited source", "not_stated": "not stated"}


def card_data(c: Claim, ds: Dataset, evidence: dict[str, tuple[str, str]],
              conflicts: dict[str, list[dict[str, str]]] | None = None) -> dict[str, Any]:
    """Everything the claim card shows about ``c`` (``evidence`` from :func:`evidence_levels`)."""
    ent = ds.entities
    ev = c.evidence
    cls = edge_class(c)
    return {
        "sentence": say(c, ent),
        "label": effect(c),
        "cls": cls,
        "color": EDGE_CLASSES[cls].color,
        "organism": ent[c.organism].label if c.organism else None,
        "organism_id": c.organism or "",
        "basis": _BASIS[c.organism_basis.value],
        "system": c.study_system.value.replace("_", " ") if c.study_system else None,
        "anatomy": [ent[a].label for a in c.anatomy],
        "regimen": c.regimen.value if c.regimen else None,
        "dose": c.dose,
        "condition": c.condition,
        "modality": c.modality.value,
        "negated": c.negated,
        "marker": c.citation.marker,
        "reference": reference_data(ds, c.citation.reference),
        "fidelity": c.fidelity.verdict.value.replace("_", " "),
        "fidelity_reason": c.fidelity.reason,
        "quote": ev.quote,
        "source": ev.source,
        "section": ev.section,
        "part": ev.part.value,
        "commenter": ev.commenter,
        "note": c.note,
        "evidence": evidence[c.id][1] if c.id in evidence else None,
        "level": evidence[c.id][0] if c.id in evidence else "",
        "conflicts": (conflicts or {}).get(c.id, []),
    }


def evidence_levels(ds: Dataset, claims: Iterable[Claim]) -> dict[str, tuple[str, str]]:
    """Claim id -> (evidence level value, its label for people)."""
    from serokg.graph.evidence import evidence_info

    out = {}
    for c in claims:
        info = evidence_info(c, ds)
        out[c.id] = (info.level.value, info.label)
    return out


def evidence_labels() -> dict[str, str]:
    from serokg.graph.evidence import LEVEL_LABELS

    return {k.value: v for k, v in LEVEL_LABELS.items()}


def conflicts_by_claim(ds: Dataset, claims: Iterable[Claim]) -> dict[str, list[dict[str, str]]]:
    """Claim id -> the conflicts it takes part in (with the other side said as a sentence)."""
    from serokg.graph.analyse import conflicts

    shown = {c.id for c in claims}
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for found in conflicts(ds, involving=shown):
        for mine, other in ((found.a, found.b), (found.b, found.a)):
            if mine.claim not in shown:
                continue
            if other.claim == mine.claim:
                against = f"its list heading \u201c{other.heading or mine.heading}\u201d"
            else:
                against = other.statement + ("" if other.basis == "text" else " (by its list heading)")
            entry = {"against": against, "kind": found.kind.value.replace("_", " "),
                     "explanation": found.explanation, "other": other.claim}
            if entry not in out[mine.claim]:
                out[mine.claim].append(entry)
    return dict(out)


def claim_facets(claims: Iterable[Claim], evidence: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str, int]]]:
    """The claim filters both pages offer, with the choices present: ``(value, label, count)``."""
    classes: dict[str, int] = defaultdict(int)
    modalities: dict[str, int] = defaultdict(int)
    parts: dict[str, int] = defaultdict(int)
    levels: dict[str, int] = defaultdict(int)
    for c in claims:
        classes[edge_class(c)] += 1
        modalities[c.modality.value] += 1
        parts[c.evidence.part.value] += 1
        if c.id in evidence:
            levels[evidence[c.id][0]] += 1
    level_labels = evidence_labels()
    return {
        "cls": [(k, v.label, classes[k]) for k, v in EDGE_CLASSES.items() if classes.get(k)],
        "level": [(k, level_labels.get(k, k), levels[k]) for k in EVIDENCE_COLORS if levels.get(k)],
        "modality": [(m, m, modalities[m]) for m in MODALITIES if modalities.get(m)],
        "part": [(p, "article" if p == "body" else "reader comments", parts[p]) for p in ("body", "comment")
                 if parts.get(p)],
    }
