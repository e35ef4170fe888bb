"""Data tests: every record of data/*.jsonl, checked line by line against the models, the source
text and the reconstructed reference table.

Each claim, entity and reference is its own test case (its id is in the test id), so a failure
names the record.  Files are read with plain ``json`` and the pydantic models, independently of
the library's reader.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from serokg.schema.models import (
    Claim,
    Entity,
    EntityType,
    FidelityVerdict,
    Part,
    Reference,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = DATA / "sources"
MODELS = {"entities.jsonl": Entity, "claims.jsonl": Claim, "references.jsonl": Reference}


def _lines(name: str) -> list[tuple[int, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return list(enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), start=1))


def _record_id(name: str, lineno: int, line: str) -> str:
    try:
        return str(json.loads(line)["id"])
    except (ValueError, KeyError, TypeError):
        return f"{name}:{lineno}"


def _params(name: str) -> list:
    return [pytest.param(lineno, line, id=_record_id(name, lineno, line)) for lineno, line in _lines(name)]


def _load(name: str) -> list:
    return [MODELS[name].model_validate_json(line) for _, line in _lines(name)]


ENTITIES = {e.id: e for e in _load("entities.jsonl")}
CLAIMS = _load("claims.jsonl")
REFERENCES = {r.id: r for r in _load("references.jsonl")}
TABLE = {m["marker"]: m for m in json.loads((SOURCES / "reconstructed-references.json").read_text(encoding="utf-8"))["markers"]}
MARKERS = [m["marker"] for m in json.loads((SOURCES / "citation-markers.json").read_text(encoding="utf-8"))["markers"]]
META = {
    m["id"]: m
    for m in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.meta.json")))
}
TEXTS = {sid: (SOURCES / m["text_file"]).read_text(encoding="utf-8") for sid, m in META.items()}
PART_RANGE = {Part.body: "body", Part.comment: "comments"}
BIB = ("title", "first_author", "year", "journal", "pmid", "doi")

claim_params = [pytest.param(c, id=c.id) for c in CLAIMS]
entity_params = [pytest.param(e, id=e.id) for e in ENTITIES.values()]
reference_params = [pytest.param(r, id=r.id) for r in REFERENCES.values()]


def _best(marker: str) -> dict | None:
    cands = TABLE[marker]["candidates"]
    return cands[0] if cands else None


def _resolvable(marker: str) -> bool:
    best = _best(marker)
    return best is not None and best["confidence"] in ("high", "medium")


# --- every line validates and is canonical ------------------------------------------------------


@pytest.mark.parametrize(("lineno", "line"), _params("entities.jsonl"))
def test_entity_line(lineno: int, line: str) -> None:
    _check_line(Entity, line)


@pytest.mark.parametrize(("lineno", "line"), _params("claims.jsonl"))
def test_claim_line(lineno: int, line: str) -> None:
    _check_line(Claim, line)


@pytest.mark.parametrize(("lineno", "line"), _params("references.jsonl"))
def test_reference_line(lineno: int, line: str) -> None:
    _check_line(Reference, line)


def _check_line(model: type, line: str) -> None:
    record = model.model_validate_json(line)
    canonical = json.dumps(record.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
    assert line == canonical, "not canonical: keys in model order, defaults omitted, ensure_ascii=False"


@pytest.mark.parametrize("name", list(MODELS))
def test_file_ends_with_one_newline(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text


@pytest.mark.parametrize("name", list(MODELS))
def test_ids_unique(name: str) -> None:
    ids = Counter(json.loads(line)["id"] for _, line in _lines(name))
    assert [i for i, n in ids.items() if n > 1] == []


# --- entities ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entity", entity_params)
def test_entity_parent_known(entity: Entity) -> None:
    if entity.parent is not None:
        assert entity.parent in ENTITIES
        assert entity.parent != entity.id
        seen = {entity.id}
        node = entity
        while node.parent is not None:  # no cycles
            assert node.parent not in seen
            seen.add(node.parent)
            node = ENTITIES[node.parent]


def test_receptor_sites_hang_under_their_receptor() -> None:
    assert ENTITIES["htr1a-autoreceptor"].parent == "htr1a"
    assert ENTITIES["htr1a-postsynaptic"].parent == "htr1a"
    assert ENTITIES["htr1b-autoreceptor"].parent == "htr1b"
    for eid in ("htr1a-autoreceptor", "htr1a-postsynaptic", "htr1b-autoreceptor"):
        assert ENTITIES[eid].type is EntityType.receptor_population


def test_every_entity_is_used() -> None:
    used = set()
    for c in CLAIMS:
        used |= {c.subject, c.object, *c.anatomy}
        if c.organism:
            used.add(c.organism)
    parents = {e.parent for e in ENTITIES.values() if e.parent}
    assert sorted(set(ENTITIES) - used - parents) == []


# --- claims -----------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", claim_params)
def test_claim_entities_known_and_typed(claim: Claim) -> None:
    assert claim.subject in ENTITIES, claim.subject
    assert claim.object in ENTITIES, claim.object
    if claim.organism is not None:
        assert ENTITIES[claim.organism].type is EntityType.organism
    for a in claim.anatomy:
        assert a in ENTITIES, a
        assert ENTITIES[a].type is EntityType.anatomy
    if claim.predicate.value == "variant_of":
        assert ENTITIES[claim.subject].type is EntityType.variant
        assert ENTITIES[claim.object].type is EntityType.gene


@pytest.mark.parametrize("claim", claim_params)
def test_quote_is_the_source_text(claim: Claim) -> None:
    ev = claim.evidence
    assert ev.source in TEXTS
    assert TEXTS[ev.source][ev.start : ev.end] == ev.quote
    assert ev.quote == ev.quote.strip(), "quotes carry no leading or trailing whitespace"


@pytest.mark.parametrize("claim", claim_params)
def test_evidence_in_its_part(claim: Claim) -> None:
    ev = claim.evidence
    lo, hi = META[ev.source]["parts"][PART_RANGE[ev.part]]
    assert lo <= ev.start < ev.end <= hi


@pytest.mark.parametrize("claim", claim_params)
def test_comment_claims_have_no_marker(claim: Claim) -> None:
    if claim.evidence.part is Part.comment:
        assert claim.citation.marker is None
        assert claim.evidence.commenter


@pytest.mark.parametrize("claim", claim_params)
def test_inferred_sections_say_so(claim: Claim) -> None:
    assert claim.evidence.section_inferred == ("inferred" in claim.evidence.section)


def test_claims_in_reading_order() -> None:
    starts = [(c.evidence.source, c.evidence.start) for c in CLAIMS]
    assert starts == sorted(starts)


def test_every_marker_used() -> None:
    used = {c.citation.marker for c in CLAIMS if c.citation.marker}
    assert len(MARKERS) == 44
    assert [m for m in MARKERS if m not in used] == []
    assert used <= set(MARKERS)


# --- citations, references and fidelity -------------------------------------------------------


@pytest.mark.parametrize("claim", claim_params)
def test_claim_citation(claim: Claim) -> None:
    marker, rid = claim.citation.marker, claim.citation.reference
    verdict = claim.fidelity.verdict
    if marker is None:
        assert rid is None and verdict is FidelityVerdict.no_source
        return
    assert marker in TABLE
    if not _resolvable(marker):
        assert rid is None, f"{marker}'s best candidate is low or missing: no reference"
        assert verdict is FidelityVerdict.unverifiable
        return
    assert rid is not None, f"{marker}'s best candidate is high or medium: link it"
    ref = REFERENCES[rid]
    assert marker in ref.markers
    best = _best(marker)
    for k in BIB:
        assert getattr(ref, k) == best[k], f"{rid}.{k} is not the table's best candidate for {marker}"
    assert verdict is not FidelityVerdict.no_source


@pytest.mark.parametrize("reference", reference_params)
def test_reference_copied_from_table(reference: Reference) -> None:
    """Every identifier and bibliographic field equals the table's best candidate of its markers."""
    for marker in reference.markers:
        assert _resolvable(marker), f"{marker} is low or unresolved and must not have a reference"
        best = _best(marker)
        for k in BIB:
            assert getattr(reference, k) == best[k], f"{k} differs from the table for {marker}"
        assert reference.organism_studied == best["organism_studied"]
    # no identifier outside the table
    pool = [c for m in reference.markers for c in TABLE[m]["candidates"]]
    for k in ("pmid", "doi", "title"):
        value = getattr(reference, k)
        if value is not None:
            assert value in {c[k] for c in pool}


