"""RDF export: every format parses back isomorphic, the round trip is exact, negation is safe,
output is deterministic, SHACL conforms, and the vocabulary covers the models."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic, to_isomorphic
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export import FORMATS, entity_iris, export, read_rdf, validate_shacl
from serokg.graph.read import Dataset, load
from serokg.graph.vocab import ENUMS, SK, enum_iri, schema_files, unmapped_fields
from serokg.schema.models import (
    Citation, Claim, Entity, EntityType, Evidence, Fidelity, FidelityVerdict, Predicate, Reference, Source,
)

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
          "nquads": "nquads"}
runner = CliRunner()


@pytest.fixture(scope="module", params=["mini", "bundled"])
def ds(request) -> Dataset:
    return load(MINI if request.param == "mini" else None)


def _export(ds: Dataset, fmt: str, base: str | None = None) -> bytes:
    buf = io.BytesIO()
    export(ds, fmt, buf, **({"base": base} if base else {}))
    return buf.getvalue()


def _rdflib(data: bytes, fmt: str) -> rdflib.Graph | rdflib.Dataset:
    if fmt in ("trig", "nquads"):
        d = rdflib.Dataset()
        d.parse(data=data, format=RDFLIB[fmt])
        return d
    return rdflib.Graph().parse(data=data, format=RDFLIB[fmt])


def _graphs(d: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    out: dict[str, rdflib.Graph] = {}
    for s, p, o, g in d.quads():
        out.setdefault(str(g), rdflib.Graph()).add((s, p, o))
    return out


def test_every_triple_format_is_isomorphic_to_ntriples(ds):
    reference = _rdflib(_export(ds, "ntriples"), "ntriples")
    assert len(reference) > 0
    for fmt in ("turtle", "jsonld", "rdfxml"):
        g = _rdflib(_export(ds, fmt), fmt)
        assert len(g) == len(reference), fmt
        assert isomorphic(g, reference), fmt


def test_trig_and_nquads_are_isomorphic_graph_by_graph(ds):
    a, b = _graphs(_rdflib(_export(ds, "trig"), "trig")), _graphs(_rdflib(_export(ds, "nquads"), "nquads"))
    assert a.keys() == b.keys()
    assert len(a) > 4 * len(ds.claims)  # four nanopublication graphs per claim, plus the default graph
    for name in a:
        assert isomorphic(a[name], b[name]), name


def test_streaming_writer_matches_rdflib_serialization(ds):
    """The plain string writer and rdflib's own N-Triples writer give the same graph."""
    ours = _rdflib(_export(ds, "ntriples"), "ntriples")
    theirs = rdflib.Graph().parse(data=ours.serialize(format="nt"), format="nt")
    assert to_isomorphic(ours) == to_isomorphic(theirs)
    dq = _rdflib(_export(ds, "nquads"), "nquads")
    again = rdflib.Dataset()
    again.parse(data=dq.serialize(format="nquads"), format="nquads")
    assert _graphs(dq).keys() == _graphs(again).keys()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_is_exact(ds, fmt):
    back = read_rdf(_export(ds, fmt), fmt)
    assert back.claims == ds.claims
    assert list(back.claims) == list(ds.claims)
    assert back.entities == ds.entities
    assert back.references == ds.references
    assert back.sources == ds.sources


def test_round_trip_with_another_base(ds):
    data = _export(ds, "turtle", base="http://example.org/kg#")
    assert b"http://example.org/kg#claim/" in data
    assert read_rdf(data, "turtle").claims == ds.claims


def test_negated_claims_have_no_direct_triple(ds):
    g = _rdflib(_export(ds, "ntriples"), "ntriples")
    iris = {k: rdflib.URIRef(v) for k, v in entity_iris(ds.entities).items()}
    negated = [c for c in ds.claims.values() if c.negated]
    assert negated
    for c in negated:
        triple = (iris[c.subject], rdflib.URIRef(enum_iri(c.predicate)), iris[c.object])
        affirmed_twin = any(o.subject == c.subject and o.predicate is c.predicate and o.object == c.object
                            and not o.negated for o in ds.claims.values())
        assert (triple in g) == affirmed_twin, c.id
    for c in ds.claims.values():
        if not c.negated:
            assert (iris[c.subject], rdflib.URIRef(enum_iri(c.predicate)), iris[c.object]) in g, c.id


def test_lithium_example_from_the_guide():
    ds = load(MINI)
    nt = _export(ds, "ntriples").decode()
    lithium = "<http://purl.obolibrary.org/obo/CHEBI_30145>"
    assert f"{lithium} <{SK}affects> <https://w3id.org/serokg/entity/htr1a-postsynaptic> ." in nt
    assert f"{lithium} <{SK}affects> <https://w3id.org/serokg/entity/htr1a-autoreceptor> ." not in nt
    assert f'<https://w3id.org/serokg/claim/r22-lithium-autoreceptor-unchanged> <{SK}negated> ' \
           f'"true"^^<http://www.w3.org/2001/XMLSchema#boolean> .' in nt


