"""Core commands: validate, stats, query, show, neighbors, path, fmt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt, FormatOpt, IndexOpt, OutFormat
from serokg.cli.output import count, echo, render, table, terminal_width
from serokg.cli.options import (
    AnatomyOpt, AspectOpt, DirectionOpt, EvidenceOpt, MarkerOpt, ModalityOpt, NegatedOpt, ObjectOpt, OrganismOpt,
    PartOpt, PredicateOpt, ReferenceOpt, SubjectOpt, TouchesOpt,
)

__all__ = ["claim_header", "register"]

CLAIM_COLUMNS = [("claim", "claim"), ("organism_shown", "organism"), ("modality", "modality"),
                 ("cite", "cite"), ("fidelity.verdict", "fidelity"), ("id", "id")]
_BASIS = {"stated": "", "cited_source": " (source)", "not_stated": ""}
# The reference fields graph.records.claim_record copies (tests/test_cli.py checks the two agree).
_REFERENCE_KEYS = ("id", "first_author", "year", "title", "journal", "pmid", "doi", "confidence")


def claim_header() -> list[str]:
    """The CSV columns of every claim command: the flattened keys of
    :func:`~serokg.graph.records.claim_record`, the same whether or not a claim has a reference."""
    from pydantic import BaseModel

    from serokg.schema.models import Claim

    head = ["id", "subject", "subject_label", "effect", "object", "object_label", "statement"]
    for name, info in Claim.model_fields.items():
        if name in ("id", "subject", "object"):
            continue
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            head += [f"{name}.{sub}" for sub in kind.model_fields]
        else:
            head.append(name)
    return head + ["organism_label", "anatomy_labels"] + [f"reference.{k}" for k in _REFERENCE_KEYS]


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
        echo(report.text(), err=not report.conforms)
        raise typer.Exit(0 if report.conforms else 1)
    ds = load(data)
    echo(f"valid: {count(len(ds.entities), 'entity', 'entities')}, {count(len(ds.claims), 'claim')}, "
         f"{count(len(ds.references), 'reference')}, {count(len(ds.sources), 'source')} in {ds.path}")


def stats(data: DataOpt = None, fmt: FormatOpt = OutFormat.table, index: IndexOpt = None) -> None:
    """Counts by entity type, predicate, direction, organism and basis, modality, fidelity, citations."""
    from serokg.graph.index import load_for
    from serokg.graph.stats import stats as compute

    s = compute(load_for(data, index=index))
    if fmt is not OutFormat.table:
        rows = [{"group": g, "key": k, "count": v} for g, d in s.items() if isinstance(d, dict)
                for k, v in d.items() if not isinstance(v, list)]
        rows.append({"group": "claims", "key": "negated", "count": s["claims_negated"]})
        _echo(json.dumps(s, indent=2) + "\n" if fmt is OutFormat.json
              else render(rows, fmt, [], header=["group", "key", "count"]))
        return
    rows = []
    for group, value in s.items():
        name = group.replace("_", " ")
        items = value.items() if isinstance(value, dict) else [("", value)]
        # an empty value (no unused marker, no ungroundable entity) says nothing: no row for it
        items = [(k, v) for k, v in items if v not in (None, "", [], {})]
        for i, (key, v) in enumerate(items):
            rows.append({"group": "" if i else name, "key": key, "value": v})
    echo(table(rows, ["group", "key", "value"], width=terminal_width(), header=False,
               spaced=False), nl=False)


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
    index: IndexOpt = None,
) -> None:
    """Claims matching every filter given. Example: serokg query --touches autoreceptor"""
    from serokg.graph.index import claim_records
    from serokg.graph.query import ClaimFilter

    flt = ClaimFilter(subject=subject, object=object_, touches=touches, predicate=predicate, direction=direction,
                      aspect=aspect, organism=organism, anatomy=anatomy, modality=modality, negated=negated,
                      part=part, marker=marker, reference=reference, evidence=evidence)
    found = claim_records(data, flt, index=index)
    if fmt is OutFormat.json:  # the stored text as it is: no record parsed or rendered again
        _echo(found.json_text() + "\n")
        return
    records = found.dicts()
    _echo(render(_for_table(records) if fmt is OutFormat.table else records, fmt, CLAIM_COLUMNS,
                 header=claim_header()))
    if fmt is OutFormat.table:
        echo(count(len(records), "claim"), err=True)


def show(claim_id: Annotated[str, typer.Argument(help="Claim id, as printed by query.")],
         data: DataOpt = None, fmt: FormatOpt = OutFormat.table, index: IndexOpt = None) -> None:
    """One claim in full: statement, context, evidence quote and reference."""
    from serokg.errors import UsageError
    from serokg.graph.index import Ids, load_for
    from serokg.graph.records import claim_record

    ds = load_for(data, Ids((claim_id,)), index=index)
    if claim_id not in ds.claims:
        import difflib

        close = difflib.get_close_matches(claim_id, list(ds.claims), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(f"no claim with id {claim_id!r}{hint}")
    rec = claim_record(ds.claims[claim_id], ds)
    if fmt is not OutFormat.table:
        _echo(render([rec], fmt, [], header=claim_header()))
        return
    ev, cit, ref = rec["evidence"], rec["citation"], rec["reference"]
    pairs = [
        ("relation", f"{rec['subject']} --{rec['predicate']}--> {rec['object']}"
         + "".join(f", {k} {rec[k]}" for k in ("subject_aspect", "subject_direction", "direction", "aspect")
                   if rec[k])),
        ("negated", "yes" if rec["negated"] else "no"),
        ("modality", rec["modality"]),
        ("organism", f"{rec['organism_label'] or 'not stated'} (basis: {rec['organism_basis']})"
         + (f", {rec['study_system']}" if rec["study_system"] else "")),
    ]
    if rec["anatomy_labels"]:
        pairs.append(("anatomy", ", ".join(rec["anatomy_labels"])))
    for key in ("regimen", "dose", "condition", "list_heading"):
        if rec[key]:
            pairs.append((key.replace("_", " "), rec[key]))
    pairs += [
        ("evidence", f"\"{ev['quote']}\""),
        ("", f"{ev['source']} [{ev['start']}:{ev['end']}], section \"{ev['section']}\""
         + (" (heading inferred)" if ev["section_inferred"] else "")
         + (f", comment by {ev['commenter']}" if ev["part"] == "comment" else "")),
        ("citation", cit["marker"] or "none"),
    ]
    if ref:
        ident = ", ".join(x for x in (f"PMID {ref['pmid']}" if ref["pmid"] else "",
                                      f"doi:{ref['doi']}" if ref["doi"] else "") if x) or "no identifier seen"
        who = " ".join(str(x) for x in (ref["first_author"], ref["year"]) if x)
        said = f"{ref['id']}: {who + '. ' if who else ''}{ref['title']} ({ident}; confidence {ref['confidence']})"
        pairs.append(("reference", said))
    pairs.append(("fidelity", f"{rec['fidelity']['verdict']}: {rec['fidelity']['reason']}"))
    if rec["note"]:
        pairs.append(("note", rec["note"]))
    width = terminal_width()
    title = table([{"t": f"{rec['id']}: {rec['statement']}"}], ["t"], width=width, header=False)
    body = table([{"k": k, "v": v} for k, v in pairs], ["k", "v"], width=width and width - 2, header=False,
                 spaced=False)
    echo(title + "".join("  " + line + "\n" for line in body.splitlines()), nl=False)


def neighbors(term: Annotated[str, typer.Argument(help="Entity term.")],
              data: DataOpt = None, fmt: FormatOpt = OutFormat.table, index: IndexOpt = None) -> None:
    """Claims linking a node (and the nodes below it) to its neighbours."""
    from serokg.graph.index import Around, load_for
    from serokg.graph.query import neighbours
    from serokg.graph.records import claim_record

    ds = load_for(data, Around(term), index=index)
    rows = [{"node": n.node, "way": "out" if n.outgoing else "in", "neighbour": n.other,
             "neighbour_label": ds.entities[n.other].label, **claim_record(n.claim, ds)}
            for n in neighbours(ds, term)]
    _echo(render(rows, fmt, ["node", "way", ("neighbour_label", "neighbour"), ("statement", "claim"),
                             ("citation.marker", "cite"), "id"],
                 header=["node", "way", "neighbour", "neighbour_label", *claim_header()]))


def path(source: Annotated[str, typer.Argument(help="Start term.")],
         target: Annotated[str, typer.Argument(help="End term.")],
         data: DataOpt = None, fmt: FormatOpt = OutFormat.table,
         max_hops: Annotated[int, typer.Option(min=1, max=8, help="Longest chain of claims.")] = 4,
         include_denials: Annotated[bool, typer.Option("--include-denials", help="Walk through denials too "
                                                       "(a denial is no link, so by default they are left out).")
                                    ] = False,
         directed: Annotated[bool, typer.Option("--directed", help="Follow claims only from subject to object "
                                                "(default: either way).")] = False,
         index: IndexOpt = None) -> None:
    """Shortest chains of claims linking two nodes, without denials; a hop from a receptor site to its
    receptor is a step of its own. Edge direction is ignored unless --directed."""
    from serokg.graph.query import paths
    from serokg.graph.index import load_for
    from serokg.graph.records import claim_record

    ds = load_for(data, index=index)
    found = paths(ds, source, target, max_hops=max_hops, include_denials=include_denials, directed=directed)
    rows = []
    for i, chain in enumerate(found, 1):
        for j, step in enumerate(chain, 1):
            c = step.claim
            child, parent = (step.source, step.target) if step.forward else (step.target, step.source)
            rows.append({"path": i, "step": j, "kind": step.kind, "from": step.source, "to": step.target,
                         "forward": step.forward, "relation": step.relation,
                         "claim": claim_record(c, ds) if c is not None else None,
                         # for the table: the step as it reads, and which way it was walked
                         "_subject": ds.entities[c.subject if c else child].label,
                         "_object": ds.entities[c.object if c else parent].label,
                         "_way": "->" if step.forward else "<-"})
    if fmt is OutFormat.table:
        _echo(render(rows, fmt, ["path", "step", ("_subject", "subject"), "relation", ("_object", "object"),
                                 ("_way", "walked"), ("claim.id", "id")]))
    else:
        for row in rows:
            for key in ("_subject", "_object", "_way"):
                del row[key]
        header = ["path", "step", "kind", "from", "to", "forward", "relation", *(f"claim.{k}" for k in claim_header())]
        _echo(render(rows, fmt, [], header=header))
    if not found:
        echo(f"no path between {source!r} and {target!r} within {count(max_hops, 'claim')}", err=True)
    elif fmt is OutFormat.table:
        way = "claims walked subject to object only" if directed else "edge direction ignored (--directed to follow it)"
        left = "denials included" if include_denials else "denials left out (--include-denials to walk them)"
        echo(f"{count(len(found), 'path')}; {way}; {left}", err=True)


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
            echo(f"{ds.path / name}: not canonical (run serokg fmt)", err=True)
        if not stale:
            echo(f"canonical: {', '.join(records)} in {ds.path}", err=True)
        raise typer.Exit(1 if stale else 0)
    changed = format_dataset(ds.path, records, stamps)
    echo(f"reformatted {', '.join(changed)}" if changed else "already canonical", err=True)


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(stats)
    app.command()(query)
    app.command()(show)
    app.command()(neighbors)
    app.command()(path)
    app.command()(fmt)