@pytest.mark.parametrize("reference", reference_params)
def test_reference_is_cited(reference: Reference) -> None:
    cited = {c.citation.marker for c in CLAIMS if c.citation.reference == reference.id}
    assert cited == set(reference.markers)


def test_each_marker_has_at_most_one_reference() -> None:
    owners = Counter(m for r in REFERENCES.values() for m in r.markers)
    assert [m for m, n in owners.items() if n > 1] == []


@pytest.mark.parametrize("name", ["entities.jsonl", "claims.jsonl", "references.jsonl"])
def test_files_are_canonical(name: str) -> None:
    """Re-dumping every record gives the file byte for byte (`serokg fmt` writes this form)."""
    from serokg.graph.read import load
    from serokg.graph.write import canonical_line

    ds = load(DATA)
    records = {"entities.jsonl": ds.entities, "claims.jsonl": ds.claims, "references.jsonl": ds.references}[name]
    assert (DATA / name).read_text(encoding="utf-8") == "".join(canonical_line(r) + "\n" for r in records.values())


# --- curation rules (docs/curation.md), checked over every claim ------------------------------
#
# Each test below checks one rule of docs/curation.md mechanically.  Where the rule needs an
# exception the exception is listed here with its reason, so a new claim cannot slip through.
# They read the bundled article's structure (its headings, lists and markers): a second article
# needs its own entries and list ranges here.

