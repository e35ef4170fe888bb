"""Core commands: validate, stats, query, show, neighbors, path, fmt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt, FormatOpt, OutFormat
from serokg.cli.output import render
from serokg.cli.options import (
    AnatomyOpt, AspectOpt, DirectionOpt, EvidenceOpt, MarkerOpt, ModalityOpt, NegatedOpt, ObjectOpt, OrganismOpt,
    PartOpt, PredicateOpt, ReferenceOpt, SubjectOpt, TouchesOpt,
)

__all__ = ["register"]

CLAIM_COLUMNS = [("id", "id"), ("claim", "claim"), ("organism_shown", "organism"), ("modality", "modality"),
                 ("cite", "cite"), ("fidelity.verdict", "fidelity")]
_BASIS = {"stated": "", "cited_source": " (source)", "not_stated": ""}


def _for_table(records: list[dict]) -> list[dict]:
    """Claim records with the organism and its basis in one cell, for the people's table."""
    for rec in records:
        org = rec["organism_label"]
        rec["organism_shown"] = f"{org}{_BASIS[rec['organism_basis']]}" if org else "-"
        rec["claim"] = rec["statement"].split(" [", 1)[0]  # the modality has its own column
        rec["cite"] = rec["citation"]["marker"] or ("comment" if rec["evidence"]["part"] == "comment" else "-")
    return records


def _echo(text: str) -> None:
    typer.echo(text, nl=False)


def validate(data: DataOpt = None,
             rdf: Annotated[Optional[Path], typer.Option("--rdf", help="Instead, check this RDF file (any export "
                                                         "format) against the SHACL shapes.", dir_okay=False,
                                                         show_default=False)] = None) -> None:
    """Check the data folder: exit 0 when valid, else every problem as file:line: field: message."""
    from serokg.graph.read import load

    if rdf is not None:
        from serokg.graph.export import validate_shacl

        report = validate_shacl(rdf)
        typer.echo(report.text(), err=not report.conforms)
        raise typer.Exit(0 if report.conforms else 1)
    ds = load(data)
    typer.echo(f"valid: {len(ds.entities)} entities, {len(ds.claims)} claims, "
               f"{len(ds.references)} references, {len(ds.sources)} sources in {ds.path}")


def stats(data: DataOpt = None, fmt: FormatOpt = OutFormat.table) -> None:
    """Counts by entity type, predicate, direction, organism and basis, modality, fidelity, citations."""
    from serokg.graph.read import load
    from serokg.graph.stats import stats as compute

    s = compute(load(data))
    if fmt is not OutFormat.table:
        rows = [{"group": g, "key": k, "count": v} for g, d in s.items() if isinstance(d, dict)
                for k, v in d.items() if not isinstance(v, list)]
        rows.append({"group": "claims", "key": "negated", "count": s["claims_negated"]})
        _echo(json.dumps(s, indent=2) + "\n" if fmt is OutFormat.json else render(rows, fmt, []))
        return
    out = []
    for group, value in s.items():
        if isinstance(value, dict):
            out.append(f"{group.replace('_', ' ')}:")
            out += [f"  {k:<32} {', '.join(v) if isinstance(v, list) else v}" for k, v in value.items()]
        else:
            out.append(f"{group.replace('_', ' ')}: {value}")
    typer.echo("\n".join(out))


def query(
    data: DataOpt = None,
    fmt: FormatOpt = OutFormat.table,
    touches: TouchesOpt = None,
    subject: SubjectOpt = None,
    object_: ObjectOpt = None,
    predicate: PredicateOpt = None,
    direction: DirectionOpt = None,
    aspect: AspectOpt = None,
    organism: OrganismOpt = None,
    anatomy: AnatomyOpt = None,
    modality: ModalityOpt = None,
    negated: NegatedOpt = None,
    part: PartOpt = None,
    marker: MarkerOpt = None,
    reference: ReferenceOpt = None,
    evidence: EvidenceOpt = None,
) -> None:
    """Claims matching every filter given. Example: serokg query --touches autoreceptor"""
    from serokg.graph.query import ClaimFilter, select
    from serokg.graph.read import load
    from serokg.graph.records import claim_record

    ds = load(data)
    flt = ClaimFilter(subject=subject, object=object_, touches=touches, predicate=predicate, direction=direction,
                      aspect=aspect, organism=organism, anatomy=anatomy, modality=modality, negated=negated,
                      part=part, marker=marker, reference=reference, evidence=evidence)
    claims = select(ds, flt)
    records = [claim_record(c, ds) for c in claims]
    _echo(render(_for_table(records) if fmt is OutFormat.table else records, fmt, CLAIM_COLUMNS))
    if fmt is OutFormat.table:
        typer.echo(f"{len(claims)} claim{'s' * (len(claims) != 1)}", err=True)


