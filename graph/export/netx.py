"""The claim graph for graph tools: GraphML and node-link JSON, every attribute kept.

GraphML holds only scalars, so nested values are flattened: ``evidence.quote``,
``citation.marker``; tuples become JSON arrays in a string; enums their value; ``None`` is left
out.  Node-link JSON keeps the records' own JSON structure (lists and nested objects).
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from serokg.graph.read import Dataset

__all__ = ["flatten", "write_graphml", "write_nodelink"]


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str | int | bool]:
    """A JSON-like record as GraphML-ready scalars (dotted keys, JSON strings for lists)."""
    out: dict[str, str | int | bool] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if value is None:
            continue
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            out[name] = json.dumps(list(value), ensure_ascii=False)
        elif isinstance(value, (bool, int, str)):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def _json_graph(ds: Dataset, flat: bool) -> nx.MultiDiGraph:
    import networkx as nx

    g = nx.MultiDiGraph(name=ds.path.name)
    shape = flatten if flat else (lambda r: r)
    for e in ds.entities.values():
        g.add_node(e.id, **shape(e.model_dump(mode="json")))
    for c in ds.claims.values():
        g.add_edge(c.subject, c.object, key=c.id, **shape(c.model_dump(mode="json")))
    return g


def write_graphml(ds: Dataset, out: IO[bytes]) -> int:
    """GraphML of the claim graph (node = entity, edge = claim keyed by its id); returns the edge count."""
    import networkx as nx

    g = _json_graph(ds, flat=True)
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)
    return g.number_of_edges()


def write_nodelink(ds: Dataset, out: IO[bytes]) -> int:
    """Node-link JSON (networkx's ``node_link_data``, edges under ``edges``); returns the edge count."""
    import networkx as nx

    g = _json_graph(ds, flat=False)
    data = nx.node_link_data(g, edges="edges")
    out.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return g.number_of_edges()