TEXT = TEXTS["selfhacked-5ht1a"]
NORM = TEXT.replace("\xa0", " ")
MARKER_ROWS = json.loads((SOURCES / "citation-markers.json").read_text(encoding="utf-8"))["markers"]
RETIRED = [json.loads(line) for line in (DATA / "retired-claims.jsonl").read_text(encoding="utf-8").splitlines()]

#: Breaks the plain text lost: the hormone item runs "Cortisolone reason why ..." ("Cortisol" + gloss).
LOST_BREAKS = {6788}


def _sentence_starts(text: str) -> list[int]:
    """Where sentences (§5's unit for organism words) start: after . ? ! followed by a space,
    after an ellipsis, after a line break, and at the lost breaks."""
    starts = {0, *LOST_BREAKS}
    for i, ch in enumerate(text):
        if ch == "\n" or ch == "\u2026" or (ch in ".?!" and i + 1 < len(text) and text[i + 1] in " \xa0\n"):
            starts.add(i + 1)
    return sorted(starts)


STARTS = _sentence_starts(TEXT)


def _sentence(c: Claim) -> str:
    """The sentence(s) the quote overlaps."""
    ev = c.evidence
    lo = max(s for s in STARTS if s <= ev.start)
    hi = min([s for s in STARTS if s >= ev.end] + [len(TEXT)])
    return TEXT[lo:hi]


_HUMAN_BODY = r"(?i:\b(you|your|you’re|you’d|you’ll|people)\b)|\bI\b"
_HUMAN_COMMENT = r"(?i:\b(you|your|you’re|you’d|you’ll|people|i)\b)"
ORGANISM_WORDS = {  # §5.1; 'we'/'our' are the author's voice ('our daytime'), not an organism
    "rat": r"\brats?\b",
    "syrian-hamster": r"\bhamsters?\b",
    "rodent": r"\brodents?\b",
    "animal": r"\banimals?\b",
}

#: Sentences whose organism word belongs to another clause than the claim's.
ORGANISM_WORD_EXCEPTIONS = {
    "htr1a-gene-associated-with-pain": "'These animal studies' names the studies the genetic ones support; "
                                       "the genetic studies are human (cited source)",
    "serotonin-affects-neuronal-excitation": "'in animals' belongs to the main clause (berberine's effect), "
                                             "not to the author's gloss on serotonin",
    "ssri-affects-htr1a-autoreceptor-chronic-hypothalamus": "'better than not for some people' is the author's "
        "evaluation, not the finding's organism; the finding is the R42 rat paper's background (cited source)",
    "ssri-affects-htr1a-postsynaptic-chronic-hypothalamus": "as for the autoreceptor claim of the same sentence",
    "ssri-affects-htr1a-autoreceptor-c-amyl": "'The paper you cite': 'you' is the article's author as citer",
    "ssri-affects-htr1a-postsynaptic-c-amyl": "'The paper you cite': 'you' is the article's author as citer",
}


