"""The claim graph as one self-contained, offline, filterable HTML page (pyvis + vis-network).

:func:`view_graph` picks what to draw (the claims given, optionally cut to the neighbourhood of a
focus term); :func:`render_html` turns it into a single HTML file.  pyvis assembles the nodes and
edges; the page is our own template, with vis-network's script and stylesheet inlined from the copy
pyvis ships, so the page makes no request at all (pyvis's own template links Bootstrap from a CDN).

Every text of the data reaches the page only as JSON inside ``<script type="application/json">``
(``<``, ``>`` and ``&`` escaped) and is put into the page with ``textContent``: a label, quote or
note holding ``<script>`` is shown, never run.

Size: up to :data:`EDGE_LIMIT` edges the layout is a full force simulation that settles, then stops.
Above it the page starts in *large mode*: a short, bounded simulation, straight edges and no edge
labels (a checkbox brings them back).  Above :data:`~serokg.graph.present.hub.SUMMARY_LIMIT` edges
(a hub's neighbourhood) the page is a summary: the strongest claims drawn one by one, the others
counted on summary edges, and the ``serokg query`` command that lists them all (see :mod:`.hub`).
The conflicts a claim card names are those among the claims the page is drawn from, so the page is
the same whether the command read every claim or only those (``view`` answering from the index).

>>> from serokg.graph.read import load
>>> ds = load()
>>> vg = view_graph(ds, list(ds.claims.values()))
>>> html = render_html(ds, vg)
>>> "https://cdn" in html
False
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from serokg.graph.present.claims import (
    EDGE_CLASSES,
    EVIDENCE_COLORS,
    card_data,
    claim_facets,
    conflicts_by_claim,
    edge_class,
    evidence_levels,
    xref_url,
)
from serokg.graph.present.hub import (
    SUMMARY_LIMIT,
    Summary,
    query_command,
    summarise,
    summary_counts,
    summary_edges,
)
from serokg.graph.sentence import effect
from serokg.schema.models import Claim, EntityType

from serokg.errors import UsageError

if TYPE_CHECKING:
    from serokg.graph.query import ClaimFilter
    from serokg.graph.read import Dataset

__all__ = [
    "EDGE_CLASSES",
    "EDGE_LIMIT",
    "EVIDENCE_COLORS",
    "NODE_STYLES",
    "SUMMARY_LIMIT",
    "ColorBy",
    "ViewGraph",
    "edge_class",
    "render_html",
    "view_graph",
    "xref_url",
]

#: Above this many edges the page starts in large mode (bounded layout, no edge labels).
EDGE_LIMIT = 1500

ColorBy = Literal["type", "evidence"]


@dataclass(frozen=True)
class NodeStyle:
    label: str
    shape: str
    fill: str
    border: str
    size: int = 14
    font_size: int = 18
    bold: bool = False
    font_color: str = "#1f2328"


#: Node look by entity type.  Receptor sites are filled boxes with large white text: they are
#: what readers look for first ("which substances push on autoreceptors?").
NODE_STYLES: dict[EntityType, NodeStyle] = {
    EntityType.receptor_population: NodeStyle("receptor site", "box", "#6a1b9a", "#38006b", 30, 30, True, "#ffffff"),
    EntityType.receptor: NodeStyle("receptor", "hexagon", "#ce93d8", "#6a1b9a", 28, 24, True),
    EntityType.gene: NodeStyle("gene", "hexagon", "#e1bee7", "#8e24aa", 16),
    EntityType.variant: NodeStyle("variant", "diamond", "#f3e5f5", "#8e24aa", 12),
    EntityType.chemical: NodeStyle("chemical / drug", "dot", "#64b5f6", "#0d47a1"),
    EntityType.drug_class: NodeStyle("drug class", "square", "#90caf9", "#0d47a1"),
    EntityType.supplement: NodeStyle("supplement", "dot", "#aed581", "#33691e"),
    EntityType.intervention: NodeStyle("intervention", "triangle", "#ffd54f", "#e65100"),
    EntityType.hormone: NodeStyle("hormone", "dot", "#f8bbd0", "#ad1457"),
    EntityType.neurotransmitter: NodeStyle("neurotransmitter", "dot", "#f06292", "#880e4f"),
    EntityType.process: NodeStyle("process", "square", "#ffcc80", "#bf360c", 12),
    EntityType.phenotype: NodeStyle("phenotype", "triangleDown", "#ffab91", "#bf360c"),
    EntityType.disease: NodeStyle("disease", "diamond", "#ef9a9a", "#b71c1c"),
    EntityType.anatomy: NodeStyle("anatomy", "square", "#bcaaa4", "#3e2723", 11),
    EntityType.cell_type: NodeStyle("cell type", "dot", "#d7ccc8", "#3e2723", 11),
    EntityType.organism: NodeStyle("organism", "triangle", "#b0bec5", "#263238", 11),
}


_HIERARCHY_COLOR = "#9e9e9e"
_DIM = "#e4e4e4"


@dataclass(frozen=True)
class ViewGraph:
    """What a page draws: entity ids, claims, and hierarchy links ``(child, parent)``."""

    nodes: tuple[str, ...]
    claims: tuple[Claim, ...]
    hierarchy: tuple[tuple[str, str], ...]
    focus: str | None = None
    depth: int | None = None
    total_claims: int = 0
    notes: tuple[str, ...] = field(default=())
    #: With ``focus``: the nodes the focus term names (and those below them), marked on the page.
    centre: tuple[str, ...] = ()
    #: Set when the claims asked for were too many to draw: ``claims`` are then the strongest of them.
    summary: Summary | None = None
    #: The ``serokg query`` command listing the claims the page was asked to draw, and whether exactly.
    command: str = ""
    exact: bool = True
    flt: ClaimFilter | None = None
    #: The claims the page is drawn from (``claims`` are all of them, or the strongest in a summary).
    pool: tuple[Claim, ...] = ()

    @property
    def n_edges(self) -> int:
        return len(self.claims) + len(self.hierarchy) + (len(self.summary.groups) if self.summary else 0)

    @property
    def large(self) -> bool:
        return self.n_edges > EDGE_LIMIT


def _near(claims: list[Claim], start: set[str], hops: int) -> set[str]:
    """Nodes within ``hops`` claims of ``start``, whatever the claims' direction."""
    adj: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        adj[c.subject].add(c.object)
        adj[c.object].add(c.subject)
    dist = {n: 0 for n in start}
    queue = deque(start)
    while queue:
        n = queue.popleft()
        if dist[n] == hops:
            continue
        for m in adj[n]:
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    return set(dist)


