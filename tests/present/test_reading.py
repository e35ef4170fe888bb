"""The reading page: the source text cut at every boundary, each claim on exactly its words, offline and inert."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from serokg.cli.main import app
from serokg.graph.coverage import sentence_coverage
from serokg.graph.present.reading import marker_spans, reading_data, render_html
from serokg.graph.read import load

import support.browser as browser_support
from support.browser import browser, new_context, playwright  # noqa: F401  (fixtures)
from conftest import FIXTURES, MINI

XSS = FIXTURES / "xss"
PAYLOAD = '<script>window.__pwned=7</script><img src=x onerror="window.__pwned=8">'


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="serokg-data">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def bundled():
    return load()


def _sources():
    return [(None, "selfhacked-5ht1a"), (MINI, "selfhacked-5ht1a"), (XSS, "selfhacked-5ht1a"), (XSS, "xss-page")]


# --- the data --------------------------------------------------------------------------------

@pytest.mark.parametrize("path,sid", _sources(), ids=["bundled", "mini", "xss", "xss-page"])
def test_segments_rebuild_the_text_and_each_claim_its_quote(path, sid):
    ds = load(path)
    data = reading_data(ds, sid)
    text = ds.texts[sid]
    assert "".join(seg[0] for r in data["regions"] for seg in r["segs"]) == text
    mine = [c for c in ds.claims.values() if c.evidence.source == sid]
    assert data["order"] == [c.id for c in sorted(mine, key=lambda c: (c.evidence.start, -c.evidence.end, c.id))]
    assert set(data["claims"]) == {c.id for c in mine}
    segs = [seg for r in data["regions"] for seg in r["segs"]]
    for c in mine:  # the segments holding a claim are one unbroken run that spells its quote
        idx = [i for i, seg in enumerate(segs) if seg[2] >= 0 and c.id in data["claimSets"][seg[2]]]
        assert idx == list(range(idx[0], idx[-1] + 1)), c.id
        assert "".join(segs[i][0] for i in idx) == c.evidence.quote, c.id
    for seg in segs:
        if seg[3] >= 0:
            assert seg[0] in ("(R)", "(R"), seg
    assert data["coverage"] == sentence_coverage(ds, sid).counts()


def test_identical_and_overlapping_spans_share_segments(bundled):
    data = reading_data(bundled, "selfhacked-5ht1a")
    by_span: dict[tuple[int, int], list[str]] = {}
    for c in bundled.claims.values():
        by_span.setdefault((c.evidence.start, c.evidence.end), []).append(c.id)
    twins = [ids for ids in by_span.values() if len(ids) > 1]
    assert twins, "the bundled data has claims on identical words"
    for ids in twins:
        assert any(set(ids) <= set(s) for s in data["claimSets"])
    lithium = {"lithium-affects-htr1a-postsynaptic", "lithium-affects-htr1a-autoreceptor"}
    assert lithium <= set(data["claims"])


def test_markers_are_numbered_in_reading_order(bundled):
    spans = marker_spans(bundled, "selfhacked-5ht1a")
    assert [m for _, _, m in spans] == list(bundled.markers["selfhacked-5ht1a"])
    text = bundled.texts["selfhacked-5ht1a"]
    r22 = next((a, b) for a, b, m in spans if m == "R22")
    assert text[r22[0] - 30:r22[1]].endswith("anti-depressant activity (R)")
    data = reading_data(bundled, "selfhacked-5ht1a")
    r22_data = next(m for m in data["markers"] if m["id"] == "R22")
    assert r22_data["refs"] and r22_data["refs"][0]["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/")
    assert set(r22_data["claims"]) == {c.id for c in bundled.claims.values() if c.citation.marker == "R22"}


def test_markers_are_not_named_when_the_markers_file_disagrees(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(MINI, folder)
    path = folder / "sources" / "citation-markers.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    used = {json.loads(x).get("citation", {}).get("marker") for x in (folder / "claims.jsonl").read_text().splitlines()}
    doc["markers"] = [m for m in doc["markers"] if m["marker"] in used]  # fewer than the text holds
    path.write_text(json.dumps(doc), encoding="utf-8")
    spans = marker_spans(load(folder), "selfhacked-5ht1a")
    assert len(spans) == 44 and {m for _, _, m in spans} == {None}


def test_the_source_link_is_https_only(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(MINI, folder)
    meta = folder / "sources" / "selfhacked-5ht1a.meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc["url"] = "javascript:window.__pwned=1"
    meta.write_text(json.dumps(doc), encoding="utf-8")
    html = render_html(load(folder), "selfhacked-5ht1a")
    assert "javascript:" not in html and page_data(html)["source"]["url"] is None
    assert 'href="https://www.selfhacked.com/' in render_html(load(MINI), "selfhacked-5ht1a")


# --- the command -----------------------------------------------------------------------------

def test_cli_read(runner, tmp_path, mini):
    out = tmp_path / "article.html"
    result = runner.invoke(app, ["read", "--data", str(mini), "-o", str(out), "--graph", str(tmp_path / "g.html")])
    assert result.exit_code == 0, result.output
    kib = len(out.read_bytes()) // 1024
    assert result.output == f"wrote {out}: selfhacked-5ht1a, 6 claims on their words, {kib} KiB\n"
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["elsewhere"]["href"] == "g.html" and len(data["claims"]) == 6
    inside = runner.invoke(app, ["read", "--data", str(mini), "-o", str(mini / "a.html")])
    assert inside.exit_code == 1 and "inside the data folder" in inside.output and not (mini / "a.html").exists()


def test_cli_read_names_the_sources_when_it_must_choose(runner, tmp_path):
    out = tmp_path / "a.html"
    several = runner.invoke(app, ["read", "--data", str(XSS), "-o", str(out)])
    assert several.exit_code == 2 and not out.exists()
    assert ("Invalid value for --source: the data has 2 sources: name one (one of: selfhacked-5ht1a, xss-page)"
            in several.output)
    unknown = runner.invoke(app, ["read", "--data", str(XSS), "-o", str(out), "--source", "nope"])
    assert unknown.exit_code == 2
    assert "no source with id 'nope'; the sources are: selfhacked-5ht1a, xss-page" in unknown.output
    ok = runner.invoke(app, ["read", "--data", str(XSS), "-o", str(out), "--source", "xss-page"])
    assert ok.exit_code == 0 and "xss-page, 1 claim on their words" in ok.output


def test_cli_view_links_each_source_to_its_reading_page(runner, tmp_path):
    out = tmp_path / "g.html"
    one = runner.invoke(app, ["view", "--data", str(XSS), "-o", str(out), "--article", str(tmp_path / "a.html")])
    assert one.exit_code == 1 and "name their reading pages with {source}" in one.output
    ok = runner.invoke(app, ["view", "--data", str(XSS), "-o", str(out), "--article", str(tmp_path / "r" / "{source}.html")])
    assert ok.exit_code == 0, ok.output
    links = page_data(out.read_text(encoding="utf-8"))["elsewhere"]
    assert {k: v["href"] for k, v in links.items()} == {"selfhacked-5ht1a": "r/selfhacked-5ht1a.html",
                                                        "xss-page": "r/xss-page.html"}


# --- in the browser --------------------------------------------------------------------------

def _hostile(tmp_path: Path) -> Path:
    """The xss fixture with markup also in the source's title and a javascript: URL."""
    folder = tmp_path / "hostile"
    shutil.copytree(XSS, folder)
    meta = folder / "sources" / "selfhacked-5ht1a.meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc.update(title=doc["title"] + "</title>" + PAYLOAD, url="javascript:window.__pwned=9", author=PAYLOAD)
    meta.write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _write(path: Path, ds, sid: str, **kw) -> Path:
    path.write_text(render_html(ds, sid, **kw), encoding="utf-8")
    return path


