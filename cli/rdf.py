"""RDF commands: export, sparql, push."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt, IndexOpt

__all__ = ["ExportFormat", "QueryFormat", "register"]


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


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


BaseOpt = Annotated[Optional[str], typer.Option(
    "--base", help="Base IRI of claims, entities, references and sources. Default: https://w3id.org/serokg/",
    show_default=False)]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the remote store.")]


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


def sparql(
    query: Annotated[str, typer.Argument(help="SPARQL query text, or @FILE to read it from a file.")],
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="SPARQL 1.1 query endpoint of a "
                                                    "remote store (e.g. http://localhost:7878/query). Default: "
                                                    "an embedded store loaded from the data.",
                                                    show_default=False)] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="table for people; json, csv for pipes.")
                   ] = QueryFormat.table,
    data: DataOpt = None,
    base: BaseOpt = None,
    timeout: TimeoutOpt = 60.0,
) -> None:
    """Run a SPARQL query on the data (embedded store) or on a remote store."""
    from serokg.cli.options import OutFormat
    from serokg.cli.output import render
    from serokg.graph.export.store import query_local, query_remote, read_query
    from serokg.graph.vocab import DEFAULT_BASE

    text = read_query(query)
    if endpoint is not None:
        if data is not None or base is not None:
            raise typer.BadParameter("--data and --base apply to the embedded store, not to --endpoint")
        result = query_remote(endpoint, text, timeout)
    else:
        from serokg.graph.read import load

        result = query_local(load(data), text, base or DEFAULT_BASE)
    typer.echo(render(result.rows, OutFormat(fmt.value), result.columns), nl=False)
    if fmt is QueryFormat.table:
        n = len(result.rows)
        typer.echo(f"{n} row{'s' * (n != 1)}", err=True)


def push(
    endpoint: Annotated[str, typer.Option("--endpoint", help="Graph Store Protocol endpoint "
                                          "(e.g. http://localhost:7878/store).", show_default=False)],
    graph: Annotated[Optional[str], typer.Option("--graph", help="Named graph to replace. Default: the "
                                                 "default graph.", show_default=False)] = None,
    data: DataOpt = None,
    base: BaseOpt = None,
    timeout: TimeoutOpt = 300.0,
) -> None:
    """Replace a graph of a remote store with the export, in one request (credentials: SEROKG_USER and
    SEROKG_PASSWORD, SEROKG_TOKEN, or netrc)."""
    from serokg.graph.read import load
    from serokg.graph.export.store import push as push_graph
    from serokg.graph.vocab import DEFAULT_BASE

    result = push_graph(load(data), endpoint, graph, base or DEFAULT_BASE, timeout)
    where = f"graph <{graph}>" if graph else "the default graph"
    typer.echo(f"pushed {result.statements} statements to {where} (HTTP {result.status})", err=True)


def register(app: typer.Typer) -> None:
    app.command()(export)
    app.command()(sparql)
    app.command()(push)
