"""One page a reader can trust: the graph's numbers, the autoreceptor answer, claims by receptor
site, conflicts, source fidelity and charts, as self-contained HTML (the Markdown form is
:mod:`~serokg.graph.present.report_markdown`, from the same :class:`Report`).

Every number comes from :func:`~serokg.graph.stats.stats`, :func:`~serokg.graph.pairs.conflicts`,
:func:`~serokg.graph.fidelity.fidelity_summary` or :func:`~serokg.graph.evidence.count_levels`, and
is marked ``data-key="..."`` in the HTML so tests can compare it with those functions.  The HTML
loads nothing: no script, no stylesheet or font from elsewhere, charts as inline SVG, and a
Content-Security-Policy that forbids scripts and remote loads.  Every string from the data is
escaped.

>>> from serokg.graph.read import load
>>> "<svg" in render_html(load())
True
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from serokg.graph.conflict import Conflict, ConflictKind
from serokg.graph.fidelity import FidelitySummary, fidelity_summary
from serokg.graph.pairs import ConflictOverview, conflict_groups, conflict_overview, conflicts
from serokg.graph.evidence import LEVEL_LABELS, EvidenceLevel, evidence_info
from serokg.graph.sentence import say
from serokg.schema.models import Claim, EntityType

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["KIND_LABELS", "REPORT_PAIRS", "REPORT_ROWS", "REPORT_SITES", "Report", "autoreceptor_claims",
           "build_report", "label", "more_note", "organism_counts", "render_html", "site_groups", "topic_command"]

KIND_LABELS = {
    ConflictKind.contradiction: "contradiction",
    ConflictKind.context_dependent: "context-dependent",
    ConflictKind.different_aspect: "different aspect",
}

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Report:
    """Everything the page shows, computed once."""

    title: str
    source_lines: list[str]
    stats: dict[str, Any]
    levels: dict[str, int]
    autoreceptors: list[Claim]  # every one; a table shows the first REPORT_ROWS
    sites: list[tuple[str, list[Claim]]]
    conflicts: list[Conflict]  # every pair, or with ``overview`` only its examples
    fidelity: FidelitySummary  # whole counts, at most REPORT_ROWS items per verdict
    overview: ConflictOverview | None = None  # set when there are too many pairs to list


#: Above this many conflicting pairs the report summarises them per topic (a page listing every
#: pair of a 10^5-claim corpus weighs hundreds of MB) and points to ``serokg conflicts --topic``.
REPORT_PAIRS = 500
#: A table of claims (autoreceptors, a receptor site, a fidelity verdict) lists at most this many and
#: names the command that lists them all: at 10^6 claims the page would otherwise weigh 245 MB.
REPORT_ROWS = 200
#: Receptors and sites shown with their claims; the rest are counted in one table (10^6 synthetic
#: claims have 2,263 of them: 19 MB of tables even at REPORT_ROWS each).
REPORT_SITES = 40


def autoreceptor_claims(ds: Dataset) -> list[Claim]:
    """Claims in which a substance acts on an autoreceptor (denials included), in file order:
    the claims of :func:`serokg.graph.answers.acting_on`, so the report and the quick start agree."""
    from serokg.graph.answers import acting_on

    ids = {a.claim for answer in acting_on(ds, "autoreceptor") for a in answer.actions}
    return [c for c in ds.claims.values() if c.id in ids]


def site_groups(ds: Dataset) -> list[tuple[str, list[Claim]]]:
    """Claims about each receptor and each of its sites (as subject or object), receptors first
    in the order of the entities file, each followed by its sites."""
    out: list[tuple[str, list[Claim]]] = []
    by_node: dict[str, list[Claim]] = {}
    for c in ds.claims.values():
        for node in dict.fromkeys((c.subject, c.object)):
            by_node.setdefault(node, []).append(c)
    for e in ds.entities.values():
        if e.type is not EntityType.receptor or e.parent is not None:
            continue
        for node in (e.id, *ds.children.get(e.id, ())):
            if by_node.get(node) and ds.entities[node].type in (EntityType.receptor, EntityType.receptor_population):
                out.append((node, by_node[node]))
    return out


def build_report(ds: Dataset) -> Report:
    from serokg.graph.evidence import count_levels
    from serokg.graph.stats import stats

    src = next(iter(ds.sources.values()), None)
    title = f"Evidence report: {src.title}" if src else "Evidence report"
    lines = [x for x in ((src.url if src else None), (f"by {src.author}" if src and src.author else None)) if x]
    overview = conflict_overview(ds)
    found = conflicts(ds) if overview.total <= REPORT_PAIRS else overview.examples
    return Report(title, lines, stats(ds), count_levels(ds), autoreceptor_claims(ds), site_groups(ds),
                  found, fidelity_summary(ds, limit=REPORT_ROWS), None if overview.total <= REPORT_PAIRS else overview)


def more_note(total: int, command: str) -> str | None:
    """What a capped table says under it: how many it shows, and the command that lists every one."""
    if total <= REPORT_ROWS:
        return None
    return f"The first {REPORT_ROWS} of {total} are listed; {command} lists them all."


# --- HTML --------------------------------------------------------------------------------------

_e = html.escape


def _num(key: str, value: int) -> str:
    return f'<span class="num" data-key="{_e(key)}">{value}</span>'


def _bar_chart(title: str, counts: dict[str, int], key: str, colour: str = "#3b6ea5") -> str:
    """A horizontal bar chart as inline SVG; each bar carries its count in ``data-key``."""
    items = list(counts.items())
    width, label_w, bar_w, row = 640, 220, 340, 24
    height = 34 + row * max(len(items), 1)
    top = max([v for _, v in items] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-labelledby="{_e(key)}-t" class="chart">',
             f'<title id="{_e(key)}-t">{_e(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{_e(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = 28 + i * row
        w = 0 if value == 0 else max(2, round(bar_w * value / top))
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" font-size="12" text-anchor="end">{_e(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" fill="{colour}">'
                     f'<title>{_e(label)}: {value}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12" data-key="{_e(key)}.{_e(label)}">'
                     f'{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def organism_counts(ds: Dataset, s: dict[str, Any]) -> dict[str, int]:
    return {(ds.entities[k].label if k in ds.entities else "not stated" if k == "none" else k): v
            for k, v in s["claims_by_organism"].items()}


def _claim_row(c: Claim, ds: Dataset, *, show_subject: bool = True) -> str:
    info = evidence_info(c, ds)
    ref = ds.references.get(c.citation.reference) if c.citation.reference else None
    cite = c.citation.marker or "none"
    who = " ".join(str(x) for x in ((ref.first_author, ref.year) if ref else ()) if x)
    if who:
        cite += f" ({who})"
    cells = [f'<td class="id">{_e(c.id)}</td>']
    if show_subject:
        cells.append(f"<td>{_e(ds.entities[c.subject].label)}</td>")
    cells += [f"<td>{_e(say(c, ds.entities))}</td>",
              f'<td class="lvl-{_e(info.level.value)}">{_e(info.label)}</td>',
              f"<td>{_e(c.modality.value)}{' (negated)' if c.negated else ''}</td>",
              f"<td>{_e(cite)}</td>",
              f'<td class="v-{_e(c.fidelity.verdict.value)}">{_e(c.fidelity.verdict.value.replace("_", " "))}</td>']
    return "<tr>" + "".join(cells) + "</tr>"


def _claim_table(claims: list[Claim], ds: Dataset, *, show_subject: bool = True) -> str:
    head = ["claim"] + (["subject"] if show_subject else []) + ["statement", "evidence level", "modality",
                                                                "citation", "fidelity"]
    return ("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(_claim_row(c, ds, show_subject=show_subject) for c in claims) + "</tbody></table>")


def _count_table(counts: dict[str, int], key: str, labels: dict[str, str] | None = None) -> str:
    rows = "".join(f"<tr><td>{_e((labels or {}).get(k, k))}</td><td>{_num(f'{key}.{k}', v)}</td></tr>"
                   for k, v in counts.items())
    return f"<table class=\"counts\"><tbody>{rows}</tbody></table>"


def _side_html(side, ds: Dataset) -> str:
    c = ds.claims[side.claim]
    quote = c.evidence.quote if side.basis == "text" else side.heading or ""
    who = side.source + (" (list heading)" if side.basis == "list heading" else "")
    return (f"<div class=\"side\"><b>{_e(side.statement)}</b><br><span class=\"meta\">{_e(who)}; claim "
            f"<code>{_e(side.claim)}</code>; {_e(evidence_info(c, ds).label)}</span>"
            f"<blockquote>{_e(quote)}</blockquote></div>")


def _detail(c: Conflict) -> str:
    """The explanation without the kind it starts with (the tag beside it says that)."""
    text = c.explanation
    for prefix in ("context-dependent: ", "different aspect: ", "contradiction"):
        if text.startswith(prefix):
            return text[len(prefix):].strip()
    return text


def _source_line(line: str) -> str:
    """A line under the title; the source's address is a link when it is https (anything else stays text)."""
    if line.startswith("https://") and not any(ch.isspace() for ch in line):
        return f'<a href="{_e(line)}" target="_blank" rel="noopener noreferrer">{_e(line)}</a>'
    return _e(line)


