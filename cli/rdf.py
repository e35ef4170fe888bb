"""RDF commands: export, sparql, push."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.cli.options import DataOpt

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


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


BaseOpt = Annotated[Optional[str], typer.Option(
    "--base", help="Base IRI of claims, entities, references and sources. Default: https://w3id.org/serokg/",
    show_default=False)]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the remote store.")]


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="RDF format, or graphml / nodelink for "
                                              "graph tools. trig and nquads hold one nanopublication per claim.")
                   ] = ExportFormat.turtle,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (atomically) "
                                                   "instead of stdout.", dir_okay=False, show_default=False)] = None,
    data: DataOpt = None,
    base: BaseOpt = None,
) -> None:
    """Export the graph as RDF (Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads), GraphML or node-link JSON."""
    from serokg.graph.read import load
    from serokg.graph.write import atomic_write, guard_output

    ds = load(data)
    if output is not None:
        guard_output(output, ds.path)

    def write(handle) -> int:
        if fmt is ExportFormat.graphml:
            from serokg.graph.export.netx import write_graphml

            return write_graphml(ds, handle)
        if fmt is ExportFormat.nodelink:
            from serokg.graph.export.netx import write_nodelink

            return write_nodelink(ds, handle)
        from serokg.graph.export import export as export_rdf
        from serokg.graph.vocab import DEFAULT_BASE

        return export_rdf(ds, fmt.value, handle, base or DEFAULT_BASE)

    if output is None:
        stream = typer.get_binary_stream("stdout")
        n = write(stream)
        stream.flush()
    else:
        with atomic_write(output, "wb") as handle:
            n = write(handle)
    unit = "edges" if fmt in (ExportFormat.graphml, ExportFormat.nodelink) else "statements"
    typer.echo(f"exported {n} {unit} as {fmt.value}" + (f" to {output}" if output else ""), err=True)


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
