"""Conflicts and source fidelity: on a fixture curated for the four known conflicts, on the bundled
data, and through the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from serokg.cli.main import app
from serokg.graph.analyse import (ConflictKind, conflict_groups, conflicts, fidelity_summary, parse_heading,
                                  stances)
from serokg.graph.read import load
from serokg.graph.stats import stats
from serokg.schema.models import FidelityVerdict

from conftest import FIXTURES, MINI

CONFLICTS = FIXTURES / "conflicts"
LIST = "What Decreases 5HT1A Autoreceptors or Increases Postsynaptic Receptors"


@pytest.fixture(scope="module")
def fx():
    return load(CONFLICTS)


@pytest.fixture(scope="module")
def bundled():
    try:
        return load()
    except Exception as exc:  # the curated data is being written concurrently
        pytest.skip(f"bundled data not loadable yet: {exc}")


def _pairs(found, *ids):
    """Conflicts whose two sides are exactly these claim keys (claim id, '+heading' for a list heading)."""
    want = set(ids)
    return [c for c in found if {c.a.key, c.b.key} == want]


# --- the parts --------------------------------------------------------------------------------


def test_heading_alternatives(fx):
    alts = parse_heading(LIST, fx)
    assert [(a.object, a.value) for a in alts] == [("htr1a-autoreceptor", "decreased"),
                                                  ("htr1a-postsynaptic", "increased")]
    assert parse_heading("What Modulates the 5HT1A Receptor", fx) == ()
    (act,) = parse_heading("5-HT1A activators (heading lost; inferred)", fx)
    assert (act.object, act.value, act.aspect.value) == ("htr1a", "increased", "activity")


def test_heading_met_by_an_item_gives_no_stance(fx):
    heading_sides = {s.subject for s in stances(fx) if s.basis == "list heading"}
    # lithium raises postsynaptic sensitivity, cortisol lowers autoreceptors, estradiol (the item's
    # subject, not the SSRIs it mentions) lowers autoreceptor number: each meets the heading
    assert heading_sides == {"ashwagandha"}


def test_denial_counts_as_a_direction(fx):
    (c,) = _pairs(conflicts(fx), "r22-lithium-postsynaptic-sensitivity", "r22-lithium-autoreceptor-unchanged")
    assert c.kind is ConflictKind.context_dependent and c.differs == ("site",)
    assert {c.a.value, c.b.value} == {"increased", "unchanged"}


# --- the four conflicts the article holds (fixture) ---------------------------------------------


def _check_four(found, ids):
    # ashwagandha: the list heading vs the readers (a difference of source) and vs its own words
    ash = [c for c in found if c.topic[0] == "ashwagandha"]
    assert ash and all(c.kind is ConflictKind.contradiction for c in ash), [c.explanation for c in ash]
    heading_vs_comment = [c for c in ash if {c.a.basis, c.b.basis} == {"text", "list heading"} and "source" in c.differs]
    assert len({s.claim for c in heading_vs_comment for s in (c.a, c.b) if s.source != "article"}) >= 2
    assert any(c.a.claim == c.b.claim for c in ash)  # the item's own words vs its heading
    assert any("contradicted" in n for c in ash for n in c.notes)  # and what its source found
    # SSRIs: number of autoreceptors up in the PVN vs their sensitivity down with chronic use
    (ssri,) = _pairs(found, ids["ssri_pvn"], ids["ssri_chronic"])
    assert ssri.kind is ConflictKind.different_aspect
    assert {ssri.a.aspect.value, ssri.b.aspect.value} == {"abundance", "sensitivity"}
    # pain: less with a mild stimulus, more with an intense one
    (pain,) = _pairs(found, ids["pain_mild"], ids["pain_intense"])
    assert pain.kind is ConflictKind.context_dependent and "condition" in pain.differs
    # agonist dose: low vs high
    (dose,) = _pairs(found, ids["dose_low"], ids["dose_high"])
    assert dose.kind is ConflictKind.context_dependent and "dose" in dose.differs


def test_four_expected_conflicts_in_fixture(fx):
    _check_four(conflicts(fx), {
        "ssri_pvn": "r20-ssri-autoreceptor-number-pvn", "ssri_chronic": "r42-chronic-ssri-autoreceptor-sensitivity",
        "pain_mild": "r08-htr1a-mild-pain-less", "pain_intense": "r08-htr1a-intense-pain-more",
        "dose_low": "r03-agonist-low-dose-postsynaptic", "dose_high": "r03-agonist-high-dose-postsynaptic"})


def test_no_spurious_conflicts_in_fixture(fx):
    found = conflicts(fx)
    subjects = {c.topic[0] for c in found}
    assert subjects == {"lithium", "ashwagandha", "ssri", "htr1a", "htr1a-agonist"}
    assert len(found) == len({c.id for c in found})
    assert sum(len(v) for v in conflict_groups(found).values()) == len(found)


# --- bundled data ------------------------------------------------------------------------------


def _find(ds, **fields):
    """The id of the one claim matching the given fields (condition/dose matched by substring)."""
    hits = []
    for c in ds.claims.values():
        ok = True
        for k, v in fields.items():
            have = getattr(c, k)
            have = getattr(have, "value", have)
            ok &= (v.casefold() in (have or "").casefold()) if k in ("condition", "dose") else have == v
        if ok:
            hits.append(c.id)
    return hits


def test_four_expected_conflicts_in_bundled_data(bundled):
    ds = bundled
    ids = {
        "ssri_pvn": _find(ds, subject="ssri", object="htr1a-autoreceptor", aspect="abundance", direction="increased"),
        "ssri_chronic": _find(ds, subject="ssri", object="htr1a-autoreceptor", aspect="sensitivity",
                              direction="decreased", regimen="chronic"),
        "pain_mild": _find(ds, object="pain", direction="decreased", condition="mild"),
        "pain_intense": _find(ds, object="pain", direction="increased", condition="intense"),
        "dose_low": _find(ds, object="htr1a-postsynaptic", direction="decreased", dose="low"),
        "dose_high": _find(ds, object="htr1a-postsynaptic", direction="increased", dose="high"),
    }
    ash = [c for c in ds.claims.values() if c.subject == "ashwagandha"]
    missing = [k for k, v in ids.items() if not v] + ([] if ash else ["ashwagandha"])
    if missing:
        pytest.skip(f"curated claims not in data/ yet: {', '.join(missing)}")
    found = conflicts(ds)
    ids = {k: v[0] for k, v in ids.items() if len(v) >= 1}
    ids["ssri_chronic"] = next(i for i in _find(ds, subject="ssri", object="htr1a-autoreceptor", aspect="sensitivity",
                                                direction="decreased", regimen="chronic")
                               if ds.claims[i].evidence.part.value == "body")
    _check_four(found, ids)


def test_fidelity_counts_equal_the_data(bundled):
    for ds in (bundled, load(MINI), load(CONFLICTS)):
        summary = fidelity_summary(ds)
        assert list(summary.counts) == [v.value for v in FidelityVerdict]
        assert {k: v for k, v in summary.counts.items() if v} == stats(ds)["claims_by_fidelity"]
        assert summary.total == len(ds.claims)
        for verdict, items in summary.items.items():
            assert len(items) == summary.counts[verdict]
            assert all(ds.claims[i.claim].fidelity.reason == i.reason for i in items)


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_conflicts(runner):
    res = runner.invoke(app, ["conflicts", "--data", str(CONFLICTS), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == [c.id for c in conflicts(load(CONFLICTS))]
    assert {r["kind"] for r in rows} == {"contradiction", "context_dependent", "different_aspect"}
    table = runner.invoke(app, ["conflicts", "--data", str(CONFLICTS)])
    assert table.exit_code == 0 and "different_aspect" in table.stdout
    assert f"{len(rows)} conflicts" in table.stderr
    only = runner.invoke(app, ["conflicts", "--data", str(CONFLICTS), "--kind", "different_aspect", "-f", "json"])
    assert [r["kind"] for r in json.loads(only.stdout)] == ["different_aspect"]
    assert runner.invoke(app, ["conflicts", "--data", str(CONFLICTS), "--kind", "nonsense"]).exit_code == 2


def test_cli_fidelity(runner):
    res = runner.invoke(app, ["fidelity", "--data", str(CONFLICTS), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["counts"] == fidelity_summary(load(CONFLICTS)).counts
    table = runner.invoke(app, ["fidelity", "--data", str(CONFLICTS)])
    assert table.exit_code == 0
    assert re.search(r"^contradicted\s+1$", table.stdout, re.M)
    assert "r24-ashwagandha-signalling" in table.stdout
    assert any("the source found reduced postsynaptic" in i["reason"] for i in doc["items"]["contradicted"])
    assert runner.invoke(app, ["fidelity", "--data", str(CONFLICTS), "--verdict", "bogus"]).exit_code == 2


def test_cli_report_writes_atomically_and_guards_data(runner, mini: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    res = runner.invoke(app, ["report", "--data", str(mini), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = runner.invoke(app, ["report", "--data", str(mini), "--format", "markdown"])
    assert md.exit_code == 0 and md.stdout.startswith("# Evidence report")
    refused = runner.invoke(app, ["report", "--data", str(mini), "-o", str(mini / "report.html")])
    assert refused.exit_code == 1 and "inside the data folder" in refused.stderr
    assert not (mini / "report.html").exists()
    assert not list(tmp_path.glob(".report.html.*"))  # no temporary left behind


def test_evidence_filters(fx, runner):
    from serokg.graph.evidence import EvidenceLevel, evidence_level

    comment_pairs = conflicts(fx, EvidenceLevel.comment)
    assert comment_pairs and all(
        EvidenceLevel.comment in (evidence_level(fx.claims[c.a.claim], fx), evidence_level(fx.claims[c.b.claim], fx))
        for c in comment_pairs)
    animal = fidelity_summary(fx, EvidenceLevel.animal)
    assert animal.total == sum(evidence_level(c, fx) is EvidenceLevel.animal for c in fx.claims.values())
    res = runner.invoke(app, ["conflicts", "--data", str(CONFLICTS), "--evidence", "comment", "-f", "json"])
    assert res.exit_code == 0 and [r["id"] for r in json.loads(res.stdout)] == [c.id for c in comment_pairs]
    res = runner.invoke(app, ["fidelity", "--data", str(CONFLICTS), "--evidence", "animal", "-f", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["total"] == animal.total


def _all_pairs(ds) -> list[str]:
    """The plain all-pairs comparison the bucketed search must agree with."""
    from serokg.graph.conflict import OPPOSED, related
    from serokg.graph.stance import stances

    sides = stances(ds)
    order = {cid: i for i, cid in enumerate(ds.claims)}
    sides.sort(key=lambda s: (order[s.claim], s.basis != "text"))
    return [f"{a.key}--{b.key}" for i, a in enumerate(sides) for b in sides[i + 1:]
            if not (a.claim == b.claim and a.basis == b.basis)
            and frozenset({a.value, b.value}) in OPPOSED and related(ds, a, b)]


def test_bucketed_search_finds_exactly_the_all_pairs_conflicts(tmp_path):
    import subprocess
    import sys

    from serokg.graph.analyse import conflicts
    from serokg.graph.read import load

    root = Path(__file__).parent.parent
    subprocess.run([sys.executable, str(root / "bench" / "synth.py"), "600", str(tmp_path / "s")], check=True,
                   capture_output=True)
    for ds in (load(), load(tmp_path / "s")):
        assert [c.id for c in conflicts(ds)] == _all_pairs(ds)


def test_involving_keeps_exactly_the_pairs_with_those_claims():
    from serokg.graph.analyse import conflicts
    from serokg.graph.read import load

    ds = load()
    everything = conflicts(ds)
    some = {"lithium-affects-htr1a-autoreceptor", "htr1a-affects-pain-intense-stimulus"}
    expected = [c.id for c in everything if c.a.claim in some or c.b.claim in some]
    assert expected and [c.id for c in conflicts(ds, involving=some)] == expected


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    """A synthetic corpus with hubs (bench/synth.py), where pairs grow with the square of the stances."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("synth") / "s"
    root = Path(__file__).parent.parent
    subprocess.run([sys.executable, str(root / "bench" / "synth.py"), "1500", str(out)], check=True,
                   capture_output=True)
    return out


