"""Build the claim graph: one node per entity, one edge per claim keyed by the claim id.

>>> from serokg.graph.read import load
>>> g = build(load())
>>> g.number_of_edges() == len(load().claims)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["build"]


def build(ds: Dataset) -> nx.MultiDiGraph:
    """A ``MultiDiGraph``: node attributes are the entity's fields, edge attributes the claim's.

    Values keep their model types (enums, tuples, nested dicts for evidence, citation and
    fidelity); exporters flatten them as their format needs.
    """
    from serokg.graph.read import _gc_paused  # the graph is millions of surviving objects: hold the GC

    g = nx.MultiDiGraph(name=ds.path.name)
    with _gc_paused():
        g.add_nodes_from((e.id, dict(e)) for e in ds.entities.values())
        g.add_edges_from((c.subject, c.object, c.id, _edge_attrs(c)) for c in ds.claims.values())
    return g


def _edge_attrs(c) -> dict:
    attrs = c.model_dump()  # "id" first, then the other fields in model order
    del attrs["subject"], attrs["object"]
    return attrs