def _organisms_named(text: str, comment: bool) -> set[str]:
    import re

    found = {org for org, pat in ORGANISM_WORDS.items() if re.search(pat, text, re.IGNORECASE)}
    if re.search(_HUMAN_COMMENT if comment else _HUMAN_BODY, text):
        found.add("human")
    return found


def _stated_organism(c: Claim) -> set[str]:
    comment = c.evidence.part is Part.comment
    return _organisms_named(c.evidence.quote, comment) or _organisms_named(_sentence(c), comment)


@pytest.mark.parametrize("claim", claim_params)
def test_organism_named_in_the_sentence_is_recorded(claim: Claim) -> None:
    """§5.1: an organism word in the claim's quote, or else its sentence, gives the organism (stated)."""
    if claim.id in ORGANISM_WORD_EXCEPTIONS:
        return
    named = _stated_organism(claim)
    assert len(named) <= 1, f"several organisms named ({sorted(named)}): add an exception with its reason"
    if named:
        assert (claim.organism, claim.organism_basis.value) == (named.pop(), "stated")
    elif claim.modality.value != "anecdotal":
        assert claim.organism_basis.value != "stated", "organism 'stated' but the sentence names none"


@pytest.mark.parametrize("claim", claim_params)
def test_anecdotes_are_human(claim: Claim) -> None:
    """§5.1: a personal report is the writer's own experience: human, stated."""
    if claim.modality.value == "anecdotal":
        assert (claim.organism, claim.organism_basis.value) == ("human", "stated")


def _species(studied: str | None) -> str | None:
    """§5.2: a reference's organism_studied as an organism entity, or None (review, mixed, unclear)."""
    if not studied:
        return None
    s = studied.lower()
    if any(w in s for w in ("not confirmed", "not stated", "review", "mixed", " + ", " and mouse")):
        return None
    for word, org in (("human", "human"), ("rat", "rat"), ("hamster", "syrian-hamster")):
        if word in s:
            return org
    return None


#: Words of a fidelity reason saying the reference does not report the claim's own content, so
#: nothing is inherited from it (§5.2): an author's gloss, a background statement, a finding the
#: table could not check.
NOT_REPORTED = ("author's", "background", "table found no source", "could not be checked")


def _not_reported(c: Claim) -> bool:
    return c.fidelity.verdict is FidelityVerdict.unverifiable or any(w in c.fidelity.reason for w in NOT_REPORTED)


@pytest.mark.parametrize("claim", claim_params)
def test_cited_organism_comes_from_the_reference(claim: Claim) -> None:
    ref = REFERENCES.get(claim.citation.reference) if claim.citation.reference else None
    species = _species(ref.organism_studied) if ref else None
    if claim.organism_basis.value == "cited_source":
        assert ref is not None and claim.organism == species, f"{claim.organism} vs {ref and ref.organism_studied}"
        assert not _not_reported(claim) or "background" in claim.fidelity.reason
    elif claim.organism_basis.value == "not_stated" and species is not None:
        assert _not_reported(claim), f"the reference studied {species}: inherit it, or say why not in the reason"


STUDY_CUES = ("PET scans", "Experiments in rodents", "When given to animals", "When animals were fed",
              "animal stress model", "in animals")


@pytest.mark.parametrize("claim", claim_params)
def test_study_system_from_the_text_or_the_reference(claim: Claim) -> None:
    """§5: study_system is stated by the text, or inherited under the same rule as the organism."""
    ref = REFERENCES.get(claim.citation.reference) if claim.citation.reference else None
    stated = claim.id not in ORGANISM_WORD_EXCEPTIONS and any(
        cue in _sentence(claim).replace("\xa0", " ") for cue in STUDY_CUES)
    if stated:
        assert claim.study_system is not None and claim.study_system.value == "in_vivo"
    elif ref is None or _not_reported(claim):
        assert claim.study_system is None, "nothing to inherit a study system from"
    else:
        assert claim.study_system == ref.study_system


