"""The KGX export: every category, predicate, qualifier and value is Biolink 4 (checked with bmt
against the model shipped in the ``biolink-model`` package, offline), and KGX itself reads the
files back with the same node and edge counts and finds nothing to report."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export.kgx import ASPECT, kgx_edges, kgx_nodes, write_kgx
from serokg.graph.read import load
from serokg.schema.models import Predicate

from conftest import MINI

runner = CliRunner()
MODEL = importlib.resources.files("biolink_model")
SCHEMA = str(MODEL / "schema" / "biolink_model.yaml")
#: Enum-valued qualifiers and the Biolink enum that holds their values.
ENUM_SLOTS = {"knowledge_level": "KnowledgeLevelEnum", "agent_type": "AgentTypeEnum"}


@pytest.fixture(scope="module")
def toolkit():
    from bmt import Toolkit

    return Toolkit(schema=SCHEMA, predicate_map={"predicate mappings": []})


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kgx")
    write_kgx(load(), folder)
    return folder


def is_slot(toolkit, name: str) -> bool:
    from linkml_runtime.linkml_model.meta import SlotDefinition

    return isinstance(toolkit.get_element(name), SlotDefinition)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_biolink_model_is_version_4(toolkit):
    assert toolkit.get_model_version().startswith("4.")


def test_every_node_category_and_property_is_biolink(toolkit, exported):
    nodes = records(exported / "nodes.jsonl")
    assert len(nodes) == len(load().entities)
    for node in nodes:
        for category in node["category"]:
            assert toolkit.is_category(category), (node["id"], category)
        for key in node:
            if not key.startswith("serokg:"):
                assert is_slot(toolkit, key) or key == "id", (node["id"], key)


def test_every_edge_predicate_qualifier_and_value_is_biolink(toolkit, exported):
    ds = load()
    nodes = {n["id"]: n for n in records(exported / "nodes.jsonl")}
    edges = records(exported / "edges.jsonl")
    assert [e["id"] for e in edges] == [f"serokg.claim:{cid}" for cid in ds.claims]
    for edge in edges:
        where = edge["id"]
        assert edge["subject"] in nodes and edge["object"] in nodes, where
        assert toolkit.is_predicate(edge["predicate"]), where
        for key, value in edge.items():
            if key.startswith("serokg:") or key in ("id", "subject", "object", "predicate"):
                continue
            assert is_slot(toolkit, key), (where, key)
            if key == "qualified_predicate":
                assert toolkit.is_predicate(value), where
            elif key in ("species_context_qualifier", "anatomical_context_qualifier"):
                want = "biolink:OrganismTaxon" if key.startswith("species") else "biolink:AnatomicalEntity"
                for curie in value if isinstance(value, list) else [value]:
                    categories = nodes[curie]["category"]
                    assert any(want in toolkit.get_ancestors(c, formatted=True) for c in categories), (where, curie)
            elif key.endswith("_qualifier"):
                assert toolkit.is_qualifier(key), (where, key)
                assert toolkit.validate_qualifier(key, value), (where, key, value)
            elif key in ENUM_SLOTS:
                assert toolkit.is_permissible_value_of_enum(ENUM_SLOTS[key], value), (where, key, value)
        assert edge["supporting_text"] == [ds.claims[where.split(":", 1)[1]].evidence.quote]


def test_aspects_mapped_to_biolink_are_biolink_values_and_the_rest_are_not(toolkit):
    from serokg.schema.models import Aspect

    for ours, theirs in ASPECT.items():
        assert toolkit.validate_qualifier("object_aspect_qualifier", theirs), ours
    for aspect in set(Aspect) - set(ASPECT):
        assert not toolkit.validate_qualifier("object_aspect_qualifier", aspect.value), aspect


def test_the_core_triple_stays_true_without_its_qualifiers():
    ds = load()
    edges = {e["id"].split(":", 1)[1]: e for e in kgx_edges(ds)}
    for cid, c in ds.claims.items():
        e = edges[cid]
        assert e["negated"] is c.negated, cid
        if c.predicate in (Predicate.activates, Predicate.inhibits):
            # "X activates Y" is "X affects Y", qualified: causes increased activity of Y
            assert (e["predicate"], e["qualified_predicate"]) == ("biolink:affects", "biolink:causes"), cid
            assert e["object_direction_qualifier"] == (c.direction or
                                                       ("increased" if c.predicate is Predicate.activates
                                                        else "decreased")), cid
        if c.predicate is Predicate.affects and c.direction:
            assert e["qualified_predicate"] == "biolink:causes" and e["object_direction_qualifier"] == c.direction
        if c.aspect and c.aspect not in ASPECT:
            assert "object_aspect_qualifier" not in e and e["serokg:object_aspect"] == c.aspect.value, cid
    # the guide's example: lithium does not change the autoreceptors' sensitivity
    lithium = edges["lithium-affects-htr1a-autoreceptor"]
    assert (lithium["negated"], lithium["predicate"], lithium["serokg:object_aspect"]) == \
        (True, "biolink:affects", "sensitivity")


def test_denials_are_negated_edges():
    ds = load()
    negated = [e for e in kgx_edges(ds) if e["negated"]]
    assert len(negated) == sum(c.negated for c in ds.claims.values()) > 0


def _kgx_offline(extra_prefixes: dict[str, str]):
    """Import KGX with the local Biolink model: its defaults download the model and its JSON-LD
    context at import time, so its toolkit and context are given here before the first import."""
    import bmt
    import kgx.config

    class LocalToolkit(bmt.Toolkit):
        def __init__(self, schema=SCHEMA, predicate_map=None, **kw):
            super().__init__(schema=schema, predicate_map=predicate_map or {"predicate mappings": []}, **kw)

    bmt.Toolkit = LocalToolkit  # the class KGX instantiates by default
    context = json.loads((MODEL / "prefixmaps" / "biolink_model_prefix_map.json").read_text())
    kgx.config.jsonld_context_map["biolink"] = {**context, **extra_prefixes}
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    return Transformer, Validator


def test_kgx_reads_the_files_back_with_the_same_counts_and_no_errors(exported, tmp_path):
    base = "https://w3id.org/serokg/"
    Transformer, Validator = _kgx_offline({"serokg.entity": f"{base}entity/", "serokg.claim": f"{base}claim/"})
    files = [str(exported / "nodes.jsonl"), str(exported / "edges.jsonl")]
    # streamed through KGX's own reader and writer: every node and every claim's edge
    again = tmp_path / "again"
    Transformer(stream=True).transform({"filename": files, "format": "jsonl"},
                                       {"filename": str(again), "format": "jsonl"})
    ds = load()
    nodes, edges = records(Path(f"{again}_nodes.jsonl")), records(Path(f"{again}_edges.jsonl"))
    assert len(nodes) == len(ds.entities) and len(edges) == len(ds.claims)
    assert {e["id"] for e in edges} == {f"serokg.claim:{cid}" for cid in ds.claims}
    # KGX's validator over its graph: nothing to report
    tr = Transformer(stream=False)
    tr.transform({"filename": files, "format": "jsonl"})
    assert tr.store.graph.number_of_nodes() == len(ds.entities)
    validator = Validator(verbose=False)
    validator.validate(tr.store.graph)
    assert validator.get_errors() == {}


def test_kgx_nodes_use_standard_curies_in_biolink_spelling():
    nodes = {n["serokg:id"]: n for n in kgx_nodes(load(MINI))}
    assert nodes["lithium"]["id"] == "CHEBI:30145"
    assert nodes["lithium"]["category"] == ["biolink:ChemicalEntity"]
    assert nodes["htr1a-autoreceptor"]["id"] == "serokg.entity:htr1a-autoreceptor"
    assert all(not x.startswith(("UniProt:", "dbSNP:")) for n in nodes.values() for x in n.get("xref", []))


def test_cli_kgx_export(tmp_path):
    out = tmp_path / "kgx"
    result = runner.invoke(app, ["export", "-f", "kgx", "-o", str(out), "--data", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"exported 13 nodes and 6 edges as kgx to {out / 'nodes.jsonl'} and "
                             f"{out / 'edges.jsonl'}\n")
    first = (out / "edges.jsonl").read_bytes()
    assert runner.invoke(app, ["export", "-f", "kgx", "-o", str(out), "--data", str(MINI)]).exit_code == 0
    assert (out / "edges.jsonl").read_bytes() == first


def test_cli_kgx_needs_a_folder():
    result = runner.invoke(app, ["export", "-f", "kgx", "--data", str(MINI)])
    assert result.exit_code == 2
    assert "Invalid value: -f kgx writes two files: give the folder with -o" in " ".join(result.stderr.split())


def test_cli_kgx_refuses_the_data_folder(mini):
    result = runner.invoke(app, ["export", "-f", "kgx", "-o", str(mini), "--data", str(mini)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refusing to write")
    assert not (mini / "nodes.jsonl").exists()