def show(claim_id: Annotated[str, typer.Argument(help="Claim id, as printed by query.")],
         data: DataOpt = None, fmt: FormatOpt = OutFormat.table) -> None:
    """One claim in full: statement, context, evidence quote and reference."""
    from serokg.errors import UsageError
    from serokg.graph.read import load
    from serokg.graph.records import claim_record

    ds = load(data)
    if claim_id not in ds.claims:
        raise UsageError(f"no claim with id {claim_id!r}")
    rec = claim_record(ds.claims[claim_id], ds)
    if fmt is not OutFormat.table:
        _echo(render([rec], fmt, []))
        return
    ev, cit, ref = rec["evidence"], rec["citation"], rec["reference"]
    lines = [
        f"{rec['id']}: {rec['statement']}",
        f"  relation     {rec['subject']} --{rec['predicate']}--> {rec['object']}"
        + "".join(f", {k} {rec[k]}" for k in ("subject_aspect", "subject_direction", "direction", "aspect") if rec[k]),
        f"  negated      {'yes' if rec['negated'] else 'no'}",
        f"  modality     {rec['modality']}",
        f"  organism     {rec['organism_label'] or 'not stated'} (basis: {rec['organism_basis']})"
        + (f", {rec['study_system']}" if rec["study_system"] else ""),
    ]
    if rec["anatomy_labels"]:
        lines.append(f"  anatomy      {', '.join(rec['anatomy_labels'])}")
    for key in ("regimen", "dose", "condition", "list_heading"):
        if rec[key]:
            lines.append(f"  {key.replace('_', ' '):<12} {rec[key]}")
    lines += [
        f"  evidence     \"{ev['quote']}\"",
        f"               {ev['source']} [{ev['start']}:{ev['end']}], section \"{ev['section']}\""
        + (" (heading inferred)" if ev["section_inferred"] else "")
        + (f", comment by {ev['commenter']}" if ev["part"] == "comment" else ""),
        f"  citation     {cit['marker'] or 'none'}",
    ]
    if ref:
        ident = ", ".join(x for x in (f"PMID {ref['pmid']}" if ref["pmid"] else "",
                                      f"doi:{ref['doi']}" if ref["doi"] else "") if x) or "no identifier seen"
        who = " ".join(str(x) for x in (ref["first_author"], ref["year"]) if x)
        lines.append(f"  reference    {ref['id']}: {who + '. ' if who else ''}{ref['title']} ({ident}; "
                     f"confidence {ref['confidence']})")
    lines.append(f"  fidelity     {rec['fidelity']['verdict']}: {rec['fidelity']['reason']}")
    if rec["note"]:
        lines.append(f"  note         {rec['note']}")
    typer.echo("\n".join(lines))


def neighbors(term: Annotated[str, typer.Argument(help="Entity term.")],
              data: DataOpt = None, fmt: FormatOpt = OutFormat.table) -> None:
    """Claims linking a node (and the nodes below it) to its neighbours."""
    from serokg.graph.query import neighbours
    from serokg.graph.read import load
    from serokg.graph.records import claim_record

    ds = load(data)
    rows = [{"node": n.node, "way": "out" if n.outgoing else "in", "neighbour": n.other,
             "neighbour_label": ds.entities[n.other].label, **claim_record(n.claim, ds)}
            for n in neighbours(ds, term)]
    _echo(render(rows, fmt, ["node", "way", "neighbour_label", "effect", "id", "citation.marker"]))


def path(source: Annotated[str, typer.Argument(help="Start term.")],
         target: Annotated[str, typer.Argument(help="End term.")],
         data: DataOpt = None, fmt: FormatOpt = OutFormat.table,
         max_hops: Annotated[int, typer.Option(min=1, max=8, help="Longest chain of claims.")] = 4) -> None:
    """Shortest chains of claims linking two nodes (edge direction ignored)."""
    from serokg.graph.query import paths
    from serokg.graph.read import load
    from serokg.graph.records import claim_record

    ds = load(data)
    found = paths(ds, source, target, max_hops=max_hops)
    rows = [{"path": i, "step": j, **claim_record(c, ds)} for i, chain in enumerate(found, 1)
            for j, c in enumerate(chain, 1)]
    _echo(render(rows, fmt, ["path", "step", "subject_label", "effect", "object_label", "id"]))
    if not found:
        typer.echo(f"no path between {source!r} and {target!r} within {max_hops} claims", err=True)


def fmt(data: DataOpt = None,
        check: Annotated[bool, typer.Option("--check", help="Only report files that are not canonical; "
                                            "exit 1 if any.")] = False) -> None:
    """Rewrite the data files canonically (atomically; the data must be valid first)."""
    from serokg.graph.read import DATA_FILES, bundled_data_dir, load
    from serokg.graph.write import canonical_line, format_dataset, stamp

    folder = data if data is not None else bundled_data_dir()
    stamps = {name: stamp(folder / name) for name in DATA_FILES}  # before reading: an edit after is seen
    ds = load(folder)
    records = {"entities.jsonl": ds.entities.values(), "claims.jsonl": ds.claims.values(),
               "references.jsonl": ds.references.values()}
    if check:
        stale = [n for n, items in records.items()
                 if (ds.path / n).read_bytes() != "".join(canonical_line(r) + "\n" for r in items).encode()]
        for name in stale:
            typer.echo(f"{ds.path / name}: not canonical (run serokg fmt)", err=True)
        raise typer.Exit(1 if stale else 0)
    changed = format_dataset(ds.path, records, stamps)
    typer.echo(f"reformatted {', '.join(changed)}" if changed else "already canonical", err=True)


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(stats)
    app.command()(query)
    app.command()(show)
    app.command()(neighbors)
    app.command()(path)
    app.command()(fmt)
