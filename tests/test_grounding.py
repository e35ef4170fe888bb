"""Grounding: every identifier has its evidence row in data/mappings.sssom.tsv (valid SSSOM, by the
``sssom`` package), close and broad matches stay apart from exact ones, the two doubtful ids are
fixed, no human id sits on another species' gene, every Biolink category exists (``bmt``,
offline), and entity IRIs follow the fixed per-type rule of ``serokg.schema.identity``."""

from __future__ import annotations

import json
import logging
import re
from importlib import resources
from pathlib import Path

import pytest

from serokg.graph.grounding import FIELD_PREDICATE, NO_TERM, grounding_status, mapping_problems, read_mappings
from serokg.graph.read import load
from serokg.graph.stats import stats
from serokg.graph.vocab import DEFAULT_BASE
from serokg.schema.biolink import CATEGORY
from serokg.schema.models import Entity, EntityType

# sssom-py and linkml warn about their own use of pandas and pydantic: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:::sssom.*", "ignore:::linkml.*", "ignore:::linkml_runtime.*")

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = ROOT / "data" / "mappings.sssom.tsv"


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def mapping_set():
    return read_mappings(MAPPINGS)


# --- the evidence -------------------------------------------------------------------------------


def test_every_identifier_has_its_row_and_every_row_its_identifier(ds, mapping_set):
    assert mapping_problems(ds.entities, mapping_set[1]) == []


def test_a_missing_row_a_stray_row_and_a_wrong_predicate_are_reported(ds, mapping_set):
    rows = list(mapping_set[1])
    lithium = next(r for r in rows if r.subject_id == "serokg:lithium" and r.object_id == "CHEBI:30145")
    rows.remove(lithium)
    stray = next(r for r in rows if r.subject_id == "serokg:dha" and r.object_id == "CHEBI:36005")
    rows[rows.index(stray)] = type(stray)(**{**stray.__dict__, "predicate_id": "skos:exactMatch"})
    entities = dict(ds.entities)
    entities["zinc"] = entities["zinc"].model_copy(update={"close_matches": ("CHEBI:29105",)})
    assert mapping_problems(entities, rows) == [
        f"line {stray.line}: serokg:dha skos:exactMatch CHEBI:36005: the entity has it in broad_matches, not xrefs",
        "dha: broad_matches CHEBI:36005 has no evidence row",
        "lithium: xrefs CHEBI:30145 has no evidence row",
        "zinc: close_matches CHEBI:29105 has no evidence row",
    ]


def test_an_ungroundable_entity_needs_its_no_term_row(ds, mapping_set):
    rows = [r for r in mapping_set[1] if r.subject_id != "serokg:per1"]
    assert mapping_problems(ds.entities, rows) == [f"per1: no_match_reason has no {NO_TERM} row"]


def test_mapping_set_is_valid_sssom():
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(MAPPINGS)
    checks = [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness,
              SchemaValidationType.StrictCurieFormat]
    reports = validate(msdf, checks, fail_on_error=False)
    assert {k.value: v.results for k, v in reports.items()} == {k.value: [] for k in checks}
    assert len(msdf.df) == len(read_mappings(MAPPINGS)[1])
    assert msdf.metadata["mapping_set_id"] == "https://w3id.org/serokg/mappings.sssom.tsv"
    assert msdf.metadata["license"].startswith("https://")


def test_sssom_validation_rejects_a_broken_row(tmp_path, caplog):
    """The check above is a real one: an unknown prefix and a made-up justification fail it."""
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    text = MAPPINGS.read_text(encoding="utf-8")
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(text.replace("\tCHEBI:30145\t", "\tFOO:30145\t", 1)
                      .replace("semapv:MappingChaining", "semapv:Guesswork", 1), encoding="utf-8")
    with caplog.at_level(logging.CRITICAL):
        reports = validate(parse_sssom_table(broken), [SchemaValidationType.JsonSchema,
                                                       SchemaValidationType.PrefixMapCompleteness],
                           fail_on_error=False)
    assert all(r.results for r in reports.values())


def test_curie_map_is_the_bioregistry_prefix_map(mapping_set):
    meta = mapping_set[0]
    start = meta.index("#curie_map:")
    curie_map = dict(re.match(r"#  (\S+): (\S+)$", line).groups() for line in meta[start + 1:]
                     if line.startswith("#  "))
    records = json.loads((ROOT / "schema" / "prefixes.json").read_text(encoding="utf-8"))
    uri = {r["prefix"]: r["uri_prefix"] for r in records}
    used = {r.object_id.split(":")[0] for r in mapping_set[1]} - {"sssom"}
    assert {p: curie_map[p] for p in used} == {p: uri[p] for p in used}
    assert curie_map["serokg"] == DEFAULT_BASE + "entity/"


