"""Judge the claims against each other and against their sources: conflicts and fidelity.

**Conflicts.**  Every claim with a polarity gives a *stance*: which way it moves its object
(increased, decreased, unchanged for a denial such as "while not changing the autoreceptors").
A list heading that asserts something about its items ("What Decreases 5HT1A Autoreceptors or
Increases Postsynaptic Receptors") gives each item a stance too, unless one of the item's own
claims bears the heading out.  Two stances conflict when they are about the same subject (or a
kind of it) and the same object, the same receptor at a broader or narrower site, or the same
receptor at another site, and their directions disagree.  Each conflicting pair is classified by
what differs between the two claims:

* ``different_aspect``: they speak of different aspects (number of receptors vs sensitivity);
* ``context_dependent``: they differ in organism, region, site, regimen, dose or condition
  (stimulus intensity, time of day); for dose, regimen and condition, a qualifier stated on one
  side only counts as a difference, since it is what limits that claim (but not against a list
  heading, which classes its item without qualification);
* ``contradiction``: none of those differ.  A difference of source (the article vs a reader
  comment) is reported but does not explain a conflict away.

**Fidelity.**  :func:`fidelity_summary` counts the claims by verdict and lists each with its reason.

>>> from serokg.graph.read import load
>>> all(c.kind in ConflictKind for c in conflicts(load()))
True
"""

from __future__ import annotations

import heapq
import itertools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from serokg.graph.evidence import EvidenceLevel, evidence_info, evidence_level
from serokg.graph.sentence import say
from serokg.schema.models import Aspect, Claim, Direction, EntityType, FidelityVerdict, Part, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = [
    "CONTEXT_DIMENSIONS",
    "Conflict",
    "ConflictKind",
    "ConflictOverview",
    "Difference",
    "FidelityItem",
    "FidelitySummary",
    "HeadingAlternative",
    "Side",
    "StancePairCount",
    "conflict_counts",
    "conflict_overview",
    "conflict_groups",
    "conflicts",
    "fidelity_summary",
    "iter_conflicts",
    "parse_heading",
    "stances",
]


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
_OPPOSED = {frozenset({"increased", "decreased"}), frozenset({"increased", "unchanged"}),
            frozenset({"decreased", "unchanged"}), frozenset({"increased", "not increased"}),
            frozenset({"decreased", "not decreased"})}


@dataclass(frozen=True)
class Side:
    """One side of a conflict: a claim read through its own words or through its list heading."""

    claim: str
    basis: str  # "text" or "list heading"
    subject: str
    object: str
    value: str  # increased, decreased, unchanged, not increased, not decreased
    aspect: Aspect | None
    source: str  # "article" or "comment by <handle>"
    statement: str
    heading: str | None = None

    @property
    def key(self) -> str:
        return self.claim + ("+heading" if self.basis == "list heading" else "")


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


# --- the hierarchy ----------------------------------------------------------------------------


def _ancestors(ds: Dataset, eid: str) -> list[str]:
    out, node, seen = [], ds.entities[eid].parent if eid in ds.entities else None, {eid}
    while node is not None and node not in seen:
        out.append(node)
        seen.add(node)
        node = ds.entities[node].parent if node in ds.entities else None
    return out


# Lineages (NCBITaxon ids) for the organisms an article like this names, so that a rat finding
# and a "rodents" finding are not counted as different organisms when the entities carry no
# parent links: Rattus norvegicus, Mus musculus, Mesocricetus auratus < Rodentia < Metazoa;
# Homo sapiens < Metazoa.
_TAXON_PARENTS = {"10116": "9989", "10090": "9989", "10036": "9989", "9989": "33208", "9606": "33208"}


def _taxa(ds: Dataset, eid: str) -> list[str]:
    e = ds.entities.get(eid)
    ids = [x.split(":", 1)[1] for x in (e.xrefs if e else ()) if x.startswith("NCBITaxon:")]
    out = []
    for t in ids:
        while t and t not in out:
            out.append(t)
            t = _TAXON_PARENTS.get(t, "")
    return out


def _nested(ds: Dataset, a: str, b: str) -> bool:
    """``a`` and ``b`` are the same node or one lies below the other (organisms: by taxon too)."""
    if a == b or a in _ancestors(ds, b) or b in _ancestors(ds, a):
        return True
    ta, tb = _taxa(ds, a), _taxa(ds, b)
    return bool(ta and tb) and (ta[0] in tb or tb[0] in ta)


