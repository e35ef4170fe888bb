"""The report of :mod:`~serokg.graph.present.report` as Markdown (GitHub-flavoured tables): the same
:class:`~serokg.graph.present.report.Report`, the same sections, caps and commands as the HTML.

>>> from serokg.graph.read import load
>>> render_markdown(load()).startswith("# Evidence report")
True
"""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING, Any

from serokg.graph.conflict import ConflictKind
from serokg.graph.evidence import LEVEL_LABELS, EvidenceLevel, evidence_info
from serokg.graph.pairs import conflict_groups
from serokg.graph.present import report as html_report
from serokg.graph.present.report import (
    KIND_LABELS,
    Report,
    build_report,
    label,
    more_note,
    organism_counts,
    topic_command,
)
from serokg.graph.sentence import effect, say

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["render_markdown"]


def _md(text: Any) -> str:
    """Text safe in a Markdown table cell: HTML escaped (renderers pass HTML through), table and
    emphasis characters backslash-escaped, on one line."""
    out = html.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ").replace("\\", "\\\\")
    for ch in "`*_[]|":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(x) for x in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _more_md(total: int, command: str) -> list[str]:
    note = more_note(total, f"`{command}`")
    return [note, ""] if note else []


def render_markdown(ds: Dataset, report: Report | None = None) -> str:
    """The report as Markdown (GitHub-flavoured tables)."""
    r = report or build_report(ds)
    s, tot, cit = r.stats, r.stats["totals"], r.stats["citations"]
    out = [f"# {_md(r.title)}", ""] + [_md(x) + "  " for x in r.source_lines] + [""]
    out += ["## The graph in numbers", "",
            f"{tot['claims']} claims about {tot['entities']} entities, citing {tot['references']} reconstructed "
            f"references from {tot['sources']} source document(s). {cit['claims_with_marker']} claims name a "
            f"citation marker and {cit['claims_with_reference']} link to a reference; {cit['markers_used']} of "
            f"{cit['markers_in_sources']} markers are used. {s['claims_negated']} claims are denials.", ""]
    for title, key in (("By modality", "claims_by_modality"), ("By part", "claims_by_part"),
                       ("By organism basis", "claims_by_organism_basis")):
        out += [f"### {title}", "", _md_table(["value", "claims"], [[k, v] for k, v in s[key].items()])]
    out += ["### By organism", "",
            _md_table(["organism", "claims"], [[k, v] for k, v in organism_counts(ds, s).items()])]
    out += ["### By evidence level", "",
            _md_table(["level", "claims"], [[LEVEL_LABELS[EvidenceLevel(k)], v] for k, v in r.levels.items()])]
    out += ["## Which substances act on autoreceptors?", ""]
    out.append(_md_table(["claim", "subject", "statement", "evidence level", "modality", "citation", "fidelity"],
                         [[c.id, ds.entities[c.subject].label, say(c, ds.entities), evidence_info(c, ds).label,
                           c.modality.value, c.citation.marker or "none", c.fidelity.verdict.value]
                          for c in r.autoreceptors[:html_report.REPORT_ROWS]]))
    out += _more_md(len(r.autoreceptors), "serokg acting-on autoreceptor")
    out += ["## Claims by receptor site", ""]
    for node, claims in r.sites[:html_report.REPORT_SITES]:
        out += [f"### {_md(ds.entities[node].label)} ({len(claims)} claims)", "",
                _md_table(["claim", "statement", "effect", "evidence level", "fidelity"],
                          [[c.id, say(c, ds.entities), effect(c), evidence_info(c, ds).label,
                            c.fidelity.verdict.value] for c in claims[:html_report.REPORT_ROWS]])]
        out += _more_md(len(claims), f"serokg query --touches {node}")
    if len(r.sites) > html_report.REPORT_SITES:
        rest = r.sites[html_report.REPORT_SITES:]
        out += [f"### {len(rest)} more receptors and sites", "",
                _md_table(["receptor or site", "claims", "its claims"],
                          [[ds.entities[node].label, len(claims), f"serokg query --touches {node}"]
                           for node, claims in rest])]
    by_kind = Counter(c.kind for c in r.conflicts)
    if r.overview is None:
        out += ["## Conflicts", "",
                f"{len(r.conflicts)} conflicting pairs in {len(conflict_groups(r.conflicts))} topics: "
                + ", ".join(f"{by_kind.get(k, 0)} {KIND_LABELS[k]}" for k in ConflictKind) + ".", ""]
    else:
        shown = r.overview.topics[:len({c.topic for c in r.conflicts})]
        out += ["## Conflicts", "",
                f"{r.overview.total} conflicting pairs in {len(r.overview.topics)} topics, too many to list here. "
                f"The largest topics follow, then their first examples ({len(r.conflicts)} shown: "
                + ", ".join(f"{by_kind.get(k, 0)} {KIND_LABELS[k]}" for k in ConflictKind)
                + "). `serokg conflicts --summary` counts every topic.", "",
                _md_table(["topic", "pairs", "all its pairs"],
                          [[f"{label(ds, t[0])} \u2192 {label(ds, t[1])}", n, f"`{topic_command(t)}`"]
                           for t, n in shown])]
    out.append(_md_table(["kind", "claim A", "claim B", "what differs", "notes"],
                         [[KIND_LABELS[c.kind], f"{c.a.statement} ({c.a.key}, {c.a.source})",
                           f"{c.b.statement} ({c.b.key}, {c.b.source})", c.explanation, "; ".join(c.notes)]
                          for c in r.conflicts]))
    out += ["## Source fidelity", "", f"Over {r.fidelity.total} claims.", "",
            _md_table(["verdict", "claims"], [[k.replace("_", " "), v] for k, v in r.fidelity.counts.items()])]
    for verdict, items in r.fidelity.items.items():
        if items:
            out += [f"### {_md(verdict.replace('_', ' '))} ({r.fidelity.counts[verdict]})", "",
                    _md_table(["claim", "statement", "marker", "reason"],
                              [[i.claim, i.statement, i.marker or "none", i.reason]
                               for i in items[:html_report.REPORT_ROWS]])]
            out += _more_md(r.fidelity.counts[verdict], f"serokg fidelity --verdict {verdict}")
    return "\n".join(out).rstrip() + "\n"