def topic_command(topic: tuple[str, str]) -> str:
    return f"serokg conflicts --topic {topic[0]},{topic[1]}"


def _conflicts_html(found: list[Conflict], ds: Dataset, overview: ConflictOverview | None = None) -> str:
    by_kind = Counter(c.kind for c in found)
    if overview is None:
        out = [f"<p>{_num('conflicts.total', len(found))} conflicting pairs of claims in "
               f"{_num('conflicts.topics', len(conflict_groups(found)))} topics: "
               + ", ".join(f"{_num(f'conflicts.{k.value}', by_kind.get(k, 0))} {_e(KIND_LABELS[k])}"
                           for k in ConflictKind) + ".</p>"]
    else:
        rows = "".join(f"<tr><td>{_e(label(ds, s))} \u2192 {_e(label(ds, o))}</td>"
                       f"<td>{_num(f'conflicts.topic.{s},{o}', n)}</td>"
                       f"<td><code>{_e(topic_command((s, o)))}</code></td></tr>"
                       for (s, o), n in overview.topics[:len({c.topic for c in found})])
        out = [f"<p>{_num('conflicts.total', overview.total)} conflicting pairs of claims in "
               f"{_num('conflicts.topics', len(overview.topics))} topics, too many to list on one page. "
               f"The largest topics follow, each with its first examples ({len(found)} shown: "
               + ", ".join(f"{by_kind.get(k, 0)} {_e(KIND_LABELS[k])}" for k in ConflictKind)
               + "). <code>serokg conflicts --summary</code> counts every topic; the command beside a topic "
               "lists its pairs (add <code>--limit</code> to page).</p>",
               f"<table class=\"counts\"><thead><tr><th>topic</th><th>pairs</th><th>all its pairs</th></tr>"
               f"</thead><tbody>{rows}</tbody></table>"]
    for (subj, obj), items in conflict_groups(found).items():
        out.append(f"<h3>{_e(label(ds, subj))} \u2192 {_e(label(ds, obj))}</h3>")
        for c in items:
            notes = "".join(f"<li>{_e(n)}</li>" for n in c.notes)
            unstated = (f"<p class=\"meta\">Stated on one side only: {_e(', '.join(c.unstated))}.</p>"
                        if c.unstated else "")
            out.append(
                f'<div class="conflict k-{_e(c.kind.value)}" id="conflict-{_e(c.id)}" data-kind="{_e(c.kind.value)}">'
                f'<p><span class="tag">{_e(KIND_LABELS[c.kind])}</span> {_e(_detail(c))}</p>'
                f'<div class="pair">{_side_html(c.a, ds)}{_side_html(c.b, ds)}</div>{unstated}'
                + (f"<ul class=\"notes\">{notes}</ul>" if notes else "") + "</div>")
    return "".join(out)


