"""The ``view`` command: write the claim graph as one offline, interactive HTML page."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt
from serokg.cli.options import (
    AnatomyOpt, AspectOpt, DirectionOpt, EvidenceOpt, MarkerOpt, ModalityOpt, NegatedOpt, ObjectOpt, OrganismOpt,
    PartOpt, PredicateOpt, ReferenceOpt, SubjectOpt, TouchesOpt,
)

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
    """Write the claims (filtered like query) as one self-contained HTML graph that works offline.
    Example: serokg view -o graph.html --focus autoreceptor --depth 1"""
    from serokg.graph.query import ClaimFilter, select
    from serokg.graph.read import load
    from serokg.graph.present.view import render_html, view_graph
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