def test_browser_every_claim_is_highlighted_and_clickable(browser, bundled, tmp_path):
    page = browser_support.Opened(browser, _write(tmp_path / "article.html", bundled, "selfhacked-5ht1a"),
                                  ready=browser_support.Opened.READ_READY)
    try:
        counts = page.eval("() => serokg.counts()")
        in_source = [c for c in bundled.claims.values() if c.evidence.source == "selfhacked-5ht1a"]
        assert counts["claims"] == len(in_source) >= 213
        assert counts["markers"] == 44
        # each claim's highlighted words, read back from the page, are its quote
        spelled = page.eval("""() => { const out = {};
            document.querySelectorAll('mark.hl[data-claim]').forEach(m => m.dataset.claim.split(' ').forEach(id => {
              out[id] = (out[id] || '') + m.textContent; }));
            return out; }""")
        assert spelled == {c.id: c.evidence.quote for c in in_source}
        # the page's text is the source text, in order (the folded footer included)
        assert page.eval("() => document.getElementById('text').textContent").endswith(
            bundled.texts["selfhacked-5ht1a"][-200:])
        # clicking a highlight opens the card of every claim on those words
        sample = in_source[::9] + [bundled.claims["lithium-affects-htr1a-autoreceptor"]]
        for c in sample:
            mark = page.page.locator(f'mark.hl[data-claim~="{c.id}"]').first
            mark.scroll_into_view_if_needed()
            mark.click()
            on_it = page.eval("(m) => m.dataset.claim.split(' ')", mark.element_handle())
            shown = page.eval("() => [...document.querySelectorAll('#details .claim-card')].map(c => c.dataset.claim)")
            assert c.id in shown and set(shown) == set(on_it), c.id
            card = page.page.locator(f'#details .claim-card[data-claim="{c.id}"]').inner_text()
            assert c.evidence.quote.split()[0] in card and c.fidelity.reason[:30] in card
        denial = page.page.locator('#details .claim-card[data-claim="lithium-affects-htr1a-autoreceptor"]').inner_text()
        assert "negated" in denial and "does not change" in denial
        assert page.eval("() => document.querySelector('mark.hl[data-claim~=\"lithium-affects-htr1a-autoreceptor\"]')"
                         ".classList.contains('deny-start')")
        # a marker opens its reference
        page.page.locator('.marker[data-marker]').nth(list(bundled.markers["selfhacked-5ht1a"]).index("R22")).click()
        card = page.page.locator("#details .marker-card").inner_text()
        assert "R22" in card and "PMID" in card
        assert page.outside() == [] and page.errors == []
    finally:
        page.close()


