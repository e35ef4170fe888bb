"""One exception tree for everything wrong with the data a user hands us.

The CLI catches :class:`SerokgError` once and prints its message; library callers can catch
the narrower classes.  Every data problem carries the file, line and field it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConcurrentEdit",
    "DataError",
    "DataProblem",
    "ProblemList",
    "RemoteError",
    "SerokgError",
    "UsageError",
    "WriteError",
]


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
    """The data folder has problems; ``problems`` lists every one of them, not just the first.

    A file with a flood of problems keeps the first :data:`ProblemList.CAP` of them;
    ``omitted`` counts the rest, so memory stays bounded however broken the input.
    """

    def __init__(self, problems: list[DataProblem], omitted: int = 0):
        self.problems = sorted(problems)
        self.omitted = omitted or getattr(problems, "omitted", 0)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def count(self) -> int:
        """How many problems were found, shown or not."""
        return len(self.problems) + self.omitted


class ProblemList(list):
    """A list of problems that keeps the first ``CAP`` and counts the others."""

    CAP = 1000

    def __init__(self) -> None:
        super().__init__()
        self.omitted = 0

    @property
    def full(self) -> bool:
        """Whether further problems are only counted."""
        return len(self) >= self.CAP

    def append(self, problem: DataProblem) -> None:  # type: ignore[override]
        if len(self) < self.CAP:
            super().append(problem)
        else:
            self.omitted += 1


class UsageError(SerokgError):
    """A request that cannot be answered as asked (unknown claim id, unknown term, bad path)."""


class RemoteError(SerokgError):
    """A remote store failed, refused or timed out.  Messages never contain credentials."""


class WriteError(SerokgError):
    """A file (or stdout) could not be written: ``cannot write PATH: reason``.  The old file is kept."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"cannot write {path}: {reason}")


class ConcurrentEdit(WriteError):
    """The file changed between serokg reading it and replacing it: it was left as it is."""

    def __init__(self, path: str, kept: str):
        self.kept = kept
        super().__init__(path, f"it changed while serokg was working on it; left as it is, the new "
                               f"content is in {kept}")