def _siblings(ds: Dataset, a: str, b: str) -> bool:
    """Two sites of the same receptor (autoreceptor, postsynaptic): receptor populations of one parent."""
    ea, eb = ds.entities[a], ds.entities[b]
    return (ea.parent is not None and ea.parent == eb.parent
            and ea.type is EntityType.receptor_population and eb.type is EntityType.receptor_population)


def _broader(ds: Dataset, a: str, b: str) -> str:
    if a == b or a in _ancestors(ds, b):
        return a
    if b in _ancestors(ds, a):
        return b
    return ds.entities[a].parent or a  # siblings: their common parent


# --- list headings ----------------------------------------------------------------------------

_DECREASE = {"decrease", "decreases", "reduce", "reduces", "lower", "lowers", "inhibit", "inhibits", "block",
             "blocks", "desensitize", "desensitizes", "desensitise", "desensitises", "downregulate",
             "downregulates", "antagonists", "antagonist", "blockers", "blocker", "inhibitors", "inhibitor"}
_INCREASE = {"increase", "increases", "raise", "raises", "enhance", "enhances", "activate", "activates",
             "upregulate", "upregulates", "stimulate", "stimulates", "activators", "activator", "agonists",
             "agonist"}
_ACTIVITY_WORDS = {"activate", "activates", "activators", "activator", "agonists", "agonist", "stimulate",
                   "stimulates", "inhibit", "inhibits", "block", "blocks", "antagonists", "antagonist",
                   "blockers", "blocker", "inhibitors", "inhibitor"}
_NEUTRAL = {"modulate", "modulates", "modulators", "affect", "affects", "bind", "binds"}
_GENERIC = {"receptor", "receptors", "the", "and", "of", "a", "an", "5", "ht", "serotonin", "1a", "1b"}


def _norm(word: str) -> str:
    return re.sub(r"[^0-9a-z]", "", word.casefold())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class HeadingAlternative:
    """One thing a list heading says about its items: they move ``object`` in ``value``."""

    object: str
    value: str
    aspect: Aspect | None = None


def parse_heading(heading: str, ds: Dataset) -> tuple[HeadingAlternative, ...]:
    """What a list heading asserts about each item, as alternatives (a heading says "or").

    Only receptors and their sites are recognised as objects; a heading with no directional
    verb ("What Modulates the 5HT1A Receptor") asserts nothing and gives ``()``.
    """
    receptors = {}
    for e in ds.entities.values():
        if e.type in (EntityType.receptor, EntityType.gene) and e.type is EntityType.receptor:
            for name in (e.id, e.label, *e.synonyms):
                for w in name.split():
                    n = _norm(w)
                    if n and n not in _GENERIC and any(ch.isdigit() for ch in n):
                        receptors.setdefault(n, e.id)
    words = [_norm(w) for w in re.split(r"[\s/]+", heading) if _norm(w)]
    segments: list[tuple[str, list[str]]] = []
    for w in words:
        if w in _DECREASE or w in _INCREASE or w in _NEUTRAL:
            segments.append((w, []))
        elif segments:
            segments[-1][1].append(w)
        elif any(w == r for r in receptors):  # "5-HT1A Activators": the receptor precedes its verb
            segments.append(("", [w]))
    out: list[HeadingAlternative] = []
    receptor: str | None = None
    pending: list[str] = []
    for verb, rest in segments:
        if verb == "":
            pending = rest
            continue
        rest = pending + rest
        pending = []
        found = next((receptors[w] for w in rest if w in receptors), None)
        receptor = found or receptor
        if receptor is None or verb in _NEUTRAL:
            continue
        site = _site(ds, receptor, {_singular(w) for w in rest})
        value = "decreased" if verb in _DECREASE else "increased"
        aspect = Aspect.activity if verb in _ACTIVITY_WORDS else None
        out.append(HeadingAlternative(site or receptor, value, aspect))
    return tuple(out)


