"""The benchmark code runs at small N, and every optimised path gives what the plain path gives.

No timing is asserted here: `python bench/run.py` measures; these tests keep it from rotting.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from serokg.errors import DataError
from serokg.graph import read
from serokg.graph.read import load

from conftest import FIXTURES, MINI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bench import startup, synth  # noqa: E402

N = 200


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "data"
    synth.generate(folder, N, seed=3, per_source=60, profile=synth.profile_of(MINI))
    return folder


def careful(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every line down the careful reader path."""
    monkeypatch.setattr(read, "_fast", lambda raw, validate_json: None)


# --- the generator ---------------------------------------------------------------------------------

def test_synthetic_folder_validates_and_follows_the_profile(synthetic: Path):
    ds = load(synthetic)
    assert len(ds.claims) == N
    assert len(ds.sources) == 4  # 60 claims a source
    profile = synth.profile_of(MINI)
    # hub nodes of the profile stay hubs
    objects = [c.object for c in ds.claims.values()]
    hub = profile.objects.most_common(1)[0][0]
    assert objects.count(hub) >= 10
    assert {c.predicate.value for c in ds.claims.values()} >= {"affects", "contributes_to"}
    for c in ds.claims.values():
        assert ds.texts[c.evidence.source][c.evidence.start:c.evidence.end] == c.evidence.quote
    assert any(not c.evidence.quote.isascii() for c in ds.claims.values())  # offsets are str indices


def test_generator_is_deterministic(tmp_path: Path):
    prof = synth.profile_of(MINI)
    for name in ("a", "b"):
        synth.generate(tmp_path / name, 120, seed=11, per_source=50, profile=prof)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    synth.generate(tmp_path / "c", 120, seed=12, per_source=50, profile=prof)
    assert (tmp_path / "c" / "claims.jsonl").read_bytes() != (tmp_path / "a" / "claims.jsonl").read_bytes()


# --- the fast reader gives what the careful reader gives ---------------------------------------------

def _same(a, b) -> None:
    assert list(a.entities.items()) == list(b.entities.items())
    assert list(a.claims.items()) == list(b.claims.items())
    assert list(a.references.items()) == list(b.references.items())
    assert a.sources == b.sources and a.texts == b.texts and a.markers == b.markers
    assert a.lines == b.lines


