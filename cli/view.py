"""The ``view`` command: write the claim graph as one offline, interactive HTML page."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt
from serokg.graph.evidence import EvidenceLevel
from serokg.schema.models import Aspect, Direction, Modality, Part, Predicate

__all__ = ["register"]


class ColorBy(StrEnum):
    type = "type"
    evidence = "evidence"


def view(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.", dir_okay=False)],
    data: DataOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in the default browser.")] = False,
    focus: Annotated[Optional[str], typer.Option(help="Draw only the neighbourhood of this term (and the nodes "
                                                 "below it in the receptor hierarchy).")] = None,
    depth: Annotated[int, typer.Option(min=1, max=10, help="With --focus: 1 keeps the claims touching it, 2 adds "
                                       "the claims touching their other ends, and so on.")] = 1,
    color_by: Annotated[ColorBy, typer.Option("--color-by", help="Edge colour: effect (type) or evidence "
                                              "level (evidence).")] = ColorBy.type,
    touches: Annotated[Optional[str], typer.Option(help="Claims whose subject or object is this term or below "
                                                   "it in the receptor hierarchy.")] = None,
    subject: Annotated[Optional[str], typer.Option(help="Subject term.")] = None,
    object_: Annotated[Optional[str], typer.Option("--object", help="Object term.")] = None,
    predicate: Annotated[Optional[Predicate], typer.Option(help="Relation.")] = None,
    direction: Annotated[Optional[Direction], typer.Option(help="Direction of the change.")] = None,
    aspect: Annotated[Optional[Aspect], typer.Option(help="Aspect of the object that changes.")] = None,
    organism: Annotated[Optional[str], typer.Option(help="Organism term.")] = None,
    anatomy: Annotated[Optional[str], typer.Option(help="Region term.")] = None,
    modality: Annotated[Optional[Modality], typer.Option(help="asserted, hedged, speculative or anecdotal.")] = None,
    negated: Annotated[Optional[bool], typer.Option("--negated/--affirmed", help="Only denied, or only "
                                                    "affirmed claims.")] = None,
    part: Annotated[Optional[Part], typer.Option(help="body: the article; comment: reader comments.")] = None,
    marker: Annotated[Optional[str], typer.Option(help="Citation marker, e.g. R22.")] = None,
    reference: Annotated[Optional[str], typer.Option(help="Reference id.")] = None,
    evidence: Annotated[Optional[EvidenceLevel], typer.Option(help="Evidence level, derived from the claim.")] = None,
) -> None:
    """Write the claims (filtered like query) as one self-contained HTML graph that works offline.
    Example: serokg view -o graph.html --focus autoreceptor --depth 1"""
    from serokg.graph.query import ClaimFilter, select
    from serokg.graph.read import load
    from serokg.graph.view import render_html, view_graph
    from serokg.graph.write import guard_output, write_text

    ds = load(data)
    guard_output(output, ds.path)
    flt = ClaimFilter(subject=subject, object=object_, touches=touches, predicate=predicate, direction=direction,
                      aspect=aspect, organism=organism, anatomy=anatomy, modality=modality, negated=negated,
                      part=part, marker=marker, reference=reference, evidence=evidence)
    vg = view_graph(ds, select(ds, flt), focus=focus, depth=depth)
    html = render_html(ds, vg, color_by=color_by.value)
    write_text(output, html)
    for note in vg.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"wrote {output}: {len(vg.nodes)} nodes, {len(vg.claims)} claims, "
               f"{len(html.encode()) // 1024} KiB", err=True)
    if open_:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


def register(app: typer.Typer) -> None:
    app.command()(view)
