"""Regenerate docs/img/graph.png: the bundled graph as `serokg view` draws it, in headless Chromium.

    python scripts/screenshot.py                       # docs/img/graph.png, 1600x950
    python scripts/screenshot.py -o /tmp/g.png --hover CLAIM_ID

Needs Debian's chromium (/usr/bin/chromium) and Playwright for Python; no network is used:
every request other than the page itself is refused, and the script fails if one is made.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from serokg.graph.read import load
from serokg.graph.present.view import render_html, view_graph

__all__ = ["main", "screenshot"]

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]


def screenshot(out: Path, *, data: Path | None = None, hover: str | None = None, width: int = 1600,
               height: int = 950, chromium: str = "/usr/bin/chromium") -> dict:
    """Write a PNG of the page; return what the page reported (counts, settle time)."""
    from playwright.sync_api import sync_playwright

    ds = load(data)
    vg = view_graph(ds, list(ds.claims.values()))
    if hover is None:  # the article's worked example when present: lithium on the postsynaptic site
        hover = next((c.id for c in vg.claims if c.subject == "lithium" and c.object == "htr1a-postsynaptic"), None)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "graph.html"
        page_path.write_text(render_html(ds, vg), encoding="utf-8")
        url = page_path.as_uri()
        outside: list[str] = []
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(str(Path(tmp) / "profile"), executable_path=chromium,
                                                       headless=True, args=ARGS,
                                                       viewport={"width": width, "height": height})
            page = ctx.new_page()
            page.route("**/*", lambda route, req: route.continue_() if req.url == url
                       else (outside.append(req.url), route.abort()))
            start = time.monotonic()
            page.goto(url)
            page.wait_for_function("() => window.serokg && window.serokg.state.stabilized", timeout=120_000)
            seconds = time.monotonic() - start
            if hover and hover in ds.claims:
                x, y = page.evaluate("""(id) => {
                    const net = serokg.network, e = serokg.edges.get(id), p = net.getPositions([e.from, e.to]);
                    const d = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
                    const r = document.getElementById('graph').getBoundingClientRect();
                    return [d.x + r.left, d.y + r.top]; }""", hover)
                page.mouse.click(x, y)  # pin the claim's card: it sits bottom-left, off the receptor sites
                page.mouse.move(width - 400, 2)
                page.wait_for_timeout(700)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            report = page.evaluate("() => Object.assign(serokg.counts(), {settleMs: serokg.state.settleMs})")
            ctx.close()
    if outside:
        raise SystemExit(f"the page made requests: {outside}")
    report["load_s"] = round(seconds, 2)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "img" / "graph.png")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default: the bundled data)")
    ap.add_argument("--hover", default=None, help="claim id whose card to show (default: lithium on the "
                    "postsynaptic 5-HT1A receptor)")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=950)
    args = ap.parse_args(argv)
    report = screenshot(args.output, data=args.data, hover=args.hover, width=args.width, height=args.height)
    print(f"wrote {args.output}: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
