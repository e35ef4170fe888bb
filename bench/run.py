"""Scale benchmark (issue 7): load, build, query, export, SPARQL and view at 10^3..10^6 claims.

For each size N the script makes (or reuses) a synthetic data folder with ``bench/synth.py``,
then runs every measurement in its own subprocess, so each peak memory figure (the child's
``ru_maxrss``) is that measurement's alone, the loaded data included.  Baselines run in the
same session on the same triples: a bare f-string N-Triples writer (the floor: it only joins
term strings made beforehand), pyoxigraph's serializer and rdflib's ``Graph.serialize``.
Load has a floor too: pydantic-core validating the same lines with nothing else around it.

It prints a Markdown table (times, throughputs, peak memory, ratios, targets) and can write it,
with the machine's facts, to a file.

    python bench/run.py --sizes 1e3,1e4              # a few minutes
    python bench/run.py --sizes 1e6 --out /tmp/b.md  # ~25 minutes; run in the background
    python bench/run.py --sizes 200 --only load,nt   # what the tests run

Measurements that would take many minutes or more memory than the machine has at large N are
capped (see ``CAPS``) and the table says so; baselines run on a sample of the triples (the
first ``SAMPLE`` of them), which is enough for a steady throughput.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Every measurement, in table order.
MEASURES = ("load", "load_floor", "build", "touches", "nt", "nq", "floor_nt", "floor_nq", "ox_nt",
            "rdflib_nt", "rdflib_nq", "turtle", "jsonld", "sparql", "oxigraph_load", "sparql_disk", "view")
#: Largest N at which a measurement runs; above it the row says "skipped" and why.
CAPS: dict[str, tuple[int, str]] = {
    "turtle": (100_000, "made from the whole N-Triples in memory by pyoxigraph; >5 min and >10 GB at 10^6"),
    "jsonld": (100_000, "builds the whole JSON-LD document in memory; >5 min and >20 GB at 10^6"),
    "sparql": (100_000, "in-memory store of all quads plus the N-Quads text in memory; at 10^6 use the "
                        "bulk-loaded on-disk store (next rows)"),
}
#: Baselines run on at most this many triples of the same stream (throughput is steady well before).
SAMPLE = {"floor": 2_000_000, "ox": 2_000_000, "rdflib": 300_000}
TARGETS = {
    "load": "≥100k claims/s",
    "build": "load+build peak ≤4 GB at 10^6",
    "touches": "<1 s at 10^6",
    "nt": "≥1M triples/s, ≤2.5x floor, ≥5x rdflib",
    "nq": "≥1M quads/s, ≤2.5x floor, ≥5x rdflib",
}
TOUCH_TERM = "autoreceptor"
SK = "https://w3id.org/serokg/vocab#"


# --- children ---------------------------------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _load(data: Path):
    from serokg.graph.read import load

    return load(data)


def _warm(measure: str) -> None:
    import serokg.graph.build  # noqa: F401
    import serokg.graph.query  # noqa: F401
    import serokg.graph.read  # noqa: F401

    if measure in ("nt", "nq", "turtle", "jsonld", "sparql") or "_" in measure:
        import serokg.graph.export.store  # noqa: F401
        import pyoxigraph  # noqa: F401

        import serokg.graph.export  # noqa: F401
    if measure.startswith("rdflib"):
        import rdflib  # noqa: F401
    if measure == "view":
        import jinja2  # noqa: F401

        import serokg.graph.present.view  # noqa: F401


def _sample(ds, dataset: bool, limit: int) -> list[tuple[str, str, str, str | None]]:
    from itertools import islice

    from serokg.graph.export import quads

    return list(islice(quads(ds, nanopub=dataset), limit))


def floor_write(items, out, dataset: bool) -> int:
    """The floor: term strings joined with f-strings, in chunks, encoded, written."""
    chunk: list[str] = []
    n = 0
    if dataset:
        for s, p, o, g in items:
            chunk.append(f"{s} {p} {o} {g} .\n" if g is not None else f"{s} {p} {o} .\n")
            if len(chunk) >= 8192:
                out.write("".join(chunk).encode("utf-8"))
                n += len(chunk)
                chunk.clear()
    else:
        for s, p, o, _ in items:
            chunk.append(f"{s} {p} {o} .\n")
            if len(chunk) >= 8192:
                out.write("".join(chunk).encode("utf-8"))
                n += len(chunk)
                chunk.clear()
    out.write("".join(chunk).encode("utf-8"))
    return n + len(chunk)


def _rdflib_graph(items, dataset: bool):
    """An rdflib graph of the same statements (built from the N-Triples/N-Quads text: untimed)."""
    import rdflib

    buf = io.BytesIO()
    floor_write(items, buf, dataset)
    if dataset:
        g = rdflib.Dataset()
        g.parse(data=buf.getvalue(), format="nquads")
    else:
        g = rdflib.Graph()
        g.parse(data=buf.getvalue(), format="nt")
    return g


#: Repeats (best time kept) of the quick measurements up to this N; one run above it.
REPEAT_UP_TO = 100_000
REPEATS = 3


def _best(fn: Callable[[], Any], k: int) -> tuple[float, Any]:
    """Best wall time of ``k`` runs (the machine is shared: the minimum is the least disturbed)."""
    best, out = float("inf"), None
    for _ in range(k):
        t, out = _timed(fn)
        best = min(best, t)
    return best, out


def child(measure: str, data: Path, work: Path) -> dict[str, Any]:
    """Run one measurement in this process; return its result."""
    import gc

    k = REPEATS if sum(1 for _ in open(data / "claims.jsonl", "rb")) <= REPEAT_UP_TO else 1

    res: dict[str, Any] = {"measure": measure}
    if measure == "load_floor":
        from serokg.schema.models import Claim

        validate = Claim.__pydantic_validator__.validate_json
        gc.disable()
        lines = (data / "claims.jsonl").read_bytes().splitlines()
        t, out = _best(lambda: [validate(line) for line in lines], k)
        res.update(seconds=t, items=len(out), unit="claims", note=f"best of {k}")
        res["peak_mb"] = _peak_mb()
        return res
    if measure == "oxigraph_load":  # run in its own child so ru_maxrss is the loader's alone
        return oxigraph_load(work / "out.nq", work)
    if measure == "sparql_disk":
        _warm(measure)
        return _sparql_disk(work)
    _warm(measure)  # imports are start-up cost, not the measured work
    if measure == "load":
        t_load, ds = _best(lambda: _load(data), k)
        res.update(seconds=t_load, items=len(ds.claims), unit="claims", note=f"best of {k}")
    else:
        t_load, ds = _timed(lambda: _load(data))
    res["load_seconds"] = t_load
    if measure == "load":
        pass
    elif measure == "build":
        from serokg.graph.build import build

        t, g = _timed(lambda: build(ds))  # once: the peak memory of load + build is part of the result
        res.update(seconds=t, items=g.number_of_edges(), unit="edges", load_build_seconds=t_load + t)
    elif measure == "touches":
        from serokg.graph.query import touches

        times = []
        for _ in range(3):
            t, found = _timed(lambda: touches(ds, TOUCH_TERM))
            times.append(t)
        res.update(seconds=min(times), items=len(found), unit="claims found", note="best of 3")
    elif measure in ("nt", "nq"):
        from serokg.graph.export import write_nt

        path = work / f"out.{measure}"
        def write() -> int:
            with open(path, "wb") as fh:
                return write_nt(ds, fh, dataset=measure == "nq")

        t, n = _best(write, k)
        res.update(seconds=t, items=n, unit="quads" if measure == "nq" else "triples",
                   bytes=path.stat().st_size, note=f"best of {k}")
        if measure == "nt":
            path.unlink()
    elif measure in ("floor_nt", "floor_nq", "ox_nt", "rdflib_nt", "rdflib_nq"):
        kind, fmt = measure.split("_")
        dataset = fmt == "nq"
        items = _sample(ds, dataset, SAMPLE[kind])
        del ds
        gc.collect()
        res["sample"] = len(items)
        unit = "quads" if dataset else "triples"
        if kind == "floor":
            def write() -> int:
                with open(work / f"floor.{fmt}", "wb") as fh:
                    return floor_write(items, fh, dataset)

            t, n = _best(write, k)
            os.unlink(work / f"floor.{fmt}")
        elif kind == "ox":
            import pyoxigraph as ox

            buf = io.BytesIO()
            floor_write(items, buf, dataset)
            buf.seek(0)
            parsed = list(ox.parse(buf, format=ox.RdfFormat.N_TRIPLES))
            del buf, items
            def write() -> None:
                with open(work / "ox.nt", "wb") as fh:
                    ox.serialize(parsed, fh, format=ox.RdfFormat.N_TRIPLES)

            t, _ = _best(write, k)
            n = len(parsed)
            os.unlink(work / "ox.nt")
        else:
            g = _rdflib_graph(items, dataset)
            n = len(items)
            del items
            with open(work / f"rdflib.{fmt}", "wb") as fh:
                t, _ = _timed(lambda: g.serialize(fh, format="nquads" if dataset else "nt"))
            os.unlink(work / f"rdflib.{fmt}")
        res.update(seconds=t, items=n, unit=unit)
    elif measure in ("turtle", "jsonld"):
        from serokg.graph.export import export

        path = work / f"out.{measure}"
        with open(path, "wb") as fh:
            t, n = _timed(lambda: export(ds, measure, fh))
        res.update(seconds=t, items=n, unit="triples", bytes=path.stat().st_size)
        path.unlink()
    elif measure == "sparql":
        res.update(_sparql(ds, work))
    elif measure == "view":
        from serokg.graph.query import touches
        from serokg.graph.present.view import render_html, view_graph

        term = _view_focus(ds)

        def page() -> int:
            vg = view_graph(ds, touches(ds, term), focus=term, depth=1)
            html = render_html(ds, vg)
            (work / "view.html").write_text(html, encoding="utf-8")
            return len(vg.claims)

        t, n = _timed(page)
        res.update(seconds=t, items=n, unit="claims drawn", note=f"focus {term!r}, depth 1",
                   bytes=(work / "view.html").stat().st_size)
    else:
        raise SystemExit(f"unknown measure {measure!r}")
    res["peak_mb"] = _peak_mb()
    return res


def _view_focus(ds) -> str:
    """An entity with a typical neighbourhood (about 30 claims), so the page is a focused one."""
    from collections import Counter

    deg: Counter[str] = Counter()
    for c in ds.claims.values():
        deg[c.subject] += 1
        deg[c.object] += 1
    synthetic = [(abs(n - 30), eid) for eid, n in deg.items() if eid.startswith("syn-")]
    return min(synthetic)[1] if synthetic else "htr1a-autoreceptor"


QUERY = (f"PREFIX sk: <{SK}> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?e sk:id \"htr1a-autoreceptor\" . "
         f"{{ ?c sk:subject ?e }} UNION {{ ?c sk:object ?e }} }}")


def _ask(store) -> tuple[float, int]:
    """Best of 3 runs of :data:`QUERY` through ``serokg.graph.export.store.query_local``."""
    from serokg.graph.export.store import query_local

    times, n = [], 0
    for _ in range(3):
        t1 = time.perf_counter()
        n = int(query_local(None, QUERY, store=store).rows[0]["n"])  # type: ignore[arg-type]
        times.append(time.perf_counter() - t1)
    return min(times), n


def _sparql(ds, work: Path) -> dict[str, Any]:
    """Fill the embedded (in-memory) store with ``load_store``, then ask :data:`QUERY`."""
    from serokg.graph.export.store import load_store

    t_fill, store = _timed(lambda: load_store(ds))
    t, n = _ask(store)
    return {"seconds": t, "items": n, "unit": "claims found", "store_fill_seconds": t_fill,
            "note": f"best of 3; `load_store` filled the in-memory store in {t_fill:.1f} s"}


def _sparql_disk(work: Path) -> dict[str, Any]:
    """Ask :data:`QUERY` of the on-disk store that ``oxigraph load`` made."""
    import pyoxigraph as ox

    location = work / "oxigraph-cli"
    if not location.is_dir():
        return {"measure": "sparql_disk", "error": "no store folder (run oxigraph_load)"}
    t_open, store = _timed(lambda: ox.Store.read_only(str(location)))
    t, n = _ask(store)
    return {"measure": "sparql_disk", "seconds": t, "items": n, "unit": "claims found",
            "note": f"best of 3; store opened in {t_open:.2f} s", "peak_mb": _peak_mb()}


def oxigraph_load(nq: Path, work: Path) -> dict[str, Any]:
    """The bulk loader of the ``oxigraph`` CLI on the N-Quads file, in a fresh store folder."""
    location = work / "oxigraph-cli"
    shutil.rmtree(location, ignore_errors=True)
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        return {"measure": "oxigraph_load", "error": "the oxigraph CLI is not installed (pip install oxigraph)"}
    cmd = [exe, "load", "--lenient", "--location", str(location), "--file", str(nq)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    t = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode:
        return {"measure": "oxigraph_load", "error": done.stderr[-300:]}
    size = sum(f.stat().st_size for f in location.rglob("*") if f.is_file())
    return {"measure": "oxigraph_load", "seconds": t, "unit": "quads", "peak_mb": peak, "bytes": size,
            "command": " ".join(["oxigraph", "load", "--lenient", "--location", "DIR", "--file", nq.name])}


# --- parent -----------------------------------------------------------------------------------

def _spawn(measure: str, data: Path, work: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", measure, "--data", str(data),
           "--work", str(work)]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"measure": measure, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode:
        return {"measure": measure, "error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    res = json.loads(done.stdout.strip().splitlines()[-1])
    res["wall"] = time.perf_counter() - t0
    return res


def dataset_folder(n: int, work: Path, seed: int) -> tuple[Path, dict[str, Any]]:
    """The synthetic folder for ``n`` claims, made once and reused (keyed by n and seed)."""
    from bench.synth import generate

    folder = work / f"syn-{n}-seed{seed}"
    stamp = folder / ".complete.json"
    if stamp.is_file():
        return folder, json.loads(stamp.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    summary = generate(folder, n, seed=seed)
    stamp.write_text(json.dumps(summary))
    return folder, summary


def run_size(n: int, work: Path, only: set[str] | None, seed: int, timeout: float,
             log: Callable[[str], None]) -> list[dict[str, Any]]:
    folder, summary = dataset_folder(n, work, seed)
    log(f"N={n}: data folder {folder} ({summary['entities']} entities, {summary['references']} references, "
        f"{summary['sources']} sources; made in {summary['seconds']:.1f} s)")
    scratch = work / f"scratch-{n}"
    scratch.mkdir(exist_ok=True)
    results = []
    for m in MEASURES:
        if only is not None and m not in only:
            continue
        if m in CAPS and n > CAPS[m][0]:
            results.append({"measure": m, "n": n, "skipped": CAPS[m][1]})
            continue
        if m == "sparql_disk":
            res = _spawn(m, folder, scratch, timeout)
        elif m == "oxigraph_load":
            nq = scratch / "out.nq"
            res = _spawn(m, folder, scratch, timeout) if nq.is_file() else {"measure": m, "error": "no N-Quads file (run nq)"}
            res["items"] = next((r["items"] for r in results if r["measure"] == "nq" and "items" in r), None)
        else:
            res = _spawn(m, folder, scratch, timeout)
        res["n"] = n
        results.append(res)
        log(f"  {m}: " + (f"{res['seconds']:.3f} s, peak {res.get('peak_mb', 0):.0f} MB" if "seconds" in res
                          else res.get("error", "")))
    shutil.rmtree(scratch, ignore_errors=True)
    return results


# --- the table ----------------------------------------------------------------------------------

LABELS = {
    "load": "load + validate", "load_floor": "floor: bare pydantic-core validation of the lines",
    "build": "graph build (networkx)", "touches": f"`touches('{TOUCH_TERM}')`",
    "nt": "N-Triples (`write_nt`)", "nq": "N-Quads (`write_nt(dataset=True)`)",
    "floor_nt": "floor: f-string N-Triples", "floor_nq": "floor: f-string N-Quads",
    "ox_nt": "pyoxigraph `serialize` N-Triples", "rdflib_nt": "rdflib `Graph.serialize` nt",
    "rdflib_nq": "rdflib `Dataset.serialize` nquads",
    "turtle": "Turtle (`export`)", "jsonld": "JSON-LD (`export`)", "sparql": "SPARQL (claims with htr1a-autoreceptor as subject or object), embedded in-memory store",
    "sparql_disk": "same SPARQL on the `oxigraph load` store (on disk)",
    "oxigraph_load": "`oxigraph load --lenient` (bulk, N-Quads, on disk)", "view": "focused HTML view",
}


#: Measurements whose item count is a result size, not work done: no throughput is shown.
_RESULT_COUNTS = {"touches", "sparql", "sparql_disk", "view"}


def _rate(r: dict[str, Any]) -> float | None:
    if r.get("seconds") and r.get("items"):
        return r["items"] / r["seconds"]
    return None


def _fmt_rate(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x / 1e6:.2f}M/s" if x >= 1e6 else f"{x / 1e3:.0f}k/s" if x >= 1e3 else f"{x:.0f}/s"


def _verdicts(rows: list[dict[str, Any]]) -> dict[tuple[int, str], str]:
    """Target checks per (n, measure), with the ratios to the baselines."""
    out: dict[tuple[int, str], str] = {}
    by = {(r["n"], r["measure"]): r for r in rows}
    for (n, m), r in by.items():
        rate = _rate(r)
        if rate is None:
            continue
        notes = []
        if m == "load":
            floor = _rate(by.get((n, "load_floor"), {}))
            notes.append(f"{'met' if rate >= 1e5 else 'missed'} ({rate / 1e5:.2f}x of 100k/s)")
            if floor:
                notes.append(f"{floor / rate:.2f}x floor")
        elif m in ("nt", "nq"):
            floor = _rate(by.get((n, f"floor_{m}"), {}))
            rdf = _rate(by.get((n, f"rdflib_{m}"), {}))
            ok = rate >= 1e6
            notes.append(f"{'≥' if ok else '<'}1M/s ({rate / 1e6:.2f}x)")
            if floor:
                notes.append(f"{floor / rate:.2f}x floor ({'met' if floor / rate <= 2.5 else 'missed'} ≤2.5x)")
            if rdf:
                notes.append(f"{rate / rdf:.1f}x rdflib ({'met' if rate / rdf >= 5 else 'missed'} ≥5x)")
            ox = _rate(by.get((n, "ox_nt"), {}))
            if ox and m == "nt":
                notes.append(f"{ox / rate:.2f}x pyoxigraph")
        elif m == "build":
            peak = r.get("peak_mb", 0)
            notes.append(f"load+build {r.get('load_build_seconds', 0):.1f} s, peak {peak / 1024:.2f} GB"
                         + (f" ({'met' if peak <= 4096 else 'missed'} ≤4 GB)" if n >= 1_000_000 else ""))
        elif m == "touches":
            notes.append(("met" if r["seconds"] < 1 else "missed") + " (<1 s)" if n >= 1_000_000 else "")
        elif m in ("floor_nt", "floor_nq", "ox_nt", "rdflib_nt", "rdflib_nq") and r.get("sample"):
            notes.append(f"on the first {r['sample']:,} statements")
        if r.get("note"):
            notes.append(r["note"])
        out[(n, m)] = "; ".join(x for x in notes if x)
    return out


def table(rows: list[dict[str, Any]]) -> str:
    verdicts = _verdicts(rows)
    lines = ["| N claims | measurement | items | time (s) | throughput | peak RSS (MB) | vs baselines / target |",
             "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        n, m = r["n"], r["measure"]
        label = LABELS.get(m, m)
        if "skipped" in r:
            lines.append(f"| {n:,} | {label} | | | | | skipped: {r['skipped']} |")
            continue
        if "error" in r:
            lines.append(f"| {n:,} | {label} | | | | | error: {r['error']} |")
            continue
        items = f"{r['items']:,} {r.get('unit', '')}" if r.get("items") is not None else ""
        secs = r["seconds"]
        shown = f"{secs:.3f}" if secs >= 0.1 else f"{secs:.2g}"
        lines.append(f"| {n:,} | {label} | {items} | {shown} | {'' if m in _RESULT_COUNTS else _fmt_rate(_rate(r))} | "
                     f"{r.get('peak_mb', 0):.0f} | {verdicts.get((n, m), '')} |")
    return "\n".join(lines)


def machine() -> str:
    import pydantic
    import pyoxigraph
    import rdflib

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load1 = os.getloadavg()[0]
    return (f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
            f"pydantic {pydantic.VERSION}, rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}; "
            f"load average at the start {load1:.1f}")


def parse_sizes(text: str) -> list[int]:
    return [int(float(s)) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6", help="comma-separated claim counts (default 1e3,1e4,1e5,1e6)")
    ap.add_argument("--only", default=None, help=f"comma-separated measurements (default all: {','.join(MEASURES)})")
    ap.add_argument("--work", type=Path, default=None, help="folder for data and outputs (default: a temp folder; "
                    "synthetic folders are reused across runs when given)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed to one measurement")
    ap.add_argument("--out", type=Path, default=None, help="also write the table (Markdown) here")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results (JSON) here")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    ap.add_argument("--merge", type=Path, default=None, help="a --json file of an earlier run: its rows are kept "
                    "where this run did not measure the same (N, measurement), and the table shows both")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(child(args.child, args.data, args.work)))
        return 0

    only = set(args.only.split(",")) if args.only else None
    if only is not None and not only <= set(MEASURES):
        ap.error(f"unknown measurement(s): {', '.join(sorted(only - set(MEASURES)))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="serokg-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    facts = machine()
    log(facts)
    rows: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M")
    for n in parse_sizes(args.sizes):
        rows += run_size(n, work, only, args.seed, args.timeout, log)
        if args.json:
            args.json.write_text(json.dumps({"machine": facts, "started": started, "rows": rows}, indent=1))
    if args.merge:
        earlier = json.loads(args.merge.read_text())
        fresh = {(r["n"], r["measure"]) for r in rows}
        kept = [r for r in earlier["rows"] if (r["n"], r["measure"]) not in fresh]
        order = {m: i for i, m in enumerate(MEASURES)}
        rows = sorted(kept + rows, key=lambda r: (r["n"], order.get(r["measure"], 99)))
        started = f"{earlier.get('started', '?')} (rows re-measured {started})"
        if args.json:
            args.json.write_text(json.dumps({"machine": facts, "started": started, "rows": rows}, indent=1))
    text = f"Machine: {facts}. Run started {started}.\n\n{table(rows)}\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
