"""Safe writing: atomic replace, nothing partial left, data folder guarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from serokg.errors import UsageError
from serokg.graph.write import atomic_write, guard_output, write_text


def test_atomic_write_replaces(tmp_path: Path):
    target = tmp_path / "out.txt"
    write_text(target, "one")
    write_text(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_written_file_gets_the_usual_mode(tmp_path: Path):
    import os

    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "out.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644


def test_interrupted_write_leaves_the_old_file(tmp_path: Path):
    target = tmp_path / "out.txt"
    target.write_text("precious")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(target) as handle:
            handle.write("half")
            raise KeyboardInterrupt
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_missing_folder_is_a_clean_error(tmp_path: Path):
    with pytest.raises(UsageError, match="folder .* does not exist"):
        write_text(tmp_path / "nope" / "out.txt", "x")


def test_guard_output_refuses_the_data_folder(tmp_path: Path):
    (tmp_path / "data").mkdir()
    with pytest.raises(UsageError, match="refusing to write .*claims.jsonl: it is inside the data folder"):
        guard_output(tmp_path / "data" / "claims.jsonl", tmp_path / "data")
    guard_output(tmp_path / "out.ttl", tmp_path / "data")