def test_justifications_and_chains(ds, mapping_set):
    """DrugBank and PubChem ids are chained through the entity's exact ChEBI id; the rest curated."""
    for r in mapping_set[1]:
        e = ds.entities[r.subject_id.removeprefix("serokg:")]
        if r.object_id.split(":")[0] in ("DRUGBANK", "PUBCHEM.COMPOUND"):
            assert r.mapping_justification == "semapv:MappingChaining", r
            via = re.search(r"via (CHEBI:\d+)", r.comment).group(1)
            assert via in e.xrefs and r.predicate_id == "skos:exactMatch", r
        else:
            assert r.mapping_justification == "semapv:ManualMappingCuration", r


# --- what the data now says ---------------------------------------------------------------------


def test_at_least_130_entities_have_an_exact_or_close_identifier(ds):
    g = stats(ds)["grounding"]
    assert g["exact"] + g["close"] >= 130
    assert sum(g.values()) == len(ds.entities)


def test_the_two_doubtful_ids_are_fixed(ds):
    dha, butyrate = ds.entities["dha"], ds.entities["butyrate"]
    assert "CHEBI:28125" in dha.xrefs and "CHEBI:36005" in dha.broad_matches  # the compound; the class is broader
    assert "CHEBI:30772" in butyrate.xrefs  # neutral butyric acid, as serotonin and dopamine
    assert "CHEBI:17968" in butyrate.close_matches and "CHEBI:64103" in butyrate.related_matches


def test_no_gene_id_is_exact_on_a_receptor_and_no_human_id_on_a_hamster_gene(ds):
    for e in ds.entities.values():
        if e.type in (EntityType.receptor, EntityType.receptor_population):
            assert not [x for x in e.xrefs if x.split(":")[0] in ("HGNC", "NCBIGene")], e.id
    for gene in ("per1", "per2"):
        e = ds.entities[gene]
        assert grounding_status(e) == "ungroundable" and "hamster" in e.no_match_reason


def test_uniprot_ids_are_human(mapping_set):
    rows = [r for r in mapping_set[1] if r.object_id.startswith("UniProt:")]
    assert rows and all("human entry" in r.comment for r in rows)


def test_match_fields_reject_one_identifier_in_two_fields():
    with pytest.raises(ValueError, match="CHEBI:1 is in both xrefs and close_matches"):
        Entity(id="x1", label="x", type=EntityType.chemical, xrefs=("CHEBI:1",), close_matches=("CHEBI:1",))
    with pytest.raises(ValueError, match="an entity with identifiers has no no_match_reason"):
        Entity(id="x1", label="x", type=EntityType.chemical, broad_matches=("CHEBI:1",), no_match_reason="none")


def test_stats_reports_grounding_with_reasons(ds):
    s = stats(ds)
    assert set(s["grounding"]) == {"exact", "close", "broad_or_related", "ungroundable", "not_reviewed"}
    assert s["ungroundable"]["per1"] == ds.entities["per1"].no_match_reason
    assert len(s["ungroundable"]) == s["grounding"]["ungroundable"]


def test_field_predicates_are_skos():
    assert set(FIELD_PREDICATE.values()) == {f"skos:{p}Match" for p in ("exact", "close", "broad", "related")}


# --- Biolink categories -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def toolkit():
    from bmt import Toolkit

    schema = resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    return Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})


def test_every_entity_type_has_a_biolink_category_that_exists(toolkit):
    assert set(CATEGORY) == set(EntityType)
    for t, category in CATEGORY.items():
        assert toolkit.is_category(category), (t, category)


# --- entity IRIs --------------------------------------------------------------------------------


def _iris(entities):
    from serokg.graph.export import entity_iris

    return entity_iris(entities)


