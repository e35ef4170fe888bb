"""Analysis commands: conflicts, fidelity, report."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from serokg.cli.options import DataOpt, EvidenceOpt, FormatOpt, IndexOpt, OutFormat
from serokg.cli.output import count, echo, render

__all__ = ["CONFLICT_HEADER", "ReportFormat", "register"]

#: The CSV columns of ``conflicts``: the flattened keys of Conflict.as_dict (tests check they agree).
_SIDE = ("claim", "key", "basis", "subject", "object", "value", "aspect", "source", "statement", "heading")
CONFLICT_HEADER = ["id", "topic", "kind", "explanation", "differs", "differences", "unstated", "notes",
                   *(f"a.{k}" for k in _SIDE), *(f"b.{k}" for k in _SIDE)]


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


def _echo(text: str) -> None:
    typer.echo(text, nl=False)


def _why(r: dict) -> str:
    """The conflict's explanation, and for a plain contradiction what the two sides say."""
    text = r["explanation"]
    if r["kind"] == "contradiction":
        text += f": {r['a']['value']} vs {r['b']['value']}"
    if r["unstated"]:
        text += f"; stated on one side only: {', '.join(r['unstated'])}"
    return text


def _topic(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    subject, sep, obj = value.partition(",")
    if not sep or not subject.strip() or not obj.strip() or "," in obj:
        raise typer.BadParameter(f"{value!r} is not SUBJECT,OBJECT (two entity ids, e.g. ssri,htr1a_auto)",
                                 param_hint="--topic")
    return subject.strip(), obj.strip()


def _side(key: tuple[str, str, str, str]) -> str:
    subject, obj, value, basis = key
    return f"{subject} {value} {obj}" + (" (list heading)" if basis == "list heading" else "")


def conflicts(data: DataOpt = None, fmt: FormatOpt = OutFormat.table,
              kind: Annotated[Optional[str], typer.Option(
                  help="Only this kind: contradiction, context_dependent or different_aspect.")] = None,
              evidence: EvidenceOpt = None, index: IndexOpt = None,
              topic: Annotated[Optional[str], typer.Option(
                  metavar="SUBJECT,OBJECT",
                  help="Only the pairs of this topic (entity ids, as --summary lists them).")] = None,
              limit: Annotated[Optional[int], typer.Option(
                  min=0, help="At most this many pairs (default: all); only those are classified.")] = None,
              offset: Annotated[int, typer.Option(min=0, help="Skip this many pairs first (paging).")] = 0,
              summary: Annotated[bool, typer.Option(
                  "--summary", help="Count the pairs per topic and pair of stances instead of listing them "
                  "(bounded at any size; --kind needs the listing).")] = False) -> None:
    """Pairs of claims whose directions disagree, classified by what differs between them.
    --evidence keeps the pairs with at least one claim of that level."""
    from serokg.graph.analyse import ConflictKind, conflict_counts, iter_conflicts
    from serokg.graph.index import load_for

    if kind is not None and kind not in ConflictKind.__members__:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(ConflictKind.__members__)}", param_hint="--kind")
    if summary and kind is not None:
        raise typer.BadParameter("--summary counts pairs without classifying them; drop --kind or --summary",
                                 param_hint="--kind")
    wanted = _topic(topic)
    ds = load_for(data, index=index)
    if summary:
        counted = [x for x in conflict_counts(ds, evidence) if wanted is None or x.topic == wanted]
        rows = [{"topic": list(x.topic), "a": _side(x.a), "b": _side(x.b), "pairs": x.pairs}
                for x in islice(counted, offset, None if limit is None else offset + limit)]
        _echo(render(rows, fmt, ["pairs", "topic", "a", "b"], header=["topic", "a", "b", "pairs"]))
        if fmt is OutFormat.table:
            echo(f"{count(sum(x.pairs for x in counted), 'conflict')} in {count(len(counted), 'pair')} of stances",
                 err=True)
        return
    stream = (c for c in iter_conflicts(ds, evidence, topic=wanted) if kind is None or c.kind.value == kind)
    rows = (c.as_dict() for c in islice(stream, offset, None if limit is None else offset + limit))
    if fmt is OutFormat.table:
        n = 0
        for block in _blocks(rows, TABLE_BLOCK):
            table = [{"kind": r["kind"], "a": f"{r['a']['statement']} [{r['a']['source']}]",
                      "b": f"{r['b']['statement']} [{r['b']['source']}]", "why": _why(r),
                      "id": r["id"].replace("--", " -- ")}  # the pair's two claim ids, each whole on its line
                     for r in block]
            _echo(("\n" if n else "") + render(table, fmt, ["kind", "why", "a", "b", "id"]))
            n += len(block)
        echo(count(n, "conflict"), err=True)
        return
    for text in _stream(rows, fmt, CONFLICT_HEADER):
        _echo(text)


