"""RDF commands: export (sparql and push: cli/store.py)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import BaseOpt, DataOpt, IndexOpt

__all__ = ["ExportFormat", "register"]


class ExportFormat(StrEnum):
    turtle = "turtle"
    ntriples = "ntriples"
    jsonld = "jsonld"
    rdfxml = "rdfxml"
    trig = "trig"
    nquads = "nquads"
    graphml = "graphml"
    nodelink = "nodelink"
    kgx = "kgx"


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="RDF format, graphml / nodelink for graph "
                                              "tools, or kgx (Biolink KGX nodes and edges, JSON Lines, into the "
                                              "folder -o). trig and nquads hold one nanopublication per claim.")
                   ] = ExportFormat.turtle,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically) "
                                                   "instead of stdout; for kgx, the folder to write into.",
                                                   show_default=False)] = None,
    data: DataOpt = None,
    index: IndexOpt = None,
    base: BaseOpt = None,
    created: Annotated[Optional[str], typer.Option(
        "--created", help="Creation time of the nanopublications (trig, nquads), ISO 8601 with a time zone, "
        "e.g. 2025-01-31T00:00:00Z. Default: $SOURCE_DATE_EPOCH if set, else none is written.",
        show_default=False)] = None,
    sign_key: Annotated[Optional[Path], typer.Option(
        "--sign-key", help="Sign every nanopublication (trig, nquads) with the RSA private key in this file "
        "(as nanopub's ~/.nanopub/id_rsa, or PEM); each gets a trusty URI. Needs a creation time.",
        exists=True, dir_okay=False, show_default=False)] = None,
    orcid: Annotated[Optional[str], typer.Option(
        "--orcid", help="The signer's ORCID iD, written as dcterms:creator of each signed nanopublication.",
        show_default=False)] = None,
) -> None:
    """Export the graph as RDF (Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads), GraphML, node-link JSON or KGX."""
    from serokg.errors import UsageError
    from serokg.graph.export.nanopub import check_orcid, creation_time
    from serokg.graph.export.terms import check_base
    from serokg.graph.index import load_for
    from serokg.graph.vocab import DEFAULT_BASE
    from serokg.graph.write import atomic_write, guard_output

    nanopub = fmt in (ExportFormat.trig, ExportFormat.nquads)
    try:
        base = check_base(base) if base is not None else DEFAULT_BASE
        if (created is not None or sign_key is not None or orcid is not None) and not nanopub:
            raise UsageError("--created, --sign-key and --orcid apply to the nanopublications of -f trig and -f nquads")
        when = creation_time(created) if nanopub else None
        if orcid is not None:
            orcid = check_orcid(orcid)
            if sign_key is None:
                raise UsageError("--orcid names the signer: give --sign-key too")
        if sign_key is not None and when is None:
            raise UsageError("signing needs a creation time, so that the signed export is reproducible: "
                             "give --created (e.g. 2025-01-31T00:00:00Z) or set SOURCE_DATE_EPOCH")
        if fmt is ExportFormat.kgx and output is None:
            raise UsageError("-f kgx writes two files: give the folder with -o")
    except UsageError as exc:
        raise typer.BadParameter(str(exc)) from None
    ds = load_for(data, index=index)
    if output is not None:
        guard_output(output / "nodes.jsonl" if fmt is ExportFormat.kgx else output, ds.path)
    if fmt is ExportFormat.kgx:
        from serokg.graph.export.kgx import write_kgx

        counts = write_kgx(ds, output, base)
        typer.echo(f"exported {counts.nodes} nodes and {counts.edges} edges as kgx to "
                   f"{output / 'nodes.jsonl'} and {output / 'edges.jsonl'}", err=True)
        return
    key = None
    if sign_key is not None:
        from serokg.graph.export.nanopub import read_private_key

        key = read_private_key(sign_key)

    def write(handle) -> int:
        if fmt is ExportFormat.graphml:
            from serokg.graph.export.netx import write_graphml

            return write_graphml(ds, handle)
        if fmt is ExportFormat.nodelink:
            from serokg.graph.export.netx import write_nodelink

            return write_nodelink(ds, handle)
        if key is not None:
            from serokg.graph.export.nanopub import sign_dataset

            return sign_dataset(ds, handle, fmt.value, key, orcid, when, base).statements
        from serokg.graph.export import export as export_rdf

        return export_rdf(ds, fmt.value, handle, base, created=when)

    if output is None:
        stream = typer.get_binary_stream("stdout")
        n = write(stream)
        stream.flush()
    else:
        with atomic_write(output, "wb") as handle:
            n = write(handle)
    unit = "edges" if fmt in (ExportFormat.graphml, ExportFormat.nodelink) else "statements"
    signed = ", nanopublications signed" if key is not None else ""
    typer.echo(f"exported {n} {unit} as {fmt.value}{signed}" + (f" to {output}" if output else ""), err=True)


def register(app: typer.Typer) -> None:
    from serokg.cli import store

    app.command()(export)
    store.register(app)
