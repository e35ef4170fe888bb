"""Generated sentences agree in number, checked with an independent inflector (inflect) over
every entity and every claim of the bundled data."""

from __future__ import annotations

import re

import inflect
import pytest

from serokg.graph.read import load
from serokg.graph.sentence import head_noun, is_plural, say

ENGINE = inflect.engine()
DS = load()


def plural_by_inflect(word: str) -> bool:
    """inflect's verdict, with its one known blind spot: it strips the s of Latin singulars
    (focus -> "focu", nucleus -> "nucleu"); a word that is its own "singular" (manganese) is not plural."""
    singular = ENGINE.singular_noun(word)
    if not singular or singular.casefold() == word.casefold():
        return False
    return not word.casefold().endswith("us")


@pytest.mark.parametrize("eid", sorted(DS.entities))
def test_is_plural_agrees_with_inflect_for_every_entity(eid):
    e = DS.entities[eid]
    assert is_plural(e) is plural_by_inflect(head_noun(e.label)), e.label


# The verb forms say() may put after the subject, singular and plural, spelled here independently.
SINGULAR = ("increases", "decreases", "affects", "does not", "activates", "inhibits", "binds", "interacts",
            "is", "contributes", "treats")
PLURAL = ("increase", "decrease", "affect", "do not", "activate", "inhibit", "bind", "interact", "are",
          "contribute", "treat")


def _subject_phrase(claim) -> tuple[str, str]:
    """(the subject phrase as the sentence starts, its head word) read from the sentence itself."""
    text = say(claim, DS.entities)
    label = DS.entities[claim.subject].label
    at = text.index(label)
    before = text[:at]
    if before.endswith(" of "):  # "activation of X", "raised level of X": the head is before "of"
        return text[:at + len(label)], before.split()[-2]
    assert before == "", text
    return label, head_noun(label)


@pytest.mark.parametrize("cid", sorted(DS.claims))
def test_every_sentence_agrees_in_number(cid):
    claim = DS.claims[cid]
    text = say(claim, DS.entities)
    phrase, head = _subject_phrase(claim)
    rest = text[len(phrase):].lstrip()
    verbs = PLURAL if plural_by_inflect(head) else SINGULAR
    wrong = SINGULAR if verbs is PLURAL else PLURAL
    assert any(re.match(re.escape(v) + r"\b", rest) for v in verbs), (text, head)
    assert not any(re.match(re.escape(v) + r"\b", rest) for v in wrong if v not in verbs), (text, head)


def test_the_issue_cases():
    said = {cid: say(c, DS.entities) for cid, c in DS.claims.items()}
    assert said["serotonin-releasing-agent-activates-htr1a-autoreceptor"].startswith(
        "serotonin releasing agents do not activate")
    assert said["htr1a-agonists-binds-htr1a-autoreceptor"].startswith("5-HT1A receptor agonists bind ")
    assert said["estradiol-affects-fluoxetine"] == "estradiol increases the rate of action of fluoxetine"
    texts = list(said.values())
    assert not any("inhibitors increases" in t or "agonists binds" in t or "antidepressants contributes" in t
                   for t in texts)
    # no aspect said twice ("the function of cognitive function", "the response of response to...")
    assert not any(re.search(r"the (\w+) of (\w+ )?\1\b", t) for t in texts), [
        t for t in texts if re.search(r"the (\w+) of (\w+ )?\1\b", t)]
