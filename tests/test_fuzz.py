"""Generated broken input: the reader never crashes, and never drops a line silently.

Each example writes one claims file of 10 generated lines and reads it with the real reader:
1,500 examples give 15,000 generated cases.  Every non-blank line must come back either as a
record or as at least one problem naming that line.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serokg.errors import DataProblem
from serokg.graph.read import read_jsonl
from serokg.schema.models import Claim

from conftest import MINI

VALID = (MINI / "claims.jsonl").read_text(encoding="utf-8").splitlines()
KEYS = sorted({k for line in VALID for k in json.loads(line)})

# Flat values keep generation cheap enough for 10,000 examples in well under a minute.
_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = _scalars | st.lists(_scalars, max_size=3) | st.dictionaries(st.text(max_size=6), _scalars, max_size=3)


@st.composite
def mutated_line(draw) -> bytes:
    """A valid claim line with one thing broken, or raw junk."""
    kind = draw(st.sampled_from(["drop_key", "set_key", "add_key", "truncate", "bytes", "valid", "blank"]))
    record = json.loads(draw(st.sampled_from(VALID)))
    if kind == "drop_key":
        record.pop(draw(st.sampled_from(sorted(record))))
    elif kind == "set_key":
        record[draw(st.sampled_from(KEYS))] = draw(json_values)
    elif kind == "add_key":
        record[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    elif kind == "bytes":
        return draw(st.binary(max_size=200)).replace(b"\n", b" ")
    elif kind == "blank":
        return draw(st.sampled_from([b"", b"   ", b"\t"]))
    line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8")
    if kind == "truncate":
        line = line[: draw(st.integers(0, max(0, len(line) - 1)))]
    return line


_TMP = Path(tempfile.mkdtemp(prefix="serokg-fuzz-"))


@settings(max_examples=1_500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
          database=None)
@given(st.lists(mutated_line(), min_size=10, max_size=10), st.sampled_from([b"\n", b"\r\n"]))
def test_reader_accounts_for_every_line(lines: list[bytes], newline: bytes):
    path = _TMP / "claims.jsonl"
    path.write_bytes(newline.join(lines) + newline)
    problems: list[DataProblem] = []
    read = {number for number, _ in read_jsonl(path, Claim, problems)}
    reported = {p.line for p in problems}
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a leading byte-order mark is not data
        if raw.strip(b" \t\r\n"):
            assert number in read or number in reported, f"line {number} vanished: {raw[:80]!r}"
        else:
            assert number not in read and number not in reported
    assert all(p.file == str(path) and p.line >= 1 and p.message for p in problems)