def test_iris_follow_the_per_type_rule(ds):
    from serokg.graph.export import xref_converter
    from serokg.schema.identity import IRI_PREFIX, iri_curie

    assert set(IRI_PREFIX) == set(EntityType)
    iris = _iris(ds.entities)
    for e in ds.entities.values():
        curie = iri_curie(e)
        want = xref_converter().expand(curie) if curie else f"{DEFAULT_BASE}entity/{e.id}"
        assert iris[e.id] == want, e.id
        prefix = IRI_PREFIX[e.type]
        assert len([x for x in e.xrefs if x.split(":")[0] == prefix]) <= 1, f"{e.id}: two {prefix} ids"
    assert iris["htr1a"] == "http://purl.uniprot.org/uniprot/P08908"
    assert iris["htr1a-gene"] == "https://www.ncbi.nlm.nih.gov/gene/3350"
    assert iris["lithium"] == "http://purl.obolibrary.org/obo/CHEBI_30145"
    assert iris["htr1a-autoreceptor"] == f"{DEFAULT_BASE}entity/htr1a-autoreceptor"


def test_adding_an_identifier_does_not_move_an_iri(ds):
    """Other identifiers, a second id of the IRI's prefix, close and broad matches: none moves an IRI."""
    from serokg.schema.identity import iri_curie

    before = _iris(ds.entities)
    for e in ds.entities.values():
        extra = [x for x in ("MESH:D999999", "EFO:9999999", "DOID:9999999") if x not in e.xrefs][:2]
        current = iri_curie(e)
        if current:  # a second identifier of the same prefix, listed after the first
            extra.append(current.split(":")[0] + ":999999")
        grown = e.model_copy(update={"xrefs": (extra[0], *e.xrefs, *extra[1:]), "close_matches": ("GO:9999999",),
                                     "broad_matches": ("HP:9999999",), "no_match_reason": None})
        assert _iris({**ds.entities, e.id: grown}) == before, e.id


def test_only_the_first_identifier_of_the_types_prefix_names_a_local_entity(ds):
    prolactin = ds.entities["prolactin"]  # a hormone whose ChEBI entry is only a close match
    assert _iris(ds.entities)["prolactin"] == f"{DEFAULT_BASE}entity/prolactin"
    grown = prolactin.model_copy(update={"xrefs": (*prolactin.xrefs, "CHEBI:81580"), "close_matches": ()})
    assert _iris({**ds.entities, "prolactin": grown})["prolactin"] == "http://purl.obolibrary.org/obo/CHEBI_81580"


def test_receptor_and_gene_and_any_two_entities_have_distinct_iris(ds):
    iris = _iris(ds.entities)
    assert iris["htr1a"] != iris["htr1a-gene"]
    assert len(set(iris.values())) == len(iris)


def test_shared_identifier_never_merges_two_entities(ds):
    twin = ds.entities["lithium"].model_copy(update={"id": "lithium-twin"})
    iris = _iris({**ds.entities, "lithium-twin": twin})
    assert iris["lithium"] == f"{DEFAULT_BASE}entity/lithium" and iris["lithium-twin"] != iris["lithium"]


def test_rdf_gives_every_match_its_skos_property(ds):
    import io

    from serokg.graph.export import export, xref_converter

    buf = io.BytesIO()
    export(ds, "ntriples", buf)
    nt = buf.getvalue().decode()
    iris = _iris(ds.entities)
    skos = "http://www.w3.org/2004/02/skos/core#"
    for eid, field, kind, curie in (("dha", "xrefs", "exact", "MESH:D004281"), ("dha", "broad_matches", "broad", "CHEBI:36005"),
                                    ("butyrate", "close_matches", "close", "CHEBI:17968"),
                                    ("htr1a", "related_matches", "related", "HGNC:5286"),
                                    ("htr1a", "xrefs", "exact", "MESH:D000000")):
        line = f"<{iris[eid]}> <{skos}{kind}Match> <{xref_converter().expand(curie)}> ."
        assert (line in nt) == (curie in getattr(ds.entities[eid], field)), line
    assert f"<{iris['htr1a']}> <{skos}exactMatch> <{iris['htr1a-gene']}> ." not in nt


def test_iri_prefixes_are_among_biolinks_preferred_prefixes_for_the_category():
    from serokg.schema.identity import IRI_PREFIX

    path = resources.files("biolink_model") / "prefixmaps" / "preferred_prefixes_per_class.json"
    classes = json.loads(path.read_text(encoding="utf-8"))["biolink_class_prefixes"]
    preferred = {c["class_name"]: {p["prefix"].casefold() for p in c["prefix_map"]} for c in classes}
    biolink_spelling = {"UniProt": "UniProtKB"}  # the same namespace (bioregistry: uniprot)
    for t, prefix in IRI_PREFIX.items():
        if prefix is not None:
            assert biolink_spelling.get(prefix, prefix).casefold() in preferred[CATEGORY[t]], (t, prefix)
