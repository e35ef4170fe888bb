"""The one output writer, and records in canonical form.

Every file serokg writes (export, kgx, view, read, report, fmt) goes through :func:`atomic_write`:

- a regular file (or a new one) is written to an unnamed temporary file in its folder
  (``O_TMPFILE``; a hidden ``.NAME.XXXXXXXX.tmp`` where the file system has none) and renamed
  into place, so an interrupted write leaves the old file whole.  The new file keeps the old
  one's mode and, where allowed, its owner; a symlink is written through (the link stays);
- a device, FIFO or ``/dev/stdout``-like path is written to directly, never replaced;
- a file that changed since ``expect`` was taken is left alone (:class:`ConcurrentEdit`);
- SIGTERM and SIGHUP remove the temporary file as SIGINT does; every ``OSError`` becomes
  :class:`~serokg.errors.WriteError` (``cannot write PATH: reason``).

>>> import tempfile; folder = tempfile.mkdtemp()
>>> write_text(f"{folder}/out.txt", "hello\\n")
>>> open(f"{folder}/out.txt").read()
'hello\\n'

Canonical JSONL: one record a line, keys in model field order, defaults left out, UTF-8.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from serokg.errors import ConcurrentEdit, UsageError, WriteError

__all__ = ["Stamp", "atomic_write", "canonical_line", "format_dataset", "guard_output", "removed_on_signal", "stamp",
           "write_text"]

#: Off only to test the named-temporary-file path on systems that have O_TMPFILE.
USE_O_TMPFILE = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")


def canonical_line(record: BaseModel) -> str:
    """The record as its one canonical JSON line (no newline)."""
    return json.dumps(record.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)


@dataclass(frozen=True)
class Stamp:
    """What identifies a file's content cheaply: device, inode, size, modification time."""

    dev: int
    ino: int
    size: int
    mtime_ns: int


def stamp(path: str | Path) -> Stamp | None:
    """The file's :class:`Stamp` (following symlinks), or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return Stamp(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


# --- temporary files removed on SIGTERM / SIGHUP ------------------------------------------
_pending: set[str] = set()
_previous: dict[int, object] = {}
_lock = threading.Lock()


def _on_signal(signum: int, frame: object) -> None:
    for tmp in list(_pending):
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _pending.clear()
    previous = _previous.get(signum, signal.SIG_DFL)
    if callable(previous):
        previous(signum, frame)
        return
    signal.signal(signum, signal.SIG_DFL)  # die of the same signal, as the caller expects
    os.kill(os.getpid(), signum)


def _track(tmp: str) -> None:
    with _lock:
        _pending.add(tmp)
        if threading.current_thread() is threading.main_thread() and not _previous:
            for signum in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(signum) is not signal.SIG_IGN:  # under nohup, SIGHUP stays ignored
                    _previous[signum] = signal.signal(signum, _on_signal)


@contextmanager
def removed_on_signal(tmp: str | Path) -> Iterator[None]:
    """Within this block SIGTERM and SIGHUP remove the temporary file ``tmp`` before the process
    dies of them (for a temporary file made by other means than this module's writers)."""
    _track(str(tmp))
    try:
        yield
    finally:
        _untrack(str(tmp))


def _untrack(tmp: str) -> None:
    with _lock:
        _pending.discard(tmp)
        if not _pending and _previous and threading.current_thread() is threading.main_thread():
            for signum, previous in _previous.items():
                signal.signal(signum, previous)  # type: ignore[arg-type]
            _previous.clear()


# --- where and how to write ----------------------------------------------------------------
def _names_a_descriptor(path: str) -> bool:
    """Whether ``path`` reaches /proc (``/dev/stdout``, ``/dev/fd/63``, ``/proc/self/fd/1``).

    Those name an open file descriptor: replacing the file behind it would not reach the reader.
    """
    p = os.path.abspath(path)
    for _ in range(40):
        parent = os.path.realpath(os.path.dirname(p))
        if parent == "/proc" or parent.startswith("/proc/"):
            return True
        p = os.path.join(parent, os.path.basename(p))
        if not os.path.islink(p):
            return False
        p = os.path.normpath(os.path.join(parent, os.readlink(p)))
    return False


def _open_temp(folder: str, name: str, mode: int) -> tuple[int, str | None]:
    """An unnamed temporary file in ``folder`` (O_TMPFILE), else a hidden named one."""
    if USE_O_TMPFILE:
        try:
            return os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, mode), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    _track(tmp)
    return fd, tmp


