"""The fast N-Triples/N-Quads writer (``write_nt``) writes exactly the statements of the plain
definition (``quads``), byte for byte and in the same order, so the optimisation cannot drift."""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import pytest

from serokg.graph.export.terms import _expand
from serokg.graph.export import quads, write_nt, xref_converter
from serokg.graph.read import Dataset, load

from conftest import MINI

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import synth  # noqa: E402

BASES = ({}, {"base": "http://example.org/x/"}, {"created": "2025-01-31T00:00:00Z"})


def plain(ds: Dataset, dataset: bool, **base: str) -> bytes:
    """The N-Triples (N-Quads) lines of ``quads``, one statement at a time."""
    return "".join(f"{s} {p} {o} {g} .\n" if g is not None else f"{s} {p} {o} .\n"
                   for s, p, o, g in quads(ds, nanopub=dataset, **base)).encode("utf-8")


def fast(ds: Dataset, dataset: bool, **base: str) -> tuple[bytes, int]:
    buf = io.BytesIO()
    n = write_nt(ds, buf, dataset=dataset, **base)
    return buf.getvalue(), n


def assert_same(ds: Dataset) -> None:
    for dataset in (False, True):
        for base in BASES:
            expected = plain(ds, dataset, **base)
            got, n = fast(ds, dataset, **base)
            assert got == expected, (dataset, base)
            assert n == expected.count(b"\n")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "data"
    synth.generate(folder, 300, seed=5, per_source=60, profile=synth.profile_of(MINI), perturb=0.3)
    return folder


@pytest.mark.parametrize("which", ["bundled", "mini"])
def test_fast_writer_equals_plain_quads(which: str) -> None:
    assert_same(load(None if which == "bundled" else MINI))


def test_fast_writer_equals_plain_quads_on_synthetic_data(synthetic: Path) -> None:
    assert_same(load(synthetic))


def test_fast_writer_equals_plain_quads_on_awkward_values() -> None:
    """Repeated and ordered list values, text that needs escaping, a repeated direct triple,
    a negated claim, an unanchored quote: each branch of the fast writer against the plain one."""
    ds = load(MINI)
    ids = list(ds.entities)
    claims = list(ds.claims.values())
    awkward = 'a "quoted" back\\slash, tab\t, line\nbreak, \x01\x7f, café ’'
    first = claims[0]
    changed = [
        first.model_copy(update={"anatomy": (ids[1], ids[2], ids[1]), "note": awkward, "dose": "é",
                                 "evidence": first.evidence.model_copy(update={"quote": awkward})}),
        first.model_copy(update={"id": "copy-of-first", "anatomy": (ids[2], ids[2])}),  # same direct triple
        first.model_copy(update={"id": "negated-first", "negated": True, "condition": '"'}),
        *claims[1:],
    ]
    entities = dict(ds.entities)
    e = entities[ids[0]]
    entities[ids[0]] = e.model_copy(update={"synonyms": ("x", awkward, "x"), "description": awkward})
    odd = dataclasses.replace(ds, claims={c.id: c for c in changed}, entities=entities)
    assert_same(odd)


def test_cached_curie_expansion_equals_curies() -> None:
    converter = xref_converter()
    curies = [x for e in load().entities.values() for x in e.xrefs]
    curies += [f"{prefix}:123" for r in converter.records for prefix in (r.prefix, *r.prefix_synonyms)]
    curies += ["pubmed:123", "doi:10.1000/a.b", "unknown:1", "CHEBI:", ":x", "a:b:c"]
    assert [_expand(x) for x in curies] == [converter.expand(x) for x in curies]


@pytest.mark.parametrize("fmt", ["trig", "rdfxml"])  # Turtle has its own writer: test_stream_turtle.py
def test_streamed_formats_equal_one_serialization_of_the_whole_text(fmt: str, synthetic: Path) -> None:
    """pyoxigraph reads the N-Triples text piece by piece; the bytes equal those of one parse of
    the whole text, as the export was written before it streamed."""
    import pyoxigraph as ox

    from serokg.graph.export import export
    from serokg.graph.export.fast import nt_chunks
    from serokg.graph.vocab import prefixes_for

    for ds in (load(), load(synthetic)):
        dataset = fmt == "trig"
        assert sum(chunk.claims for chunk in nt_chunks(ds, dataset=dataset)) >= 1
        whole, _ = fast(ds, dataset)
        expected = ox.serialize(ox.parse(whole, format=ox.RdfFormat.N_QUADS if dataset else ox.RdfFormat.N_TRIPLES),
                                format=getattr(ox.RdfFormat, {"trig": "TRIG", "rdfxml": "RDF_XML"}[fmt]), prefixes=prefixes_for())
        buf = io.BytesIO()
        export(ds, fmt, buf)
        assert buf.getvalue() == expected
