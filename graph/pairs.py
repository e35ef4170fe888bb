"""Every conflicting pair of stances in a dataset, listed lazily in data order or counted per topic.

Whether two stances can conflict (:func:`~serokg.graph.conflict.related`, opposed values) and the
pair's topic depend only on each stance's subject, object, value and basis, so the stances are
grouped on those once; related groups are found inside one tree of the hierarchy
(:func:`~serokg.graph.hierarchy.components`), and pairs are then counted n1 x n2 per pair of groups
or yielded one at a time, classifying only those taken.

>>> from serokg.graph.read import load
>>> ds = load()
>>> sum(x.pairs for x in conflict_counts(ds)) == len(conflicts(ds)) > 0
True
"""

from __future__ import annotations

import heapq
import itertools
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from serokg.graph.conflict import OPPOSED, Conflict, judge, related
from serokg.graph.evidence import EvidenceLevel, evidence_level
from serokg.graph.hierarchy import broader, components
from serokg.graph.stance import Side, stances

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["ConflictOverview", "GroupKey", "StancePairCount", "conflict_counts", "conflict_groups",
           "conflict_overview", "conflicts", "iter_conflicts"]


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



#: A stance group: stances with the same subject, object, value and basis.  Whether two stances
#: can conflict (:func:`~serokg.graph.conflict.related`, the opposed values) and the pair's topic depend on those alone.
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
        tree = components(ds)
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
                    if frozenset({a.value, b.value}) not in OPPOSED or not related(ds, a, b):
                        continue
                    self.partners.setdefault(g, []).append((h, self.topic(a, b)))
                    self.partners.setdefault(h, []).append((g, self.topic(b, a)))
        self._levels: dict[str, EvidenceLevel] = {}

    def topic(self, a: Side, b: Side) -> tuple[str, str]:
        return broader(self.ds, a.subject, b.subject), broader(self.ds, a.object, b.object)

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
                yield judge(self.ds, a, b, self.topic(a, b))

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
