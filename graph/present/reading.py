"""The article read through its claims: one offline page with the source text and every claim on its words.

:func:`reading_data` cuts the source text at every boundary that matters (a part of the source,
a sentence, a claim's evidence starting or ending, a citation marker), so each segment knows the
sentence it belongs to, every claim whose words it holds (overlapping and identical spans alike)
and the marker it is, if any.  :func:`render_html` puts that on one page built like the viewer
(:mod:`serokg.graph.present.page`): the text goes in with ``textContent``, highlights are coloured
by effect and styled by modality, denials marked, and a click opens the viewer's claim card.

>>> from serokg.graph.read import load
>>> ds = load()
>>> data = reading_data(ds, "selfhacked-5ht1a")
>>> len({i for ids in data["claimSets"] for i in ids}) == len(data["claims"])
True
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from serokg.graph.coverage import Coverage, sentence_coverage
from serokg.graph.present.claims import (
    EDGE_CLASSES, EVIDENCE_COLORS, card_data, claim_facets, conflicts_by_claim, evidence_levels, reference_data,
)

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["marker_spans", "reading_data", "render_html"]

#: A citation marker as the plain-text copy keeps it: "(R)", or "(R" run into the next word.
_MARKER = re.compile(r"\(R\)?")
_REGION_LABELS = {"body": "Article", "comment": "Readers' comments"}


def marker_spans(ds: Dataset, source_id: str) -> list[tuple[int, int, str | None]]:
    """``(start, end, marker id)`` of every citation marker in the source text, in reading order.

    The markers file numbers the markers in reading order; when its count and the text's disagree
    the markers are still marked, but none is named (a wrong link is worse than none)."""
    text = ds.texts[source_id]
    found = [(m.start(), m.end()) for m in _MARKER.finditer(text)]
    names: list[str | None] = list(ds.markers.get(source_id, ()))
    if len(names) != len(found):
        names = [None] * len(found)
    return [(a, b, name) for (a, b), name in zip(found, names)]


def _segments(text: str, cov: Coverage, claims: list[tuple[int, int, str]],
              markers: list[tuple[int, int, str | None]]) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """The regions of the text, each a list of ``[text, sentence, claim set, marker]`` segments."""
    cuts = {0, len(text)}
    for r in cov.regions:
        cuts.update((r.start, r.end))
    for s in cov.sentences:
        cuts.update((s.start, s.end))
    for a, b, _ in claims:
        cuts.update((a, b))
    for a, b, _ in markers:
        cuts.update((a, b))
    points = sorted(x for x in cuts if 0 <= x <= len(text))
    sentence_starts = [s.start for s in cov.sentences]
    marker_starts = [a for a, _, _ in markers]
    by_start = sorted(claims)
    active: dict[str, int] = {}  # claim id -> end, for the claims open at the current point
    next_claim = 0
    sets: dict[tuple[str, ...], int] = {}
    regions: list[dict[str, Any]] = [{"part": r.part, "name": r.name, "label": _REGION_LABELS.get(r.part, r.name.replace("_", " ")),
                                      "segs": []} for r in cov.regions]
    region_ends = [r.end for r in cov.regions]
    for a, b in zip(points, points[1:]):
        while next_claim < len(by_start) and by_start[next_claim][0] <= a:
            active[by_start[next_claim][2]] = by_start[next_claim][1]
            next_claim += 1
        for cid in [c for c, end in active.items() if end <= a]:
            del active[cid]
        i = bisect_right(sentence_starts, a) - 1
        sentence = i if i >= 0 and cov.sentences[i].end >= b else -1
        k = bisect_right(marker_starts, a) - 1
        marker = k if k >= 0 and markers[k][1] >= b else -1
        claim_set = -1
        if active:
            key = tuple(sorted(active))
            claim_set = sets.setdefault(key, len(sets))
        region = bisect_right(region_ends, a)
        regions[region]["segs"].append([text[a:b], sentence, claim_set, marker])
    return regions, [list(k) for k in sets]


def reading_data(ds: Dataset, source_id: str, *, graph_link: str | None = None,
                 evidence: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """Everything the reading page shows of one source (``graph_link``: relative address of the viewer
    page; ``evidence``: the claims' levels from :func:`~serokg.graph.present.claims.evidence_levels`)."""
    source = ds.sources[source_id]
    text = ds.texts[source_id]
    cov = sentence_coverage(ds, source_id)
    claims = sorted((c for c in ds.claims.values() if c.evidence.source == source_id),
                    key=lambda c: (c.evidence.start, -c.evidence.end, c.id))
    markers = marker_spans(ds, source_id)
    regions, claim_sets = _segments(text, cov, [(c.evidence.start, c.evidence.end, c.id) for c in claims], markers)
    evidence = evidence if evidence is not None else evidence_levels(ds, claims)
    conflicts = conflicts_by_claim(ds, claims)
    cited: dict[str, list[str]] = {}
    for c in claims:
        if c.citation.marker:
            cited.setdefault(c.citation.marker, []).append(c.id)
    refs_of: dict[str, list[str]] = {}
    for ref in ds.references.values():
        for m in ref.markers:
            refs_of.setdefault(m, []).append(ref.id)
    url = source.url if source.url and source.url.startswith("https://") else None
    return {
        "source": {"id": source.id, "title": source.title, "url": url, "author": source.author, "site": source.site},
        "regions": regions,
        "sentences": [[s.kind, s.part, bool(s.claims)] for s in cov.sentences],
        "claimSets": claim_sets,
        "order": [c.id for c in claims],
        "claims": {c.id: card_data(c, ds, evidence, conflicts) for c in claims},
        "markers": [{"id": name, "claims": cited.get(name or "", []),
                     "refs": [reference_data(ds, r) for r in refs_of.get(name or "", [])]} for _, _, name in markers],
        "coverage": cov.counts(),
        "edgeClasses": {k: v.label for k, v in EDGE_CLASSES.items()},
        "elsewhere": {"href": graph_link, "text": "Show it in the graph"} if graph_link else None,
    }


def render_html(ds: Dataset, source_id: str, *, graph_link: str | None = None, title: str | None = None) -> str:
    """The reading page of one source as one self-contained HTML file; it loads nothing from anywhere."""
    from serokg.graph.present.page import render_page

    claims = [c for c in ds.claims.values() if c.evidence.source == source_id]
    evidence = evidence_levels(ds, claims)
    data = reading_data(ds, source_id, graph_link=graph_link, evidence=evidence)
    source = ds.sources[source_id]
    return render_page(
        "read_page.html", data, styles=("page_common.css", "read_page.css"), scripts=("page_common.js", "read_page.js"),
        title=title or f"Read: {source.title}", source=source, source_url=data["source"]["url"],
        n_claims=len(claims), coverage=data["coverage"],
        facets=claim_facets(claims, evidence), edge_classes=EDGE_CLASSES,
        evidence_colors=EVIDENCE_COLORS, graph_link=graph_link,
    )