def _group(s) -> tuple[str, str, str, str]:
    return s.subject, s.object, s.value, s.basis


@pytest.mark.parametrize("evidence", [None, "human", "comment"])
def test_counts_equal_the_listed_pairs_per_topic_and_stances(bundled, synth, evidence):
    """The aggregate (n1*n2 per pair of stance groups) equals counting the classified pairs."""

    from serokg.graph.analyse import conflict_counts
    from serokg.graph.evidence import EvidenceLevel

    level = EvidenceLevel(evidence) if evidence else None
    for ds in (bundled, load(synth)):
        # a pair of stance groups is counted once, whichever side comes first in the data
        listed = Counter((c.topic, *sorted((_group(c.a), _group(c.b)))) for c in conflicts(ds, level))
        counted = Counter()
        for x in conflict_counts(ds, level):
            counted[(x.topic, *sorted((x.a, x.b)))] += x.pairs
        assert counted == listed
        assert evidence is not None or len(listed) > 10  # a real hub, not a trivial agreement


def test_iter_conflicts_pages_and_filters_by_topic_in_data_order(synth):
    from itertools import islice

    from serokg.graph.analyse import iter_conflicts

    ds = load(synth)
    everything = conflicts(ds)
    assert [c.id for c in islice(iter_conflicts(ds), 7)] == [c.id for c in everything[:7]]
    topic = max(conflict_groups(everything).items(), key=lambda kv: len(kv[1]))[0]
    assert [c.id for c in iter_conflicts(ds, topic=topic)] == [c.id for c in everything if c.topic == topic]
    assert list(iter_conflicts(ds, topic=("no-such", "topic"))) == []


