"""A 100 MB file of broken lines is read as a stream: bounded memory, a counted flood of problems."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import MINI

# The peak is read from VmHWM: getrusage's ru_maxrss survives fork and exec, so it would report the
# size of the test process that started this one, not this one's.
CODE = """
import re, sys
from serokg.cli.main import app
try:
    app(["validate", "--data", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
peak = re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)
print(peak, code, file=sys.stderr)
"""


def test_100_mb_of_broken_lines(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    good = (MINI / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    # A valid record with an unknown key, padded to ~1 kB: each line is one problem.
    record = json.loads(good[0])
    record["padding"] = "x" * 600
    bad = json.dumps(record, ensure_ascii=False).encode()
    lines = 100 * 1024 * 1024 // (len(bad) + 1)
    with (data / "claims.jsonl").open("wb") as handle:
        handle.write(("\n".join(good) + "\n").encode())
        for i in range(lines):
            handle.write(bad.replace(b'"id": "', b'"id": "x%d-' % i, 1) + b"\n")
    assert (data / "claims.jsonl").stat().st_size > 100 * 1024 * 1024
    out = subprocess.run([sys.executable, "-c", CODE, str(data)], capture_output=True, text=True)
    *messages, summary, usage = out.stderr.splitlines()
    peak_kb, code = usage.split()
    assert code == "1"
    assert "Traceback" not in out.stderr
    assert summary == f"error: {lines} problems found (the first 1000 shown)"
    assert messages[0] == f"{data}/claims.jsonl:7: padding: unknown key"
    assert len(messages) == 1000
    # Streaming: the process never holds the file (100 MB) or its records in memory.
    print(f"peak RSS {int(peak_kb) // 1024} MB for {lines} lines")
    assert int(peak_kb) < 200 * 1024, f"peak RSS {int(peak_kb) // 1024} MB"


def test_one_100_mb_line_is_reported_in_bounded_memory(tmp_path: Path):
    """F21: a single line is not read whole; it is reported with its length and skipped."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    good = (MINI / "claims.jsonl").read_bytes()
    size = 100 * 1024 * 1024
    with (data / "claims.jsonl").open("wb") as handle:
        handle.write(b'{"id": "' + b"x" * (size - 8))
        handle.write(b"\n" + good)
    out = subprocess.run([sys.executable, "-c", CODE, str(data)], capture_output=True, text=True)
    *messages, summary, usage = out.stderr.splitlines()
    peak_kb, code = usage.split()
    assert (code, summary) == ("1", "error: 1 problem found")
    assert messages == [f"{data}/claims.jsonl:1: line of {size + 1:,} bytes is longer than 16,777,216, the most a "
                        "record may take: not read"]
    print(f"peak RSS {int(peak_kb) // 1024} MB for one line of {size} bytes")
    assert int(peak_kb) < 150 * 1024, f"peak RSS {int(peak_kb) // 1024} MB"
