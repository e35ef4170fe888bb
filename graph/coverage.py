"""Which sentences of a source carry a claim: the parts of the text, its sentences, and the claims on each.

A source's ``parts`` (offsets in its meta file) say where the article body and the readers'
comments lie; any other part (a site footer) and any gap between parts is *other* text, shown
muted and never counted.  A source with no ``parts`` is all body.

:func:`split_sentences` cuts the plain-text copy of a web page into headings, list items and
sentences: every line break ends one (the copy keeps one paragraph, heading or list item a line),
a bullet or list number is not part of the item, and inside a line a sentence ends at ``.``, ``!``,
``?`` or an ellipsis followed by a capital, a digit or an opening bracket or quote, except after
"e.g.", "i.e.", "vs." and the like or an initial; a citation marker "(R)" after the stop stays
with the sentence it cites.  :func:`sentence_coverage` gives each counted sentence the claims whose
evidence overlaps it; ``serokg stats`` and the reading page show the same numbers from it.

>>> [text for _, _, _, text in split_sentences("Lithium works, e.g. in rats (R). It is old.\\n  • Zinc blocks it")]
['Lithium works, e.g. in rats (R).', 'It is old.', 'Zinc blocks it']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from serokg.errors import UsageError

if TYPE_CHECKING:
    from serokg.graph.read import Dataset
    from serokg.schema.models import Claim, Source

__all__ = ["Coverage", "Region", "Sentence", "SentenceKind", "choose_source", "claims_by_source", "regions",
           "sentence_coverage", "split_sentences"]

#: ``sentence`` is counted; a ``heading`` or a commenter's ``byline`` is shown but not counted.
SentenceKind = Literal["sentence", "heading", "byline"]
#: Which part of the source a stretch of text belongs to; only body and comment are counted.
PartName = Literal["body", "comment", "other"]

_PART_NAMES: dict[str, PartName] = {"body": "body", "article": "body", "comments": "comment", "comment": "comment"}

#: Words whose final dot does not end a sentence (compared without the dot, casefolded).
ABBREVIATIONS = frozenset({"e.g", "i.e", "eg", "ie", "vs", "cf", "approx", "ca", "dr", "mr", "mrs", "ms", "prof",
                           "st", "fig", "figs", "al", "no", "nos", "vol", "resp", "incl", "sp", "spp"})

_BULLET = re.compile(r"[•◦▪‣·*-]\s+|\d{1,3}[.)]\s+")
# A stop (., !, ?, an ellipsis or a run of dots), closing quotes or brackets, then either white space
# and a sentence start, or (after an ellipsis only) a capital with no space at all.
_STOP = re.compile(r"(?:[.!?]+|…[.…]*)[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|(?:…[.…]*|\.{3,})(?=[A-Z])")
_MARKER_ONLY = re.compile(r"(?:\s*\(R\)?)+[\s.,;:)]*")
_END_MARKER = re.compile(r"\s*\(R\)\s*$")
_WORD = re.compile(r"[^\W_]+")
_TRAIL = "\"'”’)] \t\u00a0"


@dataclass(frozen=True)
class Region:
    """A stretch ``[start, end)`` of a source: ``part`` is body, comment or other (``name`` says which
    other part, e.g. ``site_footer``, or ``gap`` for text between parts)."""

    start: int
    end: int
    part: PartName
    name: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    kind: SentenceKind
    part: PartName
    claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """The sentences of one source (all kinds, in reading order) and its regions."""

    source: str
    regions: tuple[Region, ...]
    sentences: tuple[Sentence, ...]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per part (body, comment): counted sentences, those with a claim and those without.

        >>> Coverage("s", (), (Sentence(0, 3, "sentence", "body", ("c1",)),)).counts()["body"]
        {'sentences': 1, 'with_claims': 1, 'without_claims': 0}
        """
        out = {part: {"sentences": 0, "with_claims": 0, "without_claims": 0} for part in ("body", "comment")}
        for s in self.sentences:
            if s.kind != "sentence" or s.part == "other":
                continue
            row = out[s.part]
            row["sentences"] += 1
            row["with_claims" if s.claims else "without_claims"] += 1
        return out