def view_graph(ds: Dataset, claims: list[Claim], *, focus: str | None = None, depth: int = 1,
               flt: ClaimFilter | None = None, total: int | None = None) -> ViewGraph:
    """The subgraph to draw: ``claims``, the entities they join, and the parent receptor of each
    receptor site shown.

    With ``focus`` (a term, see :func:`serokg.graph.query.expand`: the nodes it names and those
    below them in the hierarchy), only claims within ``depth`` steps of it are kept: depth 1 is
    the claims touching the focus, depth 2 adds the claims touching their other ends, and so on.
    Above :data:`SUMMARY_LIMIT` edges the graph is a summary (:func:`~serokg.graph.present.hub.summarise`).
    ``flt``: the filter that chose ``claims``, for the page's ``serokg query`` command; ``total``:
    the claims in the data (default: ``len(ds.claims)``).
    """
    from serokg.graph.query import expand

    if depth < 1:
        raise UsageError("depth must be 1 or more")
    notes: list[str] = []
    chosen = list(claims)
    centre: set[str] = set()
    if focus is not None:
        centre = expand(ds, focus)
        inner = _near(chosen, centre, depth - 1)
        chosen = [c for c in chosen if c.subject in inner or c.object in inner]
    command, exact = query_command(ds, flt), True
    if focus is not None:
        exact = depth == 1 and (flt is None or flt.touches is None)
        if exact:
            command = query_command(ds, flt, touches=focus)
    pool = chosen
    nodes = _nodes(chosen)
    hierarchy = _hierarchy(ds, nodes)
    summary = None
    if len(chosen) + len(hierarchy) > SUMMARY_LIMIT:
        summary = summarise(ds, chosen, centre)
        drawn = list(summary.drawn)
        nodes = {**_nodes(drawn), **dict.fromkeys(summary.node_claims)}
        hierarchy = _hierarchy(ds, nodes)
        chosen = drawn
    n_edges = len(chosen) + len(hierarchy)
    if n_edges > EDGE_LIMIT:
        notes.append(f"{n_edges} edges is more than {EDGE_LIMIT}: large mode (short layout, straight edges, "
                     "no edge labels). Use --focus TERM to draw a neighbourhood.")
    return ViewGraph(tuple(nodes), tuple(chosen), tuple(hierarchy), focus, depth if focus else None,
                     len(ds.claims) if total is None else total, tuple(notes), tuple(n for n in nodes if n in centre),
                     summary, command, exact, flt, tuple(pool))


