"""Question commands: acting-on (which substances act on a site)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Annotated

import typer

from serokg.cli.options import DataOpt, FormatOpt, IndexOpt, OutFormat
from serokg.cli.output import count, echo, render

__all__ = ["register"]

_BASIS = {"stated": "", "cited_source": " (source)", "not_stated": ""}


def acting_on(term: Annotated[str, typer.Argument(help="The site acted on: a receptor site, a receptor or a "
                                                  "group of them (e.g. autoreceptor, postsynaptic, htr1a).")],
              data: DataOpt = None, fmt: FormatOpt = OutFormat.table, index: IndexOpt = None) -> None:
    """Which substances act on a site: claims with the term (or a node below it) as OBJECT, by substance,
    denials shown as "no change". (query --touches takes either side.) Example: serokg acting-on autoreceptor"""
    from serokg.graph.answers import Action, acting_on as answer
    from serokg.graph.index import load_for
    from serokg.graph.query import ClaimFilter

    # the claims whose object the term covers: all the answer looks at
    found = answer(load_for(data, ClaimFilter(object=term), index=index), term)
    if fmt in (OutFormat.json, OutFormat.jsonl):
        typer.echo(render([s.as_dict() for s in found], fmt, []), nl=False)
        return
    rows = [{"substance": s.substance, "substance_label": s.label, "substance_type": s.type, **asdict(a)}
            for s in found for a in s.actions]
    if fmt is OutFormat.csv:
        header = ["substance", "substance_label", "substance_type"] + [f.name for f in fields(Action)]
        typer.echo(render(rows, fmt, [], header=header), nl=False)
        return
    for row in rows:  # four columns of words, so that the table fits 80 columns
        of = " of" if row["aspect"] and row["effect"].endswith(row["aspect"]) else ""
        hedge = f" [{row['modality']}]" if row["modality"] != "asserted" else ""
        row["acts"] = f"{row['effect']}{of} {row['site']}{hedge}"
        organism = f"{row['organism']}{_BASIS[row['organism_basis']]}" if row["organism"] else "organism not stated"
        row["context"] = f"{row['regimen']}, {organism}" if row["regimen"] else organism
        row["cited"] = f"{row['marker'] or 'uncited'}: {row['fidelity'].replace('_', ' ')}"
    for prev, row in zip([None, *rows], rows):
        row["shown"] = "" if prev and prev["substance"] == row["substance"] else row["substance_label"]
    columns = [("shown", "substance"), ("acts", "effect on the site"), ("context", "regimen, organism"),
               ("evidence_level", "evidence"), ("cited", "citation: fidelity"), ("claim", "id")]
    typer.echo(render(rows, fmt, columns), nl=False)
    echo(f"{count(len(rows), 'claim')} by {count(len(found), 'substance')}", err=True)


def register(app: typer.Typer) -> None:
    app.command("acting-on")(acting_on)
