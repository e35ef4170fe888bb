"""Command benchmark (issue 16): every indexed command, from the files, cold and warm, at 10^3..10^6.

For each size the script makes (or reuses) the synthetic folder of ``bench/run.py``, then runs
each command as a user would, in its own process (``serokg ... > file``):

* **files**: ``--index off``, every record read and validated (what every command did before);
* **cold**: no index yet: read, validate, answer; then a detached child writes the index
  (the row also says when it was in place);
* **warm**: the index is there and fresh: answer from it (best of ``--repeat``).

It checks that the three outputs are byte-identical, and records wall time and the process's
peak RSS (``wait4``).  In the same run, at the same size: the import floor (``serokg --help``),
a pickle baseline (unpickle the whole validated dataset, then the same query code) and a SQLite
floor (only fetch this index's rows for the query's claims, no validation, no rendering).

    python bench/commands.py --sizes 1e3,1e4 --work /tmp/skb               # a few minutes
    nice python bench/commands.py --sizes 1e6 --only query --work /tmp/skb --json /tmp/c6.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLI = [sys.executable, "-c", "from serokg.cli.main import run; run()"]
TERM = "autoreceptor"
#: name -> arguments (``{first}``: the first claim's id).  Largest size each runs at is in CAPS.
COMMANDS: dict[str, list[str]] = {
    "query": ["query", "--touches", TERM, "--format", "json"],
    "query-table": ["query", "--touches", TERM],
    "query-filters": ["query", "--organism", "rat", "--predicate", "affects", "--direction", "decreased", "--format", "jsonl"],
    "acting-on": ["acting-on", TERM, "--format", "json"],
    "show": ["show", "{first}", "--format", "json"],
    "neighbors": ["neighbors", "htr1a-autoreceptor", "--format", "json"],
    "stats": ["stats", "--format", "json"],
    "fidelity": ["fidelity", "--format", "json"],
    "path": ["path", "htr1a-autoreceptor", "htr2a"],
    "conflicts": ["conflicts", "--format", "json"],
    "conflicts-summary": ["conflicts", "--summary", "--format", "json"],
    "conflicts-limit": ["conflicts", "--limit", "100", "--format", "json"],
    "export-nt": ["export", "--format", "ntriples"],
    "export-turtle": ["export", "--format", "turtle"],
    "export-jsonld": ["export", "--format", "jsonld"],
    "report": ["report", "--output", "{out}.html"],
    "view-focus": ["view", "--output", "{out}.html", "--focus", "htr1a-autoreceptor"],
    "read": ["read", "--output", "{out}.html", "--source", "synthetic-article-000000"],
    "validate": ["validate"],
}
#: Largest size each command runs at (the rest run at every size asked for).
CAPS = {"conflicts": 10_000, "path": 100_000, "report": 100_000, "export-turtle": 100_000,
        "export-jsonld": 100_000, "read": 100_000}
NO_INDEX = {"validate"}  # always reads the files
#: Above this size a cold run does not wait for its detached build (it is stopped instead): the
#: warm runs use one index built up front, in the foreground, and timed.
WAIT_MAX = 100_000


def _run(args: list[str], out: Path, env: dict[str, str]) -> tuple[float, float, int, str, float]:
    """Wall seconds, peak RSS (MB), exit code, output digest (stdout, or the file an ``{out}``
    argument named) and CPU seconds (user + system: steadier than wall on a shared machine).

    (The parent stays small: a child's ``ru_maxrss`` counts the parent's pages it was forked with.)
    """
    target = out.with_suffix(".html")
    args = [a.replace("{out}", str(out.with_suffix(""))) for a in args]
    with out.open("wb") as handle, out.with_suffix(".err").open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, stdout=handle, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    written = target if any(str(out.with_suffix("")) in a for a in args) else out
    digest = _digest(written)
    return wall, usage.ru_maxrss / 1024, proc.returncode, digest, usage.ru_utime + usage.ru_stime


def _digest(path: Path) -> str:
    """The file's hash, read in pieces: a parent that held a 500 MB export would lend its size to
    the next child's peak RSS (a forked child starts with its parent's pages)."""
    if not path.exists():
        return hashlib.sha256(b"").hexdigest()[:12]
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:12]


def _stop_builders(index: Path) -> None:
    """Stop the detached builders writing ``index`` (found by the SEROKG_INDEX they inherited)."""
    mark = f"SEROKG_INDEX={index}".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if mark in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                os.kill(int(pid), 15)
        except OSError:
            pass


def _wait_fresh(folder: Path, index: Path, timeout: float = 3600) -> float:
    """Seconds until the detached builder's index is in place (checked in a child: the parent stays small)."""
    t0 = time.perf_counter()
    code = ("import sys; from pathlib import Path; from serokg.graph.index import open_index; "
            "sys.exit(open_index(Path(sys.argv[1]), sys.argv[2]) is None)")
    probe = [sys.executable, "-c", code, str(folder), str(index)]
    while subprocess.run(probe, check=False).returncode != 0:
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"no index after {timeout} s")
        time.sleep(0.5)
    while list(index.parent.glob(f".{index.name}.*")):  # another builder still writing
        time.sleep(0.5)
    return time.perf_counter() - t0