def _nodes(claims: list[Claim]) -> dict[str, None]:
    nodes: dict[str, None] = {}
    for c in claims:
        nodes.setdefault(c.subject)
        nodes.setdefault(c.object)
    return nodes


def _hierarchy(ds: Dataset, nodes: dict[str, None]) -> list[tuple[str, str]]:
    """Links (child, parent) up from ``nodes``, adding the parents to ``nodes``: a site is easier to
    read beside the receptor it is a site of."""
    hierarchy: list[tuple[str, str]] = []
    todo = list(nodes)
    while todo:
        child = todo.pop()
        parent = ds.entities[child].parent
        if parent and parent in ds.entities:
            hierarchy.append((child, parent))
            if parent not in nodes:
                nodes.setdefault(parent)
                todo.append(parent)
    hierarchy.sort()
    return hierarchy


# --- page data ------------------------------------------------------------------------------

def _parallel_smooth(claims: tuple[Claim, ...]) -> dict[str, Any]:
    """Edges joining the same two nodes fan out as curves instead of drawing on top of each other."""
    seen: dict[frozenset[str], int] = defaultdict(int)
    out: dict[str, Any] = {}
    for c in claims:
        pair = frozenset((c.subject, c.object))
        k = seen[pair]
        seen[pair] += 1
        if k == 0:
            out[c.id] = False
        else:
            # alternate sides; direction of travel flips CW/CCW for reversed edges, so key on order
            side = "curvedCW" if (k % 2 == 1) == (c.subject < c.object) else "curvedCCW"
            out[c.id] = {"enabled": True, "type": side, "roundness": 0.18 * ((k + 1) // 2)}
    return out


def _iterations(n_edges: int) -> int:
    """Layout steps before the simulation stops: a full settle for an article's graph, fewer as
    the graph grows, so the page opens within seconds (measured: 231 edges 2.6 s, 3,000 edges 3 s)."""
    if n_edges > EDGE_LIMIT:
        return 150
    return 1000 if n_edges <= 300 else max(300, 300_000 // n_edges)


#: A node touching at least this share of the drawn claims (and 20 of them) is a hub: its edges are drawn
#: thinner and paler so the rest of the graph stays readable; a click on it brings them back.
HUB_SHARE = 0.25
#: Labels of the main nodes (receptors, receptor sites, the focus, the busiest nodes) are kept at least
#: this many pixels high on screen whatever the zoom; the others show once zoomed in to a readable size.
MIN_LABEL_PX = 12
_FOCUS_BORDER = "#ff8f00"


def _main_nodes(ds: Dataset, vg: ViewGraph, counts: dict[str, int]) -> set[str]:
    busiest = sorted((n for n in vg.nodes if counts[n] >= 5), key=lambda n: (-counts[n], n))[:8]
    kinds = (EntityType.receptor, EntityType.receptor_population)
    return {n for n in vg.nodes if ds.entities[n].type in kinds} | set(vg.centre) | set(busiest)


def _page_data(ds: Dataset, vg: ViewGraph, color_by: ColorBy, evidence: dict[str, tuple[str, str]],
               article_links: dict[str, str]) -> dict[str, Any]:
    from pyvis.network import Network

    large = vg.large
    # conflicts among the claims the page is drawn from: the same whatever else was loaded
    conflicts = conflicts_by_claim(replace(ds, claims={c.id: c for c in vg.pool or vg.claims}), vg.claims)
    if color_by == "evidence" and not evidence:
        raise UsageError("colouring by evidence needs serokg.graph.evidence, which is not available")
    net = Network(directed=True)
    counts: dict[str, int] = defaultdict(int)
    for c in vg.claims:
        counts[c.subject] += 1
        counts[c.object] += 1
    hubs = {n for n in vg.nodes if counts[n] >= max(20, HUB_SHARE * len(vg.claims))}
    main = _main_nodes(ds, vg, counts)
    centre = set(vg.centre)
    node_meta: dict[str, Any] = {}
    for eid in vg.nodes:
        e = ds.entities[eid]
        st = NODE_STYLES[e.type]
        border = _FOCUS_BORDER if eid in centre else st.border
        net.add_node(
            eid, label=e.label, shape=st.shape, size=st.size,
            color={"background": st.fill, "border": border,
                   "highlight": {"background": st.fill, "border": "#000000" if eid not in centre else border},
                   "hover": {"background": st.fill, "border": "#000000" if eid not in centre else border}},
            font={"size": st.font_size, "color": st.font_color, "bold": st.bold or eid in centre,
                  **({"strokeWidth": 0} if st.shape == "box" else {})},
            borderWidth=6 if eid in centre else 2 if e.type in (EntityType.receptor, EntityType.receptor_population) else 1,
            mass=3 if e.type in (EntityType.receptor, EntityType.receptor_population) else 1,
            **({"shadow": {"enabled": True, "color": "rgba(255,143,0,0.6)", "size": 18, "x": 0, "y": 0}}
               if eid in centre else {}),
        )
        node_meta[eid] = {
            "type": e.type.value, "type_label": st.label, "synonyms": list(e.synonyms),
            "xrefs": [[x, xref_url(x)] for x in e.xrefs], "claims": counts[eid],
            "description": e.description, "parent": ds.entities[e.parent].label if e.parent else None,
            "focus": eid in centre, "main": eid in main, "hub": eid in hubs,
            **({"in_view": vg.summary.node_claims.get(eid)} if vg.summary else {}),
        }
    groups = vg.summary.groups if vg.summary else ()
    smooth = _parallel_smooth((*vg.claims, *groups))
    edge_meta: dict[str, Any] = {}
    for c in vg.claims:
        meta = card_data(c, ds, evidence, conflicts)
        color = meta["color"]
        if color_by == "evidence":
            color = meta["color"] = EVIDENCE_COLORS.get(meta["level"], EVIDENCE_COLORS["unknown"])
        dashes: Any = False
        if c.modality.value in ("hedged", "speculative"):
            dashes = [8, 6]
        elif c.modality.value == "anecdotal":
            dashes = [2, 5]
        on_hub = (c.subject in hubs or c.object in hubs) and not centre & {c.subject, c.object}
        arrow = {"to": {"enabled": True, "type": "bar" if c.negated else "arrow", "scaleFactor": 0.9 if c.negated else 0.6}}
        net.add_edge(
            c.subject, c.object, id=c.id, label="" if large else effect(c),
            color={"color": color, "highlight": color, "hover": color, "opacity": 0.45 if on_hub else 0.9},
            dashes=dashes, arrows=arrow, width=(2 if c.negated else 1.2) if on_hub else (3 if c.negated else 2),
            smooth=False if large else smooth[c.id],
        )
        meta["hub"] = on_hub
        edge_meta[c.id] = meta
    if vg.summary:
        for g, meta in summary_edges(ds, vg, color_by):
            net.add_edge(g.subject, g.object, id=g.id, label="" if large else meta["label"],
                         color={"color": meta["color"], "highlight": meta["color"], "hover": meta["color"],
                                "opacity": 0.75},
                         dashes=False, width=min(12, 2 + 2 * math.log2(len(g.claims))),
                         arrows={"to": {"enabled": True, "type": "bar" if g.negated else "arrow", "scaleFactor": 0.9}},
                         smooth=False if large else smooth[g.id])
            edge_meta[g.id] = meta
    for child, parent in vg.hierarchy:
        net.add_edge(child, parent, id=f"site:{child}", label="", color={"color": _HIERARCHY_COLOR, "opacity": 0.8},
                     dashes=[2, 4], arrows={"to": {"enabled": True, "type": "arrow", "scaleFactor": 0.4}},
                     width=1, smooth=False, length=60)
        edge_meta[f"site:{child}"] = {"hierarchy": True, "child": ds.entities[child].label,
                                      "parent": ds.entities[parent].label}
    nodes, edges, *_ = net.get_network_data()
    physics = {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -140, "centralGravity": 0.02, "springLength": 110,
                             "springConstant": 0.05, "damping": 0.5, "avoidOverlap": 0.8},
        "stabilization": {"enabled": True, "iterations": _iterations(vg.n_edges), "updateInterval": 50, "fit": True},
        "minVelocity": 1.5,
        "maxVelocity": 40,
    }
    options = {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": len(nodes) <= 150},
        "physics": physics,
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large, "navigationButtons": False,
                        "keyboard": False, "multiselect": False},
        "nodes": {"font": {"face": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "widthConstraint": {"maximum": 220}, "margin": 8,
                  # a label drawn smaller than this (in pixels) is noise: it shows once zoomed in
                  "scaling": {"label": {"drawThreshold": 9}}},
        "edges": {"font": {"size": 13, "face": "system-ui, sans-serif", "color": "#37474f", "strokeWidth": 0,
                           "background": "rgba(255,255,255,0.85)", "align": "middle"},
                  "selectionWidth": 2, "hoverWidth": 1.5, "arrowStrikethrough": False,
                  "scaling": {"label": {"drawThreshold": 7}}},  # an edge label too small to read is noise
    }
    return {
        "nodes": nodes, "edges": edges, "options": options,
        "meta": {"nodes": node_meta, "edges": edge_meta},
        "large": large, "dim": _DIM, "colorBy": color_by,
        "conflicts": sorted(conflicts),
        "edgeClasses": {k: v.label for k, v in EDGE_CLASSES.items()},
        "labelsHidden": large,
        "minLabelPx": MIN_LABEL_PX,
        "focus": list(vg.centre),
        "elsewhere": {sid: {"href": href, "text": "Show its words in the article"} for sid, href in article_links.items()},
        "summary": summary_counts(vg),
    }


# --- the page -------------------------------------------------------------------------------

def _facets(ds: Dataset, vg: ViewGraph, evidence: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str, int]]]:
    """Filter choices present in the graph: (value, label, count); the claim filters are the reading page's."""
    types: dict[str, int] = defaultdict(int)
    for n in vg.nodes:
        types[ds.entities[n].type.value] += 1
    organisms: dict[str, int] = defaultdict(int)
    for c in vg.claims:
        organisms[c.organism or ""] += 1
    facets = claim_facets(vg.claims, evidence)
    if vg.summary:  # a summary edge hides with its effect: its class needs a box, counting its claims
        classes = Counter({k: n for k, _, n in facets["cls"]})
        for g in vg.summary.groups:
            classes[edge_class(ds.claims[g.claims[0]])] += len(g.claims)
        facets["cls"] = [(k, v.label, classes[k]) for k, v in EDGE_CLASSES.items() if classes.get(k)]
    return {
        **facets,
        "type": [(t.value, NODE_STYLES[t].label, types[t.value]) for t in NODE_STYLES if types.get(t.value)],
        "organism": sorted(((o, ds.entities[o].label if o else "not stated", n) for o, n in organisms.items()),
                           key=lambda x: (x[0] == "", -x[2], x[1])),
    }