def _site(ds: Dataset, receptor: str, words: set[str]) -> str | None:
    """The child of ``receptor`` whose distinctive name words appear in ``words``."""
    base = {_singular(_norm(w)) for n in (ds.entities[receptor].label, *ds.entities[receptor].synonyms)
            for w in n.split()}
    for child in ds.children.get(receptor, ()):
        e = ds.entities[child]
        names = {_singular(_norm(w)) for n in (e.label, *e.synonyms) for w in re.split(r"[\s-]+", n)}
        names |= {_singular(p) for p in e.id.split("-")}
        distinctive = names - base - _GENERIC - {"", "htr1a", "htr1b"} - {_singular(_norm(receptor))}
        distinctive = {d for d in distinctive if not any(ch.isdigit() for ch in d)}
        if distinctive & words:
            return child
    return None


# --- stances ----------------------------------------------------------------------------------


def _source(c: Claim) -> str:
    return f"comment by {c.evidence.commenter}" if c.evidence.part is Part.comment else "article"


_FLIP = {"increased": "decreased", "decreased": "increased", "not increased": "not decreased",
         "not decreased": "not increased", "unchanged": "unchanged"}


def _value(c: Claim) -> tuple[str, Aspect | None] | None:
    """The claim's polarity on its object as its subject rises, or None if it has none.

    "Low serotonin contributes to depression" (subject_direction decreased) is read as
    "serotonin lowers depression", so it can meet claims about raised serotonin.
    """
    v = _polarity(c)
    if v is not None and getattr(c, "subject_direction", None) is Direction.decreased:
        return _FLIP[v[0]], v[1]
    return v


def _polarity(c: Claim) -> tuple[str, Aspect | None] | None:
    aspect = c.aspect
    if c.predicate in (Predicate.activates, Predicate.inhibits):
        value = "increased" if c.predicate is Predicate.activates else "decreased"
        return (f"not {value}" if c.negated else value), aspect or Aspect.activity
    if c.predicate in (Predicate.affects, Predicate.associated_with, Predicate.contributes_to, Predicate.treats):
        if c.direction is None:
            return ("unchanged", aspect) if c.negated and c.predicate is Predicate.affects else None
        value = c.direction.value
        return (f"not {value}" if c.negated else value), aspect
    return None


def _line_of(ds: Dataset, c: Claim) -> tuple[str, int]:
    """The source and the start of the line (list item) where a claim's quote begins."""
    text = ds.texts.get(c.evidence.source, "")
    return c.evidence.source, text.rfind("\n", 0, c.evidence.start) + 1


def stances(ds: Dataset) -> list[Side]:
    """Every stance in the data: one per claim with a polarity, plus the unmet claims of list headings."""
    out: list[Side] = []
    own: dict[str, tuple[str, Aspect | None]] = {}
    for c in ds.claims.values():
        v = _value(c)
        if v is None:
            continue
        own[c.id] = v
        out.append(Side(c.id, "text", c.subject, c.object, v[0], v[1], _source(c), say(c, ds.entities)))
    # A heading speaks of each list item, and an item names its own subject first: in "Estradiol
    # accelerates the effects of fluoxetine ... blunting the increase in autoreceptors from SSRIs"
    # the heading is about estradiol, not SSRIs.
    bullets: dict[tuple[str, int], list[Claim]] = {}
    for c in ds.claims.values():
        if c.list_heading and c.evidence.part is Part.body:
            bullets.setdefault(_line_of(ds, c), []).append(c)
    items: dict[tuple[str, str], list[Claim]] = {}
    for members in bullets.values():
        lead = min(members, key=lambda m: m.evidence.start).subject
        for c in members:
            if c.subject == lead:
                items.setdefault((c.subject, c.list_heading or ""), []).append(c)
    parsed: dict[str, tuple[HeadingAlternative, ...]] = {}
    for (subject, heading), members in items.items():
        alts = parsed.setdefault(heading, parse_heading(heading, ds))
        if not alts:
            continue
        met = any(m.id in own and own[m.id][0] == alt.value
                  and (m.object == alt.object or alt.object in _ancestors(ds, m.object))
                  for m in members for alt in alts)
        if met:
            continue
        first = members[0]
        subj = ds.entities[subject].label
        for alt in alts:
            verb = "raises" if alt.value == "increased" else "lowers"
            what = f"{alt.aspect.value} of " if alt.aspect else ""
            text = f"{subj} {verb} {what}{ds.entities[alt.object].label} [listed under \u201c{heading}\u201d]"
            out.append(Side(first.id, "list heading", subject, alt.object, alt.value, alt.aspect,
                            "article", text, heading))
    return out


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
        if _siblings(ds, a.object, b.object):
            diffs.append(Difference("site", label(a.object), label(b.object)))
        else:
            unstated.append("site")
    if a.subject != b.subject:
        notes.append(f"subjects {label(a.subject)} and {label(b.subject)}: one is a kind of the other")
    # organism: both stated and neither a kind of the other
    if ca.organism and cb.organism:
        if not _nested(ds, ca.organism, cb.organism):
            diffs.append(Difference("organism", label(ca.organism), label(cb.organism)))
    elif ca.organism or cb.organism:
        unstated.append("organism")
    # anatomy: both stated and no region of one lies within (or around) a region of the other
    if ca.anatomy and cb.anatomy:
        if not any(_nested(ds, x, y) for x in ca.anatomy for y in cb.anatomy):
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


