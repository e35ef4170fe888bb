"""One pair of stances: whether they can disagree, and how the disagreement is classified.

Two stances conflict when they are about the same subject (or a kind of it) and the same object,
the same receptor at a broader or narrower site, or the same receptor at another site, and their
directions disagree.  Each conflicting pair is classified by what differs between the two claims:

* ``different_aspect``: they speak of different aspects (number of receptors vs sensitivity);
* ``context_dependent``: they differ in organism, region, site, regimen, dose or condition
  (stimulus intensity, time of day); for dose, regimen and condition, a qualifier stated on one
  side only counts as a difference, since it is what limits that claim (but not against a list
  heading, which classes its item without qualification);
* ``contradiction``: none of those differ.  A difference of source (the article vs a reader
  comment) is reported but does not explain a conflict away.

>>> frozenset({"increased", "unchanged"}) in OPPOSED
True
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from serokg.graph.hierarchy import nested, siblings, within
from serokg.graph.stance import Side
from serokg.schema.models import Aspect, FidelityVerdict

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["CONTEXT_DIMENSIONS", "OPPOSED", "Conflict", "ConflictKind", "Difference", "judge", "related"]


class ConflictKind(StrEnum):
    contradiction = "contradiction"
    context_dependent = "context_dependent"
    different_aspect = "different_aspect"


#: Dimensions whose difference makes a conflict context-dependent.
CONTEXT_DIMENSIONS = ("organism", "anatomy", "site", "regimen", "dose", "condition")

# Aspects that measure how many receptors (or how much substance) vs how well they respond.
_ASPECT_FAMILY = {
    Aspect.abundance: "amount", Aspect.expression: "amount", Aspect.level: "amount", Aspect.binding: "amount",
    Aspect.sensitivity: "function", Aspect.activity: "function", Aspect.signalling: "function",
    Aspect.response: "function", Aspect.function: "function",
    Aspect.release: "release", Aspect.phase: "phase", Aspect.rate: "rate", Aspect.perception: "perception",
}
OPPOSED = {frozenset({"increased", "decreased"}), frozenset({"increased", "unchanged"}),
            frozenset({"decreased", "unchanged"}), frozenset({"increased", "not increased"}),
            frozenset({"decreased", "not decreased"})}


@dataclass(frozen=True)
class Difference:
    """A dimension in which the two sides differ, with each side's value as text."""

    dimension: str
    a: str
    b: str


@dataclass(frozen=True)
class Conflict:
    """Two stances about the same subject and object (or receptor) whose directions disagree."""

    id: str
    topic: tuple[str, str]  # the broader subject and object of the two sides
    kind: ConflictKind
    a: Side
    b: Side
    differences: tuple[Difference, ...]
    unstated: tuple[str, ...]  # dimensions stated on one side only (organism, anatomy, aspect, site)
    notes: tuple[str, ...] = ()

    @property
    def differs(self) -> tuple[str, ...]:
        return tuple(d.dimension for d in self.differences)

    @property
    def explanation(self) -> str:
        ctx = [d for d in self.differences if d.dimension in CONTEXT_DIMENSIONS]
        if self.kind is ConflictKind.different_aspect:
            asp = next(d for d in self.differences if d.dimension in ("aspect", "subject aspect"))
            text = f"different aspect: {asp.a} vs {asp.b}"
            if ctx:
                text += "; also " + "; ".join(f"{d.dimension} {d.a} vs {d.b}" for d in ctx)
        elif self.kind is ConflictKind.context_dependent:
            text = "context-dependent: " + "; ".join(f"{d.dimension} {d.a} vs {d.b}" for d in ctx)
        else:
            text = "contradiction"
        if "source" in self.differs:
            src = next(d for d in self.differences if d.dimension == "source")
            text += f" (source: {src.a} vs {src.b})"
        return text

    def as_dict(self) -> dict[str, Any]:
        def side(s: Side) -> dict[str, Any]:
            return {"claim": s.claim, "key": s.key, "basis": s.basis, "subject": s.subject, "object": s.object,
                    "value": s.value, "aspect": s.aspect.value if s.aspect else None, "source": s.source,
                    "statement": s.statement, "heading": s.heading}
        return {"id": self.id, "topic": list(self.topic), "kind": self.kind.value, "explanation": self.explanation,
                "differs": list(self.differs),
                "differences": [{"dimension": d.dimension, "a": d.a, "b": d.b} for d in self.differences],
                "unstated": list(self.unstated), "notes": list(self.notes), "a": side(self.a), "b": side(self.b)}



# --- comparing two sides ----------------------------------------------------------------------


def _text(x: str | None) -> str:
    return x if x else "unstated"