def _pickle_child(pkl: str, data: str) -> None:
    """Baseline: the whole validated dataset from a pickle, then the query command's own code."""
    import pickle

    from serokg.cli.options import OutFormat
    from serokg.cli.output import render
    from serokg.graph.query import ClaimFilter, select
    from serokg.graph.records import claim_record

    with open(pkl, "rb") as handle:
        ds = pickle.load(handle)
    recs = [claim_record(c, ds) for c in select(ds, ClaimFilter(touches=TERM))]
    sys.stdout.write(render(recs, OutFormat.json, []))


def _pickle_make(pkl: str, data: str) -> None:
    import pickle

    from serokg.graph.read import load

    with open(pkl, "wb") as handle:
        pickle.dump(load(data), handle, protocol=pickle.HIGHEST_PROTOCOL)


def _sqlite_child(index: str, data: str) -> None:
    """Floor: this index's JSON rows of the query's claims, written as they are (no validation)."""
    from serokg.graph.index import open_index
    from serokg.graph.index.subset import Ids, dataset
    from serokg.graph.query import expand

    idx = open_index(Path(data), index)
    assert idx is not None, "no fresh index"
    entities_only = dataset(idx, Path(data), Ids(()))
    nodes = json.dumps(sorted(expand(entities_only, TERM)))
    rows = idx.rows("SELECT json FROM claim WHERE subject IN (SELECT value FROM json_each(?)) "
                    "OR object IN (SELECT value FROM json_each(?)) ORDER BY ord", (nodes, nodes))
    out = sys.stdout.buffer
    out.write(b"[\n" + b",\n".join(r[0] for r in rows) + b"\n]\n")


