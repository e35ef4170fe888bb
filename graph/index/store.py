"""The index file: one SQLite database per data folder, written whole and renamed into place.

Each record is kept as JSON that validates back to an equal record with the same fields set
(the line as the reader validated it, or the record's own JSON), beside the columns the claim
filters use.  A
build writes a temporary file beside the target and renames it over the target, so a reader
sees the old index or the new one, never half of one, and two builders cannot mix their rows.

>>> from serokg.graph.read import load
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "i.sqlite"
>>> snap, at = stamp.snapshot(load().path)
>>> write(target, load(), stamp.hashed(load().path, snap), at)
>>> Index.open(target, load().path).count("claim") == len(load().claims)
True
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import UnionType
from urllib.request import pathname2url

from pydantic import BaseModel
from serokg.graph.index import stamp
from serokg.graph.read import Dataset

__all__ = ["FORMAT", "Index", "record_crc", "write"]

#: Changes whenever the tables change shape.
FORMAT = "serokg-index/2"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, hash TEXT);
CREATE TABLE entity (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL, json BLOB NOT NULL);
CREATE TABLE reference (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL,
                        json BLOB NOT NULL);
CREATE TABLE source (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL, markers TEXT,
                     text TEXT NOT NULL);
CREATE TABLE claim (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, line INTEGER NOT NULL,
                    subject TEXT NOT NULL, object TEXT NOT NULL, predicate TEXT NOT NULL, direction TEXT,
                    aspect TEXT, modality TEXT NOT NULL, negated INTEGER NOT NULL, organism TEXT,
                    part TEXT NOT NULL, marker TEXT, reference TEXT, source TEXT NOT NULL, evidence TEXT NOT NULL,
                    json BLOB NOT NULL, record TEXT NOT NULL, record_crc INTEGER NOT NULL);
CREATE TABLE claim_anatomy (ord INTEGER NOT NULL, anatomy TEXT NOT NULL);
"""
# Built after the rows are in: one sort per index instead of a b-tree insert per row.
_INDEXES = """
CREATE INDEX claim_subject ON claim (subject);
CREATE INDEX claim_object ON claim (object);
CREATE INDEX claim_organism ON claim (organism);
CREATE INDEX claim_marker ON claim (marker);
CREATE INDEX claim_reference ON claim (reference);
CREATE INDEX claim_anatomy_anatomy ON claim_anatomy (anatomy, ord);
"""


_NESTED: dict[type, tuple[str, ...]] = {}


def _nested(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields of ``model`` that can hold a record (``X`` or ``X | None`` with X a model)."""
    try:
        return _NESTED[model]
    except KeyError:
        import typing

        def holds_model(annotation) -> bool:
            options = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, UnionType) \
                else (annotation,)
            return any(isinstance(a, type) and issubclass(a, BaseModel) for a in options)

        _NESTED[model] = names = tuple(n for n, f in model.model_fields.items() if holds_model(f.annotation))
        return names


def _given_keys(record: BaseModel) -> int:
    """Keys a record was validated from: its fields set, counted into nested records."""
    given = record.__pydantic_fields_set__
    n = len(given)
    values = record.__dict__
    for name in _nested(type(record)):
        if name in given and values[name] is not None:
            n += _given_keys(values[name])
    return n


def _as_read(raw: bytes, record: BaseModel) -> bool:
    """Whether ``raw`` is a line the reader validated straight from its bytes into ``record``.

    The reader's fast path takes a line when pydantic validates it and its key tokens (``":``
    or, without whitespace before a colon, ``:``) number exactly the record's keys; then
    validating ``raw`` again gives an equal record with the same fields set.  For any other
    line the index keeps the record's own JSON instead.
    """
    keys = _given_keys(record)
    if raw.count(b":") == keys:
        return True
    return not any(w in raw for w in (b" :", b"\t:", b"\r:")) and raw.count(b'":') == keys


def _json_rows(folder: Path, name: str, records, kind: str, lines: dict) -> Iterator[tuple[BaseModel, int, bytes]]:
    """``(record, line, json)`` in file order: the line as read when it validates to the record,
    else the record's JSON with the keys it was given (which validates back to an equal record)."""
    with (folder / name).open("rb") as handle:
        numbered = enumerate(handle, start=1)
        for record in records:
            want = lines[(kind, record.id)]
            raw = None
            for number, raw in numbered:
                if number == want:
                    break
            if raw is not None and number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n") if raw is not None else b""
            yield record, want, raw if _as_read(raw, record) else record.model_dump_json(exclude_unset=True).encode()


def record_crc(item: str) -> int:
    """The CRC-32 kept beside a stored record: a damaged row is caught without parsing it."""
    return zlib.crc32(item.encode("utf-8"))


def _checked(item: str) -> tuple[str, int]:
    return item, record_crc(item)


def _claim_rows(rows: Iterator[tuple[BaseModel, int, bytes]], ds: Dataset) -> Iterator[tuple]:
    """Each claim's row: its filter columns, its JSON, and its finished record (what ``query``
    prints for it, from :func:`~serokg.graph.records.claim_record`, so no claim need be
    validated or rendered again to answer a query)."""
    from serokg.graph.evidence import evidence_level
    from serokg.graph.present.jsontext import list_item
    from serokg.graph.records import claim_record

    # Enum members are str subclasses: sqlite stores their text as it is.
    for i, (c, line, raw) in enumerate(rows):
        ev, cit = c.evidence, c.citation
        yield (i, c.id, line, c.subject, c.object, c.predicate, c.direction, c.aspect, c.modality, int(c.negated),
               c.organism, ev.part, cit.marker, cit.reference, ev.source, evidence_level(c, ds).value, raw,
               *_checked(list_item(claim_record(c, ds))))