def _compare(ds: Dataset, a: Side, b: Side) -> tuple[list[Difference], list[str], list[str]]:
    ca, cb = ds.claims[a.claim], ds.claims[b.claim]
    diffs: list[Difference] = []
    unstated: list[str] = []
    notes: list[str] = []
    label = lambda eid: ds.entities[eid].label if eid in ds.entities else eid  # noqa: E731
    # aspect of the object, and of the subject ("activation of 5-HT1A")
    for dim, xa, xb in (("aspect", a.aspect, b.aspect),
                        ("subject aspect", ca.subject_aspect if a.basis == "text" else None,
                         cb.subject_aspect if b.basis == "text" else None)):
        if xa is None or xb is None:
            if (xa is None) != (xb is None) and dim == "aspect":
                unstated.append(dim)
        elif _ASPECT_FAMILY.get(xa) != _ASPECT_FAMILY.get(xb):
            diffs.append(Difference(dim, xa.value, xb.value))
    # site: two sites of one receptor differ; a receptor and one of its sites is general vs specific
    if a.object != b.object:
        if siblings(ds, a.object, b.object):
            diffs.append(Difference("site", label(a.object), label(b.object)))
        else:
            unstated.append("site")
    if a.subject != b.subject:
        notes.append(f"subjects {label(a.subject)} and {label(b.subject)}: one is a kind of the other")
    # organism: both stated and neither a kind of the other
    if ca.organism and cb.organism:
        if not nested(ds, ca.organism, cb.organism):
            diffs.append(Difference("organism", label(ca.organism), label(cb.organism)))
    elif ca.organism or cb.organism:
        unstated.append("organism")
    # anatomy: both stated and no region of one lies within (or around) a region of the other
    if ca.anatomy and cb.anatomy:
        if not any(nested(ds, x, y) for x in ca.anatomy for y in cb.anatomy):
            diffs.append(Difference("anatomy", ", ".join(label(x) for x in ca.anatomy),
                                    ", ".join(label(y) for y in cb.anatomy)))
    elif ca.anatomy or cb.anatomy:
        unstated.append("anatomy")
    # Qualifiers that limit a claim ("at low doses", "with a mild stimulus", "chronic"): stated on
    # one side only, they are already a difference -- except against a list heading, which
    # classes the item without qualification, so any finding against it contradicts it.
    blanket = "list heading" in (a.basis, b.basis)
    for dim, xa, xb in (("regimen", ca.regimen and ca.regimen.value, cb.regimen and cb.regimen.value),
                        ("dose", ca.dose, cb.dose), ("condition", ca.condition, cb.condition)):
        if not (xa or xb) or (xa or "").casefold().strip() == (xb or "").casefold().strip():
            continue
        if xa and xb or not blanket:
            diffs.append(Difference(dim, _text(xa), _text(xb)))
        else:
            unstated.append(dim)
    if a.source != b.source:
        diffs.append(Difference("source", a.source, b.source))
    return diffs, unstated, notes


def _classify(diffs: list[Difference]) -> ConflictKind:
    dims = {d.dimension for d in diffs}
    if dims & {"aspect", "subject aspect"}:
        return ConflictKind.different_aspect
    if dims & set(CONTEXT_DIMENSIONS):
        return ConflictKind.context_dependent
    return ConflictKind.contradiction



def related(ds: Dataset, a: Side, b: Side) -> bool:
    """Whether two stances speak of the same thing closely enough to disagree."""
    if not nested(ds, a.subject, b.subject):
        return False
    for deny, other in ((a, b), (b, a)):
        # "SRAs don't activate the autoreceptors" is not denied by "MDMA activates 5-HT1A": a denial
        # only meets claims about its own object (or a part of it) and its own subject (or a kind of it).
        if deny.value not in ("increased", "decreased"):
            if not within(ds, other.subject, deny.subject):
                return False
            if not (within(ds, other.object, deny.object) or siblings(ds, other.object, deny.object)):
                return False
    if nested(ds, a.object, b.object):
        return True
    # A heading offers alternatives per site ("decreases autoreceptors or increases postsynaptic"):
    # a finding at the other site is what the heading itself allows, not a conflict.
    return siblings(ds, a.object, b.object) and "list heading" not in (a.basis, b.basis)


def judge(ds: Dataset, a: Side, b: Side, topic: tuple[str, str]) -> Conflict:
    """The conflict between two opposed, related stances: what differs, its kind, and the notes
    (a heading against its own item, a cited source the article misreports)."""
    diffs, unstated, notes = _compare(ds, a, b)
    if a.claim == b.claim:
        notes.append("the item's own words vs the heading of the list it sits in")
    for s in (a, b):
        c = ds.claims[s.claim]
        if c.citation.marker and c.fidelity.verdict in (FidelityVerdict.contradicted,
                                                        FidelityVerdict.overstated,
                                                        FidelityVerdict.generalised):
            note = (f"{c.citation.marker} (cited by {c.id}): {c.fidelity.verdict.value}: "
                    f"{c.fidelity.reason}")
            if note not in notes:
                notes.append(note)
    return Conflict(f"{a.key}--{b.key}", topic, _classify(diffs), a, b, tuple(diffs),
                    tuple(unstated), tuple(notes))