@pytest.mark.parametrize("claim", claim_params)
def test_no_marker_means_no_source(claim: Claim) -> None:
    assert (claim.citation.marker is None) == (claim.fidelity.verdict is FidelityVerdict.no_source)


def _marker_spans() -> dict[str, tuple[int, int]]:
    spans = {}
    for m in MARKER_ROWS:
        cited = m["cited_text"].replace("\xa0", " ")
        ends = [i for i in range(len(NORM)) if NORM.startswith(cited, i) and i + len(cited) <= m["offset"]]
        assert ends, m["marker"]
        start = ends[-1]
        spans[m["marker"]] = (start, start + len(cited))
    return spans


SPANS = _marker_spans()


def _item(pos: int) -> tuple[int, int]:
    """The line (list item or paragraph) holding a position."""
    return TEXT.rfind("\n", 0, pos) + 1, (TEXT.find("\n", pos) + 1 or len(TEXT) + 1) - 1


def _expected_marker(c: Claim) -> str | None:
    """§7: the marker whose cited span holds the quote; else a list's heading marker for the items
    without a marker of their own (R05 effects, R12 hormones); else R03 for its section up to R04."""
    s, e = c.evidence.start, c.evidence.end
    inside = [m for m, (a, b) in SPANS.items() if a <= s and e <= b]
    if inside:
        return min(inside, key=lambda m: SPANS[m][1] - SPANS[m][0])
    lo, hi = _item(s)
    item = TEXT[lo:hi]
    if "(R" not in item and item.lstrip().startswith("\u2022"):
        if TEXT.index("The Good:") < s < TEXT.index("5HT1A and Hormones"):
            return "R05"
        if SPANS["R12"][1] < s < TEXT.index("5HT1A and Spirituality"):
            return "R12"
    if TEXT.index("The Difference Between SSRIs and MDMA") < s < SPANS["R04"][0]:
        return "R03"
    return None


@pytest.mark.parametrize("claim", claim_params)
def test_claim_carries_the_marker_that_covers_it(claim: Claim) -> None:
    if claim.evidence.part is Part.comment:
        assert claim.citation.marker is None
        return
    assert claim.citation.marker == _expected_marker(claim)


#: §6: the list headings that assert something about their items, and who the items are.
FX = "The following are some effects of 5-HT1A activation:"
DEC = "What Decreases 5HT1A Autoreceptors or Increases Postsynaptic Receptors"
MOD = "What Modulates the 5HT1A Receptor"
ACT = "5-HT1A activators (heading lost; inferred)"
ENTRIES = {
    DEC: {"cbd", "t3", "estradiol", "cortisol", "lithium", "st-johns-wort", "ashwagandha", "zinc", "fish-oil"},
    MOD: {"aerobic-exercise", "melatonin", "dha", "magnesium", "calcium", "manganese", "butyrate", "rhodiola"},
    ACT: {"buspirone", "psilocybin", "mdma", "quetiapine", "amphetamine", "lsd", "dmt"},
}


def _expected_heading(c: Claim) -> str | None:
    if c.evidence.part is Part.comment:
        return None
    section, s = c.evidence.section, c.evidence.start
    receptor_acts = (c.subject in ("htr1a", "htr1a-autoreceptor") and c.subject_aspect is not None
                     and c.subject_aspect.value == "activity" and c.subject_direction is None)
    if section == "Summary of Effects of 5HT1A Activation" and s > TEXT.index("The Good:"):
        return FX if receptor_acts else None
    if section == "5HT1A and Hormones":
        return "5-HT1A receptor activation induces the secretion of the following hormones" if receptor_acts else None
    if section == "5HT1A Genes/SNPs":
        return "SNPs in the 5HT1A gene:" if c.predicate.value == "variant_of" else None
    if section == ACT and s > TEXT.index("Chronic intake of SSRIs"):
        return None  # the three paragraphs after the list are not its items
    if section in ENTRIES:
        return section if c.subject in ENTRIES[section] else None
    return None


