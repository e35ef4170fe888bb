"""Each example query of docs/queries runs on the embedded store; its answer is checked against
the Python query API, not against a hard-coded list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.query import ClaimFilter, expand, select, touches
from serokg.graph.read import Dataset, load
from serokg.graph.export.store import load_store, query_local
from serokg.schema.models import EntityType, FidelityVerdict, Modality

QUERIES = Path(__file__).parents[2] / "docs" / "queries"
SUBSTANCES = {EntityType.chemical, EntityType.drug_class, EntityType.supplement, EntityType.hormone,
              EntityType.neurotransmitter}
runner = CliRunner()


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load()


@pytest.fixture(scope="module")
def run(ds):
    store = load_store(ds)

    def run(name: str):
        return query_local(ds, (QUERIES / name).read_text(encoding="utf-8"), store=store).rows
    return run


def _values(name: str) -> str:
    return re.search(r'VALUES \?\w+ \{ "([^"]+)" \}', (QUERIES / name).read_text()).group(1)


def test_every_query_file_is_tested():
    tested = {"autoreceptor-substances.rq", "claims-from-reference.rq", "claims-about-region.rq",
              "hedged-claims.rq", "fidelity-not-supported.rq", "negated-claims.rq"}
    assert {p.name for p in QUERIES.glob("*.rq")} == tested


def test_autoreceptor_substances(ds, run):
    rows = run("autoreceptor-substances.rq")
    sites = expand(ds, "htr1a-autoreceptor")
    want = [c for c in ds.claims.values() if c.object in sites and ds.entities[c.subject].type in SUBSTANCES]
    assert want, "the bundled data has substances acting on 5-HT1A autoreceptors"
    assert sorted(r["claim"] for r in rows) == sorted(c.id for c in want)
    for r in rows:
        c = ds.claims[r["claim"]]
        assert r["substance"] == c.subject
        assert r["predicate"] == c.predicate.value
        assert r["direction"] == (c.direction.value if c.direction else None)
        assert r["aspect"] == (c.aspect.value if c.aspect else None)
        assert r["negated"] == ("true" if c.negated else "false")
        assert r["organism"] == c.organism
        assert r["reference"] == c.citation.reference


def test_claims_from_reference(ds, run):
    ref = _values("claims-from-reference.rq")
    assert ref in ds.references
    rows = run("claims-from-reference.rq")
    want = select(ds, ClaimFilter(reference=ref))
    assert want
    assert [r["claim"] for r in rows] == sorted(c.id for c in want)
    for r in rows:
        c = ds.claims[r["claim"]]
        assert (r["marker"], r["fidelity"], r["title"]) == (c.citation.marker, c.fidelity.verdict.value,
                                                            ds.references[ref].title)


def test_claims_about_region(ds, run):
    region = _values("claims-about-region.rq")
    assert ds.entities[region].type is EntityType.anatomy
    rows = run("claims-about-region.rq")
    want = {c.id for c in select(ds, ClaimFilter(anatomy=region))} | {c.id for c in touches(ds, region)}
    assert want
    assert {r["claim"] for r in rows} == want
    below = expand(ds, region)
    for r in rows:
        c = ds.claims[r["claim"]]
        assert r["region"] in below
        assert r["region"] in {"context": c.anatomy, "subject": (c.subject,), "object": (c.object,)}[r["how"]]


def test_hedged_claims(ds, run):
    rows = run("hedged-claims.rq")
    want = select(ds, ClaimFilter(modality=Modality.hedged)) + select(ds, ClaimFilter(modality=Modality.speculative))
    assert want
    assert sorted(r["claim"] for r in rows) == sorted(c.id for c in want)
    for r in rows:
        c = ds.claims[r["claim"]]
        assert (r["modality"], r["quote"]) == (c.modality.value, c.evidence.quote)


def test_fidelity_not_supported(ds, run):
    rows = run("fidelity-not-supported.rq")
    want = [c for c in ds.claims.values() if c.fidelity.verdict is not FidelityVerdict.supported]
    assert want
    assert sorted(r["claim"] for r in rows) == sorted(c.id for c in want)
    for r in rows:
        c = ds.claims[r["claim"]]
        assert (r["fidelity"], r["reason"], r["marker"], r["reference"]) == (
            c.fidelity.verdict.value, c.fidelity.reason, c.citation.marker, c.citation.reference)


def test_negated_claims(ds, run):
    rows = run("negated-claims.rq")
    negated = select(ds, ClaimFilter(negated=True))
    affirmed = {(c.subject, c.predicate, c.object) for c in select(ds, ClaimFilter(negated=False))}
    assert sorted(r["claim"] for r in rows) == sorted(c.id for c in negated
                                                      if (c.subject, c.predicate, c.object) not in affirmed)


def test_cli_sparql_from_file_as_json_and_csv(ds):
    q = QUERIES / "hedged-claims.rq"
    result = runner.invoke(app, ["sparql", f"@{q}", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["claim"] for r in rows) == sorted(
        c.id for c in ds.claims.values() if c.modality in (Modality.hedged, Modality.speculative))
    result = runner.invoke(app, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/serokg/vocab#Claim> }",
                                 "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == f"n\n{len(ds.claims)}\n"


def test_cli_sparql_table_and_ask():
    result = runner.invoke(app, ["sparql", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].strip() == "yes"
    assert result.stderr == "1 row\n"


def test_cli_sparql_errors_are_clean():
    result = runner.invoke(app, ["sparql", "SELECT nonsense"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the query is not valid SPARQL: ")
    result = runner.invoke(app, ["sparql", "@/no/such/file.rq"])
    assert result.exit_code == 1
    assert result.stderr == "error: cannot read the query file /no/such/file.rq: No such file or directory\n"
