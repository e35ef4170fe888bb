"""The embedded index: same answers as the files, rebuilt on any change, never trusted when damaged."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serokg.cli.main import app
from serokg.graph.index import build_index, load_for, open_index
from serokg.graph.query import ClaimFilter
from serokg.graph.read import bundled_data_dir, load
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.synth import generate

FORMATS = ("table", "json", "jsonl", "csv")


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "data"
    generate(folder, 2000, seed=11)
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the bundled data, safe to edit."""
    target = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def run(*args, index: Path | str):
    """One command through the CLI, with the given index ('off': straight from the files)."""
    result = CliRunner().invoke(app, [str(a) for a in args], env={"SEROKG_INDEX": str(index), "COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


def _calls(folder: Path) -> list[tuple[str, ...]]:
    ds = load(folder)
    first, last = next(iter(ds.claims)), list(ds.claims)[-1]
    c = ds.claims[first]
    marked = next(x for x in ds.claims.values() if x.citation.marker)
    cited = next((x for x in ds.claims.values() if x.citation.reference), marked)
    calls: list[tuple[str, ...]] = [
        ("query",), ("query", "--touches", "autoreceptor"), ("query", "--touches", "htr1a"),
        ("query", "--subject", c.subject), ("query", "--object", c.object), ("query", "--organism", "rat"),
        ("query", "--anatomy", "raphe"), ("query", "--predicate", c.predicate.value),
        ("query", "--direction", "decreases"), ("query", "--aspect", "sensitivity"),
        ("query", "--modality", "hedged"), ("query", "--negated"), ("query", "--affirmed"),
        ("query", "--part", "comment"), ("query", "--marker", marked.citation.marker),
        ("query", "--reference", cited.citation.reference or "none"), ("query", "--evidence", "human"),
        ("query", "--evidence", "animal", "--touches", "htr1a"), ("query", "--touches", "no-such-thing-anywhere"),
        ("show", first), ("show", last), ("show", "no-such-claim"), ("neighbors", "htr1a"),
        ("neighbors", c.object), ("neighbors", "autoreceptor"), ("neighbors", "no-such-thing-anywhere"),
        ("stats",), ("fidelity",), ("fidelity", "--verdict", "supported"), ("fidelity", "--evidence", "animal"),
        ("path", "lithium", "htr1a-autoreceptor"), ("path", c.subject, ds.claims[last].object),
        ("conflicts",), ("conflicts", "--kind", "context_dependent", "--evidence", "human"),
        ("acting-on", "autoreceptor"), ("acting-on", "htr1a"), ("acting-on", "no-such-thing-anywhere"),
    ]
    return [call + ("--format", f) for call in calls for f in FORMATS]


@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_every_command_and_format_answers_the_same_from_the_index(which, synth, tmp_path):
    folder = bundled_data_dir() if which == "bundled" else synth
    where = tmp_path / "i.sqlite"
    calls = _calls(folder)
    for i, call in enumerate(calls):  # the first builds the index, the others answer from it
        plain = run(*call, "--data", folder, index="off")
        assert run(*call, "--data", folder, index=where) == plain, call
        if i == 0:
            assert open_index(folder, where) is not None


def test_the_subset_holds_equal_records(synth, tmp_path):
    where = tmp_path / "i.sqlite"
    full, _ = build_index(synth, where)
    sub = load_for(synth, ClaimFilter(touches="autoreceptor"), index=where)
    assert sub.claims and len(sub.claims) < len(full.claims)
    for cid, claim in sub.claims.items():
        assert claim == full.claims[cid]
        assert claim.model_fields_set == full.claims[cid].model_fields_set
        assert claim.evidence.model_fields_set == full.claims[cid].evidence.model_fields_set
    every = load_for(synth, None, index=where)
    assert list(every.claims) == list(full.claims) and every.claims == full.claims
    assert every.entities == full.entities and dict(every.references) == full.references
    assert dict(every.texts) == full.texts and every.sources == full.sources and every.markers == full.markers
    assert every.lines == full.lines  # messages that name a file line find it


def _first_claim_line(folder: Path) -> tuple[list[str], dict]:
    lines = (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    return lines, json.loads(lines[0])


def test_an_edit_of_the_same_size_right_after_indexing_is_seen(data, tmp_path):
    where = tmp_path / "i.sqlite"
    lines, rec = _first_claim_line(data)
    assert run("show", rec["id"], "--data", data, index=where)[0] == 0
    old = rec["fidelity"]["reason"]
    new = old[:-1] + ("X" if old[-1] != "X" else "Y")  # same length, same second most likely
    lines[0] = lines[0].replace(json.dumps(old, ensure_ascii=False)[1:-1], json.dumps(new, ensure_ascii=False)[1:-1])
    size = (data / "claims.jsonl").stat().st_size
    (data / "claims.jsonl").write_text("".join(lines), encoding="utf-8")
    assert (data / "claims.jsonl").stat().st_size == size
    code, out, _ = run("show", rec["id"], "--data", data, "--format", "json", index=where)
    assert code == 0 and json.loads(out)[0]["fidelity"]["reason"] == new


def test_a_touched_but_unchanged_file_keeps_the_index(data, tmp_path):
    where = tmp_path / "i.sqlite"
    run("query", "--data", data, index=where)
    built = sqlite3.connect(where).execute("SELECT value FROM meta WHERE key = 'built_ns'").fetchone()
    os.utime(data / "claims.jsonl")
    assert run("query", "--data", data, index=where)[0] == 0
    assert sqlite3.connect(where).execute("SELECT value FROM meta WHERE key = 'built_ns'").fetchone() == built


def test_added_and_removed_source_files_make_it_stale(data, tmp_path):
    where = tmp_path / "i.sqlite"
    build_index(data, where)
    meta = next((data / "sources").glob("*.meta.json"))
    copy = meta.with_name("zz-extra.meta.json")
    shutil.copy(meta, copy)
    assert open_index(data, where) is None
    copy.unlink()
    assert open_index(data, where) is not None


def test_invalid_data_reports_the_same_problems_and_writes_no_index(data, tmp_path):
    where = tmp_path / "i.sqlite"
    build_index(data, where)
    with (data / "claims.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken"\n')
    plain = run("query", "--data", data, index="off")
    assert plain[0] == 1 and "not valid JSON" in plain[2]
    assert run("query", "--data", data, index=where) == plain
    assert run("validate", "--data", data, index="off")[0] == 1
    fresh = tmp_path / "fresh.sqlite"
    assert run("show", "x", "--data", data, index=fresh)[0] == 1 and not fresh.exists()


def _damage(where: Path, how: str, other: Path) -> None:
    if how == "truncated":
        size = where.stat().st_size
        with where.open("r+b") as handle:
            handle.truncate(size // 2)
    elif how == "garbage":
        with where.open("r+b") as handle:
            handle.seek(4096 * 3)
            handle.write(os.urandom(4096 * 4))
    elif how == "empty":
        where.write_bytes(b"")
    elif how == "foreign":
        where.unlink()
        con = sqlite3.connect(where)
        con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('format', 'something-else/9')")
        con.commit()
        con.close()
    elif how == "other-folder":
        where.unlink()
        build_index(other, where)
    elif how == "row":
        con = sqlite3.connect(where)
        con.execute("UPDATE claim SET json = '{\"id\": 1}'")
        con.commit()
        con.close()
    elif how in ("record", "record-list"):  # the finished records query prints as stored
        con = sqlite3.connect(where)
        con.execute("UPDATE claim SET record = ?", ("{not json" if how == "record" else "[1]",))
        con.commit()
        con.close()


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "foreign", "other-folder", "row", "record",
                                 "record-list"])
def test_a_damaged_or_foreign_index_is_rebuilt_never_trusted(how, data, tmp_path):
    where = tmp_path / "i.sqlite"
    want = run("query", "--touches", "autoreceptor", "--data", data, "--format", "json", index="off")
    assert run("query", "--data", data, index=where)[0] == 0
    _damage(where, how, bundled_data_dir())
    got = run("query", "--touches", "autoreceptor", "--data", data, "--format", "json", index=where)
    assert got == want
    assert open_index(data, where) is not None  # rebuilt: the next command answers from it


def test_a_file_that_is_not_an_index_is_never_replaced(data, tmp_path):
    where = tmp_path / "notes.txt"
    where.write_text("my notes\n")
    code, out, err = run("query", "--data", data, index=where)
    assert (code, out) == (1, "")
    assert err == f"error: refusing to replace {where}: it is not a serokg index\n"
    assert where.read_text() == "my notes\n"


def test_index_off_and_the_default_cache_location(data, tmp_path, monkeypatch):
    monkeypatch.delenv("SEROKG_INDEX", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_for(data)
    made = list((tmp_path / "cache" / "serokg" / "index").glob("*.sqlite"))
    assert len(made) == 1 and made[0].name.startswith("data-")
    assert not any(p.suffix == ".sqlite" for p in data.rglob("*"))  # never inside the data folder
    monkeypatch.setenv("SEROKG_INDEX", "off")
    assert open_index(data) is None


def _settled(folder: Path, where: Path, timeout: float = 120) -> bool:
    """Wait until a fresh index is in place and no builder's temporary file is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if open_index(folder, where) is not None and not list(where.parent.glob(f".{where.name}.*")):
            return True
        time.sleep(0.2)
    return False


def test_concurrent_commands_do_not_corrupt_the_index(synth, tmp_path):
    """Real `serokg` processes: the first ones find no index, answer from the files and each leave
    a detached builder behind; the racing builders and the readers never see half an index."""
    where = tmp_path / "i.sqlite"
    want = run("query", "--touches", "autoreceptor", "--data", synth, "--format", "jsonl", index="off")[1]
    env = {**os.environ, "SEROKG_INDEX": str(where), "COLUMNS": "160"}
    cmd = [sys.executable, "-c", "from serokg.cli.main import run; run()", "query", "--touches", "autoreceptor",
           "--data", str(synth), "--format", "jsonl"]
    for _ in range(3):  # cold (builders racing), then reading while builders may still be writing
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [o[1] for o in outs]
        assert all(o == (want.encode(), b"") for o in outs)
    assert _settled(synth, where)
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE) for _ in range(2)]
    assert [p.communicate(timeout=300)[0] for p in procs] == [want.encode()] * 2


def test_the_first_command_answers_before_its_detached_build(data, tmp_path):
    where = tmp_path / "i.sqlite"
    cmd = [sys.executable, "-c", "from serokg.cli.main import run; run()", "stats", "--data", str(data)]
    env = {**os.environ, "SEROKG_INDEX": str(where), "COLUMNS": "160"}  # the width run() renders at
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=120,
                          check=False)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode() == run("stats", "--data", data, index="off")[1]
    assert _settled(data, where)  # written afterwards, by the child


def test_the_index_command_builds_then_reports_up_to_date(data, tmp_path):
    where = tmp_path / "sub" / "i.sqlite"
    ds = load(data)
    code, out, err = run("index", "--data", data, "--index", where, index="off")
    assert (code, out) == (0, "")
    assert err == (f"indexed {len(ds.entities)} entities, {len(ds.claims)} claims, {len(ds.references)} references, "
                   f"{len(ds.sources)} sources into {where}\n")
    assert run("index", "--data", data, "--index", where, index="off") == (
        0, "", f"up to date: {where} ({len(ds.claims)} claims)\n")
    assert run("index", "--data", data, "--force", index=where)[2].startswith("indexed ")
    assert run("index", "--data", data, index="off") == (
        1, "", "error: indexing is off (--index off or SEROKG_INDEX=off)\n")


def test_the_index_command_on_invalid_data_lists_the_problems_and_writes_nothing(data, tmp_path):
    (data / "claims.jsonl").write_text('{"id": "x"\n', encoding="utf-8")
    where = tmp_path / "i.sqlite"
    code, out, err = run("index", "--data", data, index=where)
    assert (code, out) == (1, "")
    assert err == f"{data / 'claims.jsonl'}:1: not valid JSON: Expecting ',' delimiter (column 11)\nerror: 1 problem found\n"
    assert not where.exists() and not list(tmp_path.glob(".i.sqlite.*"))


@pytest.mark.parametrize("fmt", ["ntriples", "turtle", "jsonld", "nquads", "graphml", "nodelink", "kgx"])
def test_exports_are_the_same_from_the_index(fmt, synth, tmp_path):
    where = tmp_path / "i.sqlite"
    build_index(synth, where)
    outs = []
    for name, index in (("plain", "off"), ("indexed", where)):
        target = tmp_path / name
        code, _, err = run("export", "--data", synth, "-f", fmt, "-o", target, index=index)
        assert code == 0, err
        outs.append(sorted((p.name, p.read_bytes()) for p in target.iterdir()) if target.is_dir()
                    else target.read_bytes())
    assert outs[0] == outs[1] and outs[0]


def test_a_build_killed_by_sigterm_leaves_no_temporary_file(synth, tmp_path):
    import signal

    where = tmp_path / "i.sqlite"
    cmd = [sys.executable, "-c", "from serokg.cli.main import run; run()", "index", "--data", str(synth),
           "--index", str(where)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".i.sqlite.*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before its temporary file was seen"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == -signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_a_killed_build_s_old_temporary_file_is_swept_and_a_live_one_kept(data, tmp_path):
    from serokg.graph.index.store import STALE_TEMP_S

    where = tmp_path / "i.sqlite"
    dead, live = tmp_path / ".i.sqlite.dead.tmp", tmp_path / ".i.sqlite.live.tmp"
    for f in (dead, live):
        f.write_bytes(b"half an index")
    old = time.time() - STALE_TEMP_S - 60
    os.utime(dead, (old, old))
    build_index(data, where)
    assert not dead.exists() and live.exists() and open_index(data, where) is not None


@pytest.mark.parametrize("page", ["read", "report"])
@pytest.mark.parametrize("which", ["bundled", "synthetic"])
def test_pages_are_the_same_from_the_index(page, which, synth, tmp_path):
    folder = bundled_data_dir() if which == "bundled" else synth
    where = tmp_path / "i.sqlite"
    args = [page, "--data", folder] + (["--source", next(iter(load(folder).sources))] if page == "read" else [])
    outs = []
    for n, index in enumerate(["off", where, where]):  # from the files, then building, then from the index
        target = tmp_path / f"{n}.html"
        code, _, err = run(*args, "--output", target, index=index)
        assert code == 0, err
        outs.append(target.read_bytes())
    assert open_index(folder, where) is not None
    assert outs[0] == outs[1] == outs[2]
