"""The viewer on a hub (issue 16 item 3): a summary instead of a refusal, every number checked against the
raw files, the page the same with and without the index, and the summary working in a real browser."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import support.browser as browser_support
from serokg.cli.main import app
from serokg.graph.evidence import evidence_level
from serokg.graph.present import hub
from serokg.graph.present import view as view_mod
from serokg.graph.present.view import render_html, view_graph
from serokg.graph.read import load
from support.browser import browser, playwright  # noqa: F401  (fixtures)

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="serokg-data">(.*?)</script>', html, re.DOTALL)
    assert found
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Path:
    """8,000 synthetic claims (bench/synth.py): about 1,800 touch htr1a or its sites, too many to draw."""
    out = tmp_path_factory.mktemp("hub") / "s"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "8000", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture(scope="module")
def synth_ds(synth):
    return load(synth)


def raw_neighbourhood(folder: Path, term: str) -> list[dict]:
    """The claims touching ``term`` or a node below it, read from the JSON lines without serokg."""
    children = defaultdict(list)
    for line in (folder / "entities.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e.get("parent"):
            children[e["parent"]].append(e["id"])
    centre, todo = {term}, [term]
    while todo:
        for kid in children[todo.pop()]:
            if kid not in centre:
                centre.add(kid)
                todo.append(kid)
    claims = [json.loads(line) for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    return [c for c in claims if c["subject"] in centre or c["object"] in centre]


def raw_key(c: dict) -> tuple:
    return c["subject"], c["object"], c["predicate"], c.get("direction") or "", bool(c.get("negated"))


def test_hub_is_summarised_and_every_count_matches_the_raw_files(runner, synth, tmp_path):
    out = tmp_path / "hub.html"
    done = runner.invoke(app, ["view", "--data", str(synth), "--index", "off", "-o", str(out), "--focus", "htr1a"])
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    raw = raw_neighbourhood(synth, "htr1a")
    assert len(raw) > hub.SUMMARY_LIMIT  # the old viewer drew a hairball here (and refused above 20,000)
    s = data["summary"]
    assert s["total"] == len(raw)
    drawn = [e["id"] for e in data["edges"] if not e["id"].startswith(("site:", "sum:"))]
    assert len(drawn) == s["drawn"] == hub.STRONGEST
    groups = {e["id"]: data["meta"]["edges"][e["id"]] for e in data["edges"] if e["id"].startswith("sum:")}
    assert len(groups) == s["edges"] and 0 < len(groups) <= hub.SUMMARY_EDGES
    # each summary edge counts the claims of its kind between its ends, less those drawn one by one
    per_key = Counter(raw_key(c) for c in raw if c["id"] not in set(drawn))
    by_id = {c["id"]: c for c in raw}
    for gid, meta in groups.items():
        subject, obj, predicate, direction, negation = gid[4:].split("|")
        key = (subject, obj, predicate, direction, negation == "denied")
        assert meta["count"] == per_key[key], gid
        assert sum(n for _, _, n in meta["levels"]) == meta["count"]
        assert meta["label"].endswith(f"\u00d7{meta['count']}")
        assert all(raw_key(by_id[x["id"]]) == key for x in meta["examples"])
    assert s["summarised"] == sum(m["count"] for m in groups.values())
    assert s["drawn"] + s["summarised"] + s["hidden"] == len(raw)
    joined = {n for gid in groups for n in gid[4:].split("|")[:2]}
    assert s["neighbours"] == len(joined - set(data["focus"]))
    # the page says so in words, with the command that lists every claim of the neighbourhood
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[html.index('id="summary"'):html.index('id="claim-notice"')]))
    assert f"showing {s['drawn']} of {len(raw)} claims; {s['neighbours']} neighbours summarised" in text
    assert s["exact"] and s["command"] == shlex.join(["serokg", "query", "--data", str(synth), "--touches", "htr1a"])
    listed = runner.invoke(app, [*shlex.split(s["command"])[1:], "--index", "off", "--format", "json"])
    assert listed.exit_code == 0
    assert [c["id"] for c in json.loads(listed.output)] == [c["id"] for c in raw]
    # a summary edge's command lists its claims (and, as its card says, the ones drawn or below its ends)
    gid, meta = next(iter(groups.items()))
    listed = runner.invoke(app, [*shlex.split(meta["command"])[1:], "--index", "off", "--format", "json"])
    got = {c["id"] for c in json.loads(listed.output)}
    mine = {c["id"] for c in raw if raw_key(c) == raw_key(by_id[meta["examples"][0]["id"]]) and c["id"] not in drawn}
    assert mine <= got
    if not meta["below"] and not meta["anyDirection"]:
        assert len(got) == meta["count"] + meta["drawnToo"]


def test_the_strongest_are_drawn(synth_ds):
    """Drawn: no claim left out is stronger (evidence level, then fidelity, then the most recent reference)."""
    ds = synth_ds
    claims = list(ds.claims.values())
    vg = view_graph(ds, claims, focus="htr1a")
    assert vg.summary is not None
    levels = list(hub.EvidenceLevel)

    def strength(c):
        ref = ds.references.get(c.citation.reference) if c.citation.reference else None
        year = ref.year if ref is not None else None
        return (levels.index(evidence_level(c, ds)), hub.FIDELITY_ORDER.index(c.fidelity.verdict),
                year is None, -(year or 0))

    drawn = {c.id for c in vg.claims}
    pool = [c for c in vg.pool]
    weakest_drawn = max(strength(c) for c in pool if c.id in drawn)
    assert all(strength(c) >= weakest_drawn for c in pool if c.id not in drawn)
    assert [c.id for c in vg.claims] == [c.id for c in pool if c.id in drawn]  # drawn in data order


def test_whole_graph_too_big_is_a_summary_too(synth_ds):
    vg = view_graph(synth_ds, list(synth_ds.claims.values()))
    assert vg.summary is not None and vg.summary.total == len(synth_ds.claims)
    assert vg.command == "serokg query --data " + shlex.quote(str(synth_ds.path)) and vg.exact
    assert len(vg.nodes) < 100


def test_summary_is_escaped(monkeypatch):
    xss = load(FIXTURES / "xss")
    monkeypatch.setattr(view_mod, "SUMMARY_LIMIT", 2)
    monkeypatch.setattr(hub, "STRONGEST", 1)
    vg = view_graph(xss, list(xss.claims.values()))
    assert vg.summary is not None
    html = render_html(xss, vg)
    for fragment in ("<img src=x", "<svg onload", "<iframe", "<script>window.__pwned", "<script>alert("):
        assert fragment not in html, fragment


@pytest.mark.parametrize("args", [["--focus", "htr1a"], ["--focus", "htr1a", "--organism", "human"],
                                  ["--focus", "htr1a", "--depth", "2", "--touches", "serotonin"], ["--negated"]],
                         ids=["focus", "focus-filter", "depth-2", "no-focus"])
def test_same_page_with_and_without_the_index(runner, synth, tmp_path, args):
    pages = []
    for run, index in enumerate(["off", str(tmp_path / "i.sqlite"), str(tmp_path / "i.sqlite")]):
        out = tmp_path / f"p{run}.html"
        done = runner.invoke(app, ["view", "--data", str(synth), "--index", index, "-o", str(out), *args])
        assert done.exit_code == 0, done.output
        pages.append(out.read_bytes())
    assert (tmp_path / "i.sqlite").exists()
    assert pages[0] == pages[1] == pages[2]


@pytest.mark.parametrize("args", [[], ["--focus", "autoreceptor"], ["--focus", "lithium", "--depth", "2"],
                                  ["--touches", "htr1a", "--organism", "rat"]])
def test_same_page_with_and_without_the_index_bundled(runner, tmp_path, args):
    pages = []
    for run, index in enumerate(["off", str(tmp_path / "i.sqlite"), str(tmp_path / "i.sqlite")]):
        out = tmp_path / f"p{run}.html"
        done = runner.invoke(app, ["view", "--index", index, "-o", str(out), *args])
        assert done.exit_code == 0, done.output
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2]


def test_browser_summary_page(browser, runner, synth, tmp_path):  # noqa: F811
    out = tmp_path / "hub.html"
    assert runner.invoke(app, ["view", "--data", str(synth), "--index", "off", "-o", str(out),
                               "--focus", "htr1a"]).exit_code == 0
    data = page_data(out.read_text(encoding="utf-8"))
    console: list[str] = []

    def listen(message) -> None:
        if message.type in ("error", "warning"):
            console.append(f"{message.type}: {message.text}")

    browser.on("console", listen)
    page = browser_support.Opened(browser, out)
    try:
        text = page.page.locator("#summary").inner_text()
        s = data["summary"]
        assert f"showing {s['drawn']} of {s['total']} claims; {s['neighbours']} neighbours summarised" in text
        assert page.page.locator("#sum-command").inner_text() == s["command"]
        counts = page.eval("() => serokg.counts()")
        assert counts["edges"] == len(data["edges"]) and counts["drawnEdges"] == len(data["edges"])
        # click the largest summary edge: its card shows its count, its strongest claims and its query
        straight = [e["id"] for e in data["edges"] if e["id"].startswith("sum:") and e["smooth"] is False]
        gid = max(straight, key=lambda i: data["meta"]["edges"][i]["count"])
        meta = data["meta"]["edges"][gid]
        # a point of the drawn edge that no node or other edge covers
        x, y = page.eval("""(id) => {
            const net = serokg.network, e = serokg.edges.get(id);
            net.fit({nodes: [e.from, e.to], animation: false});
            const p = net.getPositions([e.from, e.to]), r = document.getElementById('graph').getBoundingClientRect();
            for (let i = 1; i < 40; i++) {
                const t = 0.5 + (i % 2 ? 1 : -1) * Math.floor(i / 2) / 40;
                const d = net.canvasToDOM({x: p[e.from].x + t * (p[e.to].x - p[e.from].x),
                                           y: p[e.from].y + t * (p[e.to].y - p[e.from].y)});
                if (net.getNodeAt(d) === undefined && net.getEdgeAt(d) === id) return [d.x + r.left, d.y + r.top];
            }
            return null; }""", gid)
        page.page.mouse.click(x, y)
        card = page.page.locator("#details .sum-card")
        card.wait_for(state="visible", timeout=5000)
        assert card.get_attribute("data-summary") == gid
        body = card.inner_text()
        assert f"{meta['count']} claim" in body and meta["command"] in body
        assert meta["examples"][0]["id"] in body
        # the effect filter hides summary edges with their effect, and keeps the others
        page.page.click("#details-close")
        page.page.locator('input[data-facet="cls"][value="decrease"]').uncheck()
        shown = set(page.eval("() => serokg.edgeView.getIds()"))
        summary_ids = {e["id"] for e in data["edges"] if e["id"].startswith("sum:")}
        assert shown & summary_ids == {i for i in summary_ids if data["meta"]["edges"][i]["cls"] != "decrease"}
        assert any(data["meta"]["edges"][i]["cls"] == "decrease" for i in summary_ids) and shown & summary_ids
        page.page.get_by_role("button", name="Reset all").click()
        assert page.eval("() => serokg.counts()")["edges"] == len(data["edges"])
        shot = tmp_path / "hub.png"
        page.page.screenshot(path=str(shot))
        assert page.requests == [page.url]
        assert page.errors == [] and console == []
    finally:
        browser.remove_listener("console", listen)
        page.close()


def test_browser_summary_payloads_do_not_run(browser, monkeypatch, tmp_path):  # noqa: F811
    """The payload fixture drawn as a summary: hover and click every edge and node; nothing may run."""
    xss = load(FIXTURES / "xss")
    monkeypatch.setattr(view_mod, "SUMMARY_LIMIT", 2)
    monkeypatch.setattr(hub, "STRONGEST", 1)
    vg = view_graph(xss, list(xss.claims.values()))
    assert vg.summary is not None
    assert any("<" in xss.entities[n].label for g in vg.summary.groups for n in (g.subject, g.object))
    path = tmp_path / "xss-summary.html"
    html = render_html(xss, vg)
    assert "connect-src 'none'" in html and "https://cdn" not in html
    path.write_text(html, encoding="utf-8")
    page = browser_support.Opened(browser, path)
    try:
        for g in vg.summary.groups:  # each summary card, shown as text
            page.eval("(id) => serokg.showSummary(id)", g.id)
            body = page.page.locator("#details .sum-card").inner_text()
            assert xss.entities[g.subject].label in body and xss.entities[g.object].label in body
        assert page.eval("() => window.__pwned") is None
        assert page.dialogs == []
        assert page.eval("() => document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
        assert page.requests == [page.url] and page.errors == []
    finally:
        page.close()


def test_same_message_with_and_without_the_index(runner, tmp_path):
    said = []
    for index in ("off", str(tmp_path / "i.sqlite"), str(tmp_path / "i.sqlite")):
        done = runner.invoke(app, ["view", "--index", index, "-o", str(tmp_path / "g.html"),
                                   "--focus", "zzzz-nothing", "--organism", "qqqq-nowhere"])
        said.append((done.exit_code, done.output))
    assert said[0] == said[1] == said[2] and said[0][0] == 1 and "no entity matches 'zzzz-nothing'" in said[0][1]
    assert not (tmp_path / "g.html").exists()