def render_html(ds: Dataset, vg: ViewGraph, *, title: str | None = None, color_by: ColorBy = "type",
                article_links: dict[str, str] | None = None) -> str:
    """One self-contained HTML page drawing ``vg``; it loads nothing from anywhere.

    ``article_links``: source id -> relative address of its reading page (see
    :func:`serokg.graph.present.page.page_links`), so each claim card links to the claim's words."""
    from serokg.graph.present.page import render_page

    evidence = evidence_levels(ds, vg.claims)
    data = _page_data(ds, vg, color_by, evidence, article_links or {})
    return render_page(
        "view_page.html", data, vis=True, styles=("page_common.css", "view_page.css"),
        scripts=("page_common.js", "view_page.js"),
        title=title or "serokg: claims about the 5-HT1A receptor",
        sources=[s.title for s in ds.sources.values()],
        n_nodes=len(vg.nodes), n_claims=len(vg.claims), n_hierarchy=len(vg.hierarchy),
        total_claims=vg.total_claims, focus=vg.focus, depth=vg.depth, notes=vg.notes,
        focus_labels=[ds.entities[n].label for n in vg.centre], focus_border=_FOCUS_BORDER,
        facets=_facets(ds, vg, evidence),
        node_styles={t.value: s for t, s in NODE_STYLES.items()},
        edge_classes=EDGE_CLASSES, hierarchy_color=_HIERARCHY_COLOR,
        evidence_colors=EVIDENCE_COLORS if color_by == "evidence" else {},
        has_conflicts=bool(data["conflicts"]), summary=data["summary"],
        labels=sorted({ds.entities[n].label for n in vg.nodes}, key=str.casefold),
    )
