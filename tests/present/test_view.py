"""The HTML viewer: what the page holds (offline, escaped), and how it behaves in a real browser.

Browser tests drive Debian's headless ``chromium`` with Playwright, the network blocked and every
request recorded; they are skipped only when chromium or Playwright is missing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from serokg.cli.main import app
from serokg.errors import UsageError
from serokg.graph.evidence import EvidenceLevel
from serokg.graph.present import view as view_mod
from serokg.graph.query import ClaimFilter, select
from serokg.graph.read import load
from serokg.graph.present.view import EDGE_CLASSES, edge_class, render_html, view_graph

import support.browser as browser_support
from support.browser import browser, new_context, playwright  # noqa: F401  (fixtures)

FIXTURES = Path(__file__).parents[1] / "fixtures"
XSS = FIXTURES / "xss"
PAYLOAD_FRAGMENTS = ("<img src=x", "<svg onload", "<iframe", "<script>window.__pwned", "<script>alert(")

# Links the page may hold (opened only when a reader clicks them), and the URLs inside
# vis-network's licence header and error strings.  Nothing else with a scheme may appear.
ALLOWED_URL = re.compile(r"https?://(pubmed\.ncbi\.nlm\.nih\.gov/|doi\.org/|bioregistry\.io/|www\.w3\.org/2000/svg"
                         r"|visjs\.github\.io/vis-network/|github\.com/(visjs|uuidjs|zloirock)|almende\.com"
                         r"|opensource\.org/licenses/MIT|www\.apache\.org/licenses/)")


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="serokg-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def bundled():
    return load()


@pytest.fixture(scope="module")
def xss():
    return load(XSS)


def render(ds, **kw):
    return render_html(ds, view_graph(ds, list(ds.claims.values()), **kw))


# --- the file --------------------------------------------------------------------------------

def test_page_is_self_contained(bundled):
    html = render(bundled)
    lowered = html.lower()
    for banned in ("cdn.jsdelivr", "cdnjs", "bootstrap", "node_modules", "@import", "googleapis", "unpkg"):
        assert banned not in lowered, banned
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", lowered)
    styles = " ".join(re.findall(r"<style>(.*?)</style>", lowered, re.S))
    assert not re.search(r"\burl\(\s*(?!['\"]?data:)", styles)  # vis-network's icons are data: URLs
    stray = [u for u in re.findall(r"https?://[^\s\"'<>)\\]+", html) if not ALLOWED_URL.match(u)]
    assert stray == []
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    assert "vis.Network" in html and "vis-network" in html  # the library is inlined


def test_counts_and_data_agree(bundled):
    vg = view_graph(bundled, list(bundled.claims.values()))
    data = page_data(render_html(bundled, vg))
    assert len(data["nodes"]) == len(vg.nodes)
    assert len(data["edges"]) == vg.n_edges == len(bundled.claims) + len(vg.hierarchy)
    assert {e["id"] for e in data["edges"]} >= set(bundled.claims)  # the claim id is the edge id
    for child, parent in vg.hierarchy:
        assert bundled.entities[child].parent == parent


def test_texts_are_escaped(xss):
    html = render(xss)
    for fragment in PAYLOAD_FRAGMENTS:
        assert fragment not in html, fragment
    assert "</script><script>" not in html
    # the texts still reach the page, unchanged, as data
    data = page_data(html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["lithium"] == xss.entities["lithium"].label
    quote = data["meta"]["edges"]["xss-zinc-blocks"]["quote"]
    assert quote == xss.claims["xss-zinc-blocks"].evidence.quote and "<img src=x" in quote
    ref = data["meta"]["edges"]["r21-cortisol-autoreceptor-desensitised"]["reference"]
    assert ref["url"].startswith("https://doi.org/10.1234/")


def test_edge_look():
    ds = load(FIXTURES / "mini")
    data = page_data(render(ds))
    edges = {e["id"]: e for e in data["edges"]}
    denied = edges["r22-lithium-autoreceptor-unchanged"]
    assert denied["arrows"]["to"]["type"] == "bar" and denied["color"]["color"] == EDGE_CLASSES["no_change"].color
    assert denied["label"] == "no change in sensitivity"
    assert edges["r22-lithium-antidepressant"]["dashes"]  # hedged
    assert edges["r22-lithium-postsynaptic-sensitivity"]["color"]["color"] == EDGE_CLASSES["increase"].color
    assert edge_class(ds.claims["r21-cortisol-autoreceptor-desensitised"]) == "decrease"
    m = data["meta"]["edges"]["r22-lithium-postsynaptic-sensitivity"]
    assert m["reference"]["url"] == "https://pubmed.ncbi.nlm.nih.gov/2949333/"
    assert m["organism"] == "rat" and m["basis"] == "from the cited source" and m["fidelity"] == "generalised"
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["htr1a-autoreceptor"]["shape"] == "box"  # receptor sites stand out
    assert data["meta"]["nodes"]["lithium"]["xrefs"] == [["CHEBI:30145", "https://bioregistry.io/CHEBI:30145"]]


def test_focus_and_depth(bundled):
    claims = list(bundled.claims.values())
    whole = view_graph(bundled, claims)
    near = view_graph(bundled, claims, focus="autoreceptor", depth=1)
    sites = {"htr1a-autoreceptor", "htr1b-autoreceptor"}
    assert {c.id for c in near.claims} == {c.id for c in claims if {c.subject, c.object} & sites}
    wider = view_graph(bundled, claims, focus="autoreceptor", depth=2)
    assert len(near.claims) < len(wider.claims) < len(whole.claims)
    assert near.focus == "autoreceptor" and near.depth == 1
    with pytest.raises(UsageError):
        view_graph(bundled, claims, focus="no-such-thing-at-all")


def test_large_graph_mode_and_limit(bundled, monkeypatch):
    claims = list(bundled.claims.values())
    monkeypatch.setattr(view_mod, "EDGE_LIMIT", 10)
    vg = view_graph(bundled, claims)
    assert vg.large and "large mode" in vg.notes[0]
    data = page_data(render_html(bundled, vg))
    assert all(e["label"] == "" and e["smooth"] is False for e in data["edges"])
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 200
    monkeypatch.setattr(view_mod, "SUMMARY_LIMIT", 10)  # too big to read: a summary, never a refusal
    summary = view_graph(bundled, claims)
    assert summary.summary is not None and len(summary.claims) < len(claims)


def test_color_by_evidence(bundled):
    pytest.importorskip("serokg.graph.evidence")
    html = render_html(bundled, view_graph(bundled, list(bundled.claims.values())), color_by="evidence")
    data = page_data(html)
    colors = {e["color"]["color"] for e in data["edges"] if not e["id"].startswith("site:")}
    assert colors <= set(view_mod.EVIDENCE_COLORS.values())
    assert 'data-facet="level"' in html


def test_conflicts_marked(bundled):
    analyse = pytest.importorskip("serokg.graph.analyse")
    found = analyse.conflicts(bundled)
    if not found:
        pytest.skip("the bundled data has no conflicts")
    html = render(bundled)
    data = page_data(html)
    assert set(data["conflicts"]) == {s.claim for c in found for s in (c.a, c.b)}
    first = found[0]
    assert any(x["other"] == first.b.claim for x in data["meta"]["edges"][first.a.claim]["conflicts"])
    assert 'id="show-conflicts"' in html


# --- the command -----------------------------------------------------------------------------

def test_cli_writes_page(runner, tmp_path):
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", "--data", str(FIXTURES / "mini"), "-o", str(out), "--touches", "htr1a"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    data = page_data(out.read_text(encoding="utf-8"))
    ds = load(FIXTURES / "mini")
    assert {e["id"] for e in data["edges"] if not e["id"].startswith("site:")} == {
        c.id for c in select(ds, ClaimFilter(touches="htr1a"))}


def test_cli_focus_and_refusals(runner, tmp_path, mini):
    out = tmp_path / "f.html"
    ok = runner.invoke(app, ["view", "--data", str(mini), "-o", str(out), "--focus", "lithium", "--depth", "1"])
    assert ok.exit_code == 0, ok.output
    assert {e["id"] for e in page_data(out.read_text())["edges"] if not e["id"].startswith("site:")} == {
        "r22-lithium-postsynaptic-sensitivity", "r22-lithium-autoreceptor-unchanged"}
    inside = runner.invoke(app, ["view", "--data", str(mini), "-o", str(mini / "graph.html")])
    assert inside.exit_code == 1 and "inside the data folder" in inside.output
    assert not (mini / "graph.html").exists()
    human = runner.invoke(app, ["view", "--data", str(mini), "-o", str(out), "--evidence", "animal"])
    assert human.exit_code == 0, human.output
    ds = load(mini)
    assert {e["id"] for e in page_data(out.read_text())["edges"] if not e["id"].startswith("site:")} == {
        c.id for c in select(ds, ClaimFilter(evidence=EvidenceLevel.animal))}
    unknown = runner.invoke(app, ["view", "--data", str(mini), "-o", str(out), "--focus", "zzzz-nothing"])
    assert unknown.exit_code == 1 and "no entity matches" in unknown.output


# --- in a real browser -----------------------------------------------------------------------

def _context(playwright, tmp_path_factory, **kw):
    return new_context(playwright, tmp_path_factory, **kw)


class Opened(browser_support.Opened):
    """The viewer loaded in the browser, with helpers to find its nodes and edges on screen."""

    def counts(self) -> dict:
        return self.eval("() => serokg.counts()")

    def edge_midpoint(self, edge_id: str) -> tuple[float, float]:
        return tuple(self.eval("""(id) => {
            const net = serokg.network, e = serokg.edges.get(id), p = net.getPositions([e.from, e.to]);
            const d = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
            const r = document.getElementById('graph').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top]; }""", edge_id))

    def node_point(self, node_id: str) -> tuple[float, float]:
        return tuple(self.eval("""(id) => {
            const d = serokg.network.canvasToDOM(serokg.network.getPositions([id])[id]);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [d.x + r.left, d.y + r.top]; }""", node_id))

    def hover(self, x: float, y: float) -> None:
        for dx in (-3, 0):  # vis shows its tooltip after the pointer moves over the item
            self.page.mouse.move(x + dx, y + dx)
            self.page.wait_for_timeout(60)
        self.page.wait_for_timeout(300)


def test_browser_bundled_graph(browser, bundled, tmp_path):
    vg = view_graph(bundled, list(bundled.claims.values()))
    path = tmp_path / "graph.html"
    path.write_text(render_html(bundled, vg), encoding="utf-8")
    page = Opened(browser, path)
    try:
        counts = page.counts()
        assert counts == {"nodes": len(vg.nodes), "edges": vg.n_edges,
                          "drawnNodes": len(vg.nodes), "drawnEdges": vg.n_edges}
        assert page.eval("() => document.getElementById('count-edges').textContent") == str(len(vg.claims))
        settle_ms = page.eval("() => serokg.state.settleMs")
        assert page.eval("() => serokg.network.physics.physicsEnabled") is False  # settled, then stopped
        shot = tmp_path / "graph.png"
        page.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        print(f"\nbundled graph: {counts}, settled in {settle_ms} ms (page load {page.settle_s:.1f} s); "
              f"screenshot {shot}")
        assert page.requests == [page.url]
        assert page.errors == []
    finally:
        page.close()


def test_browser_filters_and_search(browser, bundled, tmp_path):
    claims = list(bundled.claims.values())
    vg = view_graph(bundled, claims)
    path = tmp_path / "graph.html"
    path.write_text(render_html(bundled, vg), encoding="utf-8")
    page = Opened(browser, path)
    try:
        # untick "decreases": exactly the other claims stay, with the nodes they join
        page.page.locator('input[data-facet="cls"][value="decrease"]').uncheck()
        kept = view_graph(bundled, [c for c in vg.claims if edge_class(c) != "decrease"])
        assert 0 < len(kept.claims) < len(vg.claims)
        assert page.counts()["edges"] == kept.n_edges
        assert page.counts()["nodes"] == len(kept.nodes)
        assert page.counts()["drawnEdges"] == kept.n_edges
        # comments only
        page.page.get_by_role("button", name="Reset all").click()
        assert page.counts()["edges"] == vg.n_edges
        page.page.locator('input[data-facet="part"][value="body"]').uncheck()
        comments = view_graph(bundled, [c for c in vg.claims if c.evidence.part.value == "comment"])
        assert page.counts()["edges"] == comments.n_edges
        page.page.locator('fieldset[data-facet="part"] button.none').click()
        assert page.counts() == {"nodes": 0, "edges": 0, "drawnNodes": 0, "drawnEdges": 0}
        page.page.get_by_role("button", name="Reset all").click()
        # search finds a node, highlights its neighbourhood and shows its card
        page.page.fill("#search", "lithium")
        page.page.press("#search", "Enter")
        assert page.eval("() => serokg.network.getSelectedNodes()") == ["lithium"]
        assert "lithium" in page.page.locator("#details").inner_text()
        dimmed = page.eval("""() => serokg.nodes.get().filter(n => n.color && n.color.background === '#e4e4e4').length""")
        near = page.eval("() => serokg.network.getConnectedNodes('lithium').length")
        assert dimmed == len(vg.nodes) - near - 1
        toggle = page.page.locator("#show-conflicts")
        if toggle.count():  # conflicting claims glow when asked
            toggle.check()
            glowing = page.eval("() => serokg.edges.get().filter(e => e.shadow && e.shadow.enabled).length")
            assert glowing == len(page_data(path.read_text(encoding="utf-8"))["conflicts"]) > 0
        assert page.requests == [page.url]
    finally:
        page.close()


def test_browser_tooltip_shows_quote(browser, tmp_path):
    ds = load(FIXTURES / "mini")
    path = tmp_path / "mini.html"
    path.write_text(render(ds), encoding="utf-8")
    page = Opened(browser, path)
    try:
        claim = ds.claims["r21-cortisol-autoreceptor-desensitised"]
        page.hover(*page.edge_midpoint(claim.id))
        tip = page.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        text = tip.inner_text()
        assert claim.evidence.quote in text
        assert "cortisol decreases the sensitivity of 5-HT1A autoreceptor" in text
        assert "R21" in text and "unverifiable" in text
        page.hover(*page.node_point("lithium"))
        node_tip = page.page.locator("div.vis-tooltip").inner_text()
        assert "chemical" in node_tip and "CHEBI:30145" in node_tip
        assert page.requests == [page.url]
    finally:
        page.close()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_browser_payloads_do_not_run(playwright, tmp_path_factory, xss, csp):
    """Hover, click and search every node and edge of the payload fixture; nothing may run.
    The second run switches the page's Content-Security-Policy off, so escaping alone is tested."""
    ctx = _context(playwright, tmp_path_factory, bypass_csp=not csp)
    path = tmp_path_factory.mktemp("xss") / "xss.html"
    path.write_text(render(xss), encoding="utf-8")
    page = Opened(ctx, path)
    try:
        for node in page.eval("() => serokg.nodes.getIds()"):
            x, y = page.node_point(node)
            page.hover(x, y)
            page.page.mouse.click(x, y)
        for edge in page.eval("() => serokg.edges.getIds()"):
            x, y = page.edge_midpoint(edge)
            page.hover(x, y)
            page.page.mouse.click(x, y)
        page.page.click("#details-close")
        page.hover(*page.edge_midpoint("xss-zinc-blocks"))
        tip = page.page.locator("div.vis-tooltip").inner_text()
        assert xss.claims["xss-zinc-blocks"].evidence.quote in tip  # shown as text
        page.page.fill("#search", "zinc")
        page.page.press("#search", "Enter")
        card = page.page.locator("#details").inner_text()
        assert "zinc <script>alert('xss')</script>" in card
        page.page.wait_for_timeout(300)
        assert page.eval("() => window.__pwned") is None
        assert page.dialogs == []
        assert page.eval("() => document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
        assert page.requests == [page.url]
        assert page.errors == []
        page.page.screenshot(path=str(path.with_suffix(".png")))
    finally:
        page.close()
        ctx.close()


# --- viewer polish (issue 15.7) and links with the reading page -------------------------------

def _rect(page, selector: str) -> dict | None:
    return page.eval("""(s) => { const e = document.querySelector(s);
        if (!e || e.hidden || getComputedStyle(e).visibility === 'hidden') return null;
        const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }""",
                     selector)


def _overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_browser_focus_node_is_marked(browser, bundled, tmp_path):
    vg = view_graph(bundled, list(bundled.claims.values()), focus="lithium", depth=2)
    assert vg.centre == ("lithium",)
    path = tmp_path / "lithium.html"
    path.write_text(render_html(bundled, vg), encoding="utf-8")
    page = Opened(browser, path)
    try:
        looks = page.eval("() => serokg.nodes.get().map(n => [n.id, n.borderWidth, n.color.border])")
        ringed = [n for n, width, border in looks if width == 6 and border == view_mod._FOCUS_BORDER]
        assert ringed == ["lithium"]
        assert page.page.locator("#focus-nodes").inner_text() == "lithium"
        assert page.page.locator("#legend").inner_text().count("focus of this view") == 1
        page.hover(*page.node_point("lithium"))
        assert "focus of this view" in page.page.locator("div.vis-tooltip").inner_text()
        assert page.outside() == []
    finally:
        page.close()


@pytest.mark.parametrize("width,height", [(1024, 768), (1400, 900)])
def test_browser_labels_readable_and_search_centres_and_pins(playwright, tmp_path_factory, bundled, width, height):
    ctx = new_context(playwright, tmp_path_factory, width=width, height=height)
    path = tmp_path_factory.mktemp("labels") / "graph.html"
    vg = view_graph(bundled, list(bundled.claims.values()))
    path.write_text(render_html(bundled, vg), encoding="utf-8")
    page = Opened(ctx, path)
    try:
        meta = page_data(path.read_text(encoding="utf-8"))["meta"]["nodes"]
        main = [n for n, m in meta.items() if m["main"]]
        assert {"htr1a", "htr1a-autoreceptor", "htr1a-postsynaptic"} <= set(main)
        px = page.eval("(ids) => ids.map(id => serokg.labelPx(id))", main)
        assert min(px) >= view_mod.MIN_LABEL_PX - 0.5, dict(zip(main, px))
        # the hub's edges are drawn paler and thinner until it is chosen
        hub = [n for n, m in meta.items() if m["hub"]]
        assert hub == ["htr1a"]
        pale = page.eval("() => serokg.edges.get().filter(e => e.color.opacity < 0.5).map(e => e.id)")
        assert set(pale) == {c.id for c in vg.claims if "htr1a" in (c.subject, c.object)}
        page.page.screenshot(path=str(path.with_name(f"graph-{width}.png")))
        # search: the node is centred in the part of the canvas the pinned card leaves free
        page.page.fill("#search", "lithium")
        page.page.press("#search", "Enter")
        card = _rect(page, "#details")
        assert card and "lithium" in page.page.locator("#details").inner_text()
        graph = _rect(page, "#graph")
        x, y = page.node_point("lithium")
        assert abs(x - (graph["left"] + graph["right"]) / 2) < 2
        assert abs(y - (graph["top"] + card["top"]) / 2) < 12
        assert page.eval("() => serokg.network.getSelectedNodes()") == ["lithium"]
        assert page.eval("() => serokg.labelPx('lithium')") >= view_mod.MIN_LABEL_PX - 0.5
        assert page.outside() == []
    finally:
        page.close()
        ctx.close()


def test_browser_hover_card_never_covers_the_pinned_card(playwright, tmp_path_factory, bundled):
    ctx = new_context(playwright, tmp_path_factory, width=1024, height=768)
    path = tmp_path_factory.mktemp("hover") / "graph.html"
    path.write_text(render(bundled), encoding="utf-8")
    page = Opened(ctx, path)
    try:
        claim = "lithium-affects-htr1a-postsynaptic"
        x, y = page.edge_midpoint(claim)
        page.hover(x, y)
        assert _rect(page, "div.vis-tooltip")  # the hover card shows...
        page.page.mouse.click(x, y)
        pinned = _rect(page, "#details")
        assert pinned and page.eval("() => document.querySelector('#details .claim-card').dataset.claim") == claim
        tip = _rect(page, "div.vis-tooltip")
        assert tip is None or not _overlap(tip, pinned)  # ...and not over the card it was pinned as
        seen = 0
        points = []  # the nodes just above and beside the card: their hover cards would fall on it
        for node in page.eval("() => serokg.nodes.getIds()"):
            nx, ny = page.node_point(node)
            if not (0 < nx < 1024 and 0 < ny < 768) or pinned["left"] <= nx <= pinned["right"] and pinned["top"] <= ny:
                continue
            points.append((abs(ny - pinned["top"]) + max(0, nx - pinned["right"]), nx, ny, node))
        for _, nx, ny, node in sorted(points)[:30]:
            page.hover(nx, ny)
            tip = _rect(page, "div.vis-tooltip")
            if tip is not None:
                seen += 1
                assert not _overlap(tip, _rect(page, "#details")), node
        assert seen > 10
        assert page.outside() == []
    finally:
        page.close()
        ctx.close()


def test_browser_links_between_the_graph_and_the_article(runner, browser, tmp_path):
    graph, article = tmp_path / "graph.html", tmp_path / "read" / "article.html"
    article.parent.mkdir()
    assert runner.invoke(app, ["view", "-o", str(graph), "--article", str(article)]).exit_code == 0
    assert runner.invoke(app, ["read", "-o", str(article), "--graph", str(graph)]).exit_code == 0
    page = Opened(browser, graph, also=(article,))
    try:
        for claim in ("lithium-affects-htr1a-autoreceptor", "cortisol-affects-htr1a-autoreceptor"):
            assert page.eval("(id) => serokg.showClaim(id)", claim)
            page.page.get_by_role("link", name="Show its words in the article").click()
            page.page.wait_for_url(f"{article.as_uri()}#claim={claim}")
            page.page.wait_for_function(browser_support.Opened.READ_READY)
            assert page.eval("() => serokg.state.current") == [claim]
            assert page.eval("() => document.querySelector('#details .claim-card').dataset.claim") == claim
            on_screen = page.eval("""(id) => { const m = document.querySelector('mark.hl.current[data-claim~="' + id + '"]');
                const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }""", claim)
            assert on_screen
            page.page.get_by_role("link", name="Show it in the graph").first.click()
            page.page.wait_for_url(f"{graph.as_uri()}#claim={claim}")
            page.page.wait_for_function(browser_support.Opened.VIEW_READY)
            assert page.eval("() => serokg.network.getSelectedEdges()") == [claim]
            assert page.eval("() => document.querySelector('#details .claim-card').dataset.claim") == claim
        # a claim the graph does not draw is said so
        page.page.goto(f"{graph.as_uri()}#claim=no-such-claim")
        page.page.wait_for_function(browser_support.Opened.VIEW_READY)
        assert "no-such-claim" in page.page.locator("#claim-notice").inner_text()
        assert page.outside() == [] and page.errors == []
    finally:
        page.close()


def test_open_says_when_no_browser_was_found(tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "g.html"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env["PATH"] = str(tmp_path)  # no browser, console or graphical, can be found
    for command in (["view", "--data", str(FIXTURES / "mini")], ["read", "--data", str(FIXTURES / "mini")]):
        done = subprocess.run([sys.executable, "-c", "from serokg.cli.main import run; run()", *command,
                               "-o", str(out), "--open"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stderr.endswith(f"note: no browser found to open {out}; open it by hand\n")