#: Pairs per table block: a table is aligned over all its rows, so a listing of millions of pairs
#: is printed as aligned blocks of this many (each with its header) to stay bounded in memory.
TABLE_BLOCK = 10_000
#: Records rendered per write in JSON, JSONL and CSV: the bytes are those of one render of them all.
_CHUNK = 2_000


def _blocks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while block := list(islice(items, size)):
        yield block


def _stream(records: Iterator[dict[str, Any]], fmt: OutFormat, header: list[str]) -> Iterator[str]:
    """``render(list(records), fmt, [], header)`` in pieces, holding one chunk of records at a time.

    >>> rows = [{"id": str(i), "n": i} for i in range(5)]
    >>> all("".join(_stream(iter(rows), f, ["id", "n"])) == render(rows, f, [], header=["id", "n"])
    ...     for f in (OutFormat.json, OutFormat.jsonl, OutFormat.csv))
    True
    """
    first = True
    for chunk in _blocks(records, _CHUNK):
        text = render(chunk, fmt, [], header=header)
        if fmt is OutFormat.json:  # "[\n  {...},\n  {...}\n]\n": the items, joined across chunks
            text = ("[\n" if first else ",\n") + text[2:-3]
        elif fmt is OutFormat.csv and not first:
            text = text[text.index("\n") + 1:]  # the header (plain names, one line) only once
        first = False
        yield text
    if first:
        yield render([], fmt, [], header=header)
    elif fmt is OutFormat.json:
        yield "\n]\n"


def fidelity(data: DataOpt = None, fmt: FormatOpt = OutFormat.table,
             verdict: Annotated[Optional[str], typer.Option(help="List only this verdict.")] = None,
             evidence: EvidenceOpt = None, index: IndexOpt = None) -> None:
    """How faithfully the article reports its sources: counts by verdict, and each claim with its reason.
    --evidence counts only the claims of that level."""
    from dataclasses import fields

    from serokg.graph.analyse import FidelityItem, fidelity_summary
    from serokg.graph.index import load_for
    from serokg.schema.models import FidelityVerdict

    if verdict is not None and verdict not in FidelityVerdict.__members__:
        raise typer.BadParameter(f"{verdict!r} is not one of {', '.join(FidelityVerdict.__members__)}",
                                 param_hint="--verdict")
    summary = fidelity_summary(load_for(data, index=index), evidence)
    if fmt is OutFormat.json:
        doc = summary.as_dict()
        if verdict:
            doc["items"] = {verdict: doc["items"][verdict]}
        _echo(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"verdict": v, **vars(i)} for v, items in summary.items.items() if verdict in (None, v) for i in items]
    if fmt is not OutFormat.table:
        _echo(render(rows, fmt, [], header=["verdict", *(f.name for f in fields(FidelityItem))]))
        return
    counts = [{"verdict": k, "claims": n} for k, n in summary.counts.items()]  # spelled as --verdict takes it
    _echo(render([*counts, {"verdict": "total", "claims": summary.total}], fmt, ["verdict", "claims"]) + "\n")
    _echo(render(rows, fmt, [("statement", "claim"), "verdict", "marker", "reason", ("claim", "id")]))


def report(data: DataOpt = None,
           output: Annotated[Optional[Path], typer.Option("--output", "-o", dir_okay=False, show_default=False,
                                                         help="Write the report here (default: stdout, "
                                                         "unless stdout is a terminal).")] = None,
           fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html or markdown.")] = ReportFormat.html,
           index: IndexOpt = None,
           ) -> None:
    """One offline page: numbers, autoreceptor answer, claims by site, conflicts, fidelity, charts."""
    from serokg.graph.present.report import render_html
    from serokg.graph.present.report_markdown import render_markdown
    from serokg.graph.index import load_for
    from serokg.graph.write import guard_output, write_text

    if output is None and sys.stdout.isatty():
        suffix = "html" if fmt is ReportFormat.html else "md"
        raise typer.BadParameter(f"the report is a whole {fmt.value} page, not for a terminal: write it to a file "
                                 f"with -o report.{suffix} (or pipe it)", param_hint="--output")
    ds = load_for(data, index=index)
    if output is not None:
        guard_output(output, ds.path)
    text = render_html(ds) if fmt is ReportFormat.html else render_markdown(ds)
    if output is None:  # a pipe, which may end on a terminal (| cat, | less -R)
        echo(text, nl=False)
        return
    write_text(output, text)
    echo(f"wrote {output} ({len(text.encode('utf-8'))} bytes)", err=True)


def register(app: typer.Typer) -> None:
    app.command()(conflicts)
    app.command()(fidelity)
    app.command()(report)
