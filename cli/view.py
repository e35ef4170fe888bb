"""The ``view`` and ``read`` commands: the claim graph, and the article read through its claims, as offline pages."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.output import echo

from serokg.cli.options import DataOpt
from serokg.cli.options import (
    AnatomyOpt, AspectOpt, DirectionOpt, EvidenceOpt, IndexOpt, MarkerOpt, ModalityOpt, NegatedOpt, ObjectOpt,
    OrganismOpt, PartOpt, PredicateOpt, ReferenceOpt, SubjectOpt, TouchesOpt,
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
    article: Annotated[Optional[str], typer.Option(help="The reading page (serokg read) each claim card links to, "
                                                   "e.g. article.html; {source} stands for the source id when the "
                                                   "data has several.", metavar="FILE")] = None,
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
    """Write the claims (filtered like query) as one self-contained HTML graph that works offline; a
    neighbourhood too big to read is drawn as a summary (its strongest claims, the rest counted).
    Example: serokg view -o graph.html --focus autoreceptor --depth 1"""
    from serokg.graph.index import Around, load_for, open_index
    from serokg.graph.present.page import page_links
    from serokg.graph.present.view import render_html, view_graph
    from serokg.graph.query import ClaimFilter, expand, select
    from serokg.graph.read import bundled_data_dir
    from serokg.graph.write import guard_output, write_text

    flt = ClaimFilter(subject=subject, object=object_, touches=touches, predicate=predicate, direction=direction,
                      aspect=aspect, organism=organism, anatomy=anatomy, modality=modality, negated=negated,
                      part=part, marker=marker, reference=reference, evidence=evidence)
    # The claims the page is drawn from, and nothing it looks at beyond them (conflicts are those among
    # them): the filter's; with --focus at depth 1, those touching the focus.  Depth 2 and more walk
    # through the filtered claims, so they need every claim.
    need = flt if focus is None else Around(focus) if depth == 1 else None
    found = open_index(data if data is not None else bundled_data_dir(), index)
    total = found.count("claim") if found is not None else None
    ds = load_for(data, need, index=index)
    guard_output(output, ds.path)
    if focus is not None:  # first, as the index needs it first: the same message whichever answers
        expand(ds, focus)
    vg = view_graph(ds, select(ds, flt), focus=focus, depth=depth, flt=flt,
                    total=total if total is not None else len(ds.claims))
    links = page_links(article, output, ds.sources) if article else {}
    html = render_html(ds, vg, color_by=color_by.value, article_links=links)
    write_text(output, html)
    for note in vg.notes:
        echo(f"note: {note}", err=True)
    echo(f"wrote {output}: {len(vg.nodes)} nodes, {len(vg.claims)} claims, "
         f"{len(html.encode()) // 1024} KiB", err=True)
    if open_:
        _open(output)


def read(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.", dir_okay=False)],
    data: DataOpt = None,
    source: Annotated[Optional[str], typer.Option(help="Id of the source document to show (default: the only "
                                                  "one).", metavar="ID")] = None,
    graph: Annotated[Optional[Path], typer.Option(help="The graph page (serokg view) each claim card links to, "
                                                  "e.g. graph.html.", dir_okay=False, metavar="FILE")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the page in the default browser.")] = False,
    index: IndexOpt = None,
) -> None:
    """Write the source text with every claim highlighted on its words, as one offline HTML page.
    Example: serokg read -o article.html --graph graph.html"""
    from serokg.errors import UsageError
    from serokg.graph.coverage import choose_source
    from serokg.graph.present.page import relative_link
    from serokg.graph.index import load_for
    from serokg.graph.present.reading import render_html
    from serokg.graph.write import guard_output, write_text

    ds = load_for(data, index=index)
    guard_output(output, ds.path)
    try:
        source_id = choose_source(ds, source)
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint="--source") from None
    html = render_html(ds, source_id, graph_link=relative_link(graph, output) if graph else None)
    write_text(output, html)
    n = sum(c.evidence.source == source_id for c in ds.claims.values())
    echo(f"wrote {output}: {source_id}, {n} claim{'s' * (n != 1)} on their words, "
         f"{len(html.encode()) // 1024} KiB", err=True)
    if open_:
        _open(output)


def _open(page: Path) -> None:
    import webbrowser

    if not webbrowser.open(page.resolve().as_uri()):
        echo(f"note: no browser found to open {page}; open it by hand", err=True)


def register(app: typer.Typer) -> None:
    app.command()(view)
    app.command()(read)
