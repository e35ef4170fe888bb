"""Options shared by several commands."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from serokg.graph.evidence import EvidenceLevel
from serokg.schema.models import Aspect, Direction, Modality, Part, Predicate

__all__ = [
    "AnatomyOpt", "AspectOpt", "BaseOpt", "DataOpt", "DirectionOpt", "EvidenceOpt", "FormatOpt", "MarkerOpt", "ModalityOpt",
    "IndexOpt", "NegatedOpt", "ObjectOpt", "OrganismOpt", "OutFormat", "OutputOpt", "PartOpt", "PredicateOpt", "ReferenceOpt",
    "SubjectOpt", "TouchesOpt",
]


class OutFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


BaseOpt = Annotated[Optional[str], typer.Option(
    "--base", help="Base IRI of claims, entities, references and sources. Default: https://w3id.org/serokg/",
    show_default=False)]
DataOpt = Annotated[
    Optional[Path],
    typer.Option("--data", help="Data folder (entities.jsonl, claims.jsonl, references.jsonl, sources/). "
                 "Default: the bundled dataset.", file_okay=False, show_default=False),
]
IndexOpt = Annotated[
    Optional[Path],
    typer.Option("--index", help="Index file to answer from (built or rebuilt when missing or stale). Default: "
                 "$SEROKG_INDEX, else a file in the user's cache folder; 'off' reads the data files.",
                 dir_okay=False, show_default=False),
]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="table for people; json, jsonl, csv for pipes.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                                                   dir_okay=False, show_default=False)]

# The claim filters, shared by every command that selects claims (query, view).
TouchesOpt = Annotated[Optional[str], typer.Option(help="Claims whose subject or object (either side) is this term "
                                                   "or below it in the receptor hierarchy (e.g. autoreceptor); "
                                                   "for what acts on it, see serokg acting-on.")]
SubjectOpt = Annotated[Optional[str], typer.Option(help="Subject term (id, CURIE or words of a name).")]
ObjectOpt = Annotated[Optional[str], typer.Option("--object", help="Object term.")]
PredicateOpt = Annotated[Optional[Predicate], typer.Option(help="Relation.")]
DirectionOpt = Annotated[Optional[Direction], typer.Option(help="Direction of the change.")]
AspectOpt = Annotated[Optional[Aspect], typer.Option(help="Aspect of the object that changes.")]
OrganismOpt = Annotated[Optional[str], typer.Option(help="Organism term (human, rat, rodent, NCBITaxon:10116...).")]
AnatomyOpt = Annotated[Optional[str], typer.Option(help="Region term (hypothalamus, raphe...).")]
ModalityOpt = Annotated[Optional[Modality], typer.Option(help="asserted, hedged, speculative or anecdotal.")]
NegatedOpt = Annotated[Optional[bool], typer.Option("--negated/--affirmed", help="Only claims the text denies, or "
                                                    "only claims it affirms (default: both; denials show as "
                                                    "'no change').")]
PartOpt = Annotated[Optional[Part], typer.Option(help="body: the article; comment: reader comments.")]
MarkerOpt = Annotated[Optional[str], typer.Option(help="Citation marker, e.g. R22.")]
ReferenceOpt = Annotated[Optional[str], typer.Option(help="Reference id.")]
EvidenceOpt = Annotated[Optional[EvidenceLevel], typer.Option(help="Evidence level, derived from the claim: human, "
                                                              "animal, in_vitro, review, comment, opinion or "
                                                              "unknown.")]