def measure(n: int, work: Path, only: set[str] | None, repeat: int, log,
            given_index: Path | None = None) -> list[dict[str, Any]]:
    from bench.run import dataset_folder

    folder, _ = dataset_folder(n, work, 7)
    first = json.loads((folder / "claims.jsonl").open("rb").readline())["id"]
    tmp = Path(tempfile.mkdtemp(prefix=f"cmd-{n}-", dir=work))
    index = given_index or tmp / "index.sqlite"
    base_env = {**os.environ}
    rows: list[dict[str, Any]] = []

    def row(name: str, mode: str, run: tuple, note: str = "", **extra) -> None:
        wall, rss, cpu = run[0], run[1], run[4]
        rows.append({"n": n, "command": name, "mode": mode, "wall": wall, "cpu": cpu, "rss": rss, "note": note,
                     **extra})
        log(f"{n:>9,} {name:<18} {mode:<6} {wall:8.3f} s {cpu:8.3f} cpu {rss:7.0f} MB {note}")

    row("import floor", "-", min(_run([*CLI, "--help"], tmp / "help.out", base_env) for _ in range(3)),
        "`serokg --help`, best of 3")
    wait = n <= WAIT_MAX and given_index is None
    if not wait and given_index is None:
        built = _run([*CLI, "index", "--data", str(folder), "--index", str(index)], tmp / "index.out", base_env)
        row("index", "build", built, f"exit {built[2]}; `serokg index`, once, in the foreground")
    skipped = (float("nan"),) * 5
    for name, args in COMMANDS.items():
        if only and name not in only:
            continue
        if n > CAPS.get(name, 10**9):
            row(name, "-", skipped, f"skipped above {CAPS[name]:,} claims")
            continue
        argv = [*CLI, *[a.format(first=first, out="{out}") for a in args], "--data", str(folder)]
        off = {**base_env, "SEROKG_INDEX": "off"}
        on = {**base_env, "SEROKG_INDEX": str(index)}
        files = _run(argv, tmp / "files.out", off)
        want = files[3]
        problem = (tmp / "files.err").read_text(errors="replace").strip().splitlines()[-1:] if files[2] else []
        row(name, "files", files, f"exit {files[2]}" + "".join(f": {p}" for p in problem))
        if name in NO_INDEX:
            continue
        if wait:
            index.unlink(missing_ok=True)
            cold = _run(argv, tmp / "cold.out", on)
            ready = _wait_fresh(folder, index)
            note = f"detached index build done {ready:.1f} s after the answer"
        else:
            fresh = tmp / "cold.sqlite"
            cold = _run(argv, tmp / "cold.out", {**base_env, "SEROKG_INDEX": str(fresh)})
            _stop_builders(fresh)
            note = "its detached build stopped"
        row(name, "cold", cold, ("same output" if cold[3] == want else "OUTPUT DIFFERS")
            + f"; {note}; cold/files {cold[0] / files[0]:.2f}x wall, {cold[4] / files[4]:.2f}x cpu",
            same=cold[3] == want)
        best = min(_run(argv, tmp / "warm.out", on) for _ in range(repeat))
        row(name, "warm", best, ("same output" if best[3] == want else "OUTPUT DIFFERS")
            + f", best of {repeat}; files/warm {files[0] / best[0]:.1f}x wall, {files[4] / best[4]:.1f}x cpu",
            same=best[3] == want)
        if name == "query":
            _baselines(folder, index, tmp, want, row, repeat)
    return rows


def _baselines(folder: Path, index: Path, tmp: Path, want: str, row, repeat: int) -> None:
    pkl = tmp / "dataset.pkl"
    me = [sys.executable, str(Path(__file__).resolve())]
    subprocess.run([*me, "--child", "pickle-make", str(pkl), str(folder)], check=True)
    best = min(_run([*me, "--child", "pickle", str(pkl), str(folder)], tmp / "pkl.out", dict(os.environ))
               for _ in range(repeat))
    row("query", "pickle", best, "baseline: unpickle everything, same code; "
        + ("same output" if best[3] == want else "OUTPUT DIFFERS"))
    best = min(_run([*me, "--child", "sqlite", str(index), str(folder)], tmp / "sql.out", dict(os.environ))
               for _ in range(repeat))
    row("query", "rows", best, "floor: fetch the claims' rows from the index, no validation")
    pkl.unlink()


def table(rows: list[dict[str, Any]]) -> str:
    out = ["| N claims | command | mode | wall (s) | CPU (s) | peak RSS (MB) | note |",
           "| ---: | --- | --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        cell = {k: "" if r[k] != r[k] else f"{r[k]:.{d}f}" for k, d in (("wall", 3), ("cpu", 2), ("rss", 0))}
        out.append(f"| {r['n']:,} | `{r['command']}` | {r['mode']} | {cell['wall']} | {cell['cpu']} | {cell['rss']} "
                   f"| {r['note']} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5")
    ap.add_argument("--only", default=None, help=f"comma-separated commands (default all: {','.join(COMMANDS)})")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "skb")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per command (best is kept)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--index", type=Path, default=None, help="an index of the (single) size's folder, built "
                    "already, for the warm runs (cold runs then never wait for their own build)")
    ap.add_argument("--child", nargs=3, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, a, b = args.child
        {"pickle": _pickle_child, "pickle-make": _pickle_make, "sqlite": _sqlite_child}[kind](a, b)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(",")) if args.only else None
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for n in (int(float(s)) for s in args.sizes.split(",")):
        rows += measure(n, args.work, only, args.repeat, lambda m: print(m, file=sys.stderr, flush=True), args.index)
    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average at the start {os.getloadavg()[0]:.1f}; run started {started}.\n\n")
    text = head + table(rows)
    print(text)
    if args.out:
        args.out.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
