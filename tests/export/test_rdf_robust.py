"""Exports from awkward but valid data: every IRI valid (F11), XML formats well-formed whatever a
text holds (F14), graph files independent of the data folder's name (F20)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export import FORMATS, export, read_rdf
from serokg.graph.export.terms import doi_iri, doi_problem
from serokg.graph.read import load
from serokg.schema.models import Reference

from conftest import MINI

runner = CliRunner()


def _set_doi(folder: Path, doi: str) -> None:
    path = folder / "references.jsonl"
    record = json.loads(path.read_text(encoding="utf-8"))
    record.pop("pmid", None)
    record["doi"] = doi
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def _export(ds, fmt: str) -> bytes:
    buf = io.BytesIO()
    export(ds, fmt, buf)
    return buf.getvalue()


# --- F11: IRIs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_doi_with_a_bare_percent_gives_a_valid_percent_encoded_iri(mini, fmt):
    _set_doi(mini, "10.1234/50%off")
    ds = load(mini)
    data = _export(ds, fmt)
    parsed = list(ox.parse(data, format=getattr(ox.RdfFormat, {"turtle": "TURTLE", "ntriples": "N_TRIPLES",
                                                               "jsonld": "JSON_LD", "rdfxml": "RDF_XML",
                                                               "trig": "TRIG", "nquads": "N_QUADS"}[fmt])))
    assert any(getattr(t.object, "value", None) == "https://doi.org/10.1234/50%25off" for t in parsed)
    assert read_rdf(data, fmt).references == ds.references


def test_the_embedded_store_takes_such_a_doi(mini):
    _set_doi(mini, "10.1234/50%off")
    result = runner.invoke(app, ["sparql", "ASK {}", "--data", str(mini), "-f", "json"])
    assert result.exit_code == 0, result.output


_DOIS = st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp")), min_size=1, max_size=30).map(
    lambda s: "10.1234/" + s).filter(lambda d: not any(ch.isspace() for ch in d))


@settings(max_examples=300, deadline=None)
@given(_DOIS)
def test_every_doi_is_a_data_problem_or_a_valid_iri(doi):
    try:
        Reference(id="ref", markers=("R01",), title="t", doi=doi, confidence="high")
    except ValueError:
        reject()  # only DOIs the model accepts reach the export
    if doi_problem(doi) is None:
        ox.NamedNode(doi_iri(doi))  # raises on an invalid IRI


def test_a_doi_with_a_control_character_is_a_data_error_naming_file_line_field(mini, tmp_path):
    _set_doi(mini, "10.1234/a\x01b")
    out = tmp_path / "kg.nt"
    for fmt in ("ntriples", "turtle"):
        result = runner.invoke(app, ["export", "-f", fmt, "--data", str(mini), "-o", str(out)])
        assert result.exit_code == 1
        assert result.stderr == (f"{mini / 'references.jsonl'}:1: doi: a DOI cannot hold the character "
                                 f"'\\x01' (U+0001)\nerror: 1 problem found\n")
        assert not out.exists()


@pytest.mark.parametrize("base, why", [
    ("http://ex.org/%zz/", "is not a valid IRI (Invalid IRI percent encoding '%zz')"),
    ("http://ex.org/a\nb/", "is not a valid IRI (Invalid IRI code point '\\n')"),
    ("http://ex.org/a\tb/", "is not a valid IRI (Invalid IRI code point '\\t')"),
    ("http://ex.org/\ufffe/", "is not a valid IRI (Invalid IRI code point '\\ufffe')"),
    ("http://[ex.org/", "is not a valid IRI (Invalid character '[' in host)"),
    ("http://ex.org/a#b/", "may hold '#' only as its last character, and no '?'"),
    ("http://ex.org/?q/", "may hold '#' only as its last character, and no '?'"),
])
@pytest.mark.parametrize("fmt", ["ntriples", "turtle"])
def test_a_base_that_makes_invalid_iris_is_a_usage_error(base, why, fmt):
    result = runner.invoke(app, ["export", "-f", fmt, "--base", base, "--data", str(MINI)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Invalid value: the base IRI {base!r} {why}" in result.stderr
    assert "Traceback" not in result.output


# --- F14: XML ------------------------------------------------------------------------------------

def test_xml_exports_are_well_formed_when_a_text_holds_a_control_character(mini, tmp_path):
    path = mini / "entities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[5])
    record["label"] = "lith\u0001ium\ufffe"
    lines[5] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for fmt, name in (("rdfxml", "kg.rdf"), ("graphml", "kg.graphml")):
        result = runner.invoke(app, ["export", "-f", fmt, "--data", str(mini), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        ET.parse(tmp_path / name)  # expat: raises on a document that is not well-formed
    labels = {t.object.value for t in ox.parse(path=str(tmp_path / "kg.rdf"), format=ox.RdfFormat.RDF_XML)
              if t.predicate.value.endswith("#label")}
    assert "lith\ufffdium\ufffd" in labels
    g = nx.read_graphml(tmp_path / "kg.graphml", force_multigraph=True)
    assert g.nodes[record["id"]]["label"] == "lith\ufffdium\ufffd"


# --- F20: the folder's name ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "nodelink"])
def test_graph_files_do_not_depend_on_the_data_folder_name(fmt, tmp_path, monkeypatch):
    renamed = tmp_path / "another-name"
    shutil.copytree(MINI, renamed)
    digests = set()
    for data in (str(MINI), str(renamed)):
        result = runner.invoke(app, ["export", "-f", fmt, "--data", data])
        assert result.exit_code == 0
        digests.add(hashlib.sha256(result.stdout_bytes).hexdigest())
    monkeypatch.chdir(renamed)
    result = runner.invoke(app, ["export", "-f", fmt, "--data", "."])
    digests.add(hashlib.sha256(result.stdout_bytes).hexdigest())
    assert len(digests) == 1


# --- validate --rdf: bounded entity expansion (F21), messages in a stable order (15.6) ----------

def test_validate_refuses_rdfxml_whose_entities_blow_up(tmp_path):
    """A "billion laughs" document of 1 KB whose entities expand to 100 MB."""
    entities = '<!ENTITY a0 "' + "x" * 100 + '">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 7))
    path = tmp_path / "laughs.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{entities}]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">'
                    '<rdf:Description rdf:about="http://ex.org/s"><ex:p>&a6;</ex:p></rdf:Description></rdf:RDF>\n')
    result = runner.invoke(app, ["validate", "--rdf", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: not valid rdfxml: its XML entities expand out of proportion "
                                    "(limit on input amplification factor (from DTD and entities) breached")


def test_rdfxml_with_ordinary_entities_still_reads(tmp_path):
    path = tmp_path / "ok.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://ex.org/">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">'
                    '<rdf:Description rdf:about="&ex;s"><ex:p>v</ex:p></rdf:Description></rdf:RDF>\n')
    from serokg.graph.export import parse_rdf

    assert [t.subject.value for t in parse_rdf(path)] == ["http://ex.org/s"]


def test_validate_messages_are_the_same_on_every_run(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix sk: <https://w3id.org/serokg/vocab#> .\n'
                    '[] a sk:Claim ; sk:negated "x" .\n[] a sk:Claim ; sk:negated "y" .\n_:foo a sk:Claim .\n')
    outputs = {runner.invoke(app, ["validate", "--rdf", str(path)]).output for _ in range(2)}
    assert len(outputs) == 1
    (text,) = outputs
    datatype = "Value does not have datatype: <http://www.w3.org/2001/XMLSchema#boolean>"
    assert f"  _:anon1 sk:negated: {datatype} (value: x)\n" in text
    assert f"  _:anon2 sk:negated: {datatype} (value: y)\n" in text
    assert "  _:foo sk:id: Property has 0 values (min: 1)\n" in text
