"""The report: its numbers equal stats / conflicts / fidelity / evidence levels; it renders offline
in headless Chromium with no request leaving the page; injected markup stays text."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from serokg.graph.analyse import ConflictKind, conflict_groups, conflicts, fidelity_summary
from serokg.graph.evidence import count_levels
from serokg.graph.read import load
from serokg.graph.present.report import autoreceptor_claims, render_html, site_groups
from serokg.graph.present.report_markdown import render_markdown
from serokg.graph.stats import stats

from conftest import FIXTURES, MINI

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
URL = "http://report.invalid/report.html"
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def _datasets():
    out = [("mini", MINI), ("conflicts", FIXTURES / "conflicts")]
    try:
        load()
        out.append(("bundled", None))
    except Exception:  # the curated data may be mid-edit; the fixtures still cover the report
        pass
    return out


def expected_numbers(ds) -> dict[str, int]:
    """Every number the report marks with data-key, computed from the library functions."""
    s = stats(ds)
    want: dict[str, int] = {f"totals.{k}": v for k, v in s["totals"].items()}
    for k in ("claims_with_marker", "claims_with_reference", "markers_used", "markers_in_sources"):
        want[f"citations.{k}"] = s["citations"][k]
    want["claims_negated"] = s["claims_negated"]
    for group in ("claims_by_modality", "claims_by_part", "claims_by_organism_basis"):
        want.update({f"{group}.{k}": v for k, v in s[group].items()})
    want.update({f"evidence.{k}": v for k, v in count_levels(ds).items()})
    found = conflicts(ds)
    kinds = Counter(c.kind for c in found)
    want["conflicts.total"] = len(found)
    want["conflicts.topics"] = len(conflict_groups(found))
    want.update({f"conflicts.{k.value}": kinds.get(k, 0) for k in ConflictKind})
    fid = fidelity_summary(ds)
    want["fidelity.total"] = fid.total
    want.update({f"fidelity.{k}": v for k, v in fid.counts.items()})
    auto = autoreceptor_claims(ds)
    want["autoreceptors.claims"] = len(auto)
    want["autoreceptors.subjects"] = len({c.subject for c in auto})
    want.update({f"sites.{node}": len(claims) for node, claims in site_groups(ds)})
    # the charts
    want.update({f"chart-fidelity.{k.replace('_', ' ')}": v for k, v in fid.counts.items()})
    organisms = {(ds.entities[k].label if k in ds.entities else "not stated"): v
                 for k, v in s["claims_by_organism"].items()}
    want.update({f"chart-organism.{k}": v for k, v in organisms.items()})
    return want


def html_numbers(text: str) -> dict[str, int]:
    import html

    return {html.unescape(k): int(v) for k, v in
            re.findall(r'data-key="([^"]+)">(\d+)<', text)}


@pytest.mark.parametrize("name,path", _datasets())
def test_numbers_equal_the_library(name, path):
    ds = load(path)
    got = html_numbers(render_html(ds))
    want = expected_numbers(ds)
    assert {k: got.get(k) for k in want} == want
    # and nothing is marked that the library does not also compute (chart-evidence uses labels)
    assert {k for k in got if not k.startswith("chart-evidence.")} <= set(want)
    assert sum(v for k, v in got.items() if k.startswith("chart-evidence.")) == len(ds.claims)


@pytest.mark.parametrize("name,path", _datasets())
def test_markdown_carries_the_same_sections(name, path):
    ds = load(path)
    md = render_markdown(ds)
    s = stats(ds)
    assert md.startswith("# Evidence report")
    for heading in ("## The graph in numbers", "## Which substances act on autoreceptors?",
                    "## Claims by receptor site", "## Conflicts", "## Source fidelity"):
        assert heading in md
    assert f"{s['totals']['claims']} claims about {s['totals']['entities']} entities" in md
    assert f"{len(conflicts(ds))} conflicting pairs" in md
    for verdict, n in fidelity_summary(ds).counts.items():
        assert f"| {verdict.replace('_', ' ')} | {n} |" in md


def test_source_address_is_a_link_when_https():
    text = render_html(load(MINI))
    url = "https://www.selfhacked.com/blog/rs6295-the-single-and-self-transcendent-gene-5-ht1a-receptor/"
    assert f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>' in text


@pytest.mark.parametrize("name,path", _datasets())
def test_markdown_says_not_stated_like_the_html(name, path):
    ds = load(path)
    md = render_markdown(ds)
    section = md.split("### By organism\n")[1].split("###")[0]
    unstated = stats(ds)["claims_by_organism"].get("none", 0)
    assert (f"| not stated | {unstated} |" in section) == bool(unstated)
    assert "| none |" not in section
    for organism, n in stats(ds)["claims_by_organism"].items():
        if organism != "none":
            assert f"| {ds.entities[organism].label} | {n} |" in section
    assert "not stated" in render_html(ds)


def test_report_shows_lithium_unchanged_on_autoreceptors():
    ds = load(MINI)
    text = render_html(ds)
    assert "lithium does not change the sensitivity of 5-HT1A autoreceptor" in text
    assert text.count("<svg") == 3


# --- hostile labels ----------------------------------------------------------------------------


def _hostile(tmp_path: Path) -> Path:
    """The mini data with markup in every free-text field the report shows."""
    target = tmp_path / "xss-report"
    shutil.copytree(MINI, target)

    def rewrite(name: str, change) -> None:
        lines = [json.loads(x) for x in (target / name).read_text(encoding="utf-8").splitlines() if x.strip()]
        (target / name).write_text("".join(json.dumps(change(r), ensure_ascii=False) + "\n" for r in lines),
                                   encoding="utf-8")

    def entity(r):
        r["label"] = r["label"] + " " + PAYLOAD
        return r

    def claim(r):
        r["fidelity"]["reason"] += PAYLOAD
        r["condition"] = "intense | pain " + PAYLOAD
        r["list_heading"] = (r.get("list_heading") or "What Decreases 5HT1A Autoreceptors") + PAYLOAD
        return r

    def reference(r):
        r.update(title=r["title"] + PAYLOAD, first_author="</td></tr></table>" + PAYLOAD)
        return r

    rewrite("entities.jsonl", entity)
    rewrite("claims.jsonl", claim)
    rewrite("references.jsonl", reference)
    meta = target / "sources" / "selfhacked-5ht1a.meta.json"
    doc = json.loads(meta.read_text(encoding="utf-8"))
    doc["title"] += "</title>" + PAYLOAD
    doc["url"] = "javascript:window.__pwned=3"
    meta.write_text(json.dumps(doc), encoding="utf-8")
    return target


def _xss_folders(tmp_path: Path) -> list[Path]:
    folders = [_hostile(tmp_path)]
    shared = FIXTURES / "xss"  # the viewer's fixture, when present and valid
    try:
        load(shared)
        folders.append(shared)
    except Exception:
        pass
    return folders


def test_markup_in_the_data_stays_text(tmp_path):
    for folder in _xss_folders(tmp_path):
        ds = load(folder)
        for text in (render_html(ds), render_markdown(ds)):
            assert "<script>window" not in text and "<img src=x" not in text and "<svg onload" not in text
            assert "<iframe" not in text and 'href="javascript' not in text
        assert "&lt;script&gt;window.__pwned" in render_html(ds) or folder.name == "xss"


# --- headless Chromium ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser, text: str, **kw):
    """Load the page from a routed URL; every other request is recorded and aborted."""
    page = browser.new_page(**kw)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def handle(route):
        if route.request.url == URL:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=text)
        else:
            route.abort()

    page.route("**/*", handle)
    page.goto(URL, wait_until="load")
    page.wait_for_timeout(200)  # let any late loads (images, onerror handlers) fire
    return page, requests, errors


def test_report_renders_offline_and_numbers_match(browser, tmp_path):
    for name, path in _datasets():
        ds = load(path)
        page, requests, errors = _open(browser, render_html(ds))
        try:
            assert requests == [URL], f"{name}: the page made requests: {requests[1:]}"
            assert not errors, errors
            shown = page.evaluate(
                "Object.fromEntries([...document.querySelectorAll('[data-key]')]"
                ".map(e => [e.dataset.key, Number(e.textContent)]))")
            want = expected_numbers(ds)
            assert {k: shown.get(k) for k in want} == want
            charts = page.evaluate("[...document.querySelectorAll('svg.chart')]"
                                   ".map(s => s.getBoundingClientRect().width)")
            assert len(charts) == 3 and all(w > 100 for w in charts)
            for section in ("numbers", "charts", "autoreceptors", "sites", "conflicts", "fidelity"):
                assert page.locator(f"#{section}").count() == 1
        finally:
            page.close()


def test_injected_script_does_not_run(browser, tmp_path):
    for folder in _xss_folders(tmp_path):
        page, requests, _ = _open(browser, render_html(load(folder)))
        try:
            assert page.evaluate("window.__pwned") is None, folder
            assert page.locator("script").count() == 0
            assert page.locator("img, iframe").count() == 0
            assert requests == [URL]
            assert "<script>window.__pwned" in page.inner_text("body") or folder.name == "xss"
        finally:
            page.close()


def test_report_fits_a_420_px_screen(browser):
    """No table, chart or conflict pair runs past the edge of a phone-sized screen."""
    for name, path in _datasets():
        page, requests, _ = _open(browser, render_html(load(path)), viewport={"width": 420, "height": 800})
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            wide = page.evaluate("[...document.querySelectorAll('table, svg, .pair, pre, h1, h2, h3, p')]"
                                 ".filter(e => e.getBoundingClientRect().right > 420.5).map(e => e.tagName)")
            assert width <= 420 and wide == [], (name, width, wide[:5])
            assert requests == [URL]
        finally:
            page.close()


def test_report_summarises_conflicts_above_the_limit(monkeypatch):
    """Past REPORT_PAIRS the page counts pairs per topic, shows a few classified examples per topic
    and the command that lists a topic's pairs; every count still equals the full listing."""
    import serokg.graph.present.report as report

    ds = load(FIXTURES / "conflicts")
    found = conflicts(ds)
    groups = conflict_groups(found)
    assert len(found) > 3
    monkeypatch.setattr(report, "REPORT_PAIRS", 3)
    page = render_html(ds)
    got = html_numbers(page)
    assert got["conflicts.total"] == len(found) and got["conflicts.topics"] == len(groups)
    assert {k: v for k, v in got.items() if k.startswith("conflicts.topic.")} == {
        f"conflicts.topic.{s},{o}": len(items) for (s, o), items in groups.items()}
    shown = re.findall(r'<div class="conflict k-[a-z_]+" id="conflict-([^"]+)"', page)
    per = Counter(next(c.topic for c in found if c.id == i) for i in shown)
    assert shown and all(n == min(3, len(groups[t])) for t, n in per.items())
    for s, o in groups:
        assert f"serokg conflicts --topic {s},{o}" in page
    md = render_markdown(ds)
    assert f"{len(found)} conflicting pairs in {len(groups)} topics, too many to list here" in md
    assert "`serokg conflicts --summary`" in md