def _within(ds: Dataset, inner: str, outer: str) -> bool:
    return inner == outer or outer in _ancestors(ds, inner)


def _related(ds: Dataset, a: Side, b: Side) -> bool:
    """Whether two stances speak of the same thing closely enough to disagree."""
    if not _nested(ds, a.subject, b.subject):
        return False
    for deny, other in ((a, b), (b, a)):
        # "SRAs don't activate the autoreceptors" is not denied by "MDMA activates 5-HT1A": a denial
        # only meets claims about its own object (or a part of it) and its own subject (or a kind of it).
        if deny.value not in ("increased", "decreased"):
            if not _within(ds, other.subject, deny.subject):
                return False
            if not (_within(ds, other.object, deny.object) or _siblings(ds, other.object, deny.object)):
                return False
    if _nested(ds, a.object, b.object):
        return True
    # A heading offers alternatives per site ("decreases autoreceptors or increases postsynaptic"):
    # a finding at the other site is what the heading itself allows, not a conflict.
    return _siblings(ds, a.object, b.object) and "list heading" not in (a.basis, b.basis)


def conflicts(ds: Dataset, evidence: EvidenceLevel | None = None,
              involving: Collection[str] | None = None) -> list[Conflict]:
    """Every pair of stances that disagree, classified; in the order of the data.

    With ``evidence``, only the pairs in which at least one claim has that evidence level; with
    ``involving`` (claim ids), only the pairs with at least one of those claims — a focused view
    of a large corpus then costs what its own claims cost.
    """
    return list(iter_conflicts(ds, evidence, involving))


def iter_conflicts(ds: Dataset, evidence: EvidenceLevel | None = None,
                   involving: Collection[str] | None = None,
                   topic: tuple[str, str] | None = None) -> Iterator[Conflict]:
    """:func:`conflicts` one at a time, in the same order; ``topic`` keeps one (subject, object).

    Only the pairs taken are classified, so ``islice(iter_conflicts(ds), 100)`` on a hub costs
    the stances, not the square of them.
    """
    pairs = _Pairs(ds)
    for c in pairs.conflicts(None if involving is None else frozenset(involving),
                             None if topic is None else {topic}):
        if evidence is None or evidence in (pairs.level(c.a.claim), pairs.level(c.b.claim)):
            yield c


def _components(ds: Dataset) -> dict[str, str]:
    """Entity id -> a representative of its tree: parent links and NCBITaxon lineages joined.

    Two stances can only be related (:func:`_related`) when their subjects are nested and their
    objects nested or sibling sites, which puts each pair inside one tree; comparing stances
    bucket by bucket therefore finds every pair the all-pairs loop would, in far less time.
    """
    up: dict[str, str] = {}

    def find(x: str) -> str:
        while up.get(x, x) != x:
            up[x] = up.get(up[x], up[x])
            x = up[x]
        return x

    def join(a: str, b: str) -> None:
        up.setdefault(a, a)
        up.setdefault(b, b)
        up[find(a)] = find(b)

    for e in ds.entities.values():
        up.setdefault(e.id, e.id)
        if e.parent is not None:
            join(e.id, e.parent)
        for taxon in _taxa(ds, e.id):
            join(e.id, "taxon:" + taxon)
    return {eid: find(eid) for eid in ds.entities}


