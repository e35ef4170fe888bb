"""Hub summaries for the viewer: a neighbourhood too big to read is drawn as its strongest claims plus counts.

Above :data:`SUMMARY_LIMIT` edges a page of every claim is a hairball (looked at in Chromium: at
1,500 edges no label or edge can be told apart).  :func:`summarise` then splits the claims the
page was asked to draw into three parts that add up to all of them:

* **drawn**: the :data:`STRONGEST` strongest claims, one edge and one card each.  Strongest means,
  in this order: evidence level (human, animal, in vitro, review, comment, opinion, unknown;
  :class:`~serokg.graph.evidence.EvidenceLevel`), then fidelity verdict (:data:`FIDELITY_ORDER`:
  supported first, contradicted last), then the cited reference's year, most recent first (no
  year last), then the order of the data;
* **summarised**: the other claims between two drawn nodes, one *summary edge* per subject,
  object, predicate, direction and negation (denials apart), labelled with its count.  The drawn
  nodes are the focus, the ends of the drawn claims and the :data:`NEIGHBOURS` nodes with the most
  summarised claims;
* **not drawn**: the rest, counted with the number of their other nodes.

The page says so plainly and gives the ``serokg query`` command that lists them all.

>>> from serokg.graph.read import load
>>> ds = load()
>>> s = summarise(ds, list(ds.claims.values()), {"htr1a"}, strongest=10, neighbours=5)
>>> len(s.drawn) + s.n_summarised + s.n_hidden == len(ds.claims)
True
"""

from __future__ import annotations

import shlex
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from serokg.graph.evidence import EvidenceLevel
from serokg.graph.sentence import effect
from serokg.schema.models import Claim, FidelityVerdict, Predicate

if TYPE_CHECKING:
    from serokg.graph.present.view import ViewGraph
    from serokg.graph.query import ClaimFilter
    from serokg.graph.read import Dataset

__all__ = ["FIDELITY_ORDER", "NEIGHBOURS", "STRONGEST", "SUMMARY_LIMIT", "Group", "Summary", "group_key", "group_words",
           "query_command", "strength_order", "summarise", "summary_counts", "summary_edges"]

#: Above this many edges (claims and site links) the page is a summary.  Looked at in Chromium:
#: up to ~1,500 edges a settled page can still be read by zooming; beyond it, not.
SUMMARY_LIMIT = 1500
#: Claims a summary draws one by one.
STRONGEST = 40
#: The focus's nodes a summary draws (a term can name hundreds of sites): those with the most claims.
HUBS = 6
#: Nodes joined to those by summary edges: the ones with the most claims between them.
NEIGHBOURS = 16
#: Summary edges at most, the largest first.
SUMMARY_EDGES = 120

#: Fidelity verdicts from the strongest to the weakest (how faithfully the article reports its source).
FIDELITY_ORDER = (FidelityVerdict.supported, FidelityVerdict.generalised, FidelityVerdict.overstated,
                  FidelityVerdict.unverifiable, FidelityVerdict.no_source, FidelityVerdict.contradicted)
_LEVEL_RANK = {lv.value: i for i, lv in enumerate(EvidenceLevel)}
_FIDELITY_RANK = {v: i for i, v in enumerate(FIDELITY_ORDER)}

GroupKey = tuple[str, str, str, str, bool]  # subject, object, predicate, direction ("" if none), negated


@dataclass(frozen=True)
class Group:
    """Claims summarised on one edge: same subject, object, predicate, direction and negation."""

    id: str
    subject: str
    object: str
    predicate: str
    direction: str
    negated: bool
    claims: tuple[str, ...]  # strongest first
    levels: tuple[tuple[str, int], ...]  # claims per evidence level, strongest level first


@dataclass(frozen=True)
class Summary:
    total: int
    drawn: tuple[Claim, ...]
    groups: tuple[Group, ...]
    n_summarised: int
    neighbours: int  # nodes outside the focus joined by summary edges
    n_hidden: int
    hidden_nodes: int
    node_claims: dict[str, int]  # drawn node -> claims of the neighbourhood touching it


