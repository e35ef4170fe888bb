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
    g = nx.MultiDiGraph(name=ds.path.name)
    for e in ds.entities.values():
        g.add_node(e.id, **dict(e))
    for c in ds.claims.values():
        attrs = {k: v for k, v in c.model_dump().items() if k not in ("id", "subject", "object")}
        g.add_edge(c.subject, c.object, key=c.id, id=c.id, **attrs)
    return g
