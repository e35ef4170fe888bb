"""Queries: term matching, the receptor hierarchy, filters, neighbours and paths."""

from __future__ import annotations

from itertools import pairwise

import pytest

from serokg.errors import UsageError
from serokg.graph.build import build
from serokg.graph.query import ClaimFilter, expand, match, neighbours, paths, select, touches
from serokg.graph.read import load
from serokg.graph.sentence import effect, say
from serokg.schema.models import Direction, Part

from conftest import MINI


@pytest.fixture(scope="module")
def ds():
    return load(MINI)


def test_terms_match_ids_curies_and_words(ds):
    assert match(ds, "htr1a") == {"htr1a"}
    assert match(ds, "HGNC:5286") == {"htr1a"}
    assert match(ds, "autoreceptor") == {"htr1a-autoreceptor", "htr1b-autoreceptor"}
    assert match(ds, "T3") == {"triiodothyronine"}
    # whole words only: 'rat' must not match 'triiodothyronine' or 'hydrate'
    assert match(ds, "rat") == {"rat"}


def test_unknown_term_suggests(ds):
    with pytest.raises(UsageError, match=r"no entity matches 'lithum'; did you mean 'lithium'"):
        match(ds, "lithum")


def test_expand_walks_down_the_hierarchy(ds):
    assert expand(ds, "htr1a") == {"htr1a", "htr1a-autoreceptor", "htr1a-postsynaptic"}


def test_touches_autoreceptor_covers_both_receptors(ds):
    ids = [c.id for c in touches(ds, "autoreceptor")]
    assert ids == ["r22-lithium-autoreceptor-unchanged", "r21-cortisol-autoreceptor-desensitised",
                   "r19-t3-htr1b-autoreceptor"]


def test_denial_reads_as_no_change(ds):
    claim = ds.claims["r22-lithium-autoreceptor-unchanged"]
    assert effect(claim) == "no change in sensitivity"
    assert say(claim, ds.entities) == "lithium does not change the sensitivity of 5-HT1A autoreceptor"


def test_filters_combine(ds):
    assert [c.id for c in select(ds, ClaimFilter(subject="lithium", negated=False))] == [
        "r22-lithium-postsynaptic-sensitivity"]
    assert [c.id for c in select(ds, ClaimFilter(part=Part.comment))] == ["cm-judd-crane-ashwagandha-signalling"]
    assert [c.id for c in select(ds, ClaimFilter(organism="animals", anatomy="hypothalamus"))] == [
        "r19-t3-htr1b-autoreceptor"]
    assert {c.id for c in select(ds, ClaimFilter(direction=Direction.decreased))} == {
        "r21-cortisol-autoreceptor-desensitised", "r19-t3-htr1b-autoreceptor", "cm-judd-crane-ashwagandha-signalling"}
    assert select(ds, ClaimFilter()) == list(ds.claims.values())


def test_graph_has_one_edge_per_claim(ds):
    g = build(ds)
    assert g.number_of_nodes() == len(ds.entities)
    assert sorted(k for _, _, k in g.edges(keys=True)) == sorted(ds.claims)
    assert g.edges["lithium", "htr1a-postsynaptic", "r22-lithium-postsynaptic-sensitivity"]["direction"] is Direction.increased


def test_neighbours_and_paths(ds):
    assert {(n.other, n.outgoing) for n in neighbours(ds, "lithium")} == {
        ("htr1a-postsynaptic", True), ("htr1a-autoreceptor", True)}
    # lithium's autoreceptor claim is a denial: no link, unless asked for
    assert paths(ds, "lithium", "cortisol") == []
    (chain,) = paths(ds, "lithium", "cortisol", include_denials=True)
    assert [s.claim.id for s in chain if s.claim] == ["r22-lithium-autoreceptor-unchanged",
                                                       "r21-cortisol-autoreceptor-desensitised"]
    # a hierarchy hop (autoreceptor -> htr1a) costs no claim but is a step of its own
    (chain, *_) = paths(ds, "cortisol", "ashwagandha")
    assert [(s.kind, s.claim.id if s.claim else s.relation) for s in chain] == [
        ("claim", "r21-cortisol-autoreceptor-desensitised"), ("hierarchy", "is a site of"),
        ("claim", "cm-judd-crane-ashwagandha-signalling")]


def test_path_lithium_body_temperature_uses_no_denial_and_shows_site_hops():
    """The issue's case, on the bundled data: no denial walked, each site-to-receptor hop a step."""
    from serokg.graph.read import load

    ds = load()
    found = paths(ds, "lithium", "body temperature")
    assert found
    for chain in found:
        assert not any(s.claim is not None and s.claim.negated for s in chain)
        # consecutive steps meet at one node: no silent jump from a site to its receptor
        assert all(a.target == b.source for a, b in pairwise(chain))
        assert chain[0].source == "lithium" and chain[-1].target == "body-temperature"
        for s in chain:
            if s.claim is None:
                child, parent = (s.source, s.target) if s.forward else (s.target, s.source)
                assert ds.entities[child].parent == parent
            else:
                assert {s.source, s.target} == {s.claim.subject, s.claim.object}
                assert s.forward is (s.claim.subject == s.source)
    hops = [s for chain in found for s in chain if s.kind == "hierarchy"]
    assert hops and {s.relation for s in hops} == {"is a site of"}
    with_denials = paths(ds, "lithium", "body temperature", include_denials=True)
    assert any(s.claim is not None and s.claim.negated for chain in with_denials for s in chain)
    for chain in paths(ds, "lithium", "body temperature", directed=True):
        assert all(s.forward for s in chain if s.claim is not None)