def regions(source: Source, length: int) -> tuple[Region, ...]:
    """The source text ``[0, length)`` cut into its parts, with the gaps between them as *other* text."""
    if not source.parts:
        return (Region(0, length, "body", "body"),)
    spans = sorted((max(0, a), min(b, length), name) for name, (a, b) in source.parts.items() if a < b)
    out: list[Region] = []
    at = 0
    for a, b, name in spans:
        a = max(a, at)
        if a >= b:
            continue
        if a > at:
            out.append(Region(at, a, "other", "gap"))
        out.append(Region(a, b, _PART_NAMES.get(name, "other"), name))
        at = b
    if at < length:
        out.append(Region(at, length, "other", "gap"))
    return tuple(out)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _is_abbreviation(text: str, line_start: int, stop: int) -> bool:
    """The dot at ``stop`` closes an abbreviation ("e.g.") or an initial ("M.")."""
    if text[stop] != "." or (stop + 1 < len(text) and text[stop + 1] == "."):
        return False
    a = stop
    while a > line_start and not text[a - 1].isspace() and text[a - 1] not in "(\"“‘[":
        a -= 1
    word = text[a:stop].casefold()
    return word in ABBREVIATIONS or (len(word) == 1 and text[a].isupper())


def _line_sentences(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Sentences of the line content ``text[a:b]`` (already stripped)."""
    cuts = [a]
    for m in _STOP.finditer(text, a, b):
        stop_char = m.start()
        if _is_abbreviation(text, a, stop_char):
            continue
        cuts.append(m.end())
    cuts.append(b)
    out: list[tuple[int, int]] = []
    for x, y in zip(cuts, cuts[1:]):
        x, y = _strip(text, x, y)
        if x >= y:
            continue
        if out and _MARKER_ONLY.fullmatch(text, x, y):  # "… of rTMS.” (R)": the marker cites what precedes it
            out[-1] = (out[-1][0], y)
        else:
            out.append((x, y))
    return out


def _continues(text: str, previous: tuple[int, int], at: int, content: str) -> bool:
    """A line that goes on with the sentence of the line just above it (a hard wrap inside a comment)."""
    if text.count("\n", previous[1], at) != 1 or not content[0].islower():
        return False
    above = text[previous[0]:previous[1]].strip()
    return not _BULLET.match(content) and above[-1:] not in ".!?:…\"”)"


def _heading_like(content: str, *, sections: frozenset[str], indented: bool, isolated: bool) -> bool:
    if content in sections:
        return True
    if indented or not isolated or len(content) > 100 or not content[:1].isupper() and not content[:1].isdigit():
        return False
    words = _WORD.findall(content)
    last = _END_MARKER.sub("", content).rstrip(_TRAIL)[-1:]
    if last == ":":
        return len(words) <= 3
    if last in ".;,…" or len(words) > 14:
        return False
    if last == "?":
        capitals = sum(w[0].isupper() for w in words)
        return len(words) <= 12 and capitals * 2 >= len(words)
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None, *, sections: Iterable[str] = (),
                    comments: bool = False) -> list[tuple[int, int, SentenceKind, str]]:
    """``(start, end, kind, text)`` of each heading, byline and sentence of ``text[start:end]``.

    ``sections``: headings known from the claims' ``evidence.section`` (a line equal to one is a
    heading).  ``comments``: the stretch holds readers' comments, where a short bullet line is the name
    of the commenter whose text follows (a byline) and nothing is a heading.
    """
    end = len(text) if end is None else end
    known = frozenset(s.strip() for s in sections)
    lines: list[tuple[int, int]] = []  # each non-blank line; in comments a hard-wrapped line joins the one above
    at = start
    while at < end:
        nl = text.find("\n", at, end)
        stop = end if nl < 0 else nl
        content = text[at:stop].strip()
        if content:
            if comments and lines and _continues(text, lines[-1], at, content):
                lines[-1] = (lines[-1][0], stop)
            else:
                lines.append((at, stop))
        at = stop + 1
    out: list[tuple[int, int, SentenceKind, str]] = []
    for i, (a, b) in enumerate(lines):
        ca, cb = _strip(text, a, b)
        indent = ca - a
        bullet = _BULLET.match(text, ca, cb)
        if bullet and bullet.end() < cb:
            ca = bullet.end()
        content = text[ca:cb]
        prev_blank = i == 0 or text.count("\n", lines[i - 1][1], a) >= 2
        next_blank = i + 1 == len(lines) or text.count("\n", b, lines[i + 1][0]) >= 2
        if bullet and comments and len(_WORD.findall(content)) <= 4 and content.rstrip(_TRAIL)[-1:] not in ".!?":
            out.append((ca, cb, "byline", content))  # "  • davefx" above the comment it signs
            continue
        if not bullet and not comments and _heading_like(content, sections=known, indented=indent > 0,
                                                         isolated=prev_blank and next_blank):
            out.append((ca, cb, "heading", content))
            continue
        out += [(x, y, "sentence", text[x:y]) for x, y in _line_sentences(text, ca, cb)]
    return out


def _claims_on(spans: list[tuple[int, int]], claims: list[Claim]) -> list[list[str]]:
    """For each of the sorted, disjoint ``spans``, the ids of the claims whose evidence overlaps it."""
    ends = [b for _, b in spans]
    found: list[list[str]] = [[] for _ in spans]
    for c in claims:
        i = bisect_right(ends, c.evidence.start)
        while i < len(spans) and spans[i][0] < c.evidence.end:
            found[i].append(c.id)
            i += 1
    return found


def choose_source(ds: Dataset, source_id: str | None) -> str:
    """``source_id`` checked against the data, or the only source when none is named."""
    if source_id is not None:
        if source_id not in ds.sources:
            raise UsageError(f"no source with id {source_id!r}; the sources are: {_some(ds.sources) or 'none'}")
        return source_id
    if len(ds.sources) == 1:
        return next(iter(ds.sources))
    if not ds.sources:
        raise UsageError(f"the data folder {ds.path} has no source documents")
    raise UsageError(f"the data has {len(ds.sources)} sources: name one (one of: {_some(ds.sources)})")


def _some(ids, shown: int = 10) -> str:
    """The first ids, and how many more: a message naming 5,000 sources helps nobody."""
    ids = list(ids)
    more = f", and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def claims_by_source(ds: Dataset) -> dict[str, list[Claim]]:
    """The claims of each source, in data order, from one pass over the claims.

    >>> from serokg.graph.read import load
    >>> ds = load()
    >>> sum(map(len, claims_by_source(ds).values())) == len(ds.claims)
    True
    """
    out: dict[str, list[Claim]] = {}
    for c in ds.claims.values():
        out.setdefault(c.evidence.source, []).append(c)
    return out


def sentence_coverage(ds: Dataset, source_id: str, claims: Iterable[Claim] | None = None) -> Coverage:
    """The headings, bylines and sentences of a source with the claims on each.

    ``claims``: the source's claims when the caller has them (:func:`claims_by_source`), so that
    covering every source reads the claims once rather than once per source.

    >>> from serokg.graph.read import load
    >>> ds = load()
    >>> cov = sentence_coverage(ds, "selfhacked-5ht1a")
    >>> cov.counts()["body"]["with_claims"] > 0
    True
    """
    source = ds.sources[source_id]
    text = ds.texts[source_id]
    if claims is None:
        claims = (c for c in ds.claims.values() if c.evidence.source == source_id)
    ordered = sorted(claims, key=lambda c: c.evidence.start)
    sections = {c.evidence.section for c in ordered}
    parts = regions(source, len(text))
    found: list[tuple[int, int, SentenceKind, PartName]] = []
    for r in parts:
        found += [(a, b, kind, r.part) for a, b, kind, _ in
                  split_sentences(text, r.start, r.end, sections=sections, comments=r.part == "comment")]
    on = _claims_on([(a, b) for a, b, _, _ in found], ordered)
    return Coverage(source_id, parts, tuple(Sentence(a, b, kind, part, tuple(ids))
                                            for (a, b, kind, part), ids in zip(found, on)))
