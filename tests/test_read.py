"""The reader: valid data loads; every broken file gives exact file:line: field: messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from serokg.errors import DataError
from serokg.graph import sources as source_reader
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
    assert str(info.value.problems[0]).endswith("selfhacked-5ht1a.meta.json:10: sha256: does not match selfhacked-5ht1a.txt")


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


# --- sources/: confined, capped, validated (F5, F12, F19) ---------------------------------------

META = "sources/selfhacked-5ht1a.meta.json"
MARKS = "sources/citation-markers.json"


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(folder)
    return [str(p).replace(str(folder), "DATA") for p in info.value.problems]


def _marker(i: int, **kw):
    return lambda doc: doc["markers"][i].update(kw)


SOURCE_CASES = {
    "absolute-text-file": (META, lambda d: d.update(text_file="/dev/zero"),
                           ("DATA/sources/selfhacked-5ht1a.meta.json:8: text_file: '/dev/zero' is an absolute path: "
                           "name a file inside DATA/sources")),
    "text-file-leaves-the-folder": (META, lambda d: d.update(text_file="../claims.jsonl"),
                                    ("DATA/sources/selfhacked-5ht1a.meta.json:8: text_file: '../claims.jsonl' leaves "
                                    "the folder DATA/sources")),
    "markers-file-is-a-device": (META, lambda d: d.update(markers_file="/dev/zero"),
                                 ("DATA/sources/selfhacked-5ht1a.meta.json:9: markers_file: '/dev/zero' is an absolute "
                                 "path: name a file inside DATA/sources")),
    "parts-outside-the-text": (META, lambda d: d["parts"].update(body=[-5, 10**12]),
                               ("DATA/sources/selfhacked-5ht1a.meta.json:13: parts.body: [-5, 1000000000000] is not a "
                               "span of the text (0 to 19785 characters)")),
    "parts-backwards": (META, lambda d: d["parts"].update(comments=[3, 1]),
                        ("DATA/sources/selfhacked-5ht1a.meta.json:21: parts.comments: [3, 1] is not a span of the "
                        "text (0 to 19785 characters)")),
    "marker-a-list": (MARKS, _marker(0, marker=["R22"]),
                      ("DATA/sources/citation-markers.json:6: markers.0.marker: Input should be a valid string")),
    "marker-a-number": (MARKS, _marker(1, marker=22),
                        ("DATA/sources/citation-markers.json:11: markers.1.marker: Input should be a valid string")),
    "marker-not-a-marker": (MARKS, _marker(2, marker="bogus"),
                            ("DATA/sources/citation-markers.json:16: markers.2.marker: 'bogus' is not a citation "
                            "marker such as R07")),
    "marker-in-other-digits": (MARKS, _marker(2, marker="R\u0662\u0662"),
                               ("DATA/sources/citation-markers.json:16: markers.2.marker: 'R٢٢' is not a citation "
                               "marker such as R07")),
    "marker-negative-offset": (MARKS, _marker(3, offset=-7),
                               ("DATA/sources/citation-markers.json:22: markers.3.offset: Input should be greater than "
                               "or equal to 0")),
    "marker-past-the-text": (MARKS, _marker(43, offset=10**6),
                             ("DATA/sources/citation-markers.json:222: markers.43.offset: 1000000 is past the end of "
                             "the text (19785 characters)")),
    "marker-twice": (MARKS, _marker(1, marker="R01"),
                     ("DATA/sources/citation-markers.json:10: markers.1: duplicate marker 'R01' (first at markers.0)")),
    "marker-lone-surrogate": (MARKS, _marker(0, marker="R\ud800"),
                              ("DATA/sources/citation-markers.json:6: markers.0.marker: 'R\\ud800' holds a lone "
                              "surrogate, which is not a character")),
    "marker-unknown-key": (MARKS, _marker(0, colour="red"),
                           ("DATA/sources/citation-markers.json:9: markers.0.colour: unknown key")),
    "markers-of-another-source": (MARKS, lambda d: d.update(source="another-source"),
                                  ("DATA/sources/citation-markers.json:2: source: 'another-source' is not the source "
                                  "'selfhacked-5ht1a' whose meta file names it")),
    "markers-not-a-list": (MARKS, lambda d: d.update(markers={"R01": 1}),
                           ("DATA/sources/citation-markers.json:4: markers: Input should be a valid list")),
}


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_bad_source_file_reports_exact_problem(mini: Path, case: str):
    name, change, expected = SOURCE_CASES[case]
    _edit(mini, name, change)
    assert _problems(mini)[0] == expected


def test_source_files_must_be_regular_files_inside_the_folder(mini: Path, tmp_path: Path):
    os.mkfifo(mini / "sources" / "pipe.txt")
    _edit(mini, META, lambda d: d.update(text_file="pipe.txt"))
    assert _problems(mini)[0] == ("DATA/sources/selfhacked-5ht1a.meta.json:8: text_file: 'pipe.txt' is not a "
                                  "regular file")
    (tmp_path / "outside.txt").write_text("x")
    (mini / "sources" / "out.txt").symlink_to(tmp_path / "outside.txt")
    _edit(mini, META, lambda d: d.update(text_file="out.txt"))
    assert _problems(mini)[0] == ("DATA/sources/selfhacked-5ht1a.meta.json:8: text_file: 'out.txt' leads outside "
                                  "the folder DATA/sources (through a symlink)")
    os.mkfifo(mini / "sources" / "x.meta.json")  # a FIFO among the meta files must not hang
    assert "DATA/sources/x.meta.json: 'x.meta.json' is not a regular file" in _problems(mini)


def test_source_files_are_capped(mini: Path, monkeypatch):
    monkeypatch.setattr(source_reader, "MAX_TEXT_BYTES", 1000)
    assert _problems(mini)[0] == ("DATA/sources/selfhacked-5ht1a.meta.json:8: text_file: 'selfhacked-5ht1a.txt' "
                                  "is larger than 1,000 bytes, the most a source file may be")


def test_duplicate_keys_and_ids_in_sources(mini: Path):
    meta = mini / META
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace(' "site": "SelfHacked",', ' "site": "SelfHacked",\n "site": "Other",'),
                    encoding="utf-8")
    assert _problems(mini) == ["DATA/sources/selfhacked-5ht1a.meta.json:6: site: duplicate key 'site'"]
    meta.write_text(text, encoding="utf-8")
    (mini / "sources" / "zz-copy.meta.json").write_text(text, encoding="utf-8")
    assert _problems(mini) == [f"DATA/sources/zz-copy.meta.json:2: id: duplicate source id 'selfhacked-5ht1a' "
                               f"(first in {mini / META})".replace(str(mini), "DATA")]
    (mini / "sources" / "zz-copy.meta.json").unlink()
    marks = mini / MARKS
    marks.write_text(marks.read_text(encoding="utf-8").replace('"offset": 817,', '"offset": 817, "offset": 818,'),
                     encoding="utf-8")
    assert _problems(mini) == ["DATA/sources/citation-markers.json:7: markers.0.offset: duplicate key 'offset'"]


def test_broken_json_in_sources_is_reported_at_its_line(mini: Path):
    marks = mini / MARKS
    marks.write_text("{\"markers\": " + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert _problems(mini) == ["DATA/sources/citation-markers.json:1: JSON nested too deeply"]
    meta = mini / META
    meta.write_text(meta.read_text(encoding="utf-8").replace('"SelfHacked",', '"SelfHacked"'), encoding="utf-8")
    assert _problems(mini)[0] == ("DATA/sources/selfhacked-5ht1a.meta.json:6: not valid JSON: Expecting ',' "
                                  "delimiter (column 2)")


def test_missing_sources_folder_is_named(mini: Path):
    shutil.rmtree(mini / "sources")
    problems = _problems(mini)
    assert "DATA/sources: cannot read the sources folder: No such file or directory" in problems


def test_validate_on_hostile_sources_ends_cleanly(mini: Path):
    """/dev/zero and a FIFO as source files: a one-line error each, no hang, no traceback."""
    _edit(mini, META, lambda d: d.update(text_file="/dev/zero", markers_file="/dev/zero"))
    os.mkfifo(mini / "sources" / "y.meta.json")
    out = subprocess.run([sys.executable, "-c", "from serokg.cli.main import run; run()", "validate", "--data",
                          str(mini)], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.splitlines()[-1] == "error: 2 problems found"