@pytest.mark.parametrize("claim", claim_params)
def test_list_heading_only_on_the_list_entries(claim: Claim) -> None:
    """§6: a heading goes on the claims whose subject is the entry (or, for the effect lists, on the
    receptor's activity); a study condition inside an item (a diet, a stress model) is not an entry."""
    assert claim.list_heading == _expected_heading(claim)


#: Phrases of a reason that contradict a verdict (§8): a reason must not argue against its verdict.
CONTRA = {
    "supported": ("does not fit", "opposite", "contradict", "overstat", "generalis", "not in the abstract",
                  "author's", "could not be checked", "only the title", "narrows"),
    "overstated": ("word for word", "cites nothing"),
    "generalised": ("cites nothing",),
    "contradicted": ("cites nothing", "word for word"),
    "unverifiable": ("cites nothing",),
}
NEEDS = {
    "no_source": ("The article cites nothing", "A reader's comment"),
    "unverifiable": ("unresolved", "could not", "no source", "not seen"),
    "contradicted": ("opposite", "not", "still", "unaltered", "unchanged"),
    "generalised": ("rat", "rodent", "animal", "hamster"),
}


@pytest.mark.parametrize("claim", claim_params)
def test_reason_does_not_contradict_the_verdict(claim: Claim) -> None:
    verdict, reason = claim.fidelity.verdict.value, claim.fidelity.reason
    bad = [w for w in CONTRA.get(verdict, ()) if w in reason]
    assert not bad, f"{verdict} but the reason says {bad}"
    if verdict in NEEDS:
        assert any(w in reason for w in NEEDS[verdict]), f"a {verdict} reason should say why ({NEEDS[verdict]})"


HEDGE_CUES = r"\b(suggests?|presumably|theorized|maybe|possibly|might|could|should|may|likely|supposedly)\b|it’s thought|and/or|\?"


@pytest.mark.parametrize("claim", claim_params)
def test_hedge_words_and_modality(claim: Claim) -> None:
    """§4: a quote with a hedge is not 'asserted'; a 'hedged' claim shows its hedge in its quote or sentence."""
    import re

    hedge = re.search(HEDGE_CUES, claim.evidence.quote)
    if hedge:
        assert claim.modality.value != "asserted", f"the quote says {hedge.group(0)!r}"
    if claim.modality.value == "hedged":  # the hedge may govern the whole sentence ('suggest that ... but ...')
        assert hedge or re.search(HEDGE_CUES, _sentence(claim)), "hedged, but neither quote nor sentence has a hedge word"


@pytest.mark.parametrize("claim", claim_params)
def test_direction_only_where_the_predicate_takes_one(claim: Claim) -> None:
    """§3: a denial has no direction; treats and the structural predicates take none."""
    if claim.negated:
        assert claim.direction is None
    if claim.predicate.value in ("treats", "activates", "inhibits", "binds", "interacts_with", "located_in", "variant_of"):
        assert claim.direction is None


def _ancestors(eid: str) -> set[str]:
    out, node = set(), ENTITIES[eid]
    while node.parent is not None:
        out.add(node.parent)
        node = ENTITIES[node.parent]
    return out


@pytest.mark.parametrize("claim", claim_params)
def test_anatomy_names_no_region_with_its_ancestor(claim: Claim) -> None:
    """'the hypothalamus (PVN)' is the PVN, as 'prefrontal cortex (DLPFC)' is the DLPFC."""
    for a in claim.anatomy:
        assert not _ancestors(a) & set(claim.anatomy), a


#: Published ids that do not follow <subject>-<predicate>-<object>[-suffix]; kept because published
#: ids are never renamed (docs/curation.md, "Claim ids").
ID_DEVIATIONS = {
    "goal-desensitise-htr1a-autoreceptor": "first-pass id for the author's goal (htr1a-autoreceptor affects serotonergic-transmission)",
    "goal-sensitise-htr1a-postsynaptic": "first-pass id for the author's goal (htr1a-postsynaptic affects serotonergic-transmission)",
    "serotonin-dysregulation-contributes-to-depression": "the suffix 'dysregulation' sits in the subject slot",
}


