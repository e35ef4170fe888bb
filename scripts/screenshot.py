"""Regenerate the screenshots in docs/img/ in headless Chromium, and measure how fast the pages open.

    python scripts/screenshot.py                     # docs/img/graph.png (1400 px), graph-1024.png, article.png
    python scripts/screenshot.py -o /tmp/shots --claim CLAIM_ID
    python scripts/screenshot.py --measure 5         # only time the two pages, 5 loads each

The viewer (``serokg view``) and the reading page (``serokg read``) of the bundled data are written
side by side, linked to each other, and opened from disk.  Load time is from navigation to the page's
own "ready" flag: the viewer's layout settled and stopped, the reading page's text and highlights
built.  Needs Debian's chromium (/usr/bin/chromium) and Playwright for Python; no network is used:
every request other than the two pages is refused, and the script fails if one is made.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from serokg.graph.coverage import choose_source
from serokg.graph.present import reading, view
from serokg.graph.present.page import relative_link
from serokg.graph.read import load

__all__ = ["main", "measure", "screenshots"]

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
READY = {"graph": "() => window.serokg && window.serokg.state.stabilized",
         "article": "() => window.serokg && window.serokg.state.ready"}
#: The worked example of the article: lithium raises postsynaptic 5-HT1A sensitivity.
EXAMPLE = ("lithium", "htr1a-postsynaptic")


def _pages(folder: Path, data: Path | None) -> tuple[dict[str, Path], object]:
    ds = load(data)
    sid = choose_source(ds, None)
    graph, article = folder / "graph.html", folder / "article.html"
    vg = view.view_graph(ds, list(ds.claims.values()))
    graph.write_text(view.render_html(ds, vg, article_links={sid: relative_link(article, graph)}), encoding="utf-8")
    article.write_text(reading.render_html(ds, sid, graph_link=relative_link(graph, article)), encoding="utf-8")
    return {"graph": graph, "article": article}, ds


class _Browser:
    def __init__(self, playwright, profile: Path, chromium: str):
        self.p, self.profile, self.chromium = playwright, profile, chromium
        self.outside: list[str] = []

    def open(self, path: Path, width: int, height: int, allowed: set[str]):
        ctx = self.p.chromium.launch_persistent_context(str(self.profile / f"{width}-{time.monotonic_ns()}"),
                                                        executable_path=self.chromium, headless=True, args=ARGS,
                                                        viewport={"width": width, "height": height})
        page = ctx.new_page()
        page.route("**/*", lambda route, req: route.continue_() if req.url.split("#")[0] in allowed
                   else (self.outside.append(req.url), route.abort()))
        return ctx, page


def _load(page, path: Path, kind: str) -> float:
    start = time.monotonic()
    page.goto(path.as_uri())
    page.wait_for_function(READY[kind], timeout=120_000)
    return time.monotonic() - start


def measure(times: int = 3, *, data: Path | None = None, chromium: str = "/usr/bin/chromium") -> dict[str, dict]:
    """Median and range of the load time of each page, each load in a fresh browser profile, at 1400x900."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        pages, _ = _pages(Path(tmp), data)
        allowed = {x.as_uri() for x in pages.values()}
        b = _Browser(p, Path(tmp), chromium)
        for kind, path in pages.items():
            seconds, own = [], []
            for _ in range(times):
                ctx, page = b.open(path, 1400, 900, allowed)
                seconds.append(_load(page, path, kind))
                own.append(page.evaluate("() => serokg.state.settleMs || serokg.state.readyMs"))
                ctx.close()
            out[kind] = {"bytes": path.stat().st_size, "median_s": round(statistics.median(seconds), 2),
                         "min_s": round(min(seconds), 2), "max_s": round(max(seconds), 2),
                         "page_ms_median": statistics.median(own)}
        if b.outside:
            raise SystemExit(f"the pages made requests: {b.outside}")
    return out


def screenshots(folder: Path, *, data: Path | None = None, claim: str | None = None,
                chromium: str = "/usr/bin/chromium") -> dict[str, dict]:
    """Write graph.png (1400x900), graph-1024.png (1024x768) and article.png (1400x900) into ``folder``."""
    from playwright.sync_api import sync_playwright

    report: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        pages, ds = _pages(Path(tmp), data)
        if claim is None:
            claim = next((c.id for c in ds.claims.values() if (c.subject, c.object) == EXAMPLE), None)
        allowed = {x.as_uri() for x in pages.values()}
        b = _Browser(p, Path(tmp), chromium)
        folder.mkdir(parents=True, exist_ok=True)
        for name, width, height in (("graph.png", 1400, 900), ("graph-1024.png", 1024, 768)):
            ctx, page = b.open(pages["graph"], width, height, allowed)
            seconds = _load(page, pages["graph"], "graph")
            if claim:  # pin the example's card, as a reader who clicked its edge would
                page.evaluate("(id) => serokg.showClaim(id)", claim)
                page.evaluate("() => serokg.network.fit({animation: false})")
                page.mouse.move(width - 200, 2)
                page.wait_for_timeout(400)
            page.screenshot(path=str(folder / name))
            report[name] = {"load_s": round(seconds, 2), **page.evaluate("() => serokg.counts()")}
            ctx.close()
        ctx, page = b.open(pages["article"], 1400, 900, allowed)
        seconds = _load(page, pages["article"], "article")
        if claim:
            page.evaluate("(id) => serokg.openClaims([id], true)", claim)
        page.wait_for_timeout(300)
        page.screenshot(path=str(folder / "article.png"))
        report["article.png"] = {"load_s": round(seconds, 2), **page.evaluate("() => serokg.counts()")}
        ctx.close()
        if b.outside:
            raise SystemExit(f"the pages made requests: {b.outside}")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "img", help="folder for the PNG files")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: the bundled data)")
    ap.add_argument("--claim", default=None, help="claim id whose card to show (default: lithium on the "
                    "postsynaptic 5-HT1A receptor)")
    ap.add_argument("--measure", type=int, default=0, metavar="N", help="only measure: N loads of each page")
    args = ap.parse_args(argv)
    if args.measure:
        for kind, row in measure(args.measure, data=args.data).items():
            print(f"{kind}: {row}", file=sys.stderr)
        return 0
    for name, row in screenshots(args.output, data=args.data, claim=args.claim).items():
        print(f"wrote {args.output / name}: {row}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
