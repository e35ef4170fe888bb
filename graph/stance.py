"""Stances: which way each claim moves its object, and what a list heading says of its items.

Every claim with a polarity gives a stance (increased, decreased, unchanged for a denial such as
"while not changing the autoreceptors", not increased, not decreased).  A list heading that asserts
something about its items ("What Decreases 5HT1A Autoreceptors or Increases Postsynaptic
Receptors") gives each item a stance too, unless one of the item's own claims bears the heading out.

>>> from serokg.graph.read import load
>>> {s.basis for s in stances(load())} <= {"text", "list heading"}
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from serokg.graph.hierarchy import ancestors
from serokg.graph.sentence import say
from serokg.schema.models import Aspect, Claim, Direction, EntityType, Part, Predicate

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["HeadingAlternative", "Side", "parse_heading", "stances"]


@dataclass(frozen=True)
class Side:
    """One side of a conflict: a claim read through its own words or through its list heading."""

    claim: str
    basis: str  # "text" or "list heading"
    subject: str
    object: str
    value: str  # increased, decreased, unchanged, not increased, not decreased
    aspect: Aspect | None
    source: str  # "article" or "comment by <handle>"
    statement: str
    heading: str | None = None

    @property
    def key(self) -> str:
        return self.claim + ("+heading" if self.basis == "list heading" else "")



# --- list headings ----------------------------------------------------------------------------

_DECREASE = {"decrease", "decreases", "reduce", "reduces", "lower", "lowers", "inhibit", "inhibits", "block",
             "blocks", "desensitize", "desensitizes", "desensitise", "desensitises", "downregulate",
             "downregulates", "antagonists", "antagonist", "blockers", "blocker", "inhibitors", "inhibitor"}
_INCREASE = {"increase", "increases", "raise", "raises", "enhance", "enhances", "activate", "activates",
             "upregulate", "upregulates", "stimulate", "stimulates", "activators", "activator", "agonists",
             "agonist"}
_ACTIVITY_WORDS = {"activate", "activates", "activators", "activator", "agonists", "agonist", "stimulate",
                   "stimulates", "inhibit", "inhibits", "block", "blocks", "antagonists", "antagonist",
                   "blockers", "blocker", "inhibitors", "inhibitor"}
_NEUTRAL = {"modulate", "modulates", "modulators", "affect", "affects", "bind", "binds"}
_GENERIC = {"receptor", "receptors", "the", "and", "of", "a", "an", "5", "ht", "serotonin", "1a", "1b"}


def _norm(word: str) -> str:
    return re.sub(r"[^0-9a-z]", "", word.casefold())


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class HeadingAlternative:
    """One thing a list heading says about its items: they move ``object`` in ``value``."""

    object: str
    value: str
    aspect: Aspect | None = None


def parse_heading(heading: str, ds: Dataset) -> tuple[HeadingAlternative, ...]:
    """What a list heading asserts about each item, as alternatives (a heading says "or").

    Only receptors and their sites are recognised as objects; a heading with no directional
    verb ("What Modulates the 5HT1A Receptor") asserts nothing and gives ``()``.
    """
    receptors = {}
    for e in ds.entities.values():
        if e.type in (EntityType.receptor, EntityType.gene) and e.type is EntityType.receptor:
            for name in (e.id, e.label, *e.synonyms):
                for w in name.split():
                    n = _norm(w)
                    if n and n not in _GENERIC and any(ch.isdigit() for ch in n):
                        receptors.setdefault(n, e.id)
    words = [_norm(w) for w in re.split(r"[\s/]+", heading) if _norm(w)]
    segments: list[tuple[str, list[str]]] = []
    for w in words:
        if w in _DECREASE or w in _INCREASE or w in _NEUTRAL:
            segments.append((w, []))
        elif segments:
            segments[-1][1].append(w)
        elif any(w == r for r in receptors):  # "5-HT1A Activators": the receptor precedes its verb
            segments.append(("", [w]))
    out: list[HeadingAlternative] = []
    receptor: str | None = None
    pending: list[str] = []
    for verb, rest in segments:
        if verb == "":
            pending = rest
            continue
        rest = pending + rest
        pending = []
        found = next((receptors[w] for w in rest if w in receptors), None)
        receptor = found or receptor
        if receptor is None or verb in _NEUTRAL:
            continue
        site = _site(ds, receptor, {_singular(w) for w in rest})
        value = "decreased" if verb in _DECREASE else "increased"
        aspect = Aspect.activity if verb in _ACTIVITY_WORDS else None
        out.append(HeadingAlternative(site or receptor, value, aspect))
    return tuple(out)


def _site(ds: Dataset, receptor: str, words: set[str]) -> str | None:
    """The child of ``receptor`` whose distinctive name words appear in ``words``."""
    base = {_singular(_norm(w)) for n in (ds.entities[receptor].label, *ds.entities[receptor].synonyms)
            for w in n.split()}
    for child in ds.children.get(receptor, ()):
        e = ds.entities[child]
        names = {_singular(_norm(w)) for n in (e.label, *e.synonyms) for w in re.split(r"[\s-]+", n)}
        names |= {_singular(p) for p in e.id.split("-")}
        distinctive = names - base - _GENERIC - {"", "htr1a", "htr1b"} - {_singular(_norm(receptor))}
        distinctive = {d for d in distinctive if not any(ch.isdigit() for ch in d)}
        if distinctive & words:
            return child
    return None


# --- stances ----------------------------------------------------------------------------------


def _source(c: Claim) -> str:
    return f"comment by {c.evidence.commenter}" if c.evidence.part is Part.comment else "article"


_FLIP = {"increased": "decreased", "decreased": "increased", "not increased": "not decreased",
         "not decreased": "not increased", "unchanged": "unchanged"}


def _value(c: Claim) -> tuple[str, Aspect | None] | None:
    """The claim's polarity on its object as its subject rises, or None if it has none.

    "Low serotonin contributes to depression" (subject_direction decreased) is read as
    "serotonin lowers depression", so it can meet claims about raised serotonin.
    """
    v = _polarity(c)
    if v is not None and getattr(c, "subject_direction", None) is Direction.decreased:
        return _FLIP[v[0]], v[1]
    return v


def _polarity(c: Claim) -> tuple[str, Aspect | None] | None:
    aspect = c.aspect
    if c.predicate in (Predicate.activates, Predicate.inhibits):
        value = "increased" if c.predicate is Predicate.activates else "decreased"
        return (f"not {value}" if c.negated else value), aspect or Aspect.activity
    if c.predicate in (Predicate.affects, Predicate.associated_with, Predicate.contributes_to, Predicate.treats):
        if c.direction is None:
            return ("unchanged", aspect) if c.negated and c.predicate is Predicate.affects else None
        value = c.direction.value
        return (f"not {value}" if c.negated else value), aspect
    return None


def _line_of(ds: Dataset, c: Claim) -> tuple[str, int]:
    """The source and the start of the line (list item) where a claim's quote begins."""
    text = ds.texts.get(c.evidence.source, "")
    return c.evidence.source, text.rfind("\n", 0, c.evidence.start) + 1


