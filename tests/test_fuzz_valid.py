"""Random VALID datasets through every command: no crash, no traceback (issue 11 point 3).

Each dataset is the bundled data or the mini fixture changed in valid ways by a seeded
generator: a subset of the claims, entities, claims and references renamed (every link
follows), and texts full of what breaks writers: ``@import``, ``]]>``, ``</script>``, RTL and
bidi controls, combining marks, quotes, C0 controls, formula starts, very long labels.  Every
command then runs on it: validate, stats, query, show, neighbors, path, fidelity, conflicts,
export in every format, view, read, report (html and markdown), fmt and sparql on the
embedded store.  Each must exit 0 with no exception.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.read import bundled_data_dir, load

from conftest import MINI

PAYLOADS = [
    "@import url(//evil.example/x.css)", "url(//x)", "]]>", "</script><script>alert(1)</script>", "<!--",
    "\u202eevil\u202c", "\u2066isolate\u2069", "e\u0301\u0301\u0301", "\"quotes' and `ticks`", "=1+1", "+cmd|' /C calc'!A0",
    "@SUM(1)", "-2", "tab\there", "C0 \x01\x07\x1b[2J controls", "\x1b]52;c;cHduZWQ=\x07", "line\u2028sep\u2029",
    "100%zz", "{{template}} ${x} %s", "back\\slash", "\ufffe\uffff", "\U0001f9e0 emoji", "\u0000nul", "&amp; &lt;",
    "ﬁ ligature İ", "a\r=2+5",
]
EXPORTS = ["turtle", "ntriples", "jsonld", "rdfxml", "trig", "nquads", "graphml", "nodelink"]


def _text(rng: random.Random, long: bool = True) -> str:
    parts = rng.sample(PAYLOADS, rng.randint(1, 3))
    if long and rng.random() < 0.15:
        parts.append("long " * rng.choice([400, 3999]))
    return " ".join(parts)[:20_000].strip() or "x"


def _rename(rng: random.Random, ids: list[str], share: float) -> dict[str, str]:
    suffix = rng.choice(["x", "2", "zz9", "renamed-id"])
    return {i: f"{i}-{suffix}"[:120] for i in ids if rng.random() < share}


def valid_dataset(seed: int, dest: Path) -> Path:
    """A valid data folder made from the bundled data or the mini fixture by seeded, valid changes."""
    rng = random.Random(seed)
    src = bundled_data_dir() if seed % 2 else MINI
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    read = {n: [json.loads(x) for x in (dest / n).read_text(encoding="utf-8").splitlines() if x.strip()]
            for n in ("entities.jsonl", "claims.jsonl", "references.jsonl")}
    ents, claims, refs = read["entities.jsonl"], read["claims.jsonl"], read["references.jsonl"]
    claims = [c for c in claims if rng.random() < 0.6] or claims[:1]
    e_new = _rename(rng, [e["id"] for e in ents], 0.3)
    c_new = _rename(rng, [c["id"] for c in claims], 0.5)
    r_new = _rename(rng, [r["id"] for r in refs], 0.5)
    for e in ents:
        e["id"] = e_new.get(e["id"], e["id"])
        if "parent" in e:
            e["parent"] = e_new.get(e["parent"], e["parent"])
        if rng.random() < 0.3:
            e["label"] = _text(rng)
        if rng.random() < 0.2:
            e["synonyms"] = [*e.get("synonyms", []), _text(rng, long=False)]
    for c in claims:
        c["id"] = c_new.get(c["id"], c["id"])
        for key in ("subject", "object", "organism"):
            if key in c:
                c[key] = e_new.get(c[key], c[key])
        if "anatomy" in c:
            c["anatomy"] = [e_new.get(a, a) for a in c["anatomy"]]
        ref = c.get("citation", {}).get("reference")
        if ref:
            c["citation"]["reference"] = r_new.get(ref, ref)
        if rng.random() < 0.4:
            c["note"] = _text(rng)
        if rng.random() < 0.2:
            c["fidelity"]["reason"] = _text(rng, long=False)
    for r in refs:
        r["id"] = r_new.get(r["id"], r["id"])
        if rng.random() < 0.3:
            r["title"] = _text(rng)
    for name, records in (("entities.jsonl", ents), ("claims.jsonl", claims), ("references.jsonl", refs)):
        (dest / name).write_text("".join(json.dumps(r, ensure_ascii=rng.random() < 0.5) + "\n" for r in records),
                                 encoding="utf-8")
    meta = next((dest / "sources").glob("*.meta.json"))
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc["title"], doc["author"] = _text(rng, long=False), _text(rng, long=False)
    meta.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return dest


SEEDS = range(6)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_command_on_a_random_valid_dataset(tmp_path: Path, seed: int):
    data = valid_dataset(seed, tmp_path / "data")
    ds = load(data)  # the generator makes valid data, or the test is wrong
    rng = random.Random(seed)
    claim = rng.choice(list(ds.claims.values()))
    other = rng.choice(list(ds.claims.values()))
    out = tmp_path / "out"
    out.mkdir()
    d = ["--data", str(data)]
    fmt = ["table", "json", "csv"][seed % 3]
    commands = [
        ["validate", *d], ["stats", *d], ["stats", *d, "-f", fmt], ["query", *d], ["query", *d, "-f", "jsonl"],
        ["query", *d, "-f", "csv", "--touches", claim.object], ["show", claim.id, *d], ["show", claim.id, *d, "-f", fmt],
        ["neighbors", claim.subject, *d], ["neighbors", claim.object, *d, "-f", fmt],
        ["path", claim.subject, other.object, *d], ["fidelity", *d], ["fidelity", *d, "-f", fmt],
        ["conflicts", *d], ["conflicts", *d, "-f", fmt],
        *(["export", *d, "-f", f, "-o", str(out / f"x.{f}")] for f in EXPORTS),
        ["export", *d, "-f", "kgx", "-o", str(out / "kgx")], ["export", *d, "-f", "ntriples"],
        ["view", *d, "-o", str(out / "graph.html")], ["view", *d, "-o", str(out / "focus.html"), "--focus", claim.subject],
        ["read", *d, "-o", str(out / "article.html"), "--graph", str(out / "graph.html")],
        ["report", *d, "-o", str(out / "report.html")], ["report", *d, "-f", "markdown"],
        ["sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50", *d],
        ["sparql", "ASK { ?s ?p ?o }", *d, "-f", "json"],
        ["sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20", *d],
        ["fmt", *d], ["fmt", *d, "--check"], ["validate", *d],
    ]
    runner = CliRunner()
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and result.exception is None, (
            f"seed {seed}: serokg {' '.join(args)} -> exit {result.exit_code}: {result.exception!r}\n"
            f"{result.stderr[-1500:]}")
        assert "Traceback" not in result.stderr
    assert load(data).claims == ds.claims  # fmt changed the bytes, never the records