def write(target: Path, ds: Dataset, files: dict, taken_ns: int) -> None:
    """Write the index of ``ds`` to ``target`` (atomically: a temporary file, then a rename)."""
    from serokg.graph.write import removed_on_signal

    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    with removed_on_signal(tmp):
        _write_temp(tmp, target, ds, files, taken_ns)


#: A build's temporary file not written to for this long belongs to a build that was killed.
STALE_TEMP_S = 600


def _sweep(target: Path) -> None:
    """Remove temporary files of killed builds of ``target`` (SIGKILL leaves them)."""
    limit = time.time() - STALE_TEMP_S
    for old in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


def _write_temp(tmp: str, target: Path, ds: Dataset, files: dict, taken_ns: int) -> None:
    folder, lines = ds.path, ds.lines
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = OFF")  # a fresh private file: nothing to roll back to
            con.execute("PRAGMA synchronous = OFF")   # made durable once, by fsync before the rename
            con.execute("PRAGMA cache_size = -262144")  # 256 MB for sorting the index keys
            con.execute("PRAGMA temp_store = MEMORY")
            con.executescript(_SCHEMA)
            con.execute("BEGIN")
            meta = {"format": FORMAT, "code": stamp.code_stamp(), "folder": str(folder.resolve()),
                    "verified_ns": str(taken_ns), "built_ns": str(time.time_ns())}
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", [(n, *v) for n, v in files.items()])
            for table, name, records, kind in (("entity", "entities.jsonl", ds.entities, "entity"),
                                               ("reference", "references.jsonl", ds.references, "reference")):
                con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?)",
                                ((i, r.id, line, raw) for i, (r, line, raw)
                                 in enumerate(_json_rows(folder, name, records.values(), kind, lines))))
            con.executemany("INSERT INTO source VALUES (?, ?, ?, ?, ?)",
                            ((i, s.id, s.model_dump_json(exclude_unset=True),
                              json.dumps(ds.markers[s.id]) if s.id in ds.markers else None, ds.texts[s.id])
                             for i, s in enumerate(ds.sources.values())))
            con.executemany(f"INSERT INTO claim VALUES ({', '.join('?' * 19)})",
                            _claim_rows(_json_rows(folder, "claims.jsonl", ds.claims.values(), "claim", lines), ds))
            con.executemany("INSERT INTO claim_anatomy VALUES (?, ?)",
                            ((i, a) for i, c in enumerate(ds.claims.values()) for a in c.anatomy))
            for statement in filter(str.strip, _INDEXES.split(";")):
                con.execute(statement)  # (executescript would commit first)
            con.execute("COMMIT")
        finally:
            con.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class Index:
    """An open, checked index: fresh for its data folder, built by this code, whole."""

    def __init__(self, con: sqlite3.Connection, path: Path):
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: Path, folder: Path) -> Index | None:
        """The index at ``path`` when it is a whole serokg index of ``folder`` as it is now, else None.

        Anything else (no file, not SQLite, truncated, another format, other code, another
        folder, a data file changed) gives None: the caller rebuilds.
        """
        try:
            size = path.stat().st_size
        except OSError:
            return None
        try:
            con = sqlite3.connect(f"file:{pathname2url(str(path))}?mode=ro", uri=True, isolation_level=None,
                                  check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            # No long read transaction: the file is only ever replaced by rename (this connection
            # keeps the old one) or touched in place by _refresh (stamps only).
            pages, page_size = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
            if pages * page_size != size:  # truncated (or grown by something else)
                raise sqlite3.DatabaseError("size")
            meta = dict(con.execute("SELECT key, value FROM meta"))
            if (meta.get("format") != FORMAT or meta.get("code") != stamp.code_stamp()
                    or meta.get("folder") != str(folder.resolve())):
                raise sqlite3.DatabaseError("foreign")
            files = {n: (s, m, h) for n, s, m, h in con.execute("SELECT name, size, mtime, hash FROM files")}
            checked_ns = time.time_ns()
            same, refreshed = stamp.unchanged(folder, files, int(meta["verified_ns"]))
            if not same:
                raise sqlite3.DatabaseError("stale")
        except (sqlite3.Error, KeyError, ValueError, TypeError):
            con.close()
            return None
        if refreshed:
            _refresh(path, refreshed, checked_ns)
        return cls(con, path)

    def count(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        return self.con.execute(sql, args).fetchall()

    def stream(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        """The rows one at a time (the JSON of 10^6 claims need not be held at once)."""
        return self.con.execute(sql, args)


def _refresh(path: Path, refreshed: dict, checked_ns: int) -> None:
    """Record new stamps of files whose content was found unchanged (best effort: a reader
    that cannot write just hashes again next time)."""
    try:
        con = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.executemany("UPDATE files SET size = ?, mtime = ? WHERE name = ? AND hash = ?",
                            [(s, m, n, h) for n, (s, m, h) in refreshed.items()])
            con.execute("UPDATE meta SET value = ? WHERE key = 'verified_ns'", (str(checked_ns),))
            con.execute("COMMIT")
        finally:
            con.close()
    except sqlite3.Error:
        pass
