"""Write files safely and records canonically.

Every file serokg writes goes through :func:`atomic_write`: a temporary file in the target
folder, then a rename, so an interrupted write never leaves a partial file behind.
Canonical JSONL: one record a line, keys in model field order, defaults left out, UTF-8.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from serokg.errors import UsageError

__all__ = ["atomic_write", "canonical_line", "format_dataset", "guard_output", "write_text"]


def canonical_line(record: BaseModel) -> str:
    """The record as its one canonical JSON line (no newline)."""
    return json.dumps(record.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


@contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": "\n"})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as handle:
        handle.write(text)


def guard_output(path: str | Path, data_dir: str | Path) -> None:
    """Refuse to write over a file of the data folder (only ``fmt`` may rewrite those)."""
    target = Path(path).resolve()
    folder = Path(data_dir).resolve()
    if target == folder or folder in target.parents:
        raise UsageError(f"refusing to write {path}: it is inside the data folder {data_dir}")


def format_dataset(folder: str | Path, records: dict[str, Iterable[BaseModel]]) -> list[str]:
    """Rewrite each data file canonically; return the names of the files that changed."""
    changed = []
    for name, items in records.items():
        path = Path(folder) / name
        text = "".join(canonical_line(r) + "\n" for r in items)
        if path.read_bytes() != text.encode("utf-8"):
            write_text(path, text)
            changed.append(name)
    return changed