def test_browser_uncovered_sentences_and_filters(browser, bundled, tmp_path):
    page = browser_support.Opened(browser, _write(tmp_path / "article.html", bundled, "selfhacked-5ht1a"),
                                  ready=browser_support.Opened.READ_READY)
    try:
        cov = sentence_coverage(bundled, "selfhacked-5ht1a")
        counts = cov.counts()
        header = page.eval("() => Object.fromEntries([...document.querySelectorAll('#coverage [data-key]')]"
                           ".map(e => [e.dataset.key, Number(e.textContent)]))")
        assert header == {f"{p}.{k}": v for p, row in counts.items() for k, v in row.items()}
        assert page.eval("() => getComputedStyle(document.querySelector('.uncovered')).backgroundColor") == "rgba(0, 0, 0, 0)"
        page.page.check("#show-uncovered")
        text = bundled.texts["selfhacked-5ht1a"]
        # the shown sentences are exactly the counted ones without a claim
        shown = page.eval("""() => { const out = {};
            document.querySelectorAll('.uncovered[data-sentence]').forEach(e => {
              if (getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)') return;
              out[e.dataset.sentence] = (out[e.dataset.sentence] || '') + e.textContent; });
            return Object.entries(out).sort((a, b) => a[0] - b[0]).map(x => x[1]); }""")
        want = [text[s.start:s.end] for s in cov.sentences if s.kind == "sentence" and s.part != "other" and not s.claims]
        assert shown == want and len(want) == counts["body"]["without_claims"] + counts["comment"]["without_claims"]
        # filters: comments only
        page.page.click("#filters-box > summary")
        page.page.uncheck('input[data-facet="part"][value="body"]')
        n_comments = sum(c.evidence.part.value == "comment" for c in bundled.claims.values())
        assert page.eval("() => serokg.state.shown.size") == n_comments
        assert page.eval("() => document.getElementById('count-claims').textContent") == str(n_comments)
        lit = page.eval("() => document.querySelectorAll('mark.hl:not(.off)').length")
        assert 0 < lit < page.eval("() => document.querySelectorAll('mark.hl').length")
        assert page.eval("() => [...document.querySelectorAll('#claim-list li')].filter(l => !l.hidden).length") == n_comments
        page.page.click("#reset")
        assert page.eval("() => serokg.state.shown.size") == len(bundled.claims)
        shot = tmp_path / "article.png"
        page.page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        assert page.outside() == [] and page.errors == []
    finally:
        page.close()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_browser_payloads_stay_inert(playwright, tmp_path_factory, csp):
    """Every claim and marker of the payload fixtures clicked, with and without the page's CSP: nothing runs."""
    tmp = tmp_path_factory.mktemp("read-xss")
    ctx = new_context(playwright, tmp_path_factory, bypass_csp=not csp)
    try:
        for folder, sid in ((XSS, "xss-page"), (XSS, "selfhacked-5ht1a"), (_hostile(tmp), "selfhacked-5ht1a")):
            ds = load(folder)
            path = _write(tmp / f"{folder.name}-{sid}.html", ds, sid, graph_link="graph.html")
            for fragment in ("<img src=x", "<svg onload", "<script>window.__pwned", "</script><script>"):
                assert fragment not in path.read_text(encoding="utf-8").split('id="serokg-data">')[1].split("</script>")[0]
            page = browser_support.Opened(ctx, path, ready=browser_support.Opened.READ_READY)
            try:
                for i in range(page.eval("() => document.querySelectorAll('mark.hl, .marker').length")):
                    page.page.locator("mark.hl, .marker").nth(i).click()
                for li in range(page.eval("() => document.querySelectorAll('#claim-list li').length")):
                    page.page.locator("#claim-list li").nth(li).click()
                page.page.wait_for_timeout(200)
                assert page.eval("() => window.__pwned") is None
                assert page.dialogs == [] and page.errors == []
                assert page.eval("() => document.querySelectorAll('img, iframe, svg, [onerror], [onload]').length") == 0
                assert page.eval("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
                                 ".filter(h => !h.startsWith('https://') && !h.startsWith('graph.html'))") == []
                body = page.eval("() => document.body.innerText")
                for c in ds.claims.values():
                    if c.evidence.source == sid and "<" in c.evidence.quote:
                        assert c.evidence.quote.split("\n")[0] in body  # shown as text
                assert page.outside() == []
            finally:
                page.close()
    finally:
        ctx.close()


def test_read_names_at_most_ten_sources_when_it_must_choose(runner, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.synth import generate

    folder = tmp_path / "data"
    generate(folder, 3000, seed=3)  # 15 sources
    result = runner.invoke(app, ["read", "--data", str(folder), "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 2
    assert "synthetic-article-000009, and 5 more" in result.stderr.replace("\n", " ")
    assert "synthetic-article-000010" not in result.stderr
