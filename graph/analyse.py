"""Judge the claims against each other and against their sources: conflicts and fidelity.

The names of the modules that do it, in one place: :mod:`~serokg.graph.stance` (stances, list
headings), :mod:`~serokg.graph.conflict` (one pair: related? how classified?),
:mod:`~serokg.graph.pairs` (every pair, lazily or counted), :mod:`~serokg.graph.fidelity`, over
the hierarchy of :mod:`~serokg.graph.hierarchy`.

**Conflicts.**  Every claim with a polarity gives a *stance*: which way it moves its object
(increased, decreased, unchanged for a denial such as "while not changing the autoreceptors").
A list heading that asserts something about its items ("What Decreases 5HT1A Autoreceptors or
Increases Postsynaptic Receptors") gives each item a stance too, unless one of the item's own
claims bears the heading out.  Two stances conflict when they are about the same subject (or a
kind of it) and the same object, the same receptor at a broader or narrower site, or the same
receptor at another site, and their directions disagree.  Each conflicting pair is classified by
what differs between the two claims:

* ``different_aspect``: they speak of different aspects (number of receptors vs sensitivity);
* ``context_dependent``: they differ in organism, region, site, regimen, dose or condition
  (stimulus intensity, time of day); for dose, regimen and condition, a qualifier stated on one
  side only counts as a difference, since it is what limits that claim (but not against a list
  heading, which classes its item without qualification);
* ``contradiction``: none of those differ.  A difference of source (the article vs a reader
  comment) is reported but does not explain a conflict away.

**Fidelity.**  :func:`fidelity_summary` counts the claims by verdict and lists each with its reason.

>>> from serokg.graph.read import load
>>> all(c.kind in ConflictKind for c in conflicts(load()))
True
"""

from __future__ import annotations

from serokg.graph.conflict import CONTEXT_DIMENSIONS, Conflict, ConflictKind, Difference
from serokg.graph.fidelity import FidelityItem, FidelitySummary, fidelity_summary
from serokg.graph.pairs import (
    ConflictOverview,
    StancePairCount,
    conflict_counts,
    conflict_groups,
    conflict_overview,
    conflicts,
    iter_conflicts,
)
from serokg.graph.stance import HeadingAlternative, Side, parse_heading, stances

__all__ = [
    "CONTEXT_DIMENSIONS",
    "Conflict",
    "ConflictKind",
    "ConflictOverview",
    "Difference",
    "FidelityItem",
    "FidelitySummary",
    "HeadingAlternative",
    "Side",
    "StancePairCount",
    "conflict_counts",
    "conflict_overview",
    "conflict_groups",
    "conflicts",
    "fidelity_summary",
    "iter_conflicts",
    "parse_heading",
    "stances",
]