def test_entities_use_standard_iris_and_keep_their_id():
    ds = load(MINI)
    iris = entity_iris(ds.entities)
    assert iris["lithium"] == "http://purl.obolibrary.org/obo/CHEBI_30145"
    assert iris["rat"] == "http://purl.obolibrary.org/obo/NCBITaxon_10116"
    assert iris["htr1a-autoreceptor"] == "https://w3id.org/serokg/entity/htr1a-autoreceptor"
    g = _rdflib(_export(ds, "turtle"), "turtle")
    assert (rdflib.URIRef(iris["lithium"]), rdflib.URIRef(SK + "id"), rdflib.Literal("lithium")) in g


@pytest.mark.parametrize("fmt", [*FORMATS, "graphml", "nodelink"])
def test_export_is_deterministic_across_hash_seeds(fmt, tmp_path):
    outs = []
    for seed in ("0", "12345"):
        target = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", "from serokg.cli.main import run; run()", "export", "-f", fmt, "-o", str(target)],
                              env=env, capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]
    if fmt in FORMATS:
        assert outs[0] == _export(load(), fmt)


def test_shacl_conforms_on_the_export(tmp_path):
    for fmt in ("turtle", "nquads"):
        path = tmp_path / f"kg{FORMATS[fmt]}"
        path.write_bytes(_export(load(), fmt))
        report = validate_shacl(path)
        assert report.conforms, report.text()
        result = runner.invoke(app, ["validate", "--rdf", str(path)])
        assert result.exit_code == 0
        assert result.output.startswith("conforms: ")


def test_broken_graph_fails_shacl_with_a_readable_report(tmp_path):
    nt = _export(load(MINI), "ntriples").decode()
    claim = "<https://w3id.org/serokg/claim/r22-lithium-postsynaptic-sensitivity>"
    lines = [ln for ln in nt.splitlines(keepends=True)
             if not ln.startswith(f"{claim} <{SK}fidelity> ")]  # drop a required field
    lithium, postsynaptic = ("<http://purl.obolibrary.org/obo/CHEBI_30145>",
                             "<https://w3id.org/serokg/entity/htr1a-autoreceptor>")
    lines.append(f"{lithium} <{SK}affects> {postsynaptic} .\n")  # leak the denied triple
    path = tmp_path / "broken.nt"
    path.write_text("".join(lines), encoding="utf-8")
    report = validate_shacl(path)
    assert not report.conforms
    text = report.text()
    assert text.startswith("does not conform: 2 violations")
    assert "claim:r22-lithium-postsynaptic-sensitivity sk:fidelity: Property has 0 values (min: 1)" in text
    assert "claim:r22-lithium-autoreceptor-unchanged -: a negated claim must not assert its direct triple" in text
    result = runner.invoke(app, ["validate", "--rdf", str(path)])
    assert result.exit_code == 1
    assert "does not conform: 2 violations" in result.output


def test_vocabulary_covers_every_enum_member_and_field():
    assert unmapped_fields() == []
    vocab = rdflib.Graph().parse(Path(__file__).parents[2] / "schema" / "vocab.ttl")
    label, comment = rdflib.RDFS.label, rdflib.RDFS.comment
    for enum in ENUMS:
        for member in enum:
            iri = rdflib.URIRef(enum_iri(member))
            assert vocab.value(iri, label) is not None, member
            assert vocab.value(iri, comment) is not None, member
    terms = {t for t in vocab.subjects() if isinstance(t, rdflib.URIRef) and t.startswith(SK)}
    for t in terms:
        assert vocab.value(t, label) is not None and vocab.value(t, comment) is not None, t


def test_committed_schema_files_are_generated_from_the_models():
    folder = Path(__file__).parents[2] / "schema"
    for name, text in schema_files():
        assert (folder / name).read_text(encoding="utf-8") == text, f"run python -m serokg.graph.vocab ({name})"


def test_jsonld_uses_the_shipped_context():
    import json

    doc = json.loads(_export(load(MINI), "jsonld"))
    shipped = json.loads((Path(__file__).parents[2] / "schema" / "context.jsonld").read_text())
    assert doc["@context"] == shipped["@context"]


# --- hypothesis: generated records round trip ---------------------------------------------------