def strength_order(ds: Dataset, claims: list[Claim], levels: dict[str, tuple[str, str]]) -> list[Claim]:
    """``claims`` strongest first (see the module's docstring); ``levels`` from ``evidence_levels``."""
    refs = ds.references

    def key(item: tuple[int, Claim]) -> tuple:
        n, c = item
        ref = refs.get(c.citation.reference) if c.citation.reference else None
        year = ref.year if ref is not None and ref.year else None
        return (_LEVEL_RANK.get(levels[c.id][0], len(_LEVEL_RANK)), _FIDELITY_RANK[c.fidelity.verdict],
                year is None, -(year or 0), n)

    return [c for _, c in sorted(enumerate(claims), key=key)]


def group_key(c: Claim | Group) -> GroupKey:
    """What a summary edge's claims share: subject, object, predicate, direction and negation."""
    if isinstance(c, Group):
        return c.subject, c.object, c.predicate, c.direction, c.negated
    return c.subject, c.object, c.predicate.value, c.direction.value if c.direction else "", c.negated


def summarise(ds: Dataset, claims: list[Claim], centre: set[str], *, levels: dict[str, tuple[str, str]] | None = None,
              strongest: int | None = None, neighbours: int | None = None, max_edges: int | None = None) -> Summary:
    """Split ``claims`` into the drawn, the summarised and the rest (see the module's docstring);
    the caps default to :data:`STRONGEST`, :data:`NEIGHBOURS` and :data:`SUMMARY_EDGES`."""
    strongest = STRONGEST if strongest is None else strongest
    neighbours = NEIGHBOURS if neighbours is None else neighbours
    max_edges = SUMMARY_EDGES if max_edges is None else max_edges
    if levels is None:
        from serokg.graph.present.claims import evidence_levels

        levels = evidence_levels(ds, claims)
    ranked = strength_order(ds, claims, levels)
    drawn_ids = {c.id for c in ranked[:strongest]}
    drawn = tuple(c for c in claims if c.id in drawn_ids)  # in data order, as every page draws
    rest = [c for c in ranked if c.id not in drawn_ids]
    per_node: Counter[str] = Counter()
    for c in claims:
        per_node[c.subject] += 1
        if c.object != c.subject:
            per_node[c.object] += 1
    # the focus's busiest nodes (a term can name hundreds), then the nodes with the most claims joining them
    hubs = {n for n, _ in sorted(((n, k) for n, k in per_node.items() if n in centre), key=lambda x: (-x[1], x[0]))[:HUBS]}
    weight: Counter[str] = Counter()
    for c in rest:
        ends = {c.subject, c.object}
        if ends & hubs or not hubs:
            for n in ends - hubs:
                weight[n] += 1
    near = {n for n, _ in sorted(weight.items(), key=lambda x: (-x[1], x[0]))[:neighbours]}
    grouped: dict[GroupKey, list[Claim]] = defaultdict(list)
    for c in rest:
        ends = {c.subject, c.object}
        if ends <= hubs | near and (ends & hubs or not hubs):
            grouped[group_key(c)].append(c)
    order = sorted(grouped, key=lambda k: (-len(grouped[k]), k))
    kept, n_hidden = order[:max_edges], len(rest) - sum(len(grouped[k]) for k in order[:max_edges])
    shown = hubs | {n for c in drawn for n in (c.subject, c.object)} | {n for k in kept for n in k[:2]}
    hidden = {n for c in claims for n in (c.subject, c.object)} - shown
    groups = []
    for k in kept:
        members = grouped[k]
        per_level = Counter(levels[c.id][0] for c in members)
        groups.append(Group("sum:" + "|".join((*k[:4], "denied" if k[4] else "affirmed")), *k,
                            tuple(c.id for c in members),
                            tuple(sorted(per_level.items(), key=lambda x: _LEVEL_RANK.get(x[0], 99)))))
    joined = {n for g in groups for n in (g.subject, g.object)} - centre
    return Summary(len(claims), drawn, tuple(groups), sum(len(g.claims) for g in groups), len(joined),
                   n_hidden, len(hidden), {n: per_node[n] for n in sorted(shown)})


def group_words(ds: Dataset, g: Group) -> str:
    """What a group's claims say, without their aspects: 'increases', 'no change', 'associated with (increased)'."""
    first = ds.claims[g.claims[0]]
    words = effect(first.model_copy(update={"aspect": None}))
    if g.direction and first.predicate is not Predicate.affects:
        words += f" ({g.direction})"
    return words


