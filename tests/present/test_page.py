"""The one way offline pages are assembled: the page's own files are checked for remote loads, the data never is."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from serokg.cli.main import app
from serokg.errors import SerokgError
from serokg.graph.present.page import check_offline, relative_link, script_json
from serokg.graph.read import load

from conftest import MINI

MENTIONS = "CSS uses @import and url(//example.org/x.css); <script src=\"https://cdn.example/x.js\"></script>"


def _mentioning(tmp_path):
    """The mini data with a note, a label and a quote-free field that *mention* remote loads."""
    folder = tmp_path / "imp"
    shutil.copytree(MINI, folder)
    path = folder / "claims.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["note"] = MENTIONS
    lines[0] = json.dumps(first, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ents = folder / "entities.jsonl"
    rows = [json.loads(x) for x in ents.read_text(encoding="utf-8").splitlines()]
    rows[0]["label"] += " url(//x)"
    ents.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder, first["id"]


def test_view_shows_data_that_mentions_remote_loads(runner, tmp_path):
    """F10: valid text holding "@import" or "url(//" crashed `view` (the check scanned the data too)."""
    folder, claim = _mentioning(tmp_path)
    out = tmp_path / "graph.html"
    result = runner.invoke(app, ["view", "--data", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="serokg-data">(.*?)</script>', html, re.S).group(1))
    assert data["meta"]["edges"][claim]["note"] == MENTIONS  # shown as text, unchanged
    assert "<script src=" not in html.split('id="serokg-data">')[1]


@pytest.mark.parametrize("text", ['<script src="https://cdn.example/x.js"></script>', "<link href='//cdn/x.css'>",
                                  "@import 'x.css';", "body{background:url( //x/y.png)}",
                                  '<img src="http://x/y.png">'])
def test_page_files_that_would_load_remotely_are_refused(text):
    with pytest.raises(SerokgError, match="remote resource"):
        check_offline("view_page.html", text)


def test_page_files_may_use_data_urls():
    check_offline("page.css", "a{background:url(data:image/png;base64,AAAA)}")


def test_script_json_cannot_close_its_element():
    text = script_json({"q": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"q": "</script><!-- \u2028 & >"}


def test_relative_link_is_relative_and_encoded(tmp_path):
    (tmp_path / "a b").mkdir()
    assert relative_link(tmp_path / "a b" / "article:1.html", tmp_path / "graph.html") == "a%20b/article%3A1.html"
    assert relative_link(tmp_path / "graph.html", tmp_path / "a b" / "x.html") == "../graph.html"
