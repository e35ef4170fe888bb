"""The embedded index: a data folder's validated records in SQLite, for fast repeated answers.

The first command on a data folder reads and validates it as always (:func:`~serokg.graph.read.load`)
and writes the index; later commands answer from the index while the data files are as they
were (see :mod:`.stamp`), reading only the claims they need (see :mod:`.subset`).  The index
lives outside the data folder: ``--index PATH``, else ``$SEROKG_INDEX``, else
``$XDG_CACHE_HOME/serokg/index/`` (``~/.cache`` by default).  ``SEROKG_INDEX=off`` turns it off.
A missing, broken, truncated, foreign or stale index is rebuilt, never trusted.

>>> from serokg.graph.query import ClaimFilter
>>> ds = load_for(None, ClaimFilter(touches="autoreceptor"))   # doctest: +SKIP
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from serokg.graph.index import stamp
from serokg.graph.index.store import Index, write
from serokg.graph.index.subset import Around, Ids, Need, dataset, records
from serokg.graph.read import Dataset, bundled_data_dir, load

from serokg.errors import UsageError

if TYPE_CHECKING:
    from serokg.graph.query import ClaimFilter
    from serokg.graph.records import Records

__all__ = ["Around", "Ids", "Need", "build_index", "claim_records", "index_location", "load_for", "open_index"]

_OFF = {"off", "none", "0", "no", "false"}

#: Set by the ``serokg`` entry point: a command that finds no fresh index answers from the files
#: first and writes the index after it has finished, in a detached child process (as ``git gc
#: --auto`` detaches), so its answer comes no later than it would without an index.
DETACH = False


def index_location(folder: Path, index: str | Path | None = None) -> Path | None:
    """Where the index of ``folder`` lives, or None when indexing is off."""
    chosen = index if index is not None else os.environ.get("SEROKG_INDEX") or None
    if chosen is not None:
        return None if str(chosen).strip().lower() in _OFF else Path(chosen)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return cache / "serokg" / "index" / f"{folder.resolve().name or 'root'}-{key}.sqlite"


def _guard(where: Path) -> None:
    """Refuse to replace a file that is not an index (a path the user named by mistake)."""
    try:
        with where.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot use index {where}: {exc.strerror or exc}") from None
    if where.is_dir():
        raise UsageError(f"cannot use index {where}: it is a folder")
    if head and not head.startswith(b"SQLite format 3"[: len(head)]):
        raise UsageError(f"refusing to replace {where}: it is not a serokg index")


def open_index(folder: Path, index: str | Path | None = None) -> Index | None:
    """The fresh index of ``folder``, or None (off, missing, broken, foreign or stale)."""
    where = index_location(folder, index)
    return Index.open(where, folder) if where is not None else None


def build_index(data: str | Path | None = None, index: str | Path | None = None, *,
                detach: bool = False) -> tuple[Dataset, Path | None]:
    """Read and validate the data folder, write its index; return the dataset and where it went.

    With ``detach`` (and ``os.fork``), the index is written at exit by a detached child instead.
    Data problems raise :class:`~serokg.errors.DataError` before anything is written.
    """
    folder = Path(data) if data is not None else bundled_data_dir()
    where = index_location(folder, index)
    if where is not None:
        _guard(where)
    # Stamps before reading, hashes after (in the detached child when there is one, so a first
    # command costs what it costs without an index): a file that moved in between is not indexed.
    snap, taken = stamp.snapshot(folder)
    ds = load(data)
    gc.freeze()  # the records live until exit: later collections need not walk them again
    if where is not None and detach and hasattr(os, "fork"):
        _PENDING.append((where, ds, snap, taken))
    elif where is not None:
        where = _write(where, ds, snap, taken)
    return ds, where


def _write(where: Path, ds: Dataset, snap: dict, taken: int) -> Path | None:
    """Hash the files and write the index; where it went, or None (a file moved, or a write failed)."""
    files = stamp.hashed(ds.path, snap)
    if files is None:
        print(f"warning: did not write the index {where}: a data file changed while it was read", file=sys.stderr)
        return None
    try:
        write(where, ds, files, taken)
    except (OSError, sqlite3.Error) as exc:
        print(f"warning: could not write the index {where}: {exc}", file=sys.stderr)
        return None
    return where


#: Builds waiting for the answer to be out (see :func:`after_answer`).
_PENDING: list[tuple[Path, Dataset, dict, int]] = []


def after_answer(code: object) -> None:
    """Called by the entry point once the command is done: write a pending index in a detached
    child, and end this process at once with ``code``.

    Ending at once matters: a parent that went on to free its records after the fork would
    write to every page it shares with the child, and copying them cost 2-5% of a 10^6-claim
    command.  Only the interpreter's own clean-up is skipped (the answer is flushed first).
    """
    if not _PENDING or not (code is None or isinstance(code, int)):
        return
    where, ds, snap, taken = _PENDING.pop()
    if _write_detached(where, ds, snap, taken):
        os._exit(code or 0)


def _write_detached(where: Path, ds: Dataset, snap: dict, taken: int) -> bool:
    """After the answer: fork a child that writes the index; True in the parent once it has.

    The child holds the parent's records without copying them (the parent is gone), runs at a
    lower priority, keeps none of the parent's standard streams (a pipe reading the answer
    ends when the parent does), and leaves no trace but the index: it writes a temporary file
    and renames it, so racing builders and readers are safe.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            return False  # the normal exit reports it
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid:
        return True
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.nice(5)
        _write(where, ds, snap, taken)
    except BaseException:  # noqa: BLE001, S110 (nobody is listening: the next command simply builds again)
        pass
    finally:
        os._exit(0)


def claim_records(data: str | Path | None = None, flt: ClaimFilter | None = None, *,
                  index: str | Path | None = None) -> Records:
    """What ``serokg query`` prints: the :func:`~serokg.graph.records.claim_record` of every claim
    matching ``flt``, in file order; from a fresh index as stored, else from the files.

    >>> len(claim_records(None, ClaimFilter(touches="autoreceptor"))) > 0   # doctest: +SKIP
    True
    """
    from serokg.graph.query import ClaimFilter, select
    from serokg.graph.records import Records, claim_record

    flt = flt or ClaimFilter()
    folder = Path(data) if data is not None else bundled_data_dir()
    found = open_index(folder, index)
    if found is not None:
        try:
            return Records(items=records(found, folder, flt))
        except (sqlite3.Error, ValidationError, ValueError) as exc:
            if isinstance(exc, UsageError):
                raise
            # A damaged row or page: answer from the files, which rebuilds it.
    ds = build_index(data, index, detach=DETACH)[0]
    return Records(dicts=[claim_record(c, ds) for c in select(ds, flt)])


def load_for(data: str | Path | None = None, need: Need = None, *, index: str | Path | None = None) -> Dataset:
    """The dataset a command needs: from a fresh index when there is one (only the claims
    ``need`` names, see :mod:`.subset`), else read, validated and indexed for next time.

    Either way the command's own code then runs on it and gives the same answer.
    """
    folder = Path(data) if data is not None else bundled_data_dir()
    found = open_index(folder, index)
    if found is not None:
        enabled = gc.isenabled()
        gc.disable()  # many small surviving records, no cycles among them (as the reader does)
        try:
            ds = dataset(found, folder, need)
            gc.freeze()
            return ds
        except (sqlite3.Error, ValidationError, ValueError) as exc:
            if isinstance(exc, UsageError):
                raise
            # A damaged row or page: rebuild from the files.
        finally:
            if enabled:
                gc.enable()
    return build_index(data, index, detach=DETACH)[0]
