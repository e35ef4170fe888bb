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
labels (a checkbox brings them back).  Above :data:`HARD_LIMIT` edges :func:`render_html` refuses:
narrow the graph with filters or ``focus``.

>>> from serokg.graph.read import load
>>> ds = load()
>>> vg = view_graph(ds, list(ds.claims.values()))
>>> html = render_html(ds, vg)
>>> "https://cdn" in html
False
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from serokg.errors import UsageError
from serokg.graph.sentence import effect, say
from serokg.schema.models import Claim, Direction, EntityType, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = [
    "EDGE_CLASSES",
    "EDGE_LIMIT",
    "HARD_LIMIT",
    "NODE_STYLES",
    "ColorBy",
    "ViewGraph",
    "edge_class",
    "render_html",
    "view_graph",
    "xref_url",
]

#: Above this many edges the page starts in large mode (bounded layout, no edge labels).
EDGE_LIMIT = 1500
#: Above this many edges no page is written: a browser cannot lay it out usefully.
HARD_LIMIT = 20_000

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


@dataclass(frozen=True)
class EdgeClass:
    label: str
    color: str


#: Edge colour by what the claim says happens to the object.
EDGE_CLASSES: dict[str, EdgeClass] = {
    "increase": EdgeClass("increases", "#2e7d32"),
    "decrease": EdgeClass("decreases", "#c62828"),
    "activation": EdgeClass("activates", "#1565c0"),
    "inhibition": EdgeClass("inhibits / blocks", "#ef6c00"),
    "no_change": EdgeClass("no change / denied", "#757575"),
    "other": EdgeClass("other relation", "#6d4c41"),
}
_HIERARCHY_COLOR = "#9e9e9e"
_DIM = "#e4e4e4"

#: Edge colour by evidence level (``color_by="evidence"``), keyed by :class:`serokg.graph.evidence.EvidenceLevel`
#: values, strongest first.
EVIDENCE_COLORS: dict[str, str] = {
    "human": "#1b5e20",
    "animal": "#1565c0",
    "in_vitro": "#00838f",
    "review": "#6a1b9a",
    "comment": "#ef6c00",
    "opinion": "#c62828",
    "unknown": "#9e9e9e",
}


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
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if doi:
        return f"https://doi.org/{doi}"
    return None


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

    @property
    def n_edges(self) -> int:
        return len(self.claims) + len(self.hierarchy)

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


def view_graph(ds: Dataset, claims: list[Claim], *, focus: str | None = None, depth: int = 1) -> ViewGraph:
    """The subgraph to draw: ``claims``, the entities they join, and the parent receptor of each
    receptor site shown.

    With ``focus`` (a term, see :func:`serokg.graph.query.expand`: the nodes it names and those
    below them in the hierarchy), only claims within ``depth`` steps of it are kept: depth 1 is
    the claims touching the focus, depth 2 adds the claims touching their other ends, and so on.
    """
    from serokg.graph.query import expand

    if depth < 1:
        raise UsageError("depth must be 1 or more")
    notes: list[str] = []
    chosen = list(claims)
    if focus is not None:
        centre = expand(ds, focus)
        inner = _near(chosen, centre, depth - 1)
        chosen = [c for c in chosen if c.subject in inner or c.object in inner]
    nodes: dict[str, None] = {}
    for c in chosen:
        nodes.setdefault(c.subject)
        nodes.setdefault(c.object)
    hierarchy: list[tuple[str, str]] = []
    todo = list(nodes)
    while todo:  # walk up: a site is easier to read beside the receptor it is a site of
        child = todo.pop()
        parent = ds.entities[child].parent
        if parent and parent in ds.entities:
            hierarchy.append((child, parent))
            if parent not in nodes:
                nodes.setdefault(parent)
                todo.append(parent)
    hierarchy.sort()
    n_edges = len(chosen) + len(hierarchy)
    if n_edges > HARD_LIMIT:
        raise UsageError(f"{n_edges} edges is more than the viewer's limit of {HARD_LIMIT}: "
                         "narrow the graph with filters or --focus TERM --depth N")
    if n_edges > EDGE_LIMIT:
        notes.append(f"{n_edges} edges is more than {EDGE_LIMIT}: large mode (short layout, straight edges, "
                     "no edge labels). Use --focus TERM to draw a neighbourhood.")
    return ViewGraph(tuple(nodes), tuple(chosen), tuple(hierarchy), focus, depth if focus else None,
                     len(ds.claims), tuple(notes))


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