#: A stance group: stances with the same subject, object, value and basis.  Whether two stances
#: can conflict (:func:`_related`, the opposed values) and the pair's topic depend on those alone.
GroupKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class StancePairCount:
    """How many conflicting pairs one group of stances forms with another, under one topic."""

    topic: tuple[str, str]
    a: GroupKey  # subject, object, value, basis
    b: GroupKey
    pairs: int


def _ordered(first: list[int], second: list[int]) -> int:
    """How many (i, j) with i from ``first``, j from ``second`` and i < j (both sorted)."""
    return sum(bisect_left(first, j) for j in second)


class _Pairs:
    """The stances of a dataset grouped once, for listing conflicts lazily and counting them.

    >>> from serokg.graph.read import load
    >>> p = _Pairs(load())
    >>> sum(x.pairs for x in p.counts()) == len(list(p.conflicts()))
    True
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        sides = stances(ds)
        order = {cid: i for i, cid in enumerate(ds.claims)}
        sides.sort(key=lambda s: (order[s.claim], s.basis != "text"))
        self.sides = sides
        self.groups: dict[GroupKey, list[int]] = {}
        for i, s in enumerate(sides):
            self.groups.setdefault((s.subject, s.object, s.value, s.basis), []).append(i)
        tree = _components(ds)
        buckets: dict[tuple[str, str], list[GroupKey]] = {}
        for g in self.groups:
            buckets.setdefault((tree.get(g[0], g[0]), tree.get(g[1], g[1])), []).append(g)
        # partners[g]: the groups whose stances conflict with g's, with the topic when g's come first
        self.partners: dict[GroupKey, list[tuple[GroupKey, tuple[str, str]]]] = {}
        for keys in buckets.values():
            for n, g in enumerate(keys):
                a = sides[self.groups[g][0]]
                for h in keys[n + 1:]:
                    b = sides[self.groups[h][0]]
                    if frozenset({a.value, b.value}) not in _OPPOSED or not _related(ds, a, b):
                        continue
                    self.partners.setdefault(g, []).append((h, self.topic(a, b)))
                    self.partners.setdefault(h, []).append((g, self.topic(b, a)))
        self._levels: dict[str, EvidenceLevel] = {}

    def topic(self, a: Side, b: Side) -> tuple[str, str]:
        return _broader(self.ds, a.subject, b.subject), _broader(self.ds, a.object, b.object)

    def level(self, claim: str) -> EvidenceLevel:
        if claim not in self._levels:
            self._levels[claim] = evidence_level(self.ds.claims[claim], self.ds)
        return self._levels[claim]

    def conflicts(self, involving: frozenset[str] | None = None,
                  topics: Collection[tuple[str, str]] | None = None) -> Iterator[Conflict]:
        """The conflicting pairs in the order of the data (by first side, then second)."""
        sides = self.sides
        wanted: dict[GroupKey, list[int]] | None = None
        if involving is not None:
            wanted = {g: [i for i in idx if sides[i].claim in involving] for g, idx in self.groups.items()}
        for i, a in enumerate(sides):
            g = (a.subject, a.object, a.value, a.basis)
            mine = involving is None or a.claim in involving
            runs = []
            for h, t in self.partners.get(g, ()):
                if topics is not None and t not in topics:
                    continue
                idx = self.groups[h] if mine or wanted is None else wanted[h]
                runs.append(itertools.islice(idx, bisect_right(idx, i), None))
            for j in heapq.merge(*runs):
                b = sides[j]
                if a.claim == b.claim and a.basis == b.basis:
                    continue
                yield self._conflict(a, b)

    def _conflict(self, a: Side, b: Side) -> Conflict:
        ds = self.ds
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
        return Conflict(f"{a.key}--{b.key}", self.topic(a, b), _classify(diffs), a, b, tuple(diffs),
                        tuple(unstated), tuple(notes))

    def _count(self, gi: list[int], hi: list[int], same_basis: bool) -> tuple[int, int]:
        """Pairs (i from gi before j from hi, and the rest), less a claim's stances paired with themselves."""
        fwd, total = _ordered(gi, hi), len(gi) * len(hi)
        if same_basis:
            by_claim: dict[str, list[int]] = {}
            for i in gi:
                by_claim.setdefault(self.sides[i].claim, []).append(i)
            for j in hi:
                own = by_claim.get(self.sides[j].claim)
                if own:
                    total -= len(own)
                    fwd -= bisect_left(own, j)
        return fwd, total - fwd

    def counts(self, evidence: EvidenceLevel | None = None) -> list[StancePairCount]:
        """Conflicting pairs counted per pair of stance groups and topic, without listing them."""
        out: list[StancePairCount] = []
        for g, partners in self.partners.items():
            for h, t in partners:
                if h <= g:
                    continue
                gi, hi = self.groups[g], self.groups[h]
                fwd, bwd = self._count(gi, hi, g[3] == h[3])
                if evidence is not None:  # pairs with at least one claim of that level: all less those with none
                    nf, nb = self._count([i for i in gi if self.level(self.sides[i].claim) is not evidence],
                                         [j for j in hi if self.level(self.sides[j].claim) is not evidence],
                                         g[3] == h[3])
                    fwd, bwd = fwd - nf, bwd - nb
                back = next(u for k, u in self.partners[h] if k == g)
                if t == back:
                    fwd, bwd = fwd + bwd, 0
                if fwd:
                    out.append(StancePairCount(t, g, h, fwd))
                if bwd:
                    out.append(StancePairCount(back, h, g, bwd))
        return out