def test_report_caps_claim_tables_and_names_the_command_that_lists_all(monkeypatch, runner):
    """Past REPORT_ROWS a claim table lists its first rows in data order; its count stays whole and
    the command it names lists every claim of the table."""
    import html

    import serokg.graph.present.report as report
    from serokg.cli.main import app

    ds = load()
    monkeypatch.setattr(report, "REPORT_ROWS", 5)
    page = render_html(ds)
    want = expected_numbers(ds)
    assert {k: html_numbers(page).get(k) for k in want} == want
    sections = dict(re.findall(r'<h3 id="site-([^"]+)">.*?</h3>(<table>.*?</table>(?:<p class="meta more">.*?</p>)?)',
                               page))
    big = [(node, claims) for node, claims in site_groups(ds) if len(claims) > 5]
    assert big
    for node, claims in big:
        listed = re.findall(r'<td class="id">([^<]+)</td>', sections[node])
        assert listed == [c.id for c in claims[:5]]
        command = f"serokg query --touches {node}"
        assert f"The first 5 of {len(claims)} are listed; <code>{html.escape(command)}</code> lists them all." \
            in sections[node]
        res = runner.invoke(app, [*command.split()[1:], "-f", "json"])
        assert res.exit_code == 0 and {c.id for c in claims} <= {r["id"] for r in json.loads(res.stdout)}
    fid = fidelity_summary(ds)
    for verdict, items in fid.items.items():
        if len(items) > 5:
            assert f"{verdict.replace('_', ' ')} ({len(items)})</summary>" in page
            command = f"serokg fidelity --verdict {verdict}"
            assert f"The first 5 of {len(items)} are listed; <code>{command}</code> lists them all." in page
            res = runner.invoke(app, [*command.split()[1:], "-f", "json"])
            assert [i["claim"] for i in json.loads(res.stdout)["items"][verdict]] == [i.claim for i in items]
    auto = autoreceptor_claims(ds)
    assert len(auto) > 5
    assert f"The first 5 of {len(auto)} are listed; <code>serokg acting-on autoreceptor</code>" in page
    res = runner.invoke(app, ["acting-on", "autoreceptor", "-f", "json"])
    assert {c.id for c in auto} == {a["claim"] for r in json.loads(res.stdout) for a in r["actions"]}
    md = render_markdown(ds)
    assert f"The first 5 of {len(big[0][1])} are listed; `serokg query --touches {big[0][0]}` lists them all." in md


def test_report_counts_the_sites_past_the_limit_in_one_table(monkeypatch):
    """Past REPORT_SITES the remaining receptors and sites are counted, each with its command, and
    every count still equals its site group."""
    import html

    import serokg.graph.present.report as report

    ds = load()
    groups = site_groups(ds)
    monkeypatch.setattr(report, "REPORT_SITES", 3)
    assert len(groups) > 3
    page = render_html(ds)
    assert re.findall(r'<h3 id="site-([^"]+)">', page) == [n for n, _ in groups[:3]]
    assert f'<h3 id="sites-more">{len(groups) - 3} more receptors and sites</h3>' in page
    assert {k: v for k, v in html_numbers(page).items() if k.startswith("sites.")} == {
        f"sites.{n}": len(c) for n, c in groups}
    for node, _ in groups[3:]:
        assert f"<code>{html.escape(f'serokg query --touches {node}')}</code>" in page
    md = render_markdown(ds)
    assert f"### {len(groups) - 3} more receptors and sites" in md
    assert md.count("serokg query --touches") >= len(groups) - 3