def stances(ds: Dataset) -> list[Side]:
    """Every stance in the data: one per claim with a polarity, plus the unmet claims of list headings."""
    out: list[Side] = []
    own: dict[str, tuple[str, Aspect | None]] = {}
    for c in ds.claims.values():
        v = _value(c)
        if v is None:
            continue
        own[c.id] = v
        out.append(Side(c.id, "text", c.subject, c.object, v[0], v[1], _source(c), say(c, ds.entities)))
    # A heading speaks of each list item, and an item names its own subject first: in "Estradiol
    # accelerates the effects of fluoxetine ... blunting the increase in autoreceptors from SSRIs"
    # the heading is about estradiol, not SSRIs.
    bullets: dict[tuple[str, int], list[Claim]] = {}
    for c in ds.claims.values():
        if c.list_heading and c.evidence.part is Part.body:
            bullets.setdefault(_line_of(ds, c), []).append(c)
    items: dict[tuple[str, str], list[Claim]] = {}
    for members in bullets.values():
        lead = min(members, key=lambda m: m.evidence.start).subject
        for c in members:
            if c.subject == lead:
                items.setdefault((c.subject, c.list_heading or ""), []).append(c)
    parsed: dict[str, tuple[HeadingAlternative, ...]] = {}
    for (subject, heading), members in items.items():
        alts = parsed.setdefault(heading, parse_heading(heading, ds))
        if not alts:
            continue
        met = any(m.id in own and own[m.id][0] == alt.value
                  and (m.object == alt.object or alt.object in ancestors(ds, m.object))
                  for m in members for alt in alts)
        if met:
            continue
        first = members[0]
        subj = ds.entities[subject].label
        for alt in alts:
            verb = "raises" if alt.value == "increased" else "lowers"
            what = f"{alt.aspect.value} of " if alt.aspect else ""
            text = f"{subj} {verb} {what}{ds.entities[alt.object].label} [listed under \u201c{heading}\u201d]"
            out.append(Side(first.id, "list heading", subject, alt.object, alt.value, alt.aspect,
                            "article", text, heading))
    return out