def conflict_counts(ds: Dataset, evidence: EvidenceLevel | None = None) -> list[StancePairCount]:
    """Conflicting pairs counted per topic and pair of stance groups, most first, without listing them.

    >>> from serokg.graph.read import load
    >>> ds = load()
    >>> sum(x.pairs for x in conflict_counts(ds)) == len(conflicts(ds))
    True
    """
    found = _Pairs(ds).counts(evidence)
    found.sort(key=lambda x: (-x.pairs, x.topic, x.a, x.b))
    return found


@dataclass(frozen=True)
class ConflictOverview:
    """Conflicts at a glance: the total, the pairs per topic (most first) and a few classified examples."""

    total: int
    topics: list[tuple[tuple[str, str], int]]
    examples: list[Conflict]


def conflict_overview(ds: Dataset, topics: int = 20, per_topic: int = 3) -> ConflictOverview:
    """The ``topics`` largest topics with up to ``per_topic`` examples each, first in data order.

    Counting costs the stances, not the pairs; only the examples are classified.

    >>> from serokg.graph.read import load
    >>> o = conflict_overview(load(), topics=2, per_topic=1)
    >>> len(o.examples) == 2 and o.total == len(conflicts(load()))
    True
    """
    pairs = _Pairs(ds)
    per: Counter[tuple[str, str]] = Counter()
    for x in pairs.counts():
        per[x.topic] += x.pairs
    top = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
    wanted = {t: per_topic for t, _ in top[:topics]}
    examples: list[Conflict] = []
    for c in pairs.conflicts(topics=wanted):  # a filled topic leaves the dict, and the search
        if wanted.get(c.topic, 0) > 0:
            examples.append(c)
            wanted[c.topic] -= 1
            if wanted[c.topic] == 0:
                del wanted[c.topic]
                if not wanted:
                    break
    return ConflictOverview(sum(per.values()), top, examples)


def conflict_groups(found: list[Conflict]) -> dict[tuple[str, str], list[Conflict]]:
    """Conflicts grouped by topic (subject, object), in order of first appearance."""
    groups: dict[tuple[str, str], list[Conflict]] = {}
    for c in found:
        groups.setdefault(c.topic, []).append(c)
    return groups


# --- fidelity ---------------------------------------------------------------------------------


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


def fidelity_summary(ds: Dataset, evidence: EvidenceLevel | None = None) -> FidelitySummary:
    """How faithfully the article reports its sources: counts by verdict, and the list with reasons
    (with ``evidence``, over the claims of that evidence level only)."""
    claims = [c for c in ds.claims.values() if evidence is None or evidence_level(c, ds) is evidence]
    counts = Counter(c.fidelity.verdict for c in claims)
    items: dict[str, list[FidelityItem]] = {v.value: [] for v in FidelityVerdict}
    for c in claims:
        items[c.fidelity.verdict.value].append(FidelityItem(
            c.id, say(c, ds.entities), c.citation.marker, c.citation.reference, c.fidelity.reason,
            evidence_info(c, ds).label))
    return FidelitySummary({v.value: counts.get(v, 0) for v in FidelityVerdict}, items)
