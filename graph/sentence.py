"""Say a claim as a short English sentence, for tables, tooltips and reports.

>>> from serokg.graph.read import load
>>> ds = load()
>>> say(ds.claims[next(iter(ds.claims))], ds.entities)  # doctest: +SKIP
'lithium increases the sensitivity of postsynaptic 5-HT1A receptor'
"""

from __future__ import annotations

from serokg.schema.models import Aspect, Claim, Direction, Entity, Predicate

__all__ = ["effect", "say"]

_VERBS = {
    Predicate.activates: "activates",
    Predicate.inhibits: "inhibits",
    Predicate.binds: "binds",
    Predicate.interacts_with: "interacts with",
    Predicate.associated_with: "is associated with",
    Predicate.contributes_to: "contributes to",
    Predicate.treats: "treats",
    Predicate.located_in: "is located in",
    Predicate.variant_of: "is a variant of",
}
_NEGATED_VERBS = {
    Predicate.activates: "does not activate",
    Predicate.inhibits: "does not inhibit",
    Predicate.binds: "does not bind",
    Predicate.interacts_with: "does not interact with",
    Predicate.associated_with: "is not associated with",
    Predicate.contributes_to: "does not contribute to",
    Predicate.treats: "does not treat",
    Predicate.located_in: "is not located in",
    Predicate.variant_of: "is not a variant of",
}


def effect(claim: Claim) -> str:
    """A short edge label: 'increases sensitivity', 'no change: sensitivity', 'activates'."""
    aspect = f" {claim.aspect.value}" if claim.aspect else ""
    if claim.negated:
        if claim.predicate is Predicate.affects and claim.direction is None:
            return f"no change in{aspect}" if aspect else "no change"
        if claim.predicate is Predicate.affects:
            verb = "increase" if claim.direction is Direction.increased else "decrease"
            return f"does not {verb}{aspect}"
        return _NEGATED_VERBS[claim.predicate]
    if claim.predicate is Predicate.affects:
        if claim.direction is Direction.increased:
            return f"increases{aspect}"
        if claim.direction is Direction.decreased:
            return f"decreases{aspect}"
        return f"affects{aspect}"
    return _VERBS[claim.predicate]


def _label(eid: str, entities: dict[str, Entity]) -> str:
    e = entities.get(eid)
    return e.label if e else eid


def say(claim: Claim, entities: dict[str, Entity]) -> str:
    """The claim as one sentence, hedges and negation included."""
    subj = _label(claim.subject, entities)
    if claim.subject_direction is not None and claim.subject_aspect is not None:
        moved = "raised" if claim.subject_direction is Direction.increased else "lowered"
        subj = f"{moved} {claim.subject_aspect.value} of {subj}"
    elif claim.subject_aspect is Aspect.activity:
        subj = f"activation of {subj}"
    elif claim.subject_aspect is not None:
        subj = f"{claim.subject_aspect.value} of {subj}"
    obj = _label(claim.object, entities)
    if claim.aspect is not None and claim.predicate is Predicate.affects:
        obj = f"the {claim.aspect.value} of {obj}"
    if claim.predicate is Predicate.affects:
        if claim.negated and claim.direction is None:
            verb = "does not change"
        else:
            verb = {Direction.increased: "increases", Direction.decreased: "decreases", None: "affects"}[claim.direction]
            if claim.negated:
                verb = "does not " + verb.removesuffix("s")
    else:
        verb = _NEGATED_VERBS[claim.predicate] if claim.negated else _VERBS[claim.predicate]
        if claim.direction is not None:
            obj = f"{obj} ({claim.direction.value} {claim.aspect.value if claim.aspect else ''})".replace(" )", ")")
    text = f"{subj} {verb} {obj}"
    if claim.modality.value != "asserted":
        text += f" [{claim.modality.value}]"
    return text