@pytest.mark.parametrize("claim", claim_params)
def test_claim_id_pattern(claim: Claim) -> None:
    base = f"{claim.subject}-{claim.predicate.value.replace('_', '-')}-{claim.object}"
    if claim.id in ID_DEVIATIONS:
        assert not claim.id.startswith(base), "no longer a deviation: drop it from ID_DEVIATIONS"
        return
    assert claim.id == base or claim.id.startswith(base + "-")
    if claim.evidence.part is Part.comment:
        assert claim.id.endswith("-c-" + claim.evidence.commenter.lower().replace(" ", "-"))
    else:
        assert "-c-" not in claim.id


def test_retired_ids_are_not_reused() -> None:
    live = {c.id for c in CLAIMS}
    for r in RETIRED:
        assert set(r) == {"id", "replaced_by", "retired_in", "reason"}
        assert r["id"] not in live, f"{r['id']} is retired and must not name a live claim"
        assert r["replaced_by"] is None or r["replaced_by"] in live
    assert len({r["id"] for r in RETIRED}) == len(RETIRED)


#: §1 mediator steps inside a list item: claims whose subject is not reached from the item's entry
#: because they are not a step of its effect (a study condition, a presupposed finding, a denied cause).
NOT_MEDIATORS = {
    "stress-affects-htr1a": "the cited study's stress model (the condition of the exercise finding)",
    "high-fat-diet-affects-htr1a": "the cited study's diet (the condition of the DHA finding)",
    "adrenal-fatigue-contributes-to-low-cortisol": "the cause the author denies",
    "ssri-affects-htr1a-autoreceptor-pvn": "the SSRI increase that estradiol is said to blunt (presupposed)",
}
MEDIATOR_PREDICATES = ("affects", "contributes_to", "treats")


def _entry(c: Claim) -> set[str]:
    """Who a list item is about: its section's entries (§6), or the receptor for the effect and
    hormone lists."""
    return ENTRIES.get(c.evidence.section, {"htr1a", "htr1a-autoreceptor"})


@pytest.mark.parametrize("claim", claim_params)
def test_mediator_is_reached_from_the_entry(claim: Claim) -> None:
    """§1: in a list item, a mediator B of the entry's effect C (B → C, in a sentence where the entry
    acts) has the entry's step A → B in the same item: 'Increases sociability – partly from oxytocin'
    gives htr1a → oxytocin as well as oxytocin → sociability."""
    lo, hi = _item(claim.evidence.start)
    if claim.evidence.part is Part.comment or not TEXT[lo:hi].lstrip().startswith("\u2022"):
        return
    if claim.predicate.value not in MEDIATOR_PREDICATES or claim.id in NOT_MEDIATORS:
        return
    entries = _entry(claim)
    if claim.subject in entries:
        return
    item = [c for c in CLAIMS if lo <= c.evidence.start < hi and c.evidence.part is not Part.comment]
    sentence = _sentence(claim)
    if not any(c.subject in entries and _sentence(c) == sentence for c in item):
        return  # the sentence is not about the entry (an association, an anecdote, another study)
    reached = {c.subject for c in item if c.subject in entries}
    grew = True
    while grew:
        grew = False
        for c in item:
            if c.subject in reached and c.object not in reached:
                reached.add(c.object)
                grew = True
    parent = ENTITIES[claim.subject].parent
    assert claim.subject in reached or parent in reached, (
        f"{claim.subject} is a mediator of this item, but no claim of the item leads to it from {sorted(reached)}")


#: Mediator claims whose object is not an effect of the entry: a gloss that only says what the
#: mediator is ("substance P (cause of pain, inflammatory)" defines substance P).
NOT_ENTRY_EFFECTS = {
    "substance-p-contributes-to-inflammation": "the gloss defines substance P; the item credits pain only",
}
EFFECT_SECTIONS = ("Summary of Effects of 5HT1A Activation", "5HT1A and Hormones")


