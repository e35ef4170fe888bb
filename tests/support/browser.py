"""Headless Chromium for the page tests: Debian's chromium driven by Playwright, the network blocked.

Every request other than the page files a test opens is aborted and recorded, so a test can assert
that none was made.  Tests skip only when chromium or Playwright is missing (CI installs both).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

__all__ = ["CHROMIUM_ARGS", "Opened", "browser", "new_context", "playwright"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def playwright():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    with sync_api.sync_playwright() as p:
        yield p


def new_context(playwright, tmp_path_factory, width: int = 1400, height: int = 900, **kw):
    """A fresh browser profile with the given viewport."""
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    return playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=exe, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": width, "height": height}, **kw)


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory):
    ctx = new_context(playwright, tmp_path_factory)
    yield ctx
    ctx.close()


class Opened:
    """A page loaded from a file with the network blocked; every request, dialog and error recorded.

    ``ready``: a JavaScript expression that is true once the page has drawn itself.  ``also``: other
    page files the test may navigate to (links between the serokg pages); any other request is aborted."""

    VIEW_READY = "() => window.serokg && window.serokg.state.stabilized"
    READ_READY = "() => window.serokg && window.serokg.state.ready"

    def __init__(self, ctx, path: Path, ready: str = VIEW_READY, timeout_ms: int = 90_000,
                 also: tuple[Path, ...] = ()):
        self.url = path.resolve().as_uri()
        self.allowed = {self.url} | {p.resolve().as_uri() for p in also}
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page = page = ctx.new_page()
        page.route("**/*", self._route)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        start = time.monotonic()
        page.goto(self.url)
        page.wait_for_function(ready, timeout=timeout_ms)
        self.settle_s = time.monotonic() - start

    def _route(self, route, request):
        if request.url.split("#")[0] in self.allowed:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def outside(self) -> list[str]:
        """Requests for anything but the allowed page files."""
        return [u for u in self.requests if u.split("#")[0] not in self.allowed]

    def eval(self, js: str, arg=None):
        return self.page.evaluate(js, arg)

    def close(self) -> None:
        self.page.close()