_FLAGS = ("subject", "object", "touches", "predicate", "direction", "aspect", "organism", "anatomy", "modality",
          "negated", "part", "marker", "reference", "evidence")


def query_command(ds: Dataset, flt: ClaimFilter | None, **narrow: object) -> str:
    """The ``serokg query`` command for ``flt`` with the fields in ``narrow`` replaced (None drops one).

    >>> from serokg.graph.query import ClaimFilter
    >>> from serokg.graph.read import load
    >>> query_command(load(), ClaimFilter(organism="rat"), touches="htr1a")
    'serokg query --touches htr1a --organism rat'
    """
    from serokg.graph.read import bundled_data_dir

    words = ["serokg", "query"]
    if ds.path.resolve() != bundled_data_dir().resolve():
        words += ["--data", str(ds.path)]
    for name in _FLAGS:
        value = narrow[name] if name in narrow else getattr(flt, name, None) if flt is not None else None
        if value is None or value == "":
            continue
        if name == "negated":
            words.append("--negated" if value else "--affirmed")
            continue
        words += ["--" + name, str(getattr(value, "value", value))]
    return shlex.join(words)


# --- on the page ------------------------------------------------------------------------------

def summary_counts(vg: ViewGraph) -> dict[str, Any] | None:
    """The numbers the page's summary box says, or None when the page draws every claim."""
    s = vg.summary
    if s is None:
        return None
    return {"total": s.total, "drawn": len(s.drawn), "summarised": s.n_summarised, "edges": len(s.groups),
            "neighbours": s.neighbours, "hidden": s.n_hidden, "hiddenNodes": s.hidden_nodes,
            "command": vg.command, "exact": vg.exact}


#: Claims a summary edge's card names (its strongest).
EXAMPLES = 5


def summary_edges(ds: Dataset, vg: ViewGraph, color_by: str) -> Iterator[tuple[Group, dict[str, Any]]]:
    """Each summary edge with the card data it shows: counts, the strongest claims, the query listing them."""
    from serokg.graph.present.claims import (
        EDGE_CLASSES,
        EVIDENCE_COLORS,
        edge_class,
        evidence_labels,
        evidence_levels,
    )
    from serokg.graph.sentence import say

    level_labels = evidence_labels()
    ent = ds.entities
    assert vg.summary is not None
    same = Counter(group_key(c) for c in vg.claims)  # drawn one by one, and listed by the same query
    for g in vg.summary.groups:
        cls = edge_class(ds.claims[g.claims[0]])
        color = EVIDENCE_COLORS.get(g.levels[0][0], EVIDENCE_COLORS["unknown"]) if color_by == "evidence" \
            else EDGE_CLASSES[cls].color
        words = group_words(ds, g)
        n = len(g.claims)
        examples = []
        evidence_of = evidence_levels(ds, [ds.claims[cid] for cid in g.claims[:EXAMPLES]])
        for cid in g.claims[:EXAMPLES]:
            c = ds.claims[cid]
            ref = ds.references.get(c.citation.reference) if c.citation.reference else None
            examples.append({"id": cid, "sentence": say(c, ent), "level": evidence_of[cid][1],
                             "fidelity": c.fidelity.verdict.value.replace("_", " "),
                             "year": ref.year if ref is not None else None})
        below = [ent[x].label for x in (g.subject, g.object) if ds.children.get(x)]
        yield g, {
            "summary": True, "cls": cls, "color": color, "count": n, "label": f"{words} \u00d7{n}",
            "sentence": f"{ent[g.subject].label} {words} {ent[g.object].label}", "negated": g.negated,
            "levels": [[lv, level_labels.get(lv, lv), k] for lv, k in g.levels],
            "examples": examples,
            # the view's own filters, with the edge's ends, relation and negation in place of the rest
            "command": query_command(ds, vg.flt, subject=g.subject, object=g.object, touches=None,
                                     predicate=g.predicate, direction=g.direction or None, negated=g.negated),
            "below": below, "anyDirection": not g.direction, "drawnToo": same[group_key(g)],
        }
