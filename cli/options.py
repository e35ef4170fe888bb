"""Options shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

__all__ = ["DataOpt", "OutFormat", "FormatOpt", "OutputOpt"]


class OutFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


DataOpt = Annotated[
    Optional[Path],
    typer.Option("--data", help="Data folder (entities.jsonl, claims.jsonl, references.jsonl, sources/). "
                 "Default: the bundled dataset.", file_okay=False, show_default=False),
]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="table for people; json, jsonl, csv for pipes.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                                                   dir_okay=False, show_default=False)]
