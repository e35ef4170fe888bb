"""Remote and embedded SPARQL commands: sparql, push."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Optional

import typer

from serokg.cli.options import BaseOpt, DataOpt

__all__ = ["AuthMode", "QueryFormat", "register"]


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    ntriples = "ntriples"
    turtle = "turtle"


class AuthMode(StrEnum):
    auto = "auto"
    basic = "basic"
    digest = "digest"
    bearer = "bearer"


TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds the whole request may take "
                                           "(connect, send, answer).")]
AuthOpt = Annotated[AuthMode, typer.Option("--auth", help="auto: SEROKG_TOKEN as Bearer, or SEROKG_USER / "
                                           "SEROKG_PASSWORD (or netrc) by the scheme the store asks for "
                                           "(Digest or Basic); or force basic, digest, bearer.")]
RESULT_FORMATS = (QueryFormat.json, QueryFormat.csv, QueryFormat.tsv)
GRAPH_FORMATS = (QueryFormat.ntriples, QueryFormat.turtle)


def sparql(
    query: Annotated[str, typer.Argument(help="SPARQL query text, or @FILE to read it from a file.")],
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="SPARQL 1.1 query endpoint of a "
                                                    "remote store (e.g. http://localhost:7878/query). Default: "
                                                    "an embedded store loaded from the data.",
                                                    show_default=False)] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f", help="table for people; json, csv, tsv (the W3C "
                                             "SPARQL results formats) for SELECT and ASK; ntriples, turtle for "
                                             "CONSTRUCT and DESCRIBE.")] = QueryFormat.table,
    data: DataOpt = None,
    base: BaseOpt = None,
    timeout: TimeoutOpt = 60.0,
    auth: AuthOpt = AuthMode.auto,
    max_size: Annotated[float, typer.Option("--max-size", min=0.001, help="Largest answer accepted from "
                                            "--endpoint, in MB.")] = 256,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the data (embedded store) or on a remote store."""
    from serokg.errors import UsageError
    from serokg.graph.export import results as res
    from serokg.graph.export.store import check_query, query_local, query_remote, read_query
    from serokg.graph.vocab import DEFAULT_BASE

    text = read_query(query)
    form = check_query(text)
    if fmt in GRAPH_FORMATS and form in ("SELECT", "ASK"):
        raise UsageError(f"-f {fmt.value} is for CONSTRUCT and DESCRIBE queries; SELECT and ASK give results: "
                         "use -f table, json, csv or tsv")
    if fmt in RESULT_FORMATS and form in ("CONSTRUCT", "DESCRIBE"):
        raise UsageError(f"-f {fmt.value} is for SELECT and ASK results; CONSTRUCT and DESCRIBE give triples: "
                         "use -f ntriples, -f turtle or -f table")
    if endpoint is not None:
        if data is not None or base is not None:
            raise typer.BadParameter("--data and --base apply to the embedded store, not to --endpoint")
        result = query_remote(endpoint, text, timeout, auth=auth.value, max_bytes=int(max_size * 1024 * 1024))
    else:
        from serokg.graph.index import load_for

        result = query_local(load_for(data), text, base or DEFAULT_BASE)
    if fmt in GRAPH_FORMATS:
        stream = typer.get_binary_stream("stdout")
        stream.write(res.to_rdf(result, fmt.value))
        stream.flush()
        return
    if fmt is QueryFormat.table:
        from serokg.cli.options import OutFormat
        from serokg.cli.output import count, echo, render

        rows = [{"ask": "yes" if result.boolean else "no"}] if result.form == "ASK" else result.rows
        typer.echo(render(rows, OutFormat.table, result.columns), nl=False)
        echo(count(len(result.rows), "row"), err=True)
        return
    if fmt is QueryFormat.csv:
        from serokg.cli.output import csv_safe

        out = res.to_csv(result, csv_safe)
    else:
        out = res.to_json(result) if fmt is QueryFormat.json else res.to_tsv(result)
    typer.echo(out, nl=False)


def push(
    endpoint: Annotated[str, typer.Option("--endpoint", help="Graph Store Protocol endpoint "
                                          "(e.g. http://localhost:7878/store).", show_default=False)],
    graph: Annotated[Optional[str], typer.Option("--graph", help="Named graph to replace. Default: the "
                                                 "default graph.", show_default=False)] = None,
    data: DataOpt = None,
    base: BaseOpt = None,
    timeout: TimeoutOpt = 300.0,
    auth: AuthOpt = AuthMode.auto,
) -> None:
    """Replace a graph of a remote store with the export, in one request (credentials: SEROKG_USER and
    SEROKG_PASSWORD, SEROKG_TOKEN, or netrc)."""
    from serokg.graph.export.store import check_graph
    from serokg.graph.export.store import push as push_graph
    from serokg.graph.index import load_for
    from serokg.graph.vocab import DEFAULT_BASE

    if graph is not None:
        check_graph(graph)
    result = push_graph(load_for(data), endpoint, graph, base or DEFAULT_BASE, timeout, auth=auth.value)
    where = f"graph <{graph}>" if graph else "the default graph"
    typer.echo(f"pushed {result.statements} statements to {where} (HTTP {result.status})", err=True)


def register(app: typer.Typer) -> None:
    app.command()(sparql)
    app.command()(push)