def _claim_meta(c: Claim, ds: Dataset, evidence: dict[str, tuple[str, str]]) -> dict[str, Any]:
    ent = ds.entities
    ref = ds.references.get(c.citation.reference) if c.citation.reference else None
    ref_meta = None
    if ref is not None:
        where = ", ".join(str(x) for x in (ref.first_author, ref.journal, ref.year) if x)
        ref_meta = {
            "text": ref.title + (f" ({where})" if where else ""),
            "url": reference_url(ref.pmid, ref.doi),
            "ident": f"PMID {ref.pmid}" if ref.pmid else (f"doi:{ref.doi}" if ref.doi else "no identifier"),
            "confidence": ref.confidence.value,
        }
    basis = {"stated": "stated in the text", "cited_source": "from the cited source",
             "not_stated": "not stated"}[c.organism_basis.value]
    ev = c.evidence
    return {
        "sentence": say(c, ent),
        "label": effect(c),
        "cls": edge_class(c),
        "organism": ent[c.organism].label if c.organism else None,
        "organism_id": c.organism or "",
        "basis": basis,
        "system": c.study_system.value.replace("_", " ") if c.study_system else None,
        "anatomy": [ent[a].label for a in c.anatomy],
        "regimen": c.regimen.value if c.regimen else None,
        "dose": c.dose,
        "condition": c.condition,
        "modality": c.modality.value,
        "negated": c.negated,
        "marker": c.citation.marker,
        "reference": ref_meta,
        "fidelity": c.fidelity.verdict.value.replace("_", " "),
        "fidelity_reason": c.fidelity.reason,
        "quote": ev.quote,
        "section": ev.section,
        "part": ev.part.value,
        "commenter": ev.commenter,
        "note": c.note,
        "evidence": evidence[c.id][1] if c.id in evidence else None,
        "level": evidence[c.id][0] if c.id in evidence else "",
    }


def _evidence_levels(ds: Dataset, claims: tuple[Claim, ...]) -> dict[str, tuple[str, str]]:
    """Claim id -> (level value, label for people)."""
    from serokg.graph.evidence import evidence_info

    out = {}
    for c in claims:
        info = evidence_info(c, ds)
        out[c.id] = (info.level.value, info.label)
    return out


def _evidence_labels() -> dict[str, str]:
    from serokg.graph.evidence import LEVEL_LABELS

    return {k.value: v for k, v in LEVEL_LABELS.items()}


def _conflicts(ds: Dataset, claims: tuple[Claim, ...]) -> dict[str, list[dict[str, str]]]:
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


def _iterations(n_edges: int) -> int:
    """Layout steps before the simulation stops: a full settle for an article's graph, fewer as
    the graph grows, so the page opens within seconds (measured: 231 edges 2.6 s, 3,000 edges 3 s)."""
    if n_edges > EDGE_LIMIT:
        return 150
    return 1000 if n_edges <= 300 else max(300, 300_000 // n_edges)


def _page_data(ds: Dataset, vg: ViewGraph, color_by: ColorBy, evidence: dict[str, tuple[str, str]]) -> dict[str, Any]:
    from pyvis.network import Network

    large = vg.large
    conflicts = _conflicts(ds, vg.claims)
    if color_by == "evidence" and not evidence:
        raise UsageError("colouring by evidence needs serokg.graph.evidence, which is not available")
    net = Network(directed=True)
    counts: dict[str, int] = defaultdict(int)
    for c in vg.claims:
        counts[c.subject] += 1
        counts[c.object] += 1
    node_meta: dict[str, Any] = {}
    for eid in vg.nodes:
        e = ds.entities[eid]
        st = NODE_STYLES[e.type]
        net.add_node(
            eid, label=e.label, shape=st.shape, size=st.size,
            color={"background": st.fill, "border": st.border,
                   "highlight": {"background": st.fill, "border": "#000000"},
                   "hover": {"background": st.fill, "border": "#000000"}},
            font={"size": st.font_size, "color": st.font_color, "bold": st.bold,
                  **({"strokeWidth": 0} if st.shape == "box" else {})},
            borderWidth=2 if e.type in (EntityType.receptor, EntityType.receptor_population) else 1,
            mass=3 if e.type in (EntityType.receptor, EntityType.receptor_population) else 1,
        )
        node_meta[eid] = {
            "type": e.type.value, "type_label": st.label, "synonyms": list(e.synonyms),
            "xrefs": [[x, xref_url(x)] for x in e.xrefs], "claims": counts[eid],
            "description": e.description, "parent": ds.entities[e.parent].label if e.parent else None,
        }
    smooth = _parallel_smooth(vg.claims)
    edge_meta: dict[str, Any] = {}
    for c in vg.claims:
        meta = _claim_meta(c, ds, evidence)
        meta["conflicts"] = conflicts.get(c.id, [])
        cls = meta["cls"]
        color = EDGE_CLASSES[cls].color
        if color_by == "evidence":
            color = EVIDENCE_COLORS.get(meta["level"], EVIDENCE_COLORS["unknown"])
        dashes: Any = False
        if c.modality.value in ("hedged", "speculative"):
            dashes = [8, 6]
        elif c.modality.value == "anecdotal":
            dashes = [2, 5]
        arrow = {"to": {"enabled": True, "type": "bar" if c.negated else "arrow", "scaleFactor": 0.9 if c.negated else 0.6}}
        net.add_edge(
            c.subject, c.object, id=c.id, label="" if large else effect(c),
            color={"color": color, "highlight": color, "hover": color, "opacity": 0.9},
            dashes=dashes, arrows=arrow, width=3 if c.negated else 2,
            smooth=False if large else smooth[c.id],
        )
        edge_meta[c.id] = meta
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
                  "scaling": {"label": {"drawThreshold": 3}}},
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
    }


