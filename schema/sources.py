"""The citation-markers file of a source (``sources/citation-markers.json``), as pydantic models.

A source's ``*.meta.json`` is :class:`~serokg.schema.models.Source`; the file its
``markers_file`` names lists every citation marker of the text in reading order.

>>> MarkersFile.model_validate({"source": "a-b", "markers": [{"marker": "R01", "offset": 3}]}).markers[0].offset
3
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from serokg.schema.models import Slug, Text, _Model

__all__ = ["Marker", "MarkersFile"]

#: ASCII digits only: ``\d`` would also take other scripts' digits (``R٢٢``).
MARKER_ASCII = r"^R[0-9]{2}$"


class Marker(_Model):
    """One citation marker ``(R`` of the text: its name and where it starts."""

    marker: Annotated[str, Field(pattern=MARKER_ASCII, description="R01, R02... in reading order")]
    offset: Annotated[int, Field(ge=0, description="character offset of the marker in the source text")]
    cited_text: Annotated[str | None, Field(max_length=20_000, description="the text the marker supports")] = None


class MarkersFile(_Model):
    """Every citation marker of one source text, each once, in reading order (their order numbers
    the markers the text holds; the offsets need not be in order)."""

    source: Annotated[Slug, Field(description="id of the source whose text holds the markers")]
    about: Text | None = None
    markers: list[Marker]

    @model_validator(mode="after")
    def _once_each(self) -> MarkersFile:
        first: dict[str, int] = {}
        for i, m in enumerate(self.markers):
            if m.marker in first:
                raise ValueError(f"markers.{i}: duplicate marker {m.marker!r} (first at markers.{first[m.marker]})")
            first[m.marker] = i
        return self
