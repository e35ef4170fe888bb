"""One way to assemble an offline HTML page: a template of this package, inlined assets, data as JSON.

The viewer and the reading page are both built by :func:`render_page`.  Before any data is put in,
the template and every asset are checked for anything that would load from elsewhere
(:func:`check_offline`); the data then reaches the page only as JSON inside
``<script type="application/json">`` (:func:`script_json`) and as autoescaped template values, and
the page's scripts put it on screen with ``textContent``.  So a quote that *mentions* "@import" or
"url(//…)" is shown as text, never refused, and never loads anything.

>>> "\\\\u003c/script" in script_json({"q": "</script>"})
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from serokg.errors import SerokgError, UsageError

__all__ = ["CSP", "asset", "check_offline", "page_links", "relative_link", "render_page", "script_json", "vis_assets"]

#: The pages' Content-Security-Policy: inline scripts and styles only, no request of any kind.
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "connect-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'")

_REMOTE = (re.compile(r"<(?:script|img|iframe|link|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*"
                      r"[\"']?(?:https?:)?//"),
           re.compile(r"@import"),
           re.compile(r"url\(\s*[\"']?(?:https?:)?//"))


def script_json(obj: Any) -> str:
    """JSON safe inside a <script> element: nothing in it can close the element or open a comment."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def check_offline(name: str, text: str) -> None:
    """Refuse a template or asset that would make the page reach out to the network.

    Run on the page's own files, never on the data: data is text, however it reads."""
    lowered = text.lower()
    for pattern in _REMOTE:
        found = pattern.search(lowered)
        if found:
            raise SerokgError(f"{name} would make the page load a remote resource ({found.group(0)[:80]!r}); "
                              "the installed serokg or pyvis copy is damaged: reinstall it")
    if name.endswith((".js", ".css")) and re.search(r"</(?:script|style)", lowered):
        raise SerokgError(f"{name} would close its own element when inlined: reinstall serokg or pyvis")


@cache
def asset(name: str) -> str:
    """A template, script or stylesheet of this package, checked by :func:`check_offline`."""
    text = (files("serokg.graph.present") / name).read_text(encoding="utf-8")
    check_offline(name, text)
    return text


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as pyvis ships them (no network needed), checked."""
    import pyvis

    found = sorted((Path(pyvis.__file__).parent / "templates" / "lib").glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in p.parent.name[4:].split(".") if x.isdigit()))
    if not found:
        raise SerokgError("pyvis ships no vis-network copy: reinstall pyvis>=0.3.2")
    lib = found[-1].parent  # pyvis 0.3.2 ships 9.0.4 and 9.1.2; its own template uses the newest
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    check_offline("vis-network.min.js", js)
    check_offline("vis-network.css", css)
    return js, css


def relative_link(target: str | Path, page: str | Path) -> str:
    """``target`` as a relative URL from the folder of ``page`` (both file paths): percent-encoded,
    so it can never carry a scheme.

    >>> relative_link("out/article.html", "out/graph.html")
    'article.html'
    """
    import os
    from urllib.parse import quote

    rel = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
    return quote(Path(rel).as_posix())


def page_links(pattern: str, page: str | Path, sources: Iterable[str]) -> dict[str, str]:
    """Source id -> relative address, from ``page``, of its reading page named by ``pattern``
    (``{source}`` stands for the source id; without it the data must hold one source).

    >>> page_links("read-{source}.html", "graph.html", ["a", "b"])
    {'a': 'read-a.html', 'b': 'read-b.html'}
    """
    ids = list(sources)
    if "{source}" not in pattern and len(ids) > 1:
        raise UsageError(f"the data has {len(ids)} sources: name their reading pages with {{source}} "
                         f"(e.g. --article 'read-{{source}}.html'; the ids are {', '.join(ids)})")
    return {sid: relative_link(pattern.replace("{source}", sid), page) for sid in ids}


def render_page(template: str, data: Any, *, styles: tuple[str, ...] = (), scripts: tuple[str, ...] = (),
                vis: bool = False, **context: Any) -> str:
    """The template rendered with ``context`` (autoescaped) and ``data`` as the page's JSON.

    ``styles`` and ``scripts`` name assets of this package to inline (vis-network's first with
    ``vis``); the template places them as ``styles`` and ``scripts``.  Templates may
    ``{% import "page_macros.html" as m %}``.  Every file is checked before the data goes in."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(loader=FunctionLoader(asset), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    css = [asset(name) for name in styles]
    js = [asset(name) for name in scripts]
    if vis:
        vis_js, vis_css = vis_assets()
        css.insert(0, vis_css)
        js.insert(0, vis_js)
    return env.get_template(template).render(**context, csp=Markup(CSP), styles=[Markup(x) for x in css],
                                             scripts=[Markup(x) for x in js], data_json=Markup(script_json(data)))
