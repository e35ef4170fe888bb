"""Say a claim as a short English sentence, for tables, tooltips and reports.

The verb agrees with the subject: a label whose head noun is plural ("SSRIs", "5-HT1A receptor
agonists") takes a plural verb (see :func:`is_plural`).

>>> from serokg.graph.read import load
>>> ds = load()
>>> say(ds.claims["lithium-affects-htr1a-autoreceptor"], ds.entities)
'lithium does not change the sensitivity of 5-HT1A autoreceptor'
>>> say(ds.claims["ssri-affects-htr1a-autoreceptor"], ds.entities)
'selective serotonin reuptake inhibitors decrease the sensitivity of 5-HT1A autoreceptor'
"""

from __future__ import annotations

import functools
import re

from serokg.schema.models import Aspect, Claim, Direction, Entity, EntityType, Predicate

__all__ = ["effect", "head_noun", "is_plural", "say"]

# (singular, plural) forms of each predicate's verb, affirmed and denied
_VERBS: dict[Predicate, tuple[str, str]] = {
    Predicate.activates: ("activates", "activate"),
    Predicate.inhibits: ("inhibits", "inhibit"),
    Predicate.binds: ("binds", "bind"),
    Predicate.interacts_with: ("interacts with", "interact with"),
    Predicate.associated_with: ("is associated with", "are associated with"),
    Predicate.contributes_to: ("contributes to", "contribute to"),
    Predicate.treats: ("treats", "treat"),
    Predicate.located_in: ("is located in", "are located in"),
    Predicate.variant_of: ("is a variant of", "are variants of"),
}
_NEGATED_VERBS: dict[Predicate, tuple[str, str]] = {
    Predicate.activates: ("does not activate", "do not activate"),
    Predicate.inhibits: ("does not inhibit", "do not inhibit"),
    Predicate.binds: ("does not bind", "do not bind"),
    Predicate.interacts_with: ("does not interact with", "do not interact with"),
    Predicate.associated_with: ("is not associated with", "are not associated with"),
    Predicate.contributes_to: ("does not contribute to", "do not contribute to"),
    Predicate.treats: ("does not treat", "do not treat"),
    Predicate.located_in: ("is not located in", "are not located in"),
    Predicate.variant_of: ("is not a variant of", "are not variants of"),
}

# Words that end a noun phrase's head: "feelings of love" -> feelings, "response to drugs" -> response.
_PREPOSITIONS = frozenset({"of", "to", "in", "for", "with", "on", "from", "by", "at", "against", "after",
                           "during", "via"})
# Plurals that do not end in -s.
_IRREGULAR_PLURALS = frozenset({"nuclei", "people", "men", "women", "children", "mice", "data", "bacteria",
                                "criteria", "phenomena"})
# Singular nouns that end in -s: -ss (stress, darkness), Latin -us / -is (nucleus, psychosis), -ous, -ics.
_SINGULAR_ENDINGS = ("ss", "us", "is", "ous", "ics")
_SINGULAR_S = frozenset({"diabetes", "measles", "rabies", "herpes", "series", "species", "news", "mumps"})


def head_noun(label: str) -> str:
    """The head word of a label: the last word before a preposition or a parenthesis.

    >>> head_noun("feelings of love"), head_noun("5-HT1A receptor agonists"), head_noun("SSRIs (class)")
    ('feelings', 'agonists', 'SSRIs')
    """
    words = label.split(" (", 1)[0].split()
    for i, word in enumerate(words):
        if i and word.casefold() in _PREPOSITIONS:
            words = words[:i]
            break
    return words[-1] if words else label


def is_plural(entity: Entity) -> bool:
    """Whether the entity's label is a plural noun phrase ("antidepressants", "raphe nuclei").

    >>> from serokg.schema.models import Entity, EntityType
    >>> [is_plural(Entity(id="x1", label=x, type=EntityType.drug_class)) for x in ("SSRIs", "stress", "focus")]
    [True, False, False]
    """
    return _label_is_plural(entity.label)


@functools.lru_cache(maxsize=65536)  # the same few labels are asked for once per claim
def _label_is_plural(label: str) -> bool:
    head = head_noun(label)
    word = head.casefold()
    if word in _IRREGULAR_PLURALS:
        return True
    if not re.fullmatch(r"[a-z0-9-]*[a-z]s", word) or word in _SINGULAR_S:
        return False
    if head[-2:-1].isupper():  # an acronym's plural: SSRIs, MAOIs, TCAs
        return True
    return len(word) > 3 and not word.endswith(_SINGULAR_ENDINGS)


