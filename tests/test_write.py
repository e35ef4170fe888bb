"""Safe writing: atomic replace, nothing partial left, data folder guarded."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from serokg.errors import ConcurrentEdit, UsageError
from serokg.graph import write as writer
from serokg.graph.write import atomic_write, format_dataset, guard_output, stamp, write_text

from conftest import MINI

SEROKG = [sys.executable, "-c", "from serokg.cli.main import run; run()"]


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    if "stdout" not in kw:
        kw.setdefault("capture_output", True)
    return subprocess.run(args, check=False, **{"text": True, **kw})


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
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as handle:
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


# --- the one output writer: kinds of target (F3, F9, F16) --------------------------------------
def _node(path: Path, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), made in a test folder."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def test_dev_null_is_written_through(tmp_path: Path):
    null = _node(tmp_path / "null", 3)
    write_text(null, "x" * 1000)
    assert stat.S_ISCHR(null.stat().st_mode) and null.stat().st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_dev_full_is_a_clean_error_and_stays_a_device(tmp_path: Path):
    full = _node(tmp_path / "full", 7)
    out = _run([*SEROKG, "export", "--data", str(MINI), "-o", str(full)])
    assert (out.returncode, out.stderr) == (1, f"error: cannot write {full}: No space left on device\n")
    assert stat.S_ISCHR(full.stat().st_mode)


def test_fifo_is_written_through(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(10)
    assert got == [b"through the pipe\n"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_dev_stdout_and_dev_fd_reach_the_reader(tmp_path: Path):
    expected = _run([*SEROKG, "export", "--data", str(MINI), "-f", "ntriples"], text=False).stdout
    out = _run([*SEROKG, "export", "--data", str(MINI), "-f", "ntriples", "-o", "/dev/stdout"], text=False)
    assert out.returncode == 0 and expected and out.stdout == expected
    read_end, write_end = os.pipe()
    proc = subprocess.Popen([*SEROKG, "export", "--data", str(MINI), "-f", "ntriples", "-o", f"/dev/fd/{write_end}"],
                            pass_fds=(write_end,), stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        body = pipe.read()
    assert proc.wait() == 0 and body == expected  # the `-o >(gzip > x.gz)` case


def test_symlink_is_written_through(tmp_path: Path):
    (tmp_path / "real.txt").write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert (tmp_path / "real.txt").read_text() == "new"


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_the_old_files_mode_is_kept(tmp_path: Path, mode: int):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(mode)
    umask = os.umask(0o000)  # a permissive umask must not widen the file
    try:
        write_text(target, "new")
    finally:
        os.umask(umask)
    assert (stat.S_IMODE(target.stat().st_mode), target.read_text()) == (mode, "new")


def test_a_read_only_file_is_not_replaced(tmp_path: Path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o444)
    cmd = [*SEROKG, "export", "--data", str(MINI), "-o", str(target)]
    if os.geteuid() == 0:  # root may write anything: drop the capability that lets it
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    out = _run(cmd)
    assert (out.returncode, out.stderr) == (1, f"error: cannot write {target}: Permission denied\n")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_two_fmt_runs_at_once_both_succeed(mini: Path, monkeypatch):
    from serokg.graph.read import load

    claims = mini / "claims.jsonl"
    claims.write_text(claims.read_text().replace('", "', '",  "'))
    ds = load(mini)
    stamps = {"claims.jsonl": stamp(claims)}
    real_write = writer.write_text

    def other_run_first(*args, **kw):  # the other fmt renames its result in just before this one
        monkeypatch.setattr(writer, "write_text", real_write)
        assert format_dataset(mini, {"claims.jsonl": ds.claims.values()}) == ["claims.jsonl"]
        real_write(*args, **kw)

    monkeypatch.setattr(writer, "write_text", other_run_first)
    assert format_dataset(mini, {"claims.jsonl": ds.claims.values()}, stamps) == ["claims.jsonl"]
    assert writer.write_text is real_write  # the other run did happen in between
    assert sorted(p.name for p in mini.iterdir()) == ["claims.jsonl", "entities.jsonl", "references.jsonl", "sources"]


def test_the_old_files_owner_is_kept(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    target = tmp_path / "out.txt"
    target.write_text("old")
    os.chown(target, 65534, 65534)
    write_text(target, "new")
    assert (target.stat().st_uid, target.stat().st_gid) == (65534, 65534)


def test_directory_target_is_a_clean_error(tmp_path: Path):
    with pytest.raises(UsageError, match="it is a directory"):
        write_text(tmp_path, "x")


def test_edit_during_write_is_kept(tmp_path: Path):
    target = tmp_path / "claims.jsonl"
    target.write_text("line 1\n")
    before = stamp(target)
    with pytest.raises(ConcurrentEdit) as info, atomic_write(target, expect=before) as handle:
        handle.write("formatted\n")
        with open(target, "a") as other:  # another program appends while serokg writes
            other.write("line 2\n")
    assert target.read_text() == "line 1\nline 2\n"
    assert (tmp_path / "claims.jsonl.serokg-new").read_text() == "formatted\n"
    assert str(info.value) == (f"cannot write {target}: it changed while serokg was working on it; left as it is, "
                               f"the new content is in {target}.serokg-new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl", "claims.jsonl.serokg-new"]


def test_fmt_keeps_modes_symlinks_and_edits(mini: Path, tmp_path: Path):
    from serokg.graph.read import load

    claims, refs = mini / "claims.jsonl", mini / "references.jsonl"
    claims.write_text(claims.read_text().replace('", "', '",  "'))  # not canonical
    claims.chmod(0o600)
    shared = tmp_path / "shared.jsonl"
    shared.write_text(refs.read_text().replace('", "', '",   "'))
    refs.unlink()
    refs.symlink_to(shared)
    out = _run([*SEROKG, "fmt", "--data", str(mini)])
    assert (out.returncode, out.stderr) == (0, "reformatted claims.jsonl, references.jsonl\n")
    assert stat.S_IMODE(claims.stat().st_mode) == 0o600
    assert refs.is_symlink() and '",   "' not in shared.read_text()
    ds = load(mini)
    stamps = {"claims.jsonl": stamp(claims)}
    with open(claims, "a") as edit:  # an edit after serokg read the file
        edit.write(claims.read_text().splitlines()[0].replace("r22-", "r99-", 1) + "\n")
    edited = claims.read_bytes()
    with pytest.raises(ConcurrentEdit):
        format_dataset(mini, {"claims.jsonl": list(ds.claims.values())[:1]}, stamps)
    assert claims.read_bytes() == edited


# --- write errors (F16) -------------------------------------------------------------------------
def test_read_only_folder_is_a_clean_error(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    os.chown(folder, 65534, 65534)
    # root writes anywhere: drop the capabilities that let it, as a normal user would be
    cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *SEROKG, "export", "--data", str(MINI),
           "-o", str(folder / "x.ttl")] if os.geteuid() == 0 else [*SEROKG, "export", "-o", str(folder / "x.ttl")]
    out = _run(cmd)
    assert (out.returncode, out.stderr) == (1, f"error: cannot write {folder / 'x.ttl'}: Permission denied\n")
    assert list(folder.iterdir()) == []


def test_full_disk_is_a_clean_error_and_leaves_nothing(tmp_path: Path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "x.nt").write_text("old\n")
    script = (f"mount -t tmpfs -o size=16k tmpfs {small} && echo old > {small}/x.nt && "
              f"{' '.join(SEROKG[:2])} '{SEROKG[2]}' export --data {MINI} -f ntriples -o {small}/x.nt; "
              f"echo rc=$?; ls -A {small}; cat {small}/x.nt")
    out = _run(["unshare", "-m", "--propagation", "private", "sh", "-c", script])
    if "rc=" not in out.stdout:
        pytest.skip(f"cannot mount a small tmpfs here: {out.stderr.strip()}")
    assert out.stderr == f"error: cannot write {small}/x.nt: No space left on device\n"
    assert out.stdout == "rc=1\nx.nt\nold\n"


def test_stdout_errors_are_one_line_and_epipe_is_quiet():
    with open("/dev/full", "w") as full:
        out = _run([*SEROKG, "query", "--data", str(MINI)], stdout=full, stderr=subprocess.PIPE)
    assert (out.returncode, out.stderr) == (1, "error: cannot write stdout: No space left on device\n")
    with open("/dev/full", "w") as full:
        out = _run([*SEROKG, "export", "--data", str(MINI)], stdout=full, stderr=subprocess.PIPE)
    assert (out.returncode, out.stderr) == (1, "error: cannot write stdout: No space left on device\n")
    proc = subprocess.Popen([*SEROKG, "export", "-f", "ntriples"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away, as `| head` does
    assert (proc.wait(), proc.stderr.read()) == (0, b"")


# --- signals (F17): real signals to a real process ----------------------------------------------
DRIVER = """
import sys, time
from serokg.graph import write
write.USE_O_TMPFILE = sys.argv[2] == "1"
with write.atomic_write(sys.argv[1]) as handle:
    handle.write("new " * 100000)
    handle.flush()
    print("ready", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("tmpfile", [True, False], ids=["O_TMPFILE", "named-temp"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_leaves_the_old_file_and_no_temp(tmp_path: Path, signum: int, tmpfile: bool):
    if tmpfile and not writer.USE_O_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    target = tmp_path / "out.txt"
    target.write_text("old")
    # SIGHUP at its default, as outside nohup (a test run under nohup inherits SIG_IGN)
    code = "import signal; signal.signal(signal.SIGHUP, signal.SIG_DFL)\n" + DRIVER
    proc = subprocess.Popen([sys.executable, "-c", code, str(target), "1" if tmpfile else "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    if not tmpfile:
        assert len(list(tmp_path.iterdir())) == 2  # the named temporary file exists
    proc.send_signal(signum)
    code = proc.wait(20)
    assert code == -signum  # died of the signal, as callers (timeout, systemd, a shell) expect
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"] and target.read_text() == "old"


def test_sigkill_leaves_no_temp_with_o_tmpfile(tmp_path: Path):
    if not writer.USE_O_TMPFILE:
        pytest.skip("no O_TMPFILE here: SIGKILL cannot be cleaned up after")
    target = tmp_path / "out.txt"
    target.write_text("old")
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(target), "1"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.kill()
    proc.wait(20)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"] and target.read_text() == "old"


# --- the data-folder guard compares identities (F18) --------------------------------------------
def test_guard_sees_a_symlinked_path_to_the_folder(mini: Path, tmp_path: Path):
    alias = tmp_path / "alias"
    alias.symlink_to(mini)
    with pytest.raises(UsageError, match="it is inside the data folder"):
        guard_output(alias / "claims.jsonl", mini)
    with pytest.raises(UsageError, match="it is inside the data folder"):
        guard_output(alias / "sources" / "new.txt", mini)


def test_guard_protects_files_symlinked_out_of_the_folder(mini: Path, tmp_path: Path):
    outside = tmp_path / "shared-references.jsonl"
    (mini / "references.jsonl").rename(outside)
    (mini / "references.jsonl").symlink_to(outside)
    hard = tmp_path / "hard-claims.jsonl"
    os.link(mini / "claims.jsonl", hard)
    for target in (outside, hard):
        with pytest.raises(UsageError, match=f"refusing to write {target}: it is a file of the data folder"):
            guard_output(target, mini)
    guard_output(tmp_path / "elsewhere.ttl", mini)


def test_guard_sees_a_bind_mount_of_the_folder(mini: Path, tmp_path: Path):
    bind = tmp_path / "bind"
    bind.mkdir()
    script = (f"mount --bind {mini} {bind} && {SEROKG[0]} {SEROKG[1]} '{SEROKG[2]}' export --data {mini} "
              f"-f ntriples -o {bind}/claims.jsonl; echo rc=$?")
    out = _run(["unshare", "-m", "--propagation", "private", "sh", "-c", script])
    if "rc=" not in out.stdout:
        pytest.skip(f"mount --bind does not work here: {out.stderr.strip()}")
    assert out.stdout == "rc=1\n"
    assert out.stderr == f"error: refusing to write {bind}/claims.jsonl: it is inside the data folder {mini}\n"
    assert (mini / "claims.jsonl").read_bytes() == (MINI / "claims.jsonl").read_bytes()


def test_an_ignored_sighup_stays_ignored(tmp_path: Path):
    """Under nohup the writer must not turn an ignored SIGHUP into its death."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    code = "import signal; signal.signal(signal.SIGHUP, signal.SIG_IGN)\n" + DRIVER
    proc = subprocess.Popen([sys.executable, "-c", code, str(target), "0"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGHUP)
    with pytest.raises(subprocess.TimeoutExpired):
        proc.wait(1)  # still writing
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == -signal.SIGTERM
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"] and target.read_text() == "old"