def _link_fd(fd: int, name: str) -> None:
    """Give the unnamed file behind ``fd`` the name ``name`` (linkat with AT_SYMLINK_FOLLOW)."""
    folder = os.open(os.path.dirname(name) or ".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:  # a dir_fd makes CPython call linkat(); plain link() would not follow the /proc link
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _publish(fd: int, tmp: str | None, target: str) -> None:
    """Give the finished temporary file the target's name (atomically replacing it)."""
    if tmp is None:  # unnamed: link it under a hidden name, then rename that over the target
        folder, name = os.path.split(target)
        for _ in range(100):
            tmp = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.tmp")
            try:
                _link_fd(fd, tmp)
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name", target)
        _track(tmp)
    try:
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
    finally:
        _untrack(tmp)


def _copy_owner(fd: int, old: os.stat_result) -> None:
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            return
        except OSError:
            continue


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", expect: Stamp | None = None) -> Iterator[IO]:
    """Open ``path`` for writing the way its kind of file needs (see the module docstring).

    ``mode`` is ``"w"`` (UTF-8 text, ``\\n`` line ends) or ``"wb"``.  With ``expect`` (a
    :func:`stamp` taken before the content was read), a file changed in the meantime is not
    replaced: :class:`~serokg.errors.ConcurrentEdit` is raised and the new content is kept
    beside it as ``NAME.serokg-new``.
    """
    shown = str(path)
    try:
        with _open_output(shown, mode, expect) as handle:
            yield handle
    except OSError as exc:
        raise WriteError(shown, exc.strerror or str(exc)) from None


@contextmanager
def _open_output(path: str, mode: str, expect: Stamp | None) -> Iterator[IO]:
    kw = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    try:
        old = os.stat(path)
    except FileNotFoundError:
        old = None
    if old is not None and stat.S_ISDIR(old.st_mode):
        raise UsageError(f"cannot write {path}: it is a directory")
    if old is not None and (not stat.S_ISREG(old.st_mode) or _names_a_descriptor(path)):
        # A device, FIFO, socket or descriptor: write into it, never rename over it.
        with open(path, mode, **kw) as handle:
            yield handle
        return
    target = os.path.realpath(path)  # through symlinks: the link stays, its target changes
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {path}: folder {os.path.dirname(path) or '.'} does not exist")
    if old is not None and not os.access(target, os.W_OK):  # as `>` would: a read-only file stays
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
    umask = os.umask(0)
    os.umask(umask)
    new_mode = stat.S_IMODE(old.st_mode) & 0o777 if old is not None else 0o666 & ~umask
    fd, tmp = _open_temp(folder, os.path.basename(target), new_mode)
    try:
        os.fchmod(fd, new_mode)  # the umask (or mkstemp's 0600) must not change the old file's mode
        if old is not None:
            _copy_owner(fd, old)
        with os.fdopen(fd, mode, closefd=False, **kw) as handle:
            yield handle
            handle.flush()
            os.fsync(fd)
        if expect is not None and stamp(target) != expect:
            _keep_beside(fd, tmp, target)
            raise ConcurrentEdit(path, f"{path}.serokg-new")
        _publish(fd, tmp, target)
        tmp = None
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            _untrack(tmp)
        raise
    finally:
        os.close(fd)


def _keep_beside(fd: int, tmp: str | None, target: str) -> None:
    """Keep refused new content as ``TARGET.serokg-new`` (replacing an older one)."""
    if tmp is None:
        try:
            os.unlink(target + ".serokg-new")
        except FileNotFoundError:
            pass
        _link_fd(fd, target + ".serokg-new")
    else:
        os.replace(tmp, target + ".serokg-new")
        _untrack(tmp)


def write_text(path: str | Path, text: str, expect: Stamp | None = None) -> None:
    """Write ``text`` to ``path`` through :func:`atomic_write`."""
    with atomic_write(path, expect=expect) as handle:
        handle.write(text)


# --- the data folder guard -----------------------------------------------------------------
def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _data_files(folder: Path) -> Iterator[Path]:
    """Every file of the data folder the reader may read, symlinked or not."""
    for name in ("entities.jsonl", "claims.jsonl", "references.jsonl"):
        yield folder / name
    try:
        yield from (folder / "sources").iterdir()
    except OSError:
        return


def guard_output(path: str | Path, data_dir: str | Path) -> None:
    """Refuse to write into the data folder or over any file it holds (only ``fmt`` may).

    Files are compared by identity (device and inode), not by name, so a symlinked or
    bind-mounted path to the folder, or a symlink out of it, is recognised as well.
    """
    folder = Path(data_dir)
    target = Path(os.path.realpath(path))
    refuse = UsageError(f"refusing to write {path}: it is inside the data folder {data_dir}")
    real_folder = Path(os.path.realpath(folder))
    if target == real_folder or real_folder in target.parents:
        raise refuse
    folder_id = _identity(folder)
    for parent in (target, *target.parents):
        if folder_id is not None and _identity(parent) == folder_id:
            raise refuse
    target_id = _identity(target)
    if target_id is not None and any(_identity(f) == target_id for f in _data_files(folder)):
        raise UsageError(f"refusing to write {path}: it is a file of the data folder {data_dir}")


def format_dataset(folder: str | Path, records: dict[str, Iterable[BaseModel]],
                   stamps: dict[str, Stamp | None] | None = None) -> list[str]:
    """Rewrite each data file canonically; return the names of the files that changed.

    ``stamps`` (name -> :func:`stamp` taken before the files were read) makes a file edited
    meanwhile raise :class:`~serokg.errors.ConcurrentEdit` instead of losing the edit.
    """
    changed = []
    for name, items in records.items():
        path = Path(folder) / name
        text = "".join(canonical_line(r) + "\n" for r in items)
        try:
            same = path.read_bytes() == text.encode("utf-8")
        except OSError as exc:
            raise WriteError(str(path), exc.strerror or str(exc)) from None
        if not same:
            try:
                write_text(path, text, expect=(stamps or {}).get(name))
            except ConcurrentEdit as exc:
                if path.read_bytes() != text.encode("utf-8"):
                    raise
                os.unlink(exc.kept)  # another fmt got there first with the same result: no conflict
            changed.append(name)
    return changed