def _plural_of(eid: str, entities: dict[str, Entity]) -> bool:
    e = entities.get(eid)
    return e is not None and is_plural(e)


def effect(claim: Claim, plural: bool = False) -> str:
    """A short edge label: 'increases sensitivity', 'no change in sensitivity', 'does not activate';
    with ``plural``, the verb agrees with a plural subject shown beside it ('SSRIs' | 'decrease').

    >>> from serokg.graph.read import load
    >>> c = load().claims["lithium-affects-htr1a-postsynaptic"]
    >>> effect(c), effect(c, plural=True)
    ('increases sensitivity', 'increase sensitivity')
    """
    number = 1 if plural else 0
    aspect = f" {claim.aspect.value}" if claim.aspect else ""
    if claim.negated:
        if claim.predicate is Predicate.affects and claim.direction is None:
            return f"no change in{aspect}" if aspect else "no change"
        if claim.predicate is Predicate.affects:
            verb = "increase" if claim.direction is Direction.increased else "decrease"
            return f"{('does', 'do')[number]} not {verb}{aspect}"
        return _NEGATED_VERBS[claim.predicate][number]
    if claim.predicate is Predicate.affects:
        base = {Direction.increased: "increase", Direction.decreased: "decrease"}.get(claim.direction, "affect")
        return f"{(base + 's', base)[number]}{aspect}"
    return _VERBS[claim.predicate][number]


def _label(eid: str, entities: dict[str, Entity]) -> str:
    e = entities.get(eid)
    return e.label if e else eid


def _kind(eid: str, entities: dict[str, Entity]) -> EntityType | None:
    e = entities.get(eid)
    return e.type if e else None


_SUBSTANCES = frozenset({EntityType.chemical, EntityType.drug_class, EntityType.supplement, EntityType.hormone,
                         EntityType.neurotransmitter})
_PHENOMENA = frozenset({EntityType.process, EntityType.phenotype, EntityType.disease})


def _aspect_is_the_object(aspect: Aspect, obj: str, kind: EntityType | None) -> bool:
    """"the function of cognitive function", "the function of learning": the aspect adds nothing."""
    return aspect.value in obj.casefold().split() or (aspect is Aspect.function and kind in _PHENOMENA)


def _object_phrase(claim: Claim, entities: dict[str, Entity]) -> str:
    """The object with the aspect that changes, read the way the text means it."""
    obj = _label(claim.object, entities)
    aspect = claim.aspect
    if aspect is None:
        return obj
    kind = _kind(claim.object, entities)
    if _aspect_is_the_object(aspect, obj, kind):
        return obj
    if kind in _SUBSTANCES and aspect is Aspect.rate:
        return f"the rate of action of {obj}"  # estradiol speeds up what fluoxetine does
    if kind in _SUBSTANCES and aspect is Aspect.response:
        return f"the response to {obj}"
    return f"the {aspect.value} of {obj}"


def say(claim: Claim, entities: dict[str, Entity]) -> str:
    """The claim as one sentence, hedges and negation included; the verb agrees with the subject."""
    subj = _label(claim.subject, entities)
    plural = _plural_of(claim.subject, entities)
    if claim.subject_aspect is not None:  # "activation of X" is singular whatever X is
        plural = False
        if claim.subject_direction is not None:
            moved = "raised" if claim.subject_direction is Direction.increased else "lowered"
            subj = f"{moved} {claim.subject_aspect.value} of {subj}"
        elif claim.subject_aspect is Aspect.activity:
            subj = f"activation of {subj}"
        else:
            subj = f"{claim.subject_aspect.value} of {subj}"
    number = 1 if plural else 0
    if claim.predicate is Predicate.affects:
        obj = _object_phrase(claim, entities)
        if claim.negated and claim.direction is None:
            verb = ("does not change", "do not change")[number]
        else:
            base = {Direction.increased: "increase", Direction.decreased: "decrease", None: "affect"}[claim.direction]
            verb = (f"does not {base}", f"do not {base}")[number] if claim.negated else (base + "s", base)[number]
    else:
        verb = (_NEGATED_VERBS if claim.negated else _VERBS)[claim.predicate][number]
        obj = _label(claim.object, entities)
        if claim.direction is not None:  # "contributes to decreased depression", "...decreased expression of X"
            aspect = claim.aspect
            if aspect is None or _aspect_is_the_object(aspect, obj, _kind(claim.object, entities)):
                obj = f"{claim.direction.value} {obj}"
            else:
                obj = f"{claim.direction.value} {aspect.value} of {obj}"
    text = f"{subj} {verb} {obj}"
    if claim.modality.value != "asserted":
        text += f" [{claim.modality.value}]"
    return text
