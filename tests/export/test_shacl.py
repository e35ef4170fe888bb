"""``validate --rdf`` runs shacl-rust; it gives the verdicts pySHACL (the reference Python
engine) gives, on the valid exports and on broken files: the same conformance, the same focus
nodes and paths."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rdflib

from serokg.graph.export import export, validate_shacl
from serokg.graph.read import load

from conftest import MINI

SK = "https://w3id.org/serokg/vocab#"
SHAPES = Path(__file__).parents[2] / "schema" / "shapes.ttl"
CLAIM = "<https://w3id.org/serokg/claim/r22-lithium-postsynaptic-sensitivity>"
DENIED = "<https://w3id.org/serokg/claim/r22-lithium-autoreceptor-unchanged>"
LITHIUM = "<http://purl.obolibrary.org/obo/CHEBI_30145>"


def _nt(ds) -> str:
    buf = io.BytesIO()
    export(ds, "ntriples", buf)
    return buf.getvalue().decode("utf-8")


def _drop(nt: str, subject: str, predicate: str) -> str:
    return "".join(ln for ln in nt.splitlines(keepends=True) if not ln.startswith(f"{subject} <{predicate}> "))


def _replace(nt: str, subject: str, predicate: str, obj: str) -> str:
    return _drop(nt, subject, predicate) + f"{subject} <{predicate}> {obj} .\n"


#: One broken file per kind of constraint in schema/shapes.ttl, and all of them at once.
MUTATIONS = {
    "min-count": lambda nt: _drop(nt, CLAIM, SK + "subject"),
    "max-count": lambda nt: nt + f'{LITHIUM} <http://www.w3.org/2000/01/rdf-schema#label> "Li" .\n',
    "datatype": lambda nt: _replace(nt, CLAIM, SK + "negated", '"maybe"'),
    "in": lambda nt: _replace(nt, CLAIM, SK + "modality", f"<{SK}Modality_bogus>"),
    "class": lambda nt: _replace(nt, CLAIM, SK + "object", "<https://w3id.org/serokg/reference/price-1989-lithium>"),
    "min-length": lambda nt: _replace(nt, CLAIM, SK + "fidelityReason", '""'),
    "denial-leaked": lambda nt: nt + f"{LITHIUM} <{SK}affects> <https://w3id.org/serokg/entity/htr1a-autoreceptor> .\n",
    "direct-missing": lambda nt: "".join(ln for ln in nt.splitlines(keepends=True)
                                         if not ln.startswith(f"{LITHIUM} <{SK}affects> ")),
}
MUTATIONS["all"] = lambda nt: MUTATIONS["min-count"](MUTATIONS["datatype"](MUTATIONS["class"](
    MUTATIONS["max-count"](MUTATIONS["denial-leaked"](nt)))))


def _pyshacl(path: Path) -> tuple[bool, set[tuple[str, str]]]:
    import pyshacl

    data = rdflib.Graph().parse(path, format="nt")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none",
                                            advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return bool(conforms), {(str(results.value(r, sh.focusNode)), str(results.value(r, sh.resultPath)))
                            for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)}


def _shacl_rust(path: Path) -> tuple[bool, set[tuple[str, str]]]:
    import shacl_rust

    report = shacl_rust.validate(path.read_text(encoding="utf-8"), SHAPES.read_text(encoding="utf-8"),
                                 data_format="nt", shapes_format="turtle")
    return bool(report["conforms"]), {(r["focusNode"].strip("<>"), str(r.get("resultPath", "None")).strip("<>"))
                                      for r in report["results"]}


@pytest.mark.parametrize("name", ["valid", *MUTATIONS])
def test_shacl_rust_gives_pyshacls_verdict(name, tmp_path):
    nt = _nt(load(MINI))
    path = tmp_path / "kg.nt"
    path.write_text(nt if name == "valid" else MUTATIONS[name](nt), encoding="utf-8")
    theirs, ours = _pyshacl(path), _shacl_rust(path)
    assert ours == theirs
    assert ours[0] is (name == "valid")
    assert validate_shacl(path).conforms is ours[0]


@pytest.mark.parametrize("fmt", ["ntriples", "nquads", "turtle", "jsonld", "rdfxml", "trig"])
def test_the_bundled_export_conforms(fmt, tmp_path):
    path = tmp_path / f"kg.{ {'ntriples': 'nt', 'nquads': 'nq', 'turtle': 'ttl', 'jsonld': 'jsonld', 'rdfxml': 'rdf', 'trig': 'trig'}[fmt]}"
    with path.open("wb") as handle:
        export(load(), fmt, handle)
    report = validate_shacl(path)
    assert report.conforms, report.text()


def test_the_bundled_export_broken_everywhere_fails_as_pyshacl_says(tmp_path):
    path = tmp_path / "broken.nt"
    nt = _nt(load())
    lines = nt.splitlines(keepends=True)
    claims = [ln.split(" ")[0] for ln in lines if ln.endswith(f"<{SK}Claim> .\n")][:3]
    for claim in claims:
        nt = _drop(nt, claim, SK + "fidelity")
    path.write_text(nt, encoding="utf-8")
    report = validate_shacl(path)
    assert not report.conforms
    assert len(report.violations) == 3
    assert all(" sk:fidelity: Property has 0 values (min: 1)" in v for v in report.violations)
