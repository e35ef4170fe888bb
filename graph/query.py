"""Ask the claims questions: filters, ``touches`` over the receptor hierarchy, neighbours, paths.

Terms name entities loosely: an exact id (``htr1a-autoreceptor``), a CURIE (``HGNC:5286``), or
words of a label or synonym (``autoreceptor``, ``5-HT1A``).  A term covers the nodes it matches
and every node below them in the hierarchy (``parent`` links), so ``touches(ds, "autoreceptor")``
covers the 5-HT1A and 5-HT1B autoreceptors, and ``touches(ds, "htr1a")`` every 5-HT1A site.

>>> from serokg.graph.read import load
>>> ds = load()
>>> all(c.subject in expand(ds, "autoreceptor") or c.object in expand(ds, "autoreceptor")
...     for c in touches(ds, "autoreceptor"))
True
"""

from __future__ import annotations

import difflib
from itertools import pairwise
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from serokg.errors import UsageError
from serokg.graph.evidence import EvidenceLevel, evidence_level
from serokg.schema.models import Aspect, Claim, Direction, Modality, Part, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["ClaimFilter", "Neighbour", "Step", "expand", "match", "neighbours", "paths", "select", "touches"]

_WORD = re.compile(r"[0-9a-z]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def match(ds: Dataset, term: str) -> set[str]:
    """Entity ids a term names, without the hierarchy below them.  Raises if none does."""
    if term in ds.entities:
        return {term}
    folded = term.casefold()
    hits = {e.id for e in ds.entities.values() if any(x.casefold() == folded for x in e.xrefs)}
    if hits:
        return hits
    needle = _words(term)
    hits = {eid for eid, names in ds.name_words.items() if any(_contains(words, needle) for words in names)}
    if not hits:
        names = list(dict.fromkeys([e.id for e in ds.entities.values()] + [e.label for e in ds.entities.values()]))
        close = difflib.get_close_matches(term, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(f"no entity matches {term!r}{hint}")
    return hits


def expand(ds: Dataset, term: str) -> set[str]:
    """The nodes a term matches plus every node below them in the hierarchy."""
    found = set(match(ds, term))
    stack = list(found)
    while stack:
        for child in ds.children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@dataclass(frozen=True)
class ClaimFilter:
    """Conditions a claim must meet; ``None`` means any.  Entity fields take terms (see :func:`match`).

    >>> ClaimFilter(subject="lithium", negated=False).is_empty()
    False
    """

    subject: str | None = None
    object: str | None = None
    touches: str | None = None
    predicate: Predicate | None = None
    direction: Direction | None = None
    aspect: Aspect | None = None
    organism: str | None = None
    anatomy: str | None = None
    modality: Modality | None = None
    negated: bool | None = None
    part: Part | None = None
    marker: str | None = None
    reference: str | None = None
    evidence: EvidenceLevel | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def select(ds: Dataset, flt: ClaimFilter | None = None) -> list[Claim]:
    """Claims meeting every condition of ``flt``, in file order."""
    flt = flt or ClaimFilter()
    subj = expand(ds, flt.subject) if flt.subject else None
    obj = expand(ds, flt.object) if flt.object else None
    near = expand(ds, flt.touches) if flt.touches else None
    organism = expand(ds, flt.organism) if flt.organism else None
    anatomy = expand(ds, flt.anatomy) if flt.anatomy else None
    # Narrow by the node sets first, in tight comprehensions (10^6 claims: a few tenths of a
    # second); the loop below then checks every condition of the few claims left, in order.
    candidates: Iterable[Claim] = ds.claims.values()
    if near is not None:
        candidates = [c for c in candidates if c.subject in near or c.object in near]
    if subj is not None:
        candidates = [c for c in candidates if c.subject in subj]
    if obj is not None:
        candidates = [c for c in candidates if c.object in obj]
    out = []
    for c in candidates:
        if subj is not None and c.subject not in subj:
            continue
        if obj is not None and c.object not in obj:
            continue
        if near is not None and c.subject not in near and c.object not in near:
            continue
        if organism is not None and c.organism not in organism:
            continue
        if anatomy is not None and not anatomy.intersection(c.anatomy):
            continue
        if flt.predicate is not None and c.predicate is not flt.predicate:
            continue
        if flt.direction is not None and c.direction is not flt.direction:
            continue
        if flt.aspect is not None and c.aspect is not flt.aspect:
            continue
        if flt.modality is not None and c.modality is not flt.modality:
            continue
        if flt.negated is not None and c.negated is not flt.negated:
            continue
        if flt.part is not None and c.evidence.part is not flt.part:
            continue
        if flt.marker is not None and c.citation.marker != flt.marker:
            continue
        if flt.reference is not None and c.citation.reference != flt.reference:
            continue
        if flt.evidence is not None and evidence_level(c, ds) is not flt.evidence:
            continue
        out.append(c)
    return out


def touches(ds: Dataset, term: str) -> list[Claim]:
    """Every claim whose subject or object is a node the term covers (hierarchy included)."""
    return select(ds, ClaimFilter(touches=term))


@dataclass(frozen=True)
class Neighbour:
    """A claim joining the asked node to ``other``; ``outgoing`` when the asked node is the subject."""

    node: str
    other: str
    outgoing: bool
    claim: Claim


def neighbours(ds: Dataset, term: str) -> list[Neighbour]:
    """Claims joining the nodes a term covers to any other node, outgoing first."""
    nodes = expand(ds, term)
    g = ds.graph
    out: list[Neighbour] = []
    for n in sorted(nodes):
        for _, other, key in g.out_edges(n, keys=True):
            out.append(Neighbour(n, other, True, ds.claims[key]))
    for n in sorted(nodes):
        for other, _, key in g.in_edges(n, keys=True):
            out.append(Neighbour(n, other, False, ds.claims[key]))
    return out


@dataclass(frozen=True)
class Step:
    """One step of a path, in walking order from ``source`` to ``target``: a claim, or a hop in the
    hierarchy (``claim`` is None; ``relation`` says "is a site of", read child first).

    ``forward`` is True when the walk follows the claim's direction (subject to object), or goes
    from the child up to its parent.
    """

    source: str
    target: str
    claim: Claim | None
    forward: bool
    relation: str  # the claim's effect ("increases sensitivity"), or the hierarchy relation

    @property
    def kind(self) -> str:
        return "claim" if self.claim is not None else "hierarchy"


_PART_OF = {"receptor_population": "is a site of", "anatomy": "is part of", "cell_type": "is part of"}


def _hierarchy_relation(ds: Dataset, child: str) -> str:
    return _PART_OF.get(ds.entities[child].type.value, "is a kind of")


def paths(ds: Dataset, source: str, target: str, *, max_hops: int = 4, limit: int = 20,
          include_denials: bool = False, directed: bool = False) -> list[list[Step]]:
    """Shortest chains of claims linking two terms, each a list of :class:`Step`.

    A denial is no link, so it is left out unless ``include_denials``.  Edge direction is
    ignored unless ``directed`` (then every claim is walked subject to object); hierarchy hops
    (a site to its receptor) are walked either way, cost no claim, and are steps of their own.
    At most ``limit`` paths of at most ``max_hops`` claims.

    >>> from serokg.graph.read import load
    >>> [[s.relation for s in p] for p in paths(load(), "lithium", "body temperature")][:1]
    [['increases sensitivity', 'is a site of', 'decreases']]
    """
    import networkx as nx

    starts, ends = match(ds, source), match(ds, target)
    usable = [c for c in ds.claims.values() if include_denials or not c.negated]
    g = nx.DiGraph() if directed else nx.Graph()
    for c in usable:
        g.add_edge(c.subject, c.object)
    for e in ds.entities.values():
        if e.parent:
            g.add_edge(e.id, e.parent)
            if directed:
                g.add_edge(e.parent, e.id)
    best: list[list[str]] = []
    for s in sorted(starts):
        for t in sorted(ends):
            if s == t or s not in g or t not in g:
                continue
            try:
                found = list(nx.all_shortest_paths(g, s, t))
            except nx.NetworkXNoPath:
                continue
            best.extend(p for p in found if len(p) - 1 <= max_hops * 2)
    best.sort(key=len)
    links: dict[tuple[str, str], list[Claim]] = {}
    for c in usable:
        links.setdefault((c.subject, c.object), []).append(c)
    result: list[list[Step]] = []
    for nodes in best:
        chain = _steps_along(ds, nodes, links, directed)
        if chain and sum(s.claim is not None for s in chain) <= max_hops and chain not in result:
            result.append(chain)
        if len(result) >= limit:
            break
    return result


def _steps_along(ds: Dataset, nodes: list[str], links: dict[tuple[str, str], list[Claim]],
                 directed: bool) -> list[Step]:
    """One step per hop: the first claim in file order (walked forward if one is), else the
    hierarchy link; empty when a hop has neither."""
    from serokg.graph.sentence import effect

    chain: list[Step] = []
    for a, b in pairwise(nodes):
        ahead, back = links.get((a, b), []), [] if directed else links.get((b, a), [])
        if ahead or back:
            c, forward = (ahead[0], True) if ahead else (back[0], False)
            chain.append(Step(a, b, c, forward, effect(c)))
        elif ds.entities[a].parent == b:
            chain.append(Step(a, b, None, True, _hierarchy_relation(ds, a)))
        elif ds.entities[b].parent == a:
            chain.append(Step(a, b, None, False, _hierarchy_relation(ds, b)))
        else:
            return []
    # up from one site to its receptor and down into another site would equate the two sites
    if any(a.claim is None and b.claim is None and a.forward and not b.forward for a, b in pairwise(chain)):
        return []
    return chain
