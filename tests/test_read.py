"""The reader: valid data loads; every broken file gives exact file:line: field: messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from serokg.errors import DataError
from serokg.graph.read import load
from serokg.schema.models import EntityType

from conftest import FIXTURES

BAD = FIXTURES / "bad"

CHOICES = ("'affects', 'activates', 'inhibits', 'binds', 'interacts_with', 'associated_with', "
           "'contributes_to', 'treats', 'located_in' or 'variant_of'")
PREFIXES = "CHEBI, HGNC, NCBIGene, UniProt, NCBITaxon, UBERON, MONDO, HP, GO, dbSNP, MESH, CL, DRUGBANK, PUBCHEM.COMPOUND, NCIT, PR, DOID, EFO, FPLX, MAXO"

# case name -> the exact problems, with the data folder written as DATA
EXPECTED = {
    "truncated-line": ["DATA/claims.jsonl:2: not valid JSON: Unterminated string (column 57)"],
    "wrong-type": ["DATA/claims.jsonl:3: evidence.start: Input should be a valid integer, unable to parse string as an integer"],
    "unknown-vocabulary": [f"DATA/claims.jsonl:1: predicate: 'causes' is not one of {CHOICES}"],
    "unknown-key": ["DATA/claims.jsonl:2: colour: unknown key"],
    "duplicate-id": ["DATA/claims.jsonl:7: id: duplicate id 'r21-cortisol-autoreceptor-desensitised' (first on line 4)"],
    "duplicate-json-key": ["DATA/claims.jsonl:2: not valid JSON: duplicate key 'modality'"],
    "invalid-utf8": ["DATA/claims.jsonl:3: not valid UTF-8 (byte 10)"],
    "unknown-entity": ["DATA/claims.jsonl:2: object: unknown entity 'htr9z-autoreceptor'"],
    "quote-mismatch": ["DATA/claims.jsonl:5: evidence.quote: does not match the source text at 9047:9149"],
    "deeply-nested": ["DATA/claims.jsonl:2: JSON nested too deeply"],
    "not-an-object": ["DATA/claims.jsonl:2: expected a JSON object, got list"],
    "very-long-string": ["DATA/claims.jsonl:1: note: String should have at most 20000 characters"],
    "organism-not-an-organism": ["DATA/claims.jsonl:1: organism: 'hypothalamus' has type anatomy, expected organism"],
    "many-problems": [
        "DATA/claims.jsonl:1: not valid JSON: Unterminated string (column 8)",
        "DATA/claims.jsonl:2: colour: unknown key",
        f"DATA/claims.jsonl:2: predicate: 'causes' is not one of {CHOICES}",
        "DATA/claims.jsonl:4: id: duplicate id 'r22-lithium-antidepressant' (first on line 3)",
    ],
    "parent-loop": [
        "DATA/entities.jsonl:1: parent: parent chain of 'htr1a' loops back on itself",
        "DATA/entities.jsonl:2: parent: parent chain of 'htr1a-autoreceptor' loops back on itself",
    ],
    "bad-curie": [
        f"DATA/entities.jsonl:1: xrefs.1: 'hgnc 5286' is not a CURIE with a known prefix ({PREFIXES})",
        f"DATA/entities.jsonl:1: xrefs.2: 'FOO:1' is not a CURIE with a known prefix ({PREFIXES})",
    ],
}
# Same records in another encoding of lines: read as the original.
TOLERATED = ["bom", "crlf", "blank-lines"]


def _with_case(mini: Path, case: str) -> Path:
    (path,) = BAD.glob(f"{case}.*")
    shutil.copy(path, mini / path.name.split(".", 1)[1])
    return mini


def test_corpus_is_fully_covered():
    cases = {p.name.split(".", 1)[0] for p in BAD.iterdir()}
    assert cases == set(EXPECTED) | set(TOLERATED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_file_reports_exact_problems(mini: Path, case: str):
    folder = _with_case(mini, case)
    with pytest.raises(DataError) as info:
        load(folder)
    assert [str(p).replace(str(folder), "DATA") for p in info.value.problems] == EXPECTED[case]


@pytest.mark.parametrize("case", TOLERATED)
def test_tolerated_encodings_read_the_same_records(mini: Path, case: str):
    original = load(mini)
    assert load(_with_case(mini, case)).claims == original.claims


def test_mini_loads_with_hierarchy():
    ds = load(FIXTURES / "mini")
    assert len(ds.claims) == 6
    assert ds.entities["htr1a-autoreceptor"].type is EntityType.receptor_population
    assert set(ds.children["htr1a"]) == {"htr1a-autoreceptor", "htr1a-postsynaptic"}
    assert ds.markers["selfhacked-5ht1a"][0] == "R01"


def test_missing_folder_and_files(tmp_path: Path):
    with pytest.raises(DataError) as info:
        load(tmp_path / "nope")
    assert str(info.value) == f"{tmp_path / 'nope'}: not a data folder (no such directory)"
    with pytest.raises(DataError) as info:
        load(tmp_path)
    assert [p.message for p in info.value.problems] == ["missing data file"] * 3


def test_source_text_checksum(mini: Path):
    text = mini / "sources" / "selfhacked-5ht1a.txt"
    text.write_text(text.read_text(encoding="utf-8") + "x", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(mini)
    assert str(info.value.problems[0]).endswith("selfhacked-5ht1a.meta.json:1: sha256: does not match selfhacked-5ht1a.txt")


def test_reference_must_list_the_marker(mini: Path):
    claims = mini / "claims.jsonl"
    claims.write_text(claims.read_text(encoding="utf-8").replace('"marker": "R22", "reference"', '"marker": "R21", "reference"', 1),
                      encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(mini)
    assert [str(p).replace(str(mini), "DATA") for p in info.value.problems] == [
        "DATA/claims.jsonl:1: citation.marker: R21 is not a marker of reference 'price-1989-lithium'"]


def test_empty_claims_file_is_valid(mini: Path):
    (mini / "claims.jsonl").write_text("", encoding="utf-8")
    assert load(mini).claims == {}
