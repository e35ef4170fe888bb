"""The streaming Turtle writer: three real parsers (pyoxigraph, rdflib, Raptor's rapper) read it as
exactly the N-Triples export's graph, on the bundled data, 2,000 synthetic claims and hostile texts;
every subject is one block; prefixed names only where Turtle allows them."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from serokg.graph.export import export
from serokg.graph.export.fast import nt_chunks
from serokg.graph.export.serialize import compactor
from serokg.graph.export.turtle import _PN_LOCAL, _Terms
from serokg.graph.read import load

from conftest import MINI
from test_fuzz_valid import valid_dataset

RAPPER = shutil.which("rapper")


def _export(ds, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    export(ds, fmt, buf, **kw)
    return buf.getvalue()


def _hostile(folder: Path) -> Path:
    """The mini data with entity labels, synonyms and descriptions that break careless Turtle writers."""
    shutil.copytree(MINI, folder)
    texts = ['say """three""" quotes', "'''single'''", 'ends in a quote"', "ends in a backslash\\",
             "\\u0041 is not A", 'a\\"b', "new\nline\r\nand\ttab", "\u2028line sep\u2029 \x85next line",
             "\u05e9\u05dc\u05d5\u05dd RTL \u202eevil\u202c", "]]> <!-- </script>", "\x00\x01\x1b\x7f controls",
             "\ufffe\uffff nonchars \U0001f9e0", "x" * 20_000, '"' * 5_000, "@en", "^^<http://x>", "# not a comment ;,."]
    path = folder / "entities.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for i, e in enumerate(records):
        e["label"] = texts[i % len(texts)]
        e["description"] = texts[(i + 5) % len(texts)]
        e["synonyms"] = [texts[(i + 3) % len(texts)], texts[(i + 7) % len(texts)]]
    path.write_text("".join(json.dumps(e) + "\n" for e in records), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["bundled", "synthetic", "hostile", "fuzz1", "fuzz2"])
def data(request, tmp_path_factory) -> tuple:
    """(dataset, its N-Triples export, its Turtle export)."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "bundled":
        ds = load()
    elif request.param == "synthetic":
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from bench import synth

        synth.generate(tmp / "data", 2000, seed=5, per_source=400, profile=synth.profile_of(), perturb=0.3)
        ds = load(tmp / "data")
    elif request.param == "hostile":
        ds = load(_hostile(tmp / "data"))
    else:
        ds = load(valid_dataset(int(request.param[-1]), tmp / "data"))
    return ds, _export(ds, "ntriples"), _export(ds, "turtle")


def test_pyoxigraph_reads_the_ntriples_graph(data):
    _, nt, ttl = data
    assert isomorphic(rdflib.Graph().parse(data=ox.serialize(ox.parse(ttl, format=ox.RdfFormat.TURTLE),
                                                             format=ox.RdfFormat.N_TRIPLES), format="nt"),
                      rdflib.Graph().parse(data=nt, format="nt"))


def test_rdflib_reads_the_ntriples_graph(data):
    _, nt, ttl = data
    theirs, ours = rdflib.Graph().parse(data=ttl, format="turtle"), rdflib.Graph().parse(data=nt, format="nt")
    assert len(theirs) == len(ours) > 0
    assert isomorphic(theirs, ours)


def _rapper(path: Path, syntax: str) -> rdflib.Graph:
    done = subprocess.run([RAPPER, "-q", "-i", syntax, "-o", "ntriples", str(path), "http://example.org/"],
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()[:2000]
    return rdflib.Graph().parse(data=done.stdout, format="nt")


@pytest.mark.skipif(RAPPER is None, reason="Raptor's rapper is not installed (Debian: raptor2-utils)")
def test_raptor_reads_the_ntriples_graph(data, tmp_path):
    """Raptor cuts a string at U+0000 and drops U+FFFE/U+FFFF, from N-Triples as from Turtle: so its
    reading of the Turtle must equal its reading of the N-Triples, and the graph itself where no
    text holds those characters."""
    _, nt, ttl = data
    (tmp_path / "kg.ttl").write_bytes(ttl)
    (tmp_path / "kg.nt").write_bytes(nt)
    theirs = _rapper(tmp_path / "kg.ttl", "turtle")
    assert len(theirs) == len(nt.splitlines()) > 0
    assert isomorphic(theirs, _rapper(tmp_path / "kg.nt", "ntriples"))
    if not any(x in nt for x in (b"\\u0000", "\ufffe".encode(), "\uffff".encode())):
        assert isomorphic(theirs, rdflib.Graph().parse(data=nt, format="nt"))


def test_every_subject_is_one_block(data):
    _, nt, ttl = data
    body = ttl.decode("utf-8").split("\n")
    starts = [line.split(" ", 1)[0] for line in body if line and not line.startswith((" ", "@prefix "))]
    assert len(starts) == len(set(starts)) == len({line.split(b" ", 1)[0] for line in nt.splitlines()})


def test_grouped_pieces_hold_the_same_statements(data):
    ds, nt, _ = data
    chunks = list(nt_chunks(ds, grouped=True))
    assert sorted(b"".join(c.text for c in chunks).splitlines()) == sorted(nt.splitlines())
    assert sum(c.statements for c in chunks) == len(nt.splitlines())


def test_the_same_data_gives_the_same_bytes(data):
    ds, _, ttl = data
    assert _export(ds, "turtle") == ttl


LOCALS = ["C1", "htr1a-autoreceptor", "a.b", "1abc", "_x", "a_b-c.d_e", "a.", "-a", ".a", "a b", "a:b", "a%41",
          "a/b", "é", "a#b", "a~b", "a'b", "a(b)", ""]


def test_a_prefixed_name_only_where_the_local_part_is_valid():
    terms = _Terms(compactor("https://w3id.org/serokg/", _PN_LOCAL))
    written = {local: terms[f"<https://w3id.org/serokg/entity/{local}>"] for local in LOCALS if " " not in local}
    assert written["C1"] == "entity:C1" and written["a.b"] == "entity:a.b" and written["1abc"] == "entity:1abc"
    assert written["a."] == "<https://w3id.org/serokg/entity/a.>" and written["-a"].startswith("<")
    # whatever was chosen, Turtle parsers read back the same IRI
    doc = "@prefix entity: <https://w3id.org/serokg/entity/> .\n" + "".join(
        f"{term} <http://p> {i} .\n" for i, term in enumerate(written.values()))
    parsed = {int(t.object.value): t.subject.value for t in ox.parse(doc.encode(), format=ox.RdfFormat.TURTLE)}
    assert [parsed[i] for i in range(len(written))] == [f"https://w3id.org/serokg/entity/{x}" for x in written]
    assert {str(s) for s in rdflib.Graph().parse(data=doc, format="turtle").subjects()} == set(parsed.values())


def test_another_base_reads_back_the_same_graph():
    ds = load(MINI)
    for base in ("http://example.org/kg#", "http://example.org/kg/"):
        theirs = rdflib.Graph().parse(data=_export(ds, "turtle", base=base), format="turtle")
        assert isomorphic(theirs, rdflib.Graph().parse(data=_export(ds, "ntriples", base=base), format="nt"))
