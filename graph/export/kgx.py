"""KGX: the claim graph as Biolink 4 nodes and edges in KGX JSON Lines (``nodes.jsonl``, ``edges.jsonl``).

One node per entity (``category`` from :mod:`serokg.schema.biolink`) and one edge per claim.
Biolink's rule is kept: *the core triple stays true when the qualifiers are dropped*.  So a
directed effect is ``biolink:affects`` with ``qualified_predicate: biolink:causes`` and its
aspect and direction as object qualifiers ("lithium affects the postsynaptic 5-HT1A receptor",
qualified: causes increased ... sensitivity); ``activates`` and ``inhibits`` become ``affects``
with activity increased or decreased; a denial keeps its triple with ``negated: true``.

Only values Biolink has are written in Biolink slots (checked with bmt by the tests); what
Biolink has no value for (an aspect such as ``sensitivity``; modality, fidelity, regimen...) goes
in a ``serokg:`` property, never in a wrong Biolink one.

>>> from serokg.graph.read import load
>>> edge = next(e for e in kgx_edges(load()) if e["id"] == "serokg.claim:lithium-affects-htr1a-postsynaptic")
>>> edge["predicate"], edge["qualified_predicate"], edge["object_direction_qualifier"]
('biolink:affects', 'biolink:causes', 'increased')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from serokg.graph.vocab import DEFAULT_BASE
from serokg.schema.biolink import PREDICATE, category_of
from serokg.schema.models import Aspect, Claim, Direction, Entity, Modality, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["ASPECT", "KNOWLEDGE_LEVEL", "KgxCounts", "PRIMARY_SOURCE", "kgx_edges", "kgx_nodes", "write_kgx"]

# --- the mapping -----------------------------------------------------------------------------------

#: Our aspect -> Biolink's GeneOrGeneProductOrChemicalEntityAspectEnum value, where it has one.
ASPECT: dict[Aspect, str] = {
    Aspect.activity: "activity",
    Aspect.abundance: "abundance",
    Aspect.level: "abundance",  # the concentration of a substance is its abundance
    Aspect.expression: "expression",
    Aspect.release: "release",
}
#: Biolink's DirectionQualifierEnum has our two directions.
DIRECTION: dict[Direction, str] = {Direction.increased: "increased", Direction.decreased: "decreased"}
#: Predicates whose Biolink core triple is "affects" and whose sense lies in the qualifiers.
_AFFECTS = {Predicate.affects: None, Predicate.activates: Direction.increased, Predicate.inhibits: Direction.decreased}
#: The core predicate when it differs from schema/biolink.py's: a claim that X treats Y is not
#: an approved treatment, so Biolink's broader predicate keeps the triple true.
_CORE_PREDICATE = {Predicate.treats: "biolink:treats_or_applied_or_studied_to_treat"}
#: How strongly the text commits -> Biolink's KnowledgeLevelEnum.
KNOWLEDGE_LEVEL: dict[Modality, str] = {
    Modality.asserted: "knowledge_assertion",
    Modality.hedged: "prediction",
    Modality.speculative: "prediction",
    Modality.anecdotal: "observation",
}
#: Every claim is curated by hand from the article.
AGENT_TYPE = "manual_agent"
#: serokg is the primary source of these curated statements (not yet an infores catalog entry).
PRIMARY_SOURCE = "infores:serokg"
#: Our CURIE prefixes spelled as Biolink's prefix map spells them.
_BIOLINK_PREFIX = {"UniProt": "UniProtKB", "dbSNP": "DBSNP"}
_NODE_FILE, _EDGE_FILE = "nodes.jsonl", "edges.jsonl"


def _curie(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return f"{_BIOLINK_PREFIX.get(prefix, prefix)}:{local}"


def node_ids(ds: Dataset, base: str = DEFAULT_BASE) -> dict[str, str]:
    """Entity id -> KGX node id: the CURIE of the entity's IRI when it is a standard one, else
    ``serokg.entity:{id}``."""
    from serokg.graph.export.terms import entity_iris, xref_converter

    converter = xref_converter()
    out = {}
    for eid, iri in entity_iris(ds.entities, base).items():
        curie = converter.compress(iri) if not iri.startswith(base) else None
        out[eid] = _curie(curie) if curie else f"serokg.entity:{eid}"
    return out


def kgx_nodes(ds: Dataset, base: str = DEFAULT_BASE) -> Iterator[dict[str, Any]]:
    """One KGX node per entity."""
    ids = node_ids(ds, base)
    for e in ds.entities.values():
        yield _node(e, ids)


def _node(e: Entity, ids: dict[str, str]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": ids[e.id], "category": [category_of(e)], "name": e.label}
    if e.description:
        node["description"] = e.description
    if e.synonyms:
        node["synonym"] = list(e.synonyms)
    xrefs = [_curie(x) for x in e.xrefs if _curie(x) != ids[e.id]]
    if xrefs:
        node["xref"] = xrefs
    node["provided_by"] = [PRIMARY_SOURCE]
    node["serokg:id"] = e.id
    node["serokg:type"] = e.type.value
    if e.parent:
        node["serokg:parent"] = ids[e.parent]
    return node


def kgx_edges(ds: Dataset, base: str = DEFAULT_BASE) -> Iterator[dict[str, Any]]:
    """One KGX edge per claim (a denial is an edge with ``negated: true``)."""
    ids = node_ids(ds, base)
    for c in ds.claims.values():
        yield _edge(c, ds, ids)


def _edge(c: Claim, ds: Dataset, ids: dict[str, str]) -> dict[str, Any]:
    edge: dict[str, Any] = {"id": f"serokg.claim:{c.id}", "subject": ids[c.subject]}
    aspect, direction = c.aspect, c.direction
    if c.predicate in _AFFECTS:
        edge["predicate"] = "biolink:affects"
        implied = _AFFECTS[c.predicate]
        if implied is not None:  # activation / inhibition: the activity moves
            aspect, direction = aspect or Aspect.activity, direction or implied
        if aspect in ASPECT or direction is not None:
            edge["qualified_predicate"] = "biolink:causes"
    else:
        edge["predicate"] = _CORE_PREDICATE.get(c.predicate, PREDICATE[c.predicate])
    edge["object"] = ids[c.object]
    edge.update(_qualifiers("subject", c.subject_aspect, c.subject_direction))
    edge.update(_qualifiers("object", aspect, direction))
    if c.organism:
        edge["species_context_qualifier"] = ids[c.organism]
    if c.anatomy:
        edge["anatomical_context_qualifier"] = [ids[a] for a in c.anatomy]
    edge["negated"] = c.negated
    edge["knowledge_level"] = KNOWLEDGE_LEVEL[c.modality]
    edge["agent_type"] = AGENT_TYPE
    edge["primary_knowledge_source"] = PRIMARY_SOURCE
    ref = ds.references.get(c.citation.reference) if c.citation.reference else None
    publications = [f"PMID:{ref.pmid}"] if ref and ref.pmid else [f"doi:{ref.doi}"] if ref and ref.doi else []
    if publications:
        edge["publications"] = publications
    edge["supporting_text"] = [c.evidence.quote]
    # what Biolink has no slot or value for
    edge["serokg:predicate"] = c.predicate.value
    extra = {"serokg:modality": c.modality.value, "serokg:organism_basis": c.organism_basis.value,
             "serokg:study_system": c.study_system, "serokg:regimen": c.regimen, "serokg:dose": c.dose,
             "serokg:condition": c.condition, "serokg:list_heading": c.list_heading,
             "serokg:citation_marker": c.citation.marker, "serokg:fidelity": c.fidelity.verdict.value,
             "serokg:fidelity_reason": c.fidelity.reason, "serokg:source": c.evidence.source,
             "serokg:quote_start": c.evidence.start, "serokg:quote_end": c.evidence.end,
             "serokg:section": c.evidence.section, "serokg:part": c.evidence.part.value,
             "serokg:note": c.note}
    edge.update({k: getattr(v, "value", v) for k, v in extra.items() if v is not None})
    return edge


def _qualifiers(side: str, aspect: Aspect | None, direction: Direction | None) -> dict[str, str]:
    out = {}
    if aspect is not None:
        if aspect in ASPECT:
            out[f"{side}_aspect_qualifier"] = ASPECT[aspect]
        else:
            out[f"serokg:{side}_aspect"] = aspect.value
    if direction is not None:
        out[f"{side}_direction_qualifier"] = DIRECTION[direction]
    return out


# --- writing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KgxCounts:
    nodes: int
    edges: int


def _jsonl(records: Iterator[dict[str, Any]]) -> tuple[bytes, int]:
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records]
    return "".join(lines).encode("utf-8"), len(lines)


def write_kgx(ds: Dataset, folder: str | Path, base: str = DEFAULT_BASE) -> KgxCounts:
    """Write ``nodes.jsonl`` and ``edges.jsonl`` (KGX JSON Lines) into ``folder`` (made if missing)."""
    from serokg.errors import SerokgError
    from serokg.graph.write import atomic_write

    folder = Path(folder)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise SerokgError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    nodes, n_nodes = _jsonl(kgx_nodes(ds, base))
    edges, n_edges = _jsonl(kgx_edges(ds, base))
    for name, body in ((_NODE_FILE, nodes), (_EDGE_FILE, edges)):
        with atomic_write(folder / name, "wb") as handle:
            handle.write(body)
    return KgxCounts(n_nodes, n_edges)