@pytest.mark.parametrize("claim", claim_params)
def test_a_mediators_effect_is_credited_to_the_entry(claim: Claim) -> None:
    """§1 (settled, fourth read): in the effect and hormone lists, whatever a mediator B leads to
    (B → C, C not itself a step of the item) is the effect of the heading's 5-HT1A activation, so
    the item also has htr1a → C: "Oxytocin – contributes to the prosocial … properties" gives
    htr1a-affects-sociability-via-oxytocin, as "Increases dopamine …, which could be beneficial
    for Schizophrenia" gives htr1a-treats-schizophrenia."""
    if claim.evidence.part is Part.comment or claim.evidence.section not in EFFECT_SECTIONS:
        return
    if claim.predicate.value not in MEDIATOR_PREDICATES or claim.id in NOT_ENTRY_EFFECTS:
        return
    entries = _entry(claim)
    if claim.subject in entries:
        return
    lo, hi = _item(claim.evidence.start)
    item = [c for c in CLAIMS if lo <= c.evidence.start < hi and c.evidence.part is not Part.comment]
    if not any(c.subject in entries and c.object == claim.subject for c in item):
        return  # not a mediator of the entry (a cited association, another study's finding)
    if any(c.subject == claim.object for c in item):
        return  # C is itself a step (vasodilation → heat loss → body temperature)
    assert any(c.subject in entries and c.object == claim.object for c in item), (
        f"{claim.subject} → {claim.object} is an effect of 5-HT1A activation in this item, but no entry claim reaches {claim.object}")


@pytest.mark.parametrize("claim", claim_params)
def test_reader_who_names_a_study_is_not_said_to_cite_nothing(claim: Claim) -> None:
    """§8 rule 1: a comment has no marker, so it is no_source; but a reader who names or quotes a
    study ('I read the ashwaghanda study', 'the studies done in dapoxetine') does cite something,
    and the reason says which (and what the table found, if the article cites it too)."""
    import re

    if claim.evidence.part is not Part.comment or claim.fidelity.verdict is not FidelityVerdict.no_source:
        return
    lo, hi = _item(claim.evidence.start)
    if re.search(r"\b(study|studies|paper)\b", TEXT[lo:hi], re.IGNORECASE):
        assert "cites no source" not in claim.fidelity.reason, "the reader names a study: say which"


@pytest.mark.parametrize("claim", claim_params)
def test_a_wrong_receptor_site_is_contradicted(claim: Claim) -> None:
    """§8 (settled): the article's own model gives autoreceptors and postsynaptic receptors opposite
    roles, so a cited source whose receptors are the other site contradicts the claim; a wrong
    region only overstates it (T3: frontal cortex, not hypothalamus)."""
    wrong_site = ("postsynaptic, not autoreceptors", "not postsynaptic receptors")
    if claim.citation.reference and any(w in claim.fidelity.reason for w in wrong_site):
        assert claim.fidelity.verdict is FidelityVerdict.contradicted


@pytest.mark.parametrize("claim", claim_params)
def test_a_substance_specific_mediator_step_names_the_substance(claim: Claim) -> None:
    """§1: when the text states B → C only as the route of a substance A's effect ("MDMA increases
    feelings of love ... by stimulating oxytocin activity"), the B → C claim's condition names A."""
    import re

    m = re.search(r"(?:mediator|receptor step) of (\w+)'s", claim.note or "")
    if m:
        assert claim.condition and m.group(1).lower() in claim.condition.lower(), f"condition should name {m.group(1)}"


def _name_key(name: str) -> str:
    return name.lower().replace("-", "").replace(" ", "")


#: A gene symbol names the gene and, by convention, the receptor it encodes (§9, htr1a-gene).
SHARED_NAMES = {"htr1a": {"htr1a", "htr1a-gene"}}


def test_a_name_names_one_entity() -> None:
    """§9: synonyms are names of the same thing only, so no label or synonym names two entities
    (a kind, a class or a part listed as a synonym shows up here as soon as it is an entity too)."""
    owners: dict[str, set[str]] = {}
    for e in ENTITIES.values():
        for name in (e.id, e.label, *e.synonyms):
            owners.setdefault(_name_key(name), set()).add(e.id)
    shared = {k: v for k, v in owners.items() if len(v) > 1 and SHARED_NAMES.get(k) != v}
    assert not shared, shared
