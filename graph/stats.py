"""Counts that describe a dataset: by entity type, predicate, direction, organism, modality,
grounding (:func:`~serokg.graph.grounding.grounding_status`)...

>>> from serokg.graph.read import load
>>> s = stats(load())
>>> s["totals"]["claims"] == len(load().claims)
True
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["stats", "summary_markdown"]


def _count(values) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for v, n in Counter(values).items():  # name each distinct value once, not once per claim
        counts["none" if v is None else str(getattr(v, "value", v))] += n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def stats(ds: Dataset) -> dict[str, Any]:
    """Every count ``serokg stats`` shows, as one nested dict."""
    claims = list(ds.claims.values())
    from serokg.graph.grounding import STATUSES, grounding_status

    known = sorted({m for ms in ds.markers.values() for m in ms})
    status = {e.id: grounding_status(e) for e in ds.entities.values()}
    used = sorted({c.citation.marker for c in claims if c.citation.marker})
    return {
        "totals": {
            "entities": len(ds.entities),
            "claims": len(claims),
            "references": len(ds.references),
            "sources": len(ds.sources),
        },
        "entities_by_type": _count(e.type for e in ds.entities.values()),
        "claims_by_predicate": _count(c.predicate for c in claims),
        "claims_by_direction": _count(
            "no change (negated)" if c.negated and c.direction is None else c.direction for c in claims
        ),
        "claims_by_aspect": _count(c.aspect for c in claims),
        "claims_by_organism": _count(c.organism for c in claims),
        "claims_by_organism_basis": _count(c.organism_basis for c in claims),
        "claims_by_modality": _count(c.modality for c in claims),
        "claims_negated": sum(c.negated for c in claims),
        "claims_by_part": _count(c.evidence.part for c in claims),
        "claims_by_fidelity": _count(c.fidelity.verdict for c in claims),
        "citations": {
            "claims_with_marker": sum(c.citation.marker is not None for c in claims),
            "claims_with_reference": sum(c.citation.reference is not None for c in claims),
            "markers_used": len(used),
            "markers_in_sources": len(known),
            "markers_unused": [m for m in known if m not in used],
        },
        "grounding": {k: sum(v == k for v in status.values()) for k in STATUSES},
        "ungroundable": {e.id: e.no_match_reason for e in ds.entities.values() if e.no_match_reason},
        "sentences": _sentences(ds),
    }


def _sentences(ds: Dataset) -> dict[str, int]:
    """Sentences of the sources' body and comments, with and without a claim (summed over the sources)."""
    from serokg.graph.coverage import claims_by_source, sentence_coverage

    out = {f"{part}_{key}": 0 for part in ("body", "comment") for key in ("sentences", "with_claims", "without_claims")}
    by_source = claims_by_source(ds)
    for sid in ds.sources:
        for part, counts in sentence_coverage(ds, sid, by_source.get(sid, [])).counts().items():
            for key, n in counts.items():
                out[f"{part}_{key}"] += n
    return out


def summary_markdown(ds: Dataset) -> str:
    """The dataset's headline counts as Markdown tables (the README's "The bundled data" block)."""
    s = stats(ds)
    t, c = s["totals"], s["citations"]
    out = [
        f"{t['claims']} claims ({s['claims_by_part'].get('body', 0)} from the article body, "
        f"{s['claims_by_part'].get('comment', 0)} from reader comments) about {t['entities']} entities, "
        f"citing {t['references']} reconstructed references; {c['markers_used']} of {c['markers_in_sources']} "
        f"citation markers used; {c['claims_with_marker']} claims carry a marker, {c['claims_with_reference']} "
        f"link a reference; {s['claims_negated']} claims are denials.",
        "",
    ]
    g = s["grounding"]
    out += [
        "| grounding | entities |", "|---|---:|",
        f"| exact identifier | {g['exact']} |",
        f"| close match only | {g['close']} |",
        f"| broader or related match only | {g['broad_or_related']} |",
        f"| ungroundable (reason recorded) | {g['ungroundable']} |",
    ]
    if g["not_reviewed"]:
        out.append(f"| not reviewed | {g['not_reviewed']} |")
    out.append("")
    for title, key in (("modality", "claims_by_modality"), ("organism basis", "claims_by_organism_basis"),
                       ("fidelity verdict", "claims_by_fidelity")):
        out += [f"| {title} | claims |", "|---|---:|"]
        out += [f"| {k} | {v} |" for k, v in s[key].items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
