"""The entity hierarchy the analyses reason over: parent links, and organisms by NCBITaxon lineage.

>>> from serokg.graph.read import load
>>> ds = load()
>>> nested(ds, "htr1a-autoreceptor", "htr1a"), siblings(ds, "htr1a-autoreceptor", "htr1a-postsynaptic")
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from serokg.schema.models import EntityType

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["ancestors", "broader", "components", "nested", "siblings", "taxa", "within"]


def ancestors(ds: Dataset, eid: str) -> list[str]:
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


def taxa(ds: Dataset, eid: str) -> list[str]:
    e = ds.entities.get(eid)
    ids = [x.split(":", 1)[1] for x in (e.xrefs if e else ()) if x.startswith("NCBITaxon:")]
    out = []
    for t in ids:
        while t and t not in out:
            out.append(t)
            t = _TAXON_PARENTS.get(t, "")
    return out


def nested(ds: Dataset, a: str, b: str) -> bool:
    """``a`` and ``b`` are the same node or one lies below the other (organisms: by taxon too)."""
    if a == b or a in ancestors(ds, b) or b in ancestors(ds, a):
        return True
    ta, tb = taxa(ds, a), taxa(ds, b)
    return bool(ta and tb) and (ta[0] in tb or tb[0] in ta)


def siblings(ds: Dataset, a: str, b: str) -> bool:
    """Two sites of the same receptor (autoreceptor, postsynaptic): receptor populations of one parent."""
    ea, eb = ds.entities[a], ds.entities[b]
    return (ea.parent is not None and ea.parent == eb.parent
            and ea.type is EntityType.receptor_population and eb.type is EntityType.receptor_population)


def broader(ds: Dataset, a: str, b: str) -> str:
    if a == b or a in ancestors(ds, b):
        return a
    if b in ancestors(ds, a):
        return b
    return ds.entities[a].parent or a  # siblings: their common parent



def within(ds: Dataset, inner: str, outer: str) -> bool:
    return inner == outer or outer in ancestors(ds, inner)



def components(ds: Dataset) -> dict[str, str]:
    """Entity id -> a representative of its tree: parent links and NCBITaxon lineages joined.

    Two stances can only be related (:func:`~serokg.graph.conflict.related`) when their subjects are
    nested and their objects nested or sibling sites, which puts each pair inside one tree; comparing
    stances bucket by bucket therefore finds every pair the all-pairs loop would, in far less time.
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
        for taxon in taxa(ds, e.id):
            join(e.id, "taxon:" + taxon)
    return {eid: find(eid) for eid in ds.entities}
