"""The index command: build (or check) the embedded index of a data folder."""

from __future__ import annotations

from typing import Annotated

import typer
from serokg.cli.options import DataOpt, IndexOpt

__all__ = ["register"]


def index(data: DataOpt = None, index: IndexOpt = None,
          force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is fresh.")] = False,
          ) -> None:
    """Build the index other commands answer from (they also build it on first use).
    Example: serokg index --data corpus/"""
    from pathlib import Path

    from serokg.graph.index import build_index, index_location, open_index
    from serokg.graph.read import bundled_data_dir

    from serokg.errors import UsageError

    folder = Path(data) if data is not None else bundled_data_dir()
    where = index_location(folder, index)
    if where is None:
        raise UsageError("indexing is off (--index off or SEROKG_INDEX=off)")
    found = None if force else open_index(folder, index)
    if found is not None:
        n = found.count("claim")
        typer.echo(f"up to date: {where} ({n} claim{'s' * (n != 1)})", err=True)
        return
    ds, written = build_index(data, index)
    if written is None:
        raise typer.Exit(1)  # build_index said why
    typer.echo(f"indexed {len(ds.entities)} entities, {len(ds.claims)} claims, {len(ds.references)} references, "
               f"{len(ds.sources)} sources into {written}", err=True)


def register(app: typer.Typer) -> None:
    app.command()(index)