@pytest.mark.parametrize("folder", ["synthetic", "mini", "bundled"])
def test_fast_reader_gives_the_careful_dataset(folder: str, synthetic: Path, monkeypatch: pytest.MonkeyPatch):
    path = {"synthetic": synthetic, "mini": MINI, "bundled": None}[folder]
    try:
        fast = load(path)
    except DataError:
        pytest.skip("the bundled data does not validate at the moment")
    careful(monkeypatch)
    _same(fast, load(path))


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "bad").iterdir()))
def test_fast_reader_reports_what_the_careful_reader_reports(case: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    shutil.copy(FIXTURES / "bad" / case, folder / case.split(".", 1)[1])

    def outcome():
        try:
            return ("ok", load(folder))
        except DataError as exc:
            return ("error", [str(p) for p in exc.problems])

    fast = outcome()
    careful(monkeypatch)
    slow = outcome()
    assert fast[0] == slow[0]
    if fast[0] == "ok":
        _same(fast[1], slow[1])
    else:
        assert fast[1] == slow[1]


LINE = json.loads((MINI / "claims.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize("text", [
    json.dumps(LINE),  # canonical
    json.dumps(LINE, separators=(",", ":")),  # compact
    json.dumps(LINE, indent=None).replace('": ', '" : '),  # space before every colon
    json.dumps(LINE).replace('"rat"', '"rat" ', 1),
    json.dumps(LINE)[:-1] + ', "negated": false, "negated": false}',  # duplicate key, same value
    json.dumps(LINE)[:-1] + ', "note": "a: b \\": c"}',  # colons inside a value
    json.dumps(LINE)[:-1] + ', "note": "x", "note" : "y"}',  # duplicate hidden behind a space
    json.dumps(LINE).replace('"evidence": {', '"evidence": {"start": 1, ', 1),  # nested duplicate
    json.dumps(LINE).replace('"marker": "R22"', '"marker": "R22", "marker": "R22"', 1),
    json.dumps(LINE)[:-1] + ', "note": "\\u00e9t\\u00e9 \\ud83d\\ude00"}',  # escapes
    json.dumps(LINE)[:-1] + ', "note": "\\ud800"}',  # a lone surrogate
    json.dumps(LINE) + " ",
    json.dumps(LINE) + " x",
    "[" + json.dumps(LINE) + "]",
    json.dumps(LINE).replace('"start": 9525', '"start": 9525.0'),
    json.dumps(LINE).replace('"start": 9525', '"start": "9525"'),
    json.dumps(LINE).replace('"start": 9525', '"start": true'),
])
def test_fast_line_equals_careful_line(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "claims.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    from serokg.schema.models import Claim

    def outcome():
        problems: list = []
        records = list(read.read_jsonl(path, Claim, problems))
        return records, [str(p) for p in problems]

    fast = outcome()
    careful(monkeypatch)
    assert fast == outcome()


# --- the scale benchmark ------------------------------------------------------------------------------

def test_run_benchmark_at_small_n(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "table.md"
    raw = tmp_path / "raw.json"
    assert bench_run.main(["--sizes", str(N), "--work", str(tmp_path / "work"), "--out", str(out),
                           "--json", str(raw), "--quiet"]) == 0
    rows = json.loads(raw.read_text())["rows"]
    by = {r["measure"]: r for r in rows}
    assert set(by) == set(bench_run.MEASURES)
    failed = {m: r["error"] for m, r in by.items() if "error" in r}
    assert not failed
    assert by["load"]["items"] == N and by["build"]["items"] == N
    assert by["nt"]["items"] == by["floor_nt"]["items"] == by["ox_nt"]["items"] == by["rdflib_nt"]["items"]
    assert by["nq"]["items"] == by["floor_nq"]["items"] == by["oxigraph_load"]["items"]
    assert by["turtle"]["items"] == by["nt"]["items"]
    assert all(r.get("peak_mb", 0) > 0 for r in rows)
    table = out.read_text()
    assert table.count(f"| {N} |") == len(bench_run.MEASURES)
    assert "x floor" in table and "x rdflib" in table
    assert table in capsys.readouterr().out


def test_caps_skip_and_say_so():
    rows = [{"measure": "turtle", "n": 10**6, "skipped": bench_run.CAPS["turtle"][1]},
            {"measure": "load", "n": 10**6, "seconds": 20.0, "items": 10**6, "unit": "claims", "peak_mb": 3000},
            {"measure": "load_floor", "n": 10**6, "seconds": 16.0, "items": 10**6, "unit": "claims", "peak_mb": 3000}]
    table = bench_run.table(rows)
    assert "skipped: made from the whole N-Triples" in table
    assert "missed (0.50x of 100k/s); 1.25x floor" in table
    assert bench_run.parse_sizes("1e3,2000") == [1000, 2000]


def test_floor_writer_writes_the_same_bytes_as_the_streaming_writer(synthetic: Path):
    from serokg.graph.export import quads, write_nt

    ds = load(synthetic)
    for dataset in (False, True):
        streamed, floor = io.BytesIO(), io.BytesIO()
        n = write_nt(ds, streamed, dataset=dataset)
        assert bench_run.floor_write(list(quads(ds, nanopub=dataset)), floor, dataset) == n
        assert streamed.getvalue() == floor.getvalue()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's JSON-LD parser
def test_streaming_ntriples_is_isomorphic_to_rdflib_graphs_of_the_other_exports(synthetic: Path):
    """The streamed N-Triples, Turtle (pyoxigraph) and JSON-LD (its own writer) are the same graph."""
    import rdflib
    from rdflib.compare import isomorphic

    from serokg.graph.export import export

    ds = load(synthetic)
    graphs = {}
    for fmt, parse_as in (("ntriples", "nt"), ("turtle", "turtle"), ("jsonld", "json-ld")):
        buf = io.BytesIO()
        export(ds, fmt, buf)
        graphs[fmt] = rdflib.Graph().parse(data=buf.getvalue(), format=parse_as)
    assert len(graphs["ntriples"]) > 30 * N
    assert isomorphic(graphs["ntriples"], graphs["turtle"])
    assert isomorphic(graphs["ntriples"], graphs["jsonld"])
    # and rdflib's own serializer gives the same graph back
    again = rdflib.Graph().parse(data=graphs["ntriples"].serialize(format="nt"), format="nt")
    assert isomorphic(graphs["ntriples"], again)


def test_startup_bench_measures(monkeypatch: pytest.MonkeyPatch):
    res = startup.measure(runs=1, data=MINI)
    assert res["query_s"] > 0 and res["floor_s"] > 0 and res["ratio"] > 0
    assert startup.main(["--runs", "1", "--json"]) == 0


def test_graph_build_equals_the_plain_per_edge_build(synthetic: Path):
    """build() adds nodes and edges in bulk with the GC held; the graph is the one add_edge makes."""
    import networkx as nx

    from serokg.graph.build import build

    ds = load(synthetic)
    plain = nx.MultiDiGraph(name=ds.path.name)
    for e in ds.entities.values():
        plain.add_node(e.id, **dict(e))
    for c in ds.claims.values():
        attrs = {k: v for k, v in c.model_dump().items() if k not in ("id", "subject", "object")}
        plain.add_edge(c.subject, c.object, key=c.id, id=c.id, **attrs)
    fast = build(ds)
    assert fast.graph == plain.graph
    assert [(n, list(d.items())) for n, d in fast.nodes(data=True)] == \
        [(n, list(d.items())) for n, d in plain.nodes(data=True)]
    assert [(u, v, k, list(d.items())) for u, v, k, d in fast.edges(keys=True, data=True)] == \
        [(u, v, k, list(d.items())) for u, v, k, d in plain.edges(keys=True, data=True)]


def test_shared_key_sets_and_sub_records_stay_private_in_effect(synthetic: Path):
    """The reader shares equal fields-set objects and equal frozen sub-records to save memory;
    copying with an update, or trying to assign, changes no other record."""
    import pydantic

    ds = load(synthetic)
    claims = list(ds.claims.values())
    assert len({id(c.__pydantic_fields_set__) for c in claims}) < len(claims) / 4
    assert len({id(c.fidelity) for c in claims}) < len(claims) / 4
    before = [(set(c.__pydantic_fields_set__), set(c.fidelity.__pydantic_fields_set__), c.fidelity) for c in claims]
    first = claims[0]
    copy = first.model_copy(update={"negated": not first.negated, "note": "changed"})
    assert copy.note == "changed" and "note" in copy.__pydantic_fields_set__
    with pytest.raises(pydantic.ValidationError):
        first.fidelity.reason = "changed"  # type: ignore[misc]
    after = [(set(c.__pydantic_fields_set__), set(c.fidelity.__pydantic_fields_set__), c.fidelity) for c in claims]
    assert before == after
    assert "note" not in first.__pydantic_fields_set__ or first.note is not None


def test_the_command_benchmark_compares_files_cold_and_warm(tmp_path):
    """bench/commands.py at a tiny size: every row ran, and the three outputs agree."""
    from bench.commands import main as commands_main

    out = tmp_path / "rows.json"
    assert commands_main(["--sizes", "200", "--only", "query,show", "--repeat", "1", "--work", str(tmp_path),
                          "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    modes = {(r["command"], r["mode"]) for r in rows}
    assert {("query", "files"), ("query", "cold"), ("query", "warm"), ("query", "pickle"), ("query", "rows"),
            ("show", "files"), ("show", "cold"), ("show", "warm")} <= modes
    assert all(r["same"] for r in rows if r["mode"] in ("cold", "warm"))
    assert all(r["wall"] > 0 for r in rows)
