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
    doc = json.loads(result.stdout)
    assert sorted(b["claim"]["value"] for b in doc["results"]["bindings"]) == sorted(
        c.id for c in ds.claims.values() if c.modality in (Modality.hedged, Modality.speculative))
    result = runner.invoke(app, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/serokg/vocab#Claim> }",
                                 "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout_bytes == f"n\r\n{len(ds.claims)}\r\n".encode()


def test_cli_sparql_table_and_ask():
    result = runner.invoke(app, ["sparql", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].strip() == "yes"
    assert result.stderr == "1 row\n"
    result = runner.invoke(app, ["sparql", "ASK { ?s <http://example.org/none> ?o }"])
    assert result.stdout.splitlines()[-1].strip() == "no"


def test_cli_sparql_errors_are_clean():
    result = runner.invoke(app, ["sparql", "SELECT nonsense"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the query is not valid SPARQL: ")
    result = runner.invoke(app, ["sparql", "@/no/such/file.rq"])
    assert result.exit_code == 1
    assert result.stderr == "error: cannot read the query file /no/such/file.rq: No such file or directory\n"


def test_query_file_that_is_not_utf8(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"SELECT * { ?s ?p '\xff' }")
    result = runner.invoke(app, ["sparql", f"@{bad}"])
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot read the query file {bad}: not UTF-8 (byte 18)\n"


# --- 14.4: the W3C results formats, graphs as RDF -------------------------------------------------

TERMS = ("SELECT ?c ?q ?n ?b WHERE { ?c a <https://w3id.org/serokg/vocab#Claim> ; "
         "<https://w3id.org/serokg/vocab#evidence>/<http://www.w3.org/ns/oa#hasSelector>/"
         "<http://www.w3.org/ns/oa#exact> ?q . BIND(STRLEN(?q) AS ?n) BIND(BNODE() AS ?b) } ORDER BY ?c LIMIT 5")


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_results_formats_read_back_by_the_standard_reader(ds, fmt):
    """-f json / -f tsv give every term back with its kind, language and datatype."""
    import pyoxigraph as ox

    result = runner.invoke(app, ["sparql", TERMS, "-f", fmt])
    assert result.exit_code == 0, result.output
    parsed = ox.parse_query_results(result.stdout_bytes, format=getattr(ox.QueryResultsFormat, fmt.upper()))
    got = [tuple(sol[v] for v in ("c", "q", "n")) for sol in parsed]
    want = [tuple(sol[v] for v in ("c", "q", "n"))
            for sol in load_store(ds).query(TERMS, use_default_graph_as_union=True)]
    assert got == want and len(got) == 5
    assert all(isinstance(t[0], ox.NamedNode) and isinstance(t[2], ox.Literal) for t in got)


def test_json_is_sparql_results_json():
    result = runner.invoke(app, ["sparql", TERMS, "-f", "json"])
    doc = json.loads(result.stdout)
    assert doc["head"] == {"vars": ["c", "q", "n", "b"]}
    first = doc["results"]["bindings"][0]
    assert first["c"]["type"] == "uri" and first["b"]["type"] == "bnode"
    assert first["n"] == {"type": "literal", "value": first["n"]["value"],
                          "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["q"]["type"] == "literal" and "datatype" not in first["q"]


def test_csv_is_the_w3c_format_with_formulas_neutralised():
    q = r'SELECT ?a ?b WHERE { VALUES (?a ?b) { ("=1+2" "x, \"y\"\nz") } }'
    result = runner.invoke(app, ["sparql", q, "-f", "csv"])
    assert result.exit_code == 0, result.output
    header, rest = result.stdout_bytes.split(b"\r\n", 1)
    assert header == b"a,b"
    cell = rest.split(b",", 1)[0]
    assert cell.endswith(b"=1+2") and not cell.startswith(b"=")
    assert rest.endswith(b'"x, ""y""\nz"\r\n')


@pytest.mark.parametrize("fmt", ["ntriples", "turtle"])
@pytest.mark.parametrize("query", [
    "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t }",
    "DESCRIBE <https://w3id.org/serokg/claim/lithium-affects-htr1a-autoreceptor>",
])
def test_construct_and_describe_as_rdf(ds, fmt, query):
    import pyoxigraph as ox

    result = runner.invoke(app, ["sparql", query, "-f", fmt])
    assert result.exit_code == 0, result.output
    triples = set(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_TRIPLES if fmt == "ntriples"
                           else ox.RdfFormat.TURTLE))
    want = set(load_store(ds).query(query, use_default_graph_as_union=True))
    assert {q.triple for q in triples} == want and want


@pytest.mark.parametrize(("query", "fmt", "message"), [
    ("ASK {}", "ntriples", "-f ntriples is for CONSTRUCT and DESCRIBE queries; SELECT and ASK give results: use -f "
     "table, json, csv or tsv"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "csv", "-f csv is for SELECT and ASK results; CONSTRUCT and "
     "DESCRIBE give triples: use -f ntriples, -f turtle or -f table"),
])
def test_format_that_does_not_fit_the_query(query, fmt, message):
    result = runner.invoke(app, ["sparql", query, "-f", fmt])
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"


UPDATES = ["INSERT DATA { <http://a> <http://b> <http://c> }", "DELETE WHERE { ?s ?p ?o }",
           "PREFIX ex: <http://e/> DELETE { ?s ex:p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ex:p ?o }",
           "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "LOAD <http://example.org/x.ttl>",
           "CLEAR ALL", "drop graph <http://g>", "CREATE GRAPH <http://g>", "COPY DEFAULT TO <http://g>",
           "MOVE <http://a> TO <http://b>", "ADD <http://a> TO <http://b>", "# comment\nBASE <http://b/> CLEAR DEFAULT"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(update):
    from support.stub import Answer, Stub

    with Stub(Answer(204)) as stub:
        for extra in ([], ["--endpoint", f"{stub.url}/query"]):
            result = runner.invoke(app, ["sparql", update, *extra])
            assert result.exit_code == 1
            assert result.stderr == "error: serokg sparql runs queries only; use your store's update endpoint\n"
        assert stub.seen == []


# --- F15: SERVICE never leaves the machine from the embedded store -----------------------------------


def test_service_is_refused_before_any_request():
    from support.stub import JSON, Answer, Stub

    with Stub(Answer(200, {"Content-Type": JSON}, b'{"head":{"vars":[]},"results":{"bindings":[]}}')) as stub:
        for q in (f"SELECT * {{ SERVICE <{stub.url}/sparql> {{ ?s ?p ?o }} }}",
                  f"select * {{ ?x ?y ?z . service silent <{stub.url}/sparql> {{ ?s ?p ?o }} }}",
                  f"PREFIX s: <{stub.url}/> SELECT * {{ SERVICE s:sparql {{ ?s ?p ?o }} }}",
                  "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
            result = runner.invoke(app, ["sparql", q])
            assert result.exit_code == 1, result.output
            assert result.stderr == ("error: SERVICE is not allowed in the embedded store: it would send requests "
                                     "over the network; run federated queries on a store with --endpoint\n")
        assert stub.seen == []


@pytest.mark.parametrize("query", [
    'SELECT ?x WHERE { BIND("SERVICE" AS ?x) }',
    "SELECT ?x WHERE { BIND('''a SERVICE <http://x> { }''' AS ?x) }",
    "SELECT ?x WHERE { BIND(<http://example.org/SERVICE> AS ?x) }",
    "PREFIX ex: <http://example.org/> SELECT ?x WHERE { BIND(ex:SERVICE AS ?x) }",
    "SELECT ?service WHERE { BIND(1 AS ?service) }",
    "# SERVICE <http://x> { }\nSELECT ?x WHERE { BIND(1 AS ?x) }",
])
def test_the_word_service_elsewhere_is_fine(query):
    result = runner.invoke(app, ["sparql", query, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 1