def test_cli_conflicts_limit_offset_topic_and_summary(runner, synth):
    full = json.loads(runner.invoke(app, ["conflicts", "--data", str(synth), "-f", "json", "--index", "off"]).output)
    page = runner.invoke(app, ["conflicts", "--data", str(synth), "-f", "json", "--index", "off",
                               "--limit", "5", "--offset", "3"])
    assert page.exit_code == 0 and json.loads(page.output) == full[3:8]
    topic = full[0]["topic"]
    one = runner.invoke(app, ["conflicts", "--data", str(synth), "-f", "json", "--index", "off",
                              "--topic", ",".join(topic)])
    assert json.loads(one.output) == [r for r in full if r["topic"] == topic]
    summary = runner.invoke(app, ["conflicts", "--data", str(synth), "-f", "json", "--index", "off", "--summary"])
    rows = json.loads(summary.output)
    assert summary.exit_code == 0 and sum(r["pairs"] for r in rows) == len(full)
    assert [r["pairs"] for r in rows] == sorted((r["pairs"] for r in rows), reverse=True)
    table = runner.invoke(app, ["conflicts", "--data", str(synth), "--index", "off", "--summary", "--limit", "2"])
    assert table.exit_code == 0
    assert f"{len(full)} conflicts in {len(rows)} pairs of stances" in table.stderr
    bad = runner.invoke(app, ["conflicts", "--data", str(synth), "--index", "off", "--topic", "ssri"])
    assert bad.exit_code == 2 and "'ssri' is not SUBJECT,OBJECT" in bad.stderr
    both = runner.invoke(app, ["conflicts", "--data", str(synth), "--index", "off", "--summary",
                               "--kind", "contradiction"])
    assert both.exit_code == 2 and "--summary counts pairs without classifying them" in both.stderr


