"""Sentence splitting on the plain-text copy of a web page, and which sentences carry a claim."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serokg.graph.coverage import regions, sentence_coverage, split_sentences
from serokg.graph.read import load
from serokg.graph.stats import stats

from conftest import FIXTURES, MINI


def texts(text: str, **kw) -> list[str]:
    return [t for _, _, _, t in split_sentences(text, **kw)]


def kinds(text: str, **kw) -> list[tuple[str, str]]:
    return [(k, t) for _, _, k, t in split_sentences(text, **kw)]


@pytest.fixture(scope="module")
def bundled():
    return load()


# --- the rules, one by one ---------------------------------------------------------------------

def test_a_stop_before_a_capital_ends_a_sentence():
    assert texts("Lithium is old. It works. 5-HT1A rises! Does it? Yes.") == [
        "Lithium is old.", "It works.", "5-HT1A rises!", "Does it?", "Yes."]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence():
    assert texts("Drugs, e.g. Lithium, act; i.e. They bind vs. Others. Joseph M. Cohen wrote it. Average 5.00 out of 5.") == [
        "Drugs, e.g. Lithium, act; i.e. They bind vs. Others.", "Joseph M. Cohen wrote it.", "Average 5.00 out of 5."]


def test_a_lowercase_word_after_a_stop_goes_on_with_the_sentence():
    assert texts("Anhedonia, PSSD, akathisia etc. etc. Of course this is bad.") == [
        "Anhedonia, PSSD, akathisia etc. etc.", "Of course this is bad."]


def test_citation_markers_stay_with_the_sentence_they_cite():
    assert texts("It decreases pain (R). Then it rises (R).\xa0Manganese helps\xa0(R).") == [
        "It decreases pain (R).", "Then it rises (R).", "Manganese helps\xa0(R)."]
    # a marker after a closing quote is not a sentence of its own
    assert texts("The study says that \u201cthis may matter.\u201d (R)") == ["The study says that \u201cthis may matter.\u201d (R)"]
    # a malformed marker run into the next sentence starts that sentence
    assert texts("Supported by genetic studies. (R5HT1A receptors combine with opioid receptors (R).") == [
        "Supported by genetic studies.", "(R5HT1A receptors combine with opioid receptors (R)."]


def test_ellipses():
    assert texts("To overly simplify it\u2026Auto receptors=BAD.") == ["To overly simplify it\u2026", "Auto receptors=BAD."]
    assert texts("Fish Oil \u2026When animals were fed less.") == ["Fish Oil \u2026", "When animals were fed less."]
    assert texts("in the raphe\u2026..Experiments in rodents suggest it.") == ["in the raphe\u2026..", "Experiments in rodents suggest it."]
    assert texts("decrease activation\u2026 and they further decrease it.") == ["decrease activation\u2026 and they further decrease it."]
    assert texts("more quickly than SSRIs\u2026.\n\nSometimes, they do.") == ["more quickly than SSRIs\u2026.", "Sometimes, they do."]


def test_headings_list_items_and_numbered_items():
    text = ("Summary of Effects of 5HT1A Activation\n\nThe following are some effects: (R)\n\nThe Good:\n\n"
            "  \u2022 Stimulates vagus nerve\n  \u2022 Reduces fatigue.\u00a0People with CFS have fewer (R).\n\n"
            "SNPs in the gene:\n\n  1. RS1364043 (5-HT1A) GT\n  2. RS6295 (5-HT1A) GG\n\n"
            "Is Serotonin a Cause of Depression?\n\nWhy do you feel very different on MDMA and on SSRIs, if both raise it?\n")
    assert kinds(text) == [
        ("heading", "Summary of Effects of 5HT1A Activation"), ("sentence", "The following are some effects: (R)"),
        ("heading", "The Good:"), ("sentence", "Stimulates vagus nerve"), ("sentence", "Reduces fatigue."),
        ("sentence", "People with CFS have fewer (R)."), ("sentence", "SNPs in the gene:"),
        ("sentence", "RS1364043 (5-HT1A) GT"), ("sentence", "RS6295 (5-HT1A) GG"),
        ("heading", "Is Serotonin a Cause of Depression?"),
        ("sentence", "Why do you feel very different on MDMA and on SSRIs, if both raise it?")]


def test_a_line_equal_to_a_claim_section_is_a_heading():
    assert kinds("intro.\nWhat Modulates the 5HT1A Receptor\nmore.", sections=["What Modulates the 5HT1A Receptor"]) == [
        ("sentence", "intro."), ("heading", "What Modulates the 5HT1A Receptor"), ("sentence", "more.")]


def test_comments_have_bylines_and_soft_wrapped_lines():
    text = ("  \u2022 davefx\n\n    Just like the headline. Some reactions tell.\n\n    1. Joseph M. Cohen\n\n\n"
            "  \u2022 lordilol\n\n    i go to bed in 12\n    its too hot to sleep more.\n    And I wake.\n")
    assert kinds(text, comments=True) == [
        ("byline", "davefx"), ("sentence", "Just like the headline."), ("sentence", "Some reactions tell."),
        ("byline", "Joseph M. Cohen"), ("byline", "lordilol"),
        ("sentence", "i go to bed in 12\n    its too hot to sleep more."), ("sentence", "And I wake.")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AZ.?!\u2026\n\u2022()R:\"\u201d1\u00a0")), max_size=120))
def test_sentences_are_ordered_disjoint_stripped_spans(text):
    found = split_sentences(text)
    last = 0
    for a, b, kind, t in found:
        assert last <= a < b <= len(text) and t == text[a:b]
        assert t == t.strip() and "\n\n" not in t
        assert kind in ("sentence", "heading", "byline")
        last = b
    # nothing with a letter or digit is left out
    covered = set()
    for a, b, _, _ in found:
        covered.update(range(a, b))
    for i, ch in enumerate(text):
        if ch.isalnum() and i not in covered:  # only a list number is left out, as a bullet is
            line = text.rfind("\n", 0, i) + 1
            bullet = re.match(r"\s*\d{1,3}[.)]\s", text[line:])
            assert bullet and i < line + bullet.end(), (text, i)


# --- on the bundled article --------------------------------------------------------------------

def test_bundled_parts(bundled):
    src = bundled.sources["selfhacked-5ht1a"]
    parts = regions(src, len(bundled.texts[src.id]))
    assert [(r.part, r.name) for r in parts] == [("body", "body"), ("other", "site_footer"), ("other", "gap"),
                                                 ("comment", "comments")]
    assert parts[0].start == 0 and parts[-1].end == len(bundled.texts[src.id])
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))


def test_bundled_sentences(bundled):
    cov = sentence_coverage(bundled, "selfhacked-5ht1a")
    text = bundled.texts["selfhacked-5ht1a"]
    said = [text[s.start:s.end] for s in cov.sentences]
    for expected in ("Reduces fatigue.", "People with CFS were found to have fewer 5HT1A receptors (R).",
                     "To overly simplify it\u2026", "Auto receptors=BAD, Postsynaptic receptors=GOOD.",
                     "Decreases body temperature/Cools you\u2026", "Cortisol."):
        assert expected in said
    headings = {text[s.start:s.end] for s in cov.sentences if s.kind == "heading"}
    assert {"What Decreases 5HT1A Autoreceptors or Increases Postsynaptic Receptors", "The Good:", "The Bad:",
            "5HT1A and Hormones", "Is Serotonin a Cause of Depression?"} <= headings
    assert not any(re.fullmatch(r"[\s(R).,]*", t) for t in said)  # no marker stands alone
    bylines = [text[s.start:s.end] for s in cov.sentences if s.kind == "byline"]
    assert bylines[:3] == ["ed", "davefx", "davefx"] and all(s.part == "comment" for s in cov.sentences if s.kind == "byline")


@pytest.mark.parametrize("path", [None, MINI, FIXTURES / "xss"], ids=["bundled", "mini", "xss"])
def test_claims_on_each_sentence_are_exactly_those_overlapping_it(path):
    ds = load(path)
    for sid in ds.sources:
        cov = sentence_coverage(ds, sid)
        claims = [c for c in ds.claims.values() if c.evidence.source == sid]
        for s in cov.sentences:
            want = {c.id for c in claims if c.evidence.start < s.end and c.evidence.end > s.start}
            assert set(s.claims) == want, (sid, s)
        counts = cov.counts()
        for part in ("body", "comment"):
            mine = [s for s in cov.sentences if s.kind == "sentence" and s.part == part]
            assert counts[part]["sentences"] == len(mine)
            assert counts[part]["with_claims"] == sum(bool(s.claims) for s in mine)
            assert counts[part]["with_claims"] + counts[part]["without_claims"] == len(mine)


def test_every_bundled_claim_sits_on_a_sentence_or_a_heading(bundled):
    cov = sentence_coverage(bundled, "selfhacked-5ht1a")
    on = {cid for s in cov.sentences for cid in s.claims}
    assert on == set(bundled.claims)


def test_stats_counts_the_same_sentences(bundled, runner):
    import json

    from serokg.cli.main import app

    cov = sentence_coverage(bundled, "selfhacked-5ht1a").counts()
    s = stats(bundled)["sentences"]
    assert s == {f"{part}_{key}": cov[part][key] for part in ("body", "comment") for key in cov[part]}
    result = runner.invoke(app, ["stats", "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["sentences"] == s


# --- the fast path against the plain definition ------------------------------------------------

def _plain_coverage(ds, source_id: str) -> list[tuple[int, int, str, str, tuple[str, ...]]]:
    """The definition, with no grouping or bisection: every sentence against every claim of the source,
    the claims in evidence order (ties in data order)."""
    text = ds.texts[source_id]
    claims = sorted((c for c in ds.claims.values() if c.evidence.source == source_id),
                    key=lambda c: c.evidence.start)
    sections = {c.evidence.section for c in claims}
    out = []
    for r in regions(ds.sources[source_id], len(text)):
        for a, b, kind, _ in split_sentences(text, r.start, r.end, sections=sections, comments=r.part == "comment"):
            ids = tuple(c.id for c in claims if c.evidence.start < b and a < c.evidence.end)
            out.append((a, b, kind, r.part, ids))
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic corpus (bench/synth.py) of several sources, so claims of one source sit among others."""
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path_factory.mktemp("synth") / "s"
    root = Path(__file__).parent.parent
    subprocess.run([sys.executable, str(root / "bench" / "synth.py"), "1200", str(out), "--per-source", "150"],
                   check=True, capture_output=True)
    return load(out)


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_coverage_of_every_source_equals_the_plain_definition(which, request):
    from serokg.graph.coverage import claims_by_source

    ds = request.getfixturevalue(which)
    assert len(ds.sources) > (1 if which == "synthetic" else 0)
    by_source = claims_by_source(ds)
    covered = 0
    for sid in ds.sources:
        want = _plain_coverage(ds, sid)
        for got in (sentence_coverage(ds, sid), sentence_coverage(ds, sid, by_source.get(sid, []))):
            assert [(s.start, s.end, s.kind, s.part, s.claims) for s in got.sentences] == want
        covered += sum(bool(ids) for *_, ids in want)
    assert covered > 0
