"""`serokg acting-on`: the quick start's question answered exactly, checked against an answer
computed here from the raw JSONL files (no serokg code on that side)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import serokg
from serokg.cli.main import app
from serokg.graph.answers import SUBSTANCE_TYPES, acting_on

from conftest import MINI

DATA = Path(serokg.bundled_data_dir())
NOT_SUBSTANCES = {"receptor", "receptor_population", "gene", "variant", "process", "phenotype", "disease",
                  "anatomy", "cell_type", "organism"}


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _expected() -> dict[str, list[dict]]:
    """Substance id -> its raw claims whose object is an autoreceptor or below one."""
    ents = {e["id"]: e for e in _jsonl("entities.jsonl")}
    named = {e["id"] for e in ents.values() if "autoreceptor" in (e["label"] + " " + " ".join(e.get("synonyms", ()))
                                                                   ).casefold()}

    def under(eid: str | None) -> bool:
        while eid is not None:
            if eid in named:
                return True
            eid = ents[eid].get("parent")
        return False

    out: dict[str, list[dict]] = {}
    for c in _jsonl("claims.jsonl"):
        if under(c["object"]) and ents[c["subject"]]["type"] not in NOT_SUBSTANCES:
            out.setdefault(c["subject"], []).append(c)
    return out


def test_substance_types_are_every_type_but_the_non_substances():
    from serokg.schema.models import EntityType

    assert {t.value for t in SUBSTANCE_TYPES} == {t.value for t in EntityType} - NOT_SUBSTANCES


def test_acting_on_autoreceptor_is_the_independent_answer():
    expected = _expected()
    ents = {e["id"]: e for e in _jsonl("entities.jsonl")}
    answer = acting_on(serokg.load(), "autoreceptor")
    assert [s.substance for s in answer] == sorted(expected, key=lambda s: (ents[s]["label"].casefold(), s))
    for s in answer:
        raw = expected[s.substance]
        assert [a.claim for a in s.actions] == [c["id"] for c in raw]
        for a, c in zip(s.actions, raw):
            assert a.site == ents[c["object"]]["label"]
            assert a.negated is c.get("negated", False)
            assert a.regimen == c.get("regimen")
            assert a.organism == (ents[c["organism"]]["label"] if c.get("organism") else None)
            assert a.organism_basis == c.get("organism_basis", "not_stated")
            assert a.marker == c.get("citation", {}).get("marker")
            assert a.fidelity == c["fidelity"]["verdict"]
            if c.get("negated") and c["predicate"] == "affects" and "direction" not in c:
                assert a.effect.startswith("no change")
            elif c.get("negated"):
                assert a.effect.startswith(("does not ", "do not "))
            else:
                assert "no change" not in a.effect and "not" not in a.effect.split()
    # the bundled data's headline case: lithium's autoreceptor claim is a denial shown as no change
    lithium = next(s for s in answer if s.substance == "lithium")
    assert [(a.effect, a.negated) for a in lithium.actions] == [("no change in sensitivity", True)]
    # and nothing the autoreceptor does itself (touches would have it)
    assert all(a.site_id != s.substance for s in answer for a in s.actions)
    touching = serokg.touches(serokg.load(), "autoreceptor")
    assert len(touching) > sum(len(s.actions) for s in answer)


def test_acting_on_is_public_api():
    import serokg as api

    assert "acting_on" in api.__all__ and api.acting_on is acting_on


def test_cli_acting_on_table_json_csv(runner):
    expected = _expected()
    n_claims = sum(len(v) for v in expected.values())
    result = runner.invoke(app, ["acting-on", "autoreceptor"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{n_claims} claims by {len(expected)} substances\n"
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    piped = runner.invoke(app, ["acting-on", "autoreceptor"], env={"COLUMNS": None})
    lithium = next(line for line in piped.stdout.splitlines() if line.startswith("lithium "))
    assert "no change in sensitivity of 5-HT1A autoreceptor" in lithium and "R22: supported" in lithium

    result = runner.invoke(app, ["acting-on", "autoreceptor", "-f", "json"])
    doc = json.loads(result.stdout)
    assert {d["substance"] for d in doc} == set(expected)
    assert sum(len(d["actions"]) for d in doc) == n_claims

    result = runner.invoke(app, ["acting-on", "autoreceptor", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == n_claims
    assert {r["substance"] for r in rows} == set(expected)
    lithium = next(r for r in rows if r["substance"] == "lithium")
    assert (lithium["effect"], lithium["negated"], lithium["organism"], lithium["organism_basis"]) == (
        "no change in sensitivity", "True", "rat", "cited_source")


def test_cli_acting_on_csv_header_is_fixed(runner):
    heads = {runner.invoke(app, ["acting-on", term, "--data", MINI, "-f", "csv"]).stdout.splitlines()[0]
             for term in ("autoreceptor", "postsynaptic", "htr1b")}
    assert len(heads) == 1


def test_cli_acting_on_unknown_term(runner):
    result = runner.invoke(app, ["acting-on", "autorecepter", "--data", MINI])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no entity matches 'autorecepter'; did you mean")


def test_readme_quick_start_runs_acting_on():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    first = block.splitlines()[0].split("#")[0].strip()
    assert first == "pip install . && serokg acting-on autoreceptor"


@pytest.mark.parametrize("term", ["autoreceptor", "htr1a-autoreceptor", "postsynaptic"])
def test_every_action_has_its_object_under_the_term(term):
    from serokg.graph.query import expand

    ds = serokg.load()
    sites = expand(ds, term)
    for s in acting_on(ds, term):
        assert ds.entities[s.substance].type in SUBSTANCE_TYPES
        assert all(a.site_id in sites for a in s.actions)


def _answers():
    return [(s, a) for s in acting_on(serokg.load()) for a in s.actions]


@pytest.mark.parametrize(("substance", "action"), _answers(), ids=lambda x: getattr(x, "claim", None) or x.substance)
def test_the_effect_agrees_with_the_substance_beside_it(substance, action):
    """'SSRIs decrease ...', 'serotonin releasing agents do not activate ...'; 'lithium' | 'no change in ...'."""
    from serokg.graph.sentence import is_plural

    first = action.effect.split()[0]
    if first == "no":
        return
    plural = is_plural(serokg.load().entities[substance.substance])
    singular_form = first.endswith("s") and first not in {"bias"}  # "binds", "does", "is", "decreases"
    assert singular_form != plural, f"{substance.label!r} | {action.effect!r}"