def test_pair_counts_split_by_which_side_comes_first(bundled, synth):
    """Where a topic depends on which side comes first, counts are split by order: check that split
    against a brute-force count for every related pair of stance groups."""
    from serokg.graph.pairs import _Pairs

    for ds in (bundled, load(synth)):
        p = _Pairs(ds)
        checked = 0
        for g, partners in p.partners.items():
            for h, _ in partners:
                gi, hi = p.groups[g], p.groups[h]
                ok = [(i, j) for i in gi for j in hi
                      if not (p.sides[i].claim == p.sides[j].claim and g[3] == h[3])]
                assert p._count(gi, hi, g[3] == h[3]) == (sum(i < j for i, j in ok), sum(i > j for i, j in ok))
                checked += 1
        assert checked


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_cli_conflicts_streams_the_bytes_of_one_render(runner, synth, monkeypatch, fmt):
    """The listing is written in chunks (table: aligned blocks); with chunks and blocks far smaller
    than the listing, JSON, JSONL and CSV are still the bytes of rendering every pair at once, and a
    table is the render of each block in turn."""
    import serokg.cli.analyse as cli
    from serokg.cli.options import OutFormat
    from serokg.cli.output import render

    monkeypatch.setattr(cli, "_CHUNK", 7)
    monkeypatch.setattr(cli, "TABLE_BLOCK", 50)
    monkeypatch.setenv("COLUMNS", "100")
    rows = [c.as_dict() for c in conflicts(load(synth))]
    assert len(rows) > 2 * 50
    res = runner.invoke(app, ["conflicts", "--data", str(synth), "-f", fmt, "--index", "off"])
    assert res.exit_code == 0, res.output
    if fmt != "table":
        assert res.stdout == render(rows, OutFormat(fmt), [], header=cli.CONFLICT_HEADER)
        return
    blocks = [[{"kind": r["kind"], "a": f"{r['a']['statement']} [{r['a']['source']}]",
                "b": f"{r['b']['statement']} [{r['b']['source']}]", "why": cli._why(r),
                "id": r["id"].replace("--", " -- ")} for r in rows[i:i + 50]] for i in range(0, len(rows), 50)]
    assert res.stdout == "\n".join(render(b, OutFormat.table, ["kind", "why", "a", "b", "id"]) for b in blocks)
    assert res.stderr == f"{len(rows)} conflicts\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_cli_conflicts_with_no_pair_renders_the_empty_listing(runner, fmt):
    from serokg.cli.analyse import CONFLICT_HEADER
    from serokg.cli.options import OutFormat
    from serokg.cli.output import render

    res = runner.invoke(app, ["conflicts", "--data", str(CONFLICTS), "-f", fmt, "--topic", "no-such,topic"])
    assert res.exit_code == 0 and res.stdout == render([], OutFormat(fmt), [], header=CONFLICT_HEADER)
