"""One exception tree for everything wrong with the data a user hands us.

The CLI catches :class:`SerokgError` once and prints its message; library callers can catch
the narrower classes.  Every data problem carries the file, line and field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DataProblem", "SerokgError", "DataError", "UsageError", "RemoteError"]


@dataclass(frozen=True, order=True)
class DataProblem:
    """One problem found in a data file: ``file:line: field: message``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SerokgError(ValueError):
    """Base of every error serokg reports to a user (never shown as a traceback)."""


class DataError(SerokgError):
    """The data folder has problems; ``problems`` lists every one of them, not just the first."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SerokgError):
    """A request that cannot be answered as asked (unknown claim id, unknown term, bad path)."""


class RemoteError(SerokgError):
    """A remote store failed, refused or timed out.  Messages never contain credentials."""