def label(ds: Dataset, eid: str) -> str:
    return ds.entities[eid].label if eid in ds.entities else eid


def _more_html(total: int, command: str) -> str:
    note = more_note(total, f"<code>{_e(command)}</code>")
    return f'<p class="meta more">{note}</p>' if note else ""


def _fidelity_html(fid: FidelitySummary) -> str:
    out = [_count_table({k: v for k, v in fid.counts.items()}, "fidelity", {"no_source": "no source"})]
    for verdict, items in fid.items.items():
        if not items:
            continue
        rows = "".join(f"<tr><td class=\"id\">{_e(i.claim)}</td><td>{_e(i.statement)}</td>"
                       f"<td>{_e(i.marker or 'none')}</td><td>{_e(i.reason)}</td></tr>" for i in items[:REPORT_ROWS])
        out.append(f"<details{' open' if verdict in ('contradicted', 'overstated', 'generalised') else ''}>"
                   f"<summary>{_e(verdict.replace('_', ' '))} ({fid.counts[verdict]})</summary>"
                   f"<table><thead><tr><th>claim</th><th>statement</th><th>marker</th><th>reason</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>"
                   f"{_more_html(fid.counts[verdict], f'serokg fidelity --verdict {verdict}')}</details>")
    return "".join(out)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}table.counts{width:auto}td.id,code{font-family:ui-monospace,monospace;font-size:.8rem}
