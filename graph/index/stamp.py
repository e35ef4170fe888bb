"""What an index was built from: the data files' stat stamps and content hashes, and the code.

A stamp is ``(size, mtime_ns)`` per file.  Stamps are cheap to compare; a stamp that differs,
or one too recent to trust (written within :data:`RACY_NS` of the check, so an edit in the
same clock tick would keep it), sends the file to a content hash.  Equal hashes mean the
file is unchanged; any other difference means the index is stale.

>>> fs = data_files(bundled_data_dir())
>>> "claims.jsonl" in fs
True
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from serokg.graph.read import DATA_FILES, bundled_data_dir  # noqa: F401 (the doctest)

__all__ = ["RACY_NS", "code_stamp", "content_hash", "data_files", "hashed", "snapshot", "stamp_of", "unchanged"]

#: A file whose mtime is this close to the moment its hash was taken is checked by content.
RACY_NS = 2_000_000_000

_CODE: str | None = None


def code_stamp() -> str:
    """A hash of the code that decides what a stored record is: the schema, the reader, this
    index, and the library modules beside the reader (the finished records of ``query`` come
    from :mod:`~serokg.graph.records`, :mod:`~serokg.graph.sentence`, :mod:`~serokg.graph.evidence`...)."""
    global _CODE
    if _CODE is None:
        import pydantic

        root = Path(__file__).resolve().parents[2]  # the folder holding schema/, graph/
        h = hashlib.sha256(pydantic.VERSION.encode())
        files = sorted([*root.glob("schema/*.py"), *root.glob("graph/*.py"), *root.glob("graph/index/*.py"),
                        root / "graph" / "present" / "jsontext.py"])  # the stored records' JSON text
        for f in files:
            h.update(f.name.encode() + b"\0" + f.read_bytes())
        _CODE = h.hexdigest()
    return _CODE


def data_files(folder: Path) -> list[str]:
    """The files of a data folder the reader looks at (relative names), sorted.

    The record files, every ``sources/*.meta.json`` and whatever text and marker files those
    name (read from the metadata as plain JSON: an unreadable one is simply hashed as it is).
    """
    import json

    names = set(DATA_FILES)
    for meta in (folder / "sources").glob("*.meta.json"):
        names.add(str(meta.relative_to(folder)))
        try:
            doc = json.loads(meta.read_bytes())
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict):
            for key in ("text_file", "markers_file"):
                if isinstance(doc.get(key), str):
                    names.add(os.path.normpath(os.path.join("sources", doc[key])))
    return sorted(names)


def stamp_of(path: Path) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of a file, or None when it is missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def content_hash(path: Path) -> str | None:
    """The file's SHA-256 digest (SHA-NI makes it the fastest hashlib offers here), or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def unchanged(folder: Path, recorded: dict[str, tuple[int | None, int | None, str | None]],
              verified_ns: int) -> tuple[bool, dict[str, tuple[int | None, int | None, str | None]]]:
    """Whether every file is as ``recorded`` (name -> size, mtime_ns, hash) when it was verified.

    Returns ``(same, refreshed)``: ``refreshed`` holds new stamps for files whose stamp moved
    but whose content did not (so the next check is cheap again).
    """
    # A new or removed source shows as a different set of metadata files; the text and marker
    # files they name are in ``recorded`` (a changed metadata file changes its own stamp).
    metas = {str(m.relative_to(folder)) for m in (folder / "sources").glob("*.meta.json")}
    if metas != {n for n in recorded if n.startswith("sources" + os.sep) and n.endswith(".meta.json")}:
        return False, {}
    refreshed = {}
    for name, (size, mtime, digest) in recorded.items():
        path = folder / name
        now = stamp_of(path)
        if now is None:
            if size is None:
                continue
            return False, {}
        if now == (size, mtime) and now[1] < verified_ns - RACY_NS:
            continue
        if now[0] != size or content_hash(path) != digest:
            return False, {}
        refreshed[name] = (now[0], now[1], digest)
    return True, refreshed


def snapshot(folder: Path) -> tuple[dict[str, tuple[int, int] | None], int]:
    """The stamp of every data file and the moment they were taken (ns): cheap (no file is
    read), so a command takes it before reading and leaves the hashing to :func:`hashed`."""
    at = time.time_ns()
    return {name: stamp_of(folder / name) for name in data_files(folder)}, at


def hashed(folder: Path, snap: dict[str, tuple[int, int] | None]
           ) -> dict[str, tuple[int | None, int | None, str | None]] | None:
    """The files' stamps and hashes, when every file is still as ``snap`` saw it (before and
    after its hash); None when one moved, since what was read may then differ from what is hashed."""
    out: dict[str, tuple[int | None, int | None, str | None]] = {}
    for name, st in snap.items():
        path = folder / name
        if st is None:
            if stamp_of(path) is not None:
                return None
            out[name] = (None, None, None)
            continue
        digest = content_hash(path)
        if digest is None or stamp_of(path) != st:
            return None
        out[name] = (*st, digest)
    return out