# --- the page -------------------------------------------------------------------------------

def _script_json(obj: Any) -> str:
    """JSON safe inside a <script> element: nothing in it can close the element or open a comment."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as pyvis ships them (no network needed)."""
    import pyvis

    found = sorted((Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in p.parent.name[4:].split(".") if x.isdigit()))
    if not found:
        raise RuntimeError("pyvis ships no vis-network copy: reinstall pyvis>=0.3.2")
    lib = found[-1].parent  # pyvis 0.3.2 ships 9.0.4 and 9.1.2; its own template uses the newest
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("vis-network asset would close its own element when inlined")
    return js, css


def _asset(name: str) -> str:
    return (files("serokg.graph.present") / name).read_text(encoding="utf-8")


def _facets(ds: Dataset, vg: ViewGraph, evidence: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str, int]]]:
    """Filter choices present in the graph: (value, label, count)."""
    types: dict[str, int] = defaultdict(int)
    for n in vg.nodes:
        types[ds.entities[n].type.value] += 1
    classes: dict[str, int] = defaultdict(int)
    organisms: dict[str, int] = defaultdict(int)
    modalities: dict[str, int] = defaultdict(int)
    parts: dict[str, int] = defaultdict(int)
    for c in vg.claims:
        classes[edge_class(c)] += 1
        organisms[c.organism or ""] += 1
        modalities[c.modality.value] += 1
        parts[c.evidence.part.value] += 1
    levels: dict[str, int] = defaultdict(int)
    for level, _ in evidence.values():
        levels[level] += 1
    level_labels = _evidence_labels()
    return {
        "level": [(k, level_labels.get(k, k), levels[k]) for k in EVIDENCE_COLORS if levels.get(k)],
        "type": [(t.value, NODE_STYLES[t].label, types[t.value]) for t in NODE_STYLES if types.get(t.value)],
        "cls": [(k, v.label, classes[k]) for k, v in EDGE_CLASSES.items() if classes.get(k)],
        "organism": sorted(((o, ds.entities[o].label if o else "not stated", n) for o, n in organisms.items()),
                           key=lambda x: (x[0] == "", -x[2], x[1])),
        "modality": [(m, m, modalities[m]) for m in ("asserted", "hedged", "speculative", "anecdotal")
                     if modalities.get(m)],
        "part": [(p, "article" if p == "body" else "reader comments", parts[p]) for p in ("body", "comment")
                 if parts.get(p)],
    }


def render_html(ds: Dataset, vg: ViewGraph, *, title: str | None = None, color_by: ColorBy = "type") -> str:
    """One self-contained HTML page drawing ``vg``; it loads nothing from anywhere."""
    from jinja2 import Environment, StrictUndefined

    js, css = _vis_assets()
    evidence = _evidence_levels(ds, vg.claims)
    data = _page_data(ds, vg, color_by, evidence)
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    template = env.from_string(_asset("view_page.html"))
    from markupsafe import Markup

    source_titles = [s.title for s in ds.sources.values()]
    html = template.render(
        title=title or "serokg: claims about the 5-HT1A receptor",
        sources=source_titles,
        n_nodes=len(vg.nodes), n_claims=len(vg.claims), n_hierarchy=len(vg.hierarchy),
        total_claims=vg.total_claims, focus=vg.focus, depth=vg.depth, notes=vg.notes,
        facets=_facets(ds, vg, evidence),
        node_styles={t.value: s for t, s in NODE_STYLES.items()},
        edge_classes=EDGE_CLASSES, hierarchy_color=_HIERARCHY_COLOR,
        evidence_colors=EVIDENCE_COLORS if color_by == "evidence" else {},
        has_conflicts=bool(data["conflicts"]),
        labels=sorted({ds.entities[n].label for n in vg.nodes}, key=str.casefold),
        vis_js=Markup(js), vis_css=Markup(css),
        page_js=Markup(_asset("view_page.js")), page_css=Markup(_asset("view_page.css")),
        data_json=Markup(_script_json(data)),
    )
    _check_offline(html)
    return html


def _check_offline(html: str) -> None:
    """Fail loudly rather than write a page that would reach out to the network."""
    import re

    lowered = html.lower()
    for pattern in (r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                    r"@import", r"url\(\s*[\"']?(?:https?:)?//"):
        found = re.search(pattern, lowered)
        if found:
            raise RuntimeError(f"the page would load a remote resource: {found.group(0)[:80]!r}")