slug = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}[a-z0-9]", fullmatch=True)
# XML 1.0 cannot hold most control characters, so RDF/XML is checked on the fixture only.
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@st.composite
def datasets(draw) -> Dataset:
    ids = draw(st.lists(slug, min_size=2, max_size=5, unique=True))
    xref = st.sampled_from(["CHEBI:1", "HGNC:5286", "UBERON:0001898", "NCBITaxon:10116", "MESH:D1", "dbSNP:rs6295"])
    entities = {}
    for i, eid in enumerate(ids):
        entities[eid] = Entity(id=eid, label=draw(text), type=draw(st.sampled_from(list(EntityType))),
                               synonyms=tuple(draw(st.lists(text, max_size=3))),
                               xrefs=tuple(draw(st.lists(xref, max_size=3))),
                               parent=ids[0] if i > 0 and draw(st.booleans()) else None,
                               description=draw(st.none() | text))
    ref = Reference(id="ref-" + ids[0], markers=("R01", "R02"), title=draw(text), year=draw(st.none() | st.integers(1800, 2100)),
                    pmid=draw(st.none() | st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True)),
                    doi=draw(st.none() | st.just('10.1000/a"b<c>')), confidence="high", notes=draw(st.none() | text))
    source = Source(id="src", title=draw(text), text_file="src.txt", sha256="0" * 64,
                    parts={draw(text): (0, 5), "body": (5, 9)})
    claims = {}
    for n in range(draw(st.integers(1, 4))):
        subject, obj = draw(st.permutations(ids))[:2]
        quote = draw(text)
        start = draw(st.integers(0, 1000))
        cited = draw(st.booleans())
        claims[f"c{n}"] = Claim(
            id=f"c{n}", subject=subject, predicate=draw(st.sampled_from(list(Predicate))), object=obj,
            negated=draw(st.booleans()), anatomy=tuple(draw(st.lists(st.sampled_from(ids), max_size=3))),
            dose=draw(st.none() | text), note=draw(st.none() | text),
            evidence=Evidence(source="src", quote=quote, start=start, end=start + len(quote), section=draw(text)),
            citation=Citation(marker="R01", reference=ref.id) if cited else Citation(),
            fidelity=Fidelity(verdict=FidelityVerdict.supported if cited else FidelityVerdict.no_source,
                              reason=draw(text)))
    return Dataset(Path("generated"), entities, claims, {ref.id: ref}, {"src": source}, {})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.sampled_from(["ntriples", "turtle", "trig", "nquads", "jsonld"]))
def test_generated_records_round_trip(ds, fmt):
    back = read_rdf(_export(ds, fmt), fmt)
    assert back.entities == ds.entities
    assert back.claims == ds.claims
    assert back.references == ds.references
    assert back.sources == ds.sources
    if fmt == "ntriples":
        assert len(rdflib.Graph().parse(data=_export(ds, fmt), format="nt")) > 0


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_export_to_stdout_and_file(tmp_path):
    result = runner.invoke(app, ["export", "-f", "ntriples", "--data", str(MINI)])
    assert result.exit_code == 0
    assert result.stdout.count("\n") == len(_export(load(MINI), "ntriples").decode().splitlines())
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["export", "-f", "turtle", "-o", str(out), "--data", str(MINI)])
    assert result.exit_code == 0
    assert result.stderr == f"exported 312 statements as turtle to {out}\n"
    assert out.read_bytes() == _export(load(MINI), "turtle")


def test_cli_export_refuses_the_data_folder():
    result = runner.invoke(app, ["export", "-o", str(MINI / "kg.ttl"), "--data", str(MINI)])
    assert result.exit_code == 1
    assert result.stderr == f"error: refusing to write {MINI / 'kg.ttl'}: it is inside the data folder {MINI}\n"
    assert not (MINI / "kg.ttl").exists()


def test_cli_export_graph_formats(tmp_path):
    import json

    import networkx as nx

    out = tmp_path / "kg.graphml"
    assert runner.invoke(app, ["export", "-f", "graphml", "-o", str(out), "--data", str(MINI)]).exit_code == 0
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_edges() == 6
    edge = g.edges["lithium", "htr1a-autoreceptor", "r22-lithium-autoreceptor-unchanged"]
    assert edge["negated"] is True and edge["evidence.quote"] == "while not changing the autoreceptors"
    assert g.nodes["htr1a"]["xrefs"] == '["HGNC:5286", "NCBIGene:3350", "UniProt:P08908"]'
    out = tmp_path / "kg.json"
    assert runner.invoke(app, ["export", "-f", "nodelink", "-o", str(out), "--data", str(MINI)]).exit_code == 0
    data = json.loads(out.read_text())
    claim = next(e for e in data["edges"] if e["key"] == "r22-lithium-postsynaptic-sensitivity")
    assert Claim.model_validate({k: v for k, v in claim.items() if k not in ("source", "target", "key")}) \
        == load(MINI).claims["r22-lithium-postsynaptic-sensitivity"]


def test_bad_base_is_a_usage_error():
    result = runner.invoke(app, ["export", "--base", "not an iri", "--data", str(MINI)])
    assert result.exit_code == 2
    assert "Invalid value: the base IRI must start with http:// or https://" in result.stderr


def test_query_command_does_not_import_rdf_libraries():
    code = ("import sys; from serokg.cli.main import app; from typer.testing import CliRunner; "
            "CliRunner().invoke(app, ['query', '--touches', 'autoreceptor', '--data', %r]); "
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'shacl_rust', 'curies') if m in sys.modules))" % str(MINI))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
