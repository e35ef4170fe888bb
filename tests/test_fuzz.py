"""Generated broken input: the readers never crash, and never drop a line silently.

Each example writes one claims file of 10 generated lines and reads it with the real reader:
1,500 examples give 15,000 generated cases.  Every non-blank line must come back either as a
record or as at least one problem naming that line.  Entities and references get the same
(300 files of 5 lines); 400 mutated meta and markers files go through the whole loader, and
whatever it accepts through ``stats`` and the reading page's markers.  Valid data through every
command: ``test_fuzz_valid.py``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serokg.errors import DataProblem
from serokg.graph.read import read_jsonl
from serokg.schema.models import Claim, Entity, Reference

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


# --- every other input file: entities, references, meta and markers (issue 11 point 3) ----------

_OTHER = {m: (MINI / f).read_text(encoding="utf-8").splitlines()
          for m, f in ((Entity, "entities.jsonl"), (Reference, "references.jsonl"))}


@st.composite
def mutated_record_line(draw, model) -> bytes:
    valid = _OTHER[model]
    record = json.loads(draw(st.sampled_from(valid)))
    keys = sorted({k for line in valid for k in json.loads(line)})
    kind = draw(st.sampled_from(["drop_key", "set_key", "add_key", "truncate", "bytes", "valid"]))
    if kind == "drop_key":
        record.pop(draw(st.sampled_from(sorted(record))))
    elif kind == "set_key":
        record[draw(st.sampled_from(keys))] = draw(json_values)
    elif kind == "add_key":
        record[draw(st.text(min_size=1, max_size=10))] = draw(json_values)
    elif kind == "bytes":
        return draw(st.binary(max_size=200)).replace(b"\n", b" ")
    line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8")
    return line[: draw(st.integers(0, max(0, len(line) - 1)))] if kind == "truncate" else line


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(st.sampled_from([Entity, Reference]).flatmap(lambda m: st.tuples(
    st.just(m), st.lists(mutated_record_line(m), min_size=5, max_size=5))))
def test_entity_and_reference_readers_account_for_every_line(case):
    model, lines = case
    path = _TMP / f"{model.__name__}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    problems: list[DataProblem] = []
    read = {number for number, _ in read_jsonl(path, model, problems)}
    reported = {p.line for p in problems}
    for number, raw in enumerate(lines, start=1):
        if raw.removeprefix(b"\xef\xbb\xbf" if number == 1 else b"").strip(b" \t\r\n"):
            assert number in read or number in reported, f"line {number} vanished: {raw[:80]!r}"


_SOURCES = MINI / "sources"
_META = json.loads((_SOURCES / "selfhacked-5ht1a.meta.json").read_text(encoding="utf-8"))
_MARKS = json.loads((_SOURCES / "citation-markers.json").read_text(encoding="utf-8"))
_deep_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


def _mutate(draw, doc: dict) -> dict:
    """One change somewhere in the document: at the top or inside one of its lists or objects."""
    where: object = doc
    while draw(st.booleans()):
        inner = [v for v in (where.values() if isinstance(where, dict) else where) if isinstance(v, (dict, list)) and v]
        if not inner:
            break
        where = draw(st.sampled_from(inner))
    kind = draw(st.sampled_from(["drop", "set", "add"]))
    if isinstance(where, list):
        i = draw(st.integers(0, len(where) - 1))
        if kind == "drop":
            where.pop(i)
        else:
            where.insert(i, draw(_deep_values)) if kind == "add" else where.__setitem__(i, draw(_deep_values))
    elif where:
        if kind == "drop":
            where.pop(draw(st.sampled_from(sorted(where))))
        else:
            key = draw(st.sampled_from(sorted(where))) if kind == "set" else draw(st.text(max_size=8))
            where[key] = draw(_deep_values | st.sampled_from(["R01", "R\ud800", "/dev/zero", "../x", -7, 10**12]))
    return doc


@st.composite
def mutated_source_files(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(["selfhacked-5ht1a.meta.json", "citation-markers.json"]))
    doc = json.loads(json.dumps(_META if name.endswith("meta.json") else _MARKS))
    for _ in range(draw(st.integers(1, 3))):
        doc = _mutate(draw, doc)
    raw = json.dumps(doc, indent=1).encode("utf-8")
    trouble = draw(st.sampled_from(["none", "none", "truncate", "duplicate", "bytes"]))
    if trouble == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif trouble == "duplicate":  # repeat one key line: valid JSON with a duplicate key
        lines = raw.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        raw = b"\n".join(lines[: i + 1] + lines[i:])
    elif trouble == "bytes":
        raw = draw(st.binary(max_size=300))
    return name, raw


_SRC_TMP = Path(tempfile.mkdtemp(prefix="serokg-fuzz-src-"))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(mutated_source_files())
def test_source_readers_never_crash_and_what_they_accept_works(case):
    """A broken meta or markers file is reported at a line; an accepted one never crashes stats or the reader."""
    from serokg.errors import DataError
    from serokg.graph.present.reading import marker_spans
    from serokg.graph.read import load
    from serokg.graph.stats import stats

    name, raw = case
    folder = _SRC_TMP / "data"
    if not folder.exists():
        shutil.copytree(MINI, folder)
    original = (_SOURCES / name).read_bytes()
    (folder / "sources" / name).write_bytes(raw)
    try:
        ds = load(folder)
    except DataError as exc:
        assert exc.problems and all(p.file and p.message and p.line >= 0 for p in exc.problems)
        assert all(str(p).encode("utf-8") for p in exc.problems)  # printable: no lone surrogate
    else:
        json.dumps(stats(ds), ensure_ascii=False).encode("utf-8")
        marker_spans(ds, "selfhacked-5ht1a")
    finally:
        (folder / "sources" / name).write_bytes(original)