.meta{color:#666;font-size:.85rem}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
.conflict{border-left:4px solid #999;padding:.3rem .8rem;margin:.8rem 0;background:#fafafa}
.k-contradiction{border-color:#c0392b}.k-context_dependent{border-color:#d68910}.k-different_aspect{border-color:#2874a6}
.tag{font-weight:bold;text-transform:uppercase;font-size:.75rem;letter-spacing:.04em}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}blockquote{margin:.3rem 0;color:#444;font-style:italic}
.v-contradicted{color:#c0392b;font-weight:bold}.v-overstated,.v-generalised{color:#b9770e}
.v-supported{color:#1e8449}svg.chart{max-width:100%;height:auto}
td,th,.side,blockquote,.meta,a{overflow-wrap:anywhere}
@media (max-width:600px){body{margin:1rem auto;padding:0 .5rem}table{font-size:.78rem}th,td{padding:.2rem .25rem}
.pair{grid-template-columns:1fr}td.id,code{font-size:.7rem}}
"""


def render_html(ds: Dataset, report: Report | None = None) -> str:
    """The report as one self-contained HTML page."""
    r = report or build_report(ds)
    s = r.stats
    tot = s["totals"]
    cit = s["citations"]
    levels_labelled = {LEVEL_LABELS[EvidenceLevel(k)]: v for k, v in r.levels.items()}
    verdicts = {k.replace("_", " "): v for k, v in r.fidelity.counts.items()}
    numbers = (
        "<p>"
        f"{_num('totals.claims', tot['claims'])} claims about {_num('totals.entities', tot['entities'])} entities, "
        f"citing {_num('totals.references', tot['references'])} reconstructed references from "
        f"{_num('totals.sources', tot['sources'])} source document(s). "
        f"{_num('citations.claims_with_marker', cit['claims_with_marker'])} claims name a citation marker and "
        f"{_num('citations.claims_with_reference', cit['claims_with_reference'])} link to a reference; "
        f"{_num('citations.markers_used', cit['markers_used'])} of "
        f"{_num('citations.markers_in_sources', cit['markers_in_sources'])} markers are used. "
        f"{_num('claims_negated', s['claims_negated'])} claims are denials (\u201cno change\u201d).</p>"
        "<div class=\"grid\">"
        f"<div><h3>By modality</h3>{_count_table(s['claims_by_modality'], 'claims_by_modality')}</div>"
        f"<div><h3>By part</h3>{_count_table(s['claims_by_part'], 'claims_by_part')}</div>"
        f"<div><h3>By organism basis</h3>{_count_table(s['claims_by_organism_basis'], 'claims_by_organism_basis')}</div>"
        f"<div><h3>By evidence level</h3>{_count_table(r.levels, 'evidence', {k.value: v for k, v in LEVEL_LABELS.items()})}</div>"
        "</div>"
    )
    charts = ("<div class=\"charts\">"
              + _bar_chart("Claims by organism", organism_counts(ds, s), "chart-organism", "#3b6ea5")
              + _bar_chart("Claims by evidence level", levels_labelled, "chart-evidence", "#7d3c98")
              + _bar_chart("Claims by fidelity verdict", verdicts, "chart-fidelity", "#1e8449")
              + "</div>")
    auto_subjects = sorted({c.subject for c in r.autoreceptors}, key=lambda x: ds.entities[x].label.casefold())
    auto = (f"<p>{_num('autoreceptors.claims', len(r.autoreceptors))} claims by "
            f"{_num('autoreceptors.subjects', len(auto_subjects))} subjects act on an autoreceptor. "
            "Denials show as \u201cdoes not change\u201d; the evidence level says what stands behind each.</p>"
            + _claim_table(r.autoreceptors[:REPORT_ROWS], ds)
            + _more_html(len(r.autoreceptors), "serokg acting-on autoreceptor"))
    sites = "".join(
        f"<h3 id=\"site-{_e(node)}\">{_e(ds.entities[node].label)} "
        f"<span class=\"meta\">({_num(f'sites.{node}', len(claims))} claims)</span></h3>"
        + _claim_table(claims[:REPORT_ROWS], ds) + _more_html(len(claims), f"serokg query --touches {node}")
        for node, claims in r.sites[:REPORT_SITES])
    if len(r.sites) > REPORT_SITES:
        rest = r.sites[REPORT_SITES:]
        sites += (f"<h3 id=\"sites-more\">{len(rest)} more receptors and sites</h3><table class=\"counts\"><thead>"
                  "<tr><th>receptor or site</th><th>claims</th><th>its claims</th></tr></thead><tbody>"
                  + "".join(f"<tr><td>{_e(ds.entities[node].label)}</td>"
                            f"<td>{_num(f'sites.{node}', len(claims))}</td>"
                            f"<td><code>{_e(f'serokg query --touches {node}')}</code></td></tr>"
                            for node, claims in rest)
                  + "</tbody></table>")
    src = "".join(f"<p class=\"meta\">{_source_line(x)}</p>" for x in r.source_lines)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_e(r.title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(r.title)}</h1>{src}"
        "<p>Each claim is one assertion of the article or of a reader comment, with its evidence quote, "
        "organism, citation and a verdict on how faithfully the article reports its source. Evidence levels "
        "are derived from each claim's data.</p>"
        "<nav><a href=\"#numbers\">Numbers</a> \u00b7 <a href=\"#charts\">Charts</a> \u00b7 "
        "<a href=\"#autoreceptors\">Autoreceptors</a> \u00b7 <a href=\"#sites\">By receptor site</a> \u00b7 "
        "<a href=\"#conflicts\">Conflicts</a> \u00b7 <a href=\"#fidelity\">Fidelity</a></nav>"
        f"<h2 id=\"numbers\">The graph in numbers</h2>{numbers}"
        f"<h2 id=\"charts\">Charts</h2>{charts}"
        f"<h2 id=\"autoreceptors\">Which substances act on autoreceptors?</h2>{auto}"
        f"<h2 id=\"sites\">Claims by receptor site</h2>{sites}"
        f"<h2 id=\"conflicts\">Conflicts</h2>"
        "<p>Pairs of claims about the same subject and object (or the same receptor at another site) whose "
        "directions disagree, classified by what differs: a <b>contradiction</b> (nothing differs but perhaps "
        "the source), <b>context-dependent</b> (organism, region, site, regimen, dose or condition), or a "
        "<b>different aspect</b> (number vs sensitivity).</p>"
        f"{_conflicts_html(r.conflicts, ds, r.overview)}"
        f"<h2 id=\"fidelity\">Source fidelity</h2>"
        f"<p>How faithfully the article reports its sources, over {_num('fidelity.total', r.fidelity.total)} "
        f"claims.</p>{_fidelity_html(r.fidelity)}"
        "</body></html>\n"
    )
