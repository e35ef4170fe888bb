"""Start-up benchmark (issue 2): ``serokg query`` against its import floor.

Runs, interleaved in the same session so both see the same machine state,

* the command ``serokg query --touches autoreceptor --format json`` on the bundled data, and
* the floor ``python -c "import networkx, pydantic, typer"``,

``--runs`` times each (after one warm-up), and prints the median wall times and their ratio.
The aim is a ratio of at most 1.5.  If the bundled data folder is not complete yet, the
command runs on ``tests/fixtures/mini`` instead and the report says so.

    python bench/startup.py            # 15 runs each
    python bench/startup.py --runs 31 --json
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "mini"
FLOOR = [sys.executable, "-c", "import networkx, pydantic, typer"]
AIM = 1.5


def query_command(data: Path | None = None) -> list[str]:
    """The measured command; ``serokg`` from this interpreter's environment."""
    exe = shutil.which("serokg", path=str(Path(sys.executable).parent)) or shutil.which("serokg")
    base = [exe] if exe else [sys.executable, "-c", "from serokg.cli.main import run; run()"]
    cmd = base + ["query", "--touches", "autoreceptor", "--format", "json"]
    return cmd + (["--data", str(data)] if data is not None else [])


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def pick_data() -> tuple[Path | None, str]:
    """The bundled data when it validates, else the mini fixture."""
    probe = subprocess.run(query_command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode == 0:
        return None, "bundled data"
    return FIXTURE, f"{FIXTURE.relative_to(ROOT)} (the bundled data did not load: exit {probe.returncode})"


def measure(runs: int = 15, data: Path | None = None) -> dict[str, float | int | str]:
    """Median wall times (s) of the query and the floor, interleaved, and their ratio."""
    cmd = query_command(data)
    _wall(cmd), _wall(FLOOR)  # warm the file cache
    q, f = [], []
    for _ in range(runs):
        q.append(_wall(cmd))
        f.append(_wall(FLOOR))
    mq, mf = statistics.median(q), statistics.median(f)
    return {"runs": runs, "query_s": mq, "floor_s": mf, "ratio": mq / mf, "aim": AIM,
            "command": " ".join(cmd[-6:] if data is None else cmd[-8:])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    data, label = pick_data()
    res = measure(args.runs, data)
    res["data"] = label
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(f"data: {label}; {args.runs} interleaved runs each, median wall time")
        print("| command | median (s) |\n| --- | ---: |")
        print(f"| `serokg query --touches autoreceptor --format json` | {res['query_s']:.3f} |")
        print(f"| floor `python -c \"import networkx, pydantic, typer\"` | {res['floor_s']:.3f} |")
        verdict = "met" if res["ratio"] <= AIM else "missed"
        print(f"\nratio {res['ratio']:.2f}x (aim <= {AIM}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
