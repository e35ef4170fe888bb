"""The one table renderer, CSV writer and terminal filter, through every command that prints them.

* Tables fit 80, 100 and 160 columns and are never cut: every word of the untruncated (pipe)
  output is in the fitted output, as often; in a pipe nothing is cut at all.
* CSV: a fixed header per command, cells and headers neutralised (F4), bare CRs quoted.
* Terminal output shows control characters as visible escapes (F13).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from serokg.cli.main import app
from serokg.cli.options import OutFormat
from serokg.cli.output import csv_safe, render, table, visible, write_csv

from conftest import MINI

ROOT = Path(__file__).parents[1]

# Every command that prints a table for people, with arguments that give it something to show.
TABLE_COMMANDS = {
    "query": ["query"],
    "show": ["show", "lithium-affects-htr1a-autoreceptor"],
    "neighbors": ["neighbors", "lithium"],
    "path": ["path", "lithium", "body temperature", "--include-denials"],
    "stats": ["stats"],
    "conflicts": ["conflicts"],
    "fidelity": ["fidelity"],
    "acting-on": ["acting-on", "autoreceptor"],
    "sparql": ["sparql", f"@{ROOT / 'docs' / 'queries' / 'autoreceptor-substances.rq'}"],
}


def _commands_with_a_table() -> set[str]:
    cmds = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    out = set()
    for name, cmd in cmds.items():
        for p in cmd.params:
            annotation = p.type_descriptor.annotation if hasattr(p, "type_descriptor") else None
            if "--format" in p.opts and "table" in getattr(annotation, "__members__", {}):
                out.add(name)
    return out


def test_every_table_command_is_measured():
    assert _commands_with_a_table() == set(TABLE_COMMANDS)


_PIPED: dict[str, str] = {}


def _run(runner, args, columns):
    result = runner.invoke(app, args, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    return result.stdout


def _words(text: str) -> Counter:
    # a detached column's label ("id: ...") is its header
    return Counter(w.removesuffix(":") for w in text.split() if not set(w) <= {"-"})


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
def test_table_fits_and_cuts_nothing(runner, name, width):
    if name not in _PIPED:
        _PIPED[name] = _run(runner, TABLE_COMMANDS[name], None)
    piped = _PIPED[name]
    fitted = _run(runner, TABLE_COMMANDS[name], str(width))
    too_long = [line for line in fitted.splitlines() if len(line) > width]
    assert not too_long, too_long[:3]
    missing = _words(piped) - _words(fitted)
    assert not missing, f"cut or lost at {width} columns: {sorted(missing)[:10]}"
    assert "\u2026" not in fitted  # nothing is cut with an ellipsis either


def test_pipe_output_is_whole(runner):
    """In a pipe, every text is printed in full: statements, explanations, reasons."""
    piped = _run(runner, ["query"], None)
    for rec in json.loads(_run(runner, ["query", "-f", "json"], None)):
        assert rec["statement"].split(" [", 1)[0] in piped and rec["id"] in piped
    piped = _run(runner, ["conflicts"], None)
    for rec in json.loads(_run(runner, ["conflicts", "-f", "json"], None)):
        assert rec["explanation"] in piped and rec["id"].replace("--", " -- ") in piped
    piped = _run(runner, ["acting-on", "autoreceptor"], None)
    for group in json.loads(_run(runner, ["acting-on", "autoreceptor", "-f", "json"], None)):
        assert group["label"] in piped
        assert all(a["claim"] in piped and a["evidence_level"] in piped for a in group["actions"])
    piped = _run(runner, ["fidelity"], None)
    for items in json.loads(_run(runner, ["fidelity", "-f", "json"], None))["items"].values():
        assert all(" ".join(i["reason"].split()) in piped for i in items)


def test_narrow_tables_keep_ids_whole(runner):
    fitted = _run(runner, ["query", "--subject", "lithium"], "80")
    for rec in json.loads(_run(runner, ["query", "--subject", "lithium", "-f", "json"], None)):
        assert f"id: {rec['id']}" in fitted


def test_renderer_wraps_by_display_width():
    rows = [{"claim": "雌二醇 increases the rate of action of fluoxetine " * 3, "id": "x-1"}]
    out = table(rows, ["claim", "id"], width=40)
    assert all(sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line) <= 40 for line in out.splitlines())


# --- CSV: fixed headers --------------------------------------------------------------------

PAIRS = {  # two different results of each command, one of them with a reference and one without
    "query": (["query", "--part", "comment"], ["query", "--subject", "lithium"]),
    "show": (["show", "cm-judd-crane-ashwagandha-signalling"], ["show", "r22-lithium-autoreceptor-unchanged"]),
    "neighbors": (["neighbors", "ashwagandha"], ["neighbors", "lithium"]),
    "path": (["path", "cortisol", "ashwagandha"], ["path", "lithium", "cortisol", "--include-denials"]),
    "conflicts": (["conflicts", "--kind", "contradiction"], ["conflicts"]),
    "fidelity": (["fidelity", "--verdict", "supported"], ["fidelity"]),
    "stats": (["stats"], ["stats"]),
    "acting-on": (["acting-on", "htr1b"], ["acting-on", "autoreceptor"]),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_csv_header_is_fixed_per_command(runner, name):
    heads = []
    for args in PAIRS[name]:
        out = _run(runner, [*args, "--data", str(MINI), "-f", "csv"], None)
        heads.append(out.splitlines()[0] if out else None)
    assert heads[0] is not None and heads[0] == heads[1]
    assert set(_commands_with_a_table()) - {"sparql"} == set(PAIRS)


def test_claim_header_is_claim_records_keys():
    from serokg.cli.core import claim_header
    from serokg.cli.output import _flat
    from serokg.graph.read import load
    from serokg.graph.records import claim_record

    ds = load()
    header = claim_header()
    with_ref = next(c for c in ds.claims.values() if c.citation.reference)
    assert list(_flat(claim_record(with_ref, ds))) == header
    for c in ds.claims.values():
        assert {k for k, v in _flat(claim_record(c, ds)).items() if v is not None} <= set(header)


def test_conflict_header_is_as_dict_keys():
    from serokg.cli.analyse import CONFLICT_HEADER
    from serokg.cli.output import _flat
    from serokg.graph.analyse import conflicts
    from serokg.graph.read import load

    for c in conflicts(load()):
        assert list(_flat(c.as_dict())) == CONFLICT_HEADER


def test_csv_refuses_a_key_outside_the_header():
    with pytest.raises(ValueError, match="not in the command's header"):
        render([{"a": 1, "b": 2}], OutFormat.csv, [], header=["a"])


# --- CSV: formula neutralisation (F4) ------------------------------------------------------

_FORMULA = frozenset("=+-@|\uff1d\uff0b\uff0d\uff20\uff5c")
_BLANKS = " \t\r\n\u00a0\u2007\u200b\u2028\x0b\x0c\x1c\x85\ufeff"
cells = st.text(alphabet=st.sampled_from(sorted(_FORMULA) + list(_BLANKS + "ab1,\"'")) | st.characters(), max_size=12)


def _dangerous(text: str) -> bool:
    import unicodedata

    if text[:1] in ("\t", "\r"):
        return True
    first = next((ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs"))), "")
    return first in _FORMULA


@settings(max_examples=300, deadline=None)
@given(header=st.lists(cells, min_size=1, max_size=4), rows=st.lists(st.lists(cells, min_size=4, max_size=4),
                                                                      max_size=4))
def test_csv_cells_and_headers_are_neutralised_and_rows_stay_rows(header, rows):
    rows = [r[:len(header)] for r in rows]
    out = write_csv(header, rows)
    parsed = list(csv.reader(io.StringIO(out, newline="")))
    assert parsed == [[csv_safe(c) for c in r] for r in [header, *rows]]  # no cell split into a new row
    for original, cell in zip([c for r in [header, *rows] for c in r], [c for r in parsed for c in r]):
        if _dangerous(original):
            assert cell == "'" + original
        else:
            assert cell == original


def test_bare_cr_cannot_start_a_row_through_the_cli(runner, mini):
    ents = mini / "entities.jsonl"
    ents.write_text(ents.read_text(encoding="utf-8").replace('"label": "lithium"', '"label": "lithium\\r=2+5"'),
                    encoding="utf-8")
    for args in (["query"], ["neighbors", "lithium"], ["show", "r22-lithium-autoreceptor-unchanged"],
                 ["acting-on", "autoreceptor"], ["path", "lithium", "ashwagandha"],
                 ["sparql", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"]):
        out = _run(runner, [*args, "--data", str(mini), "-f", "csv"], None)
        parsed = list(csv.reader(io.StringIO(out, newline="")))
        assert len({len(r) for r in parsed}) == 1, args  # every row as long as the header
        assert not [c for r in parsed for c in r if c.lstrip()[:1] in _FORMULA], args


def test_header_cells_are_neutralised():
    out = render([{"=HYPERLINK(\"http://x\",\"y\")": 1}], OutFormat.csv, [])
    assert out.splitlines()[0] == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""


# --- terminal escapes (F13) ----------------------------------------------------------------

OSC52 = "\x1b]52;c;cHduZWQ=\x07"
CSI = "\x1b[2J\x1b[31m"
OTHERS = "\x9b31m\u202eevil\u2066\x08"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(mini):
    for name, old, new in (("entities.jsonl", '"label": "lithium"', f'"label": {json.dumps("lithium" + CSI)}'),
                           ("claims.jsonl", '"fidelity": {', f'"note": {json.dumps(OSC52 + OTHERS)}, "fidelity": {{'),
                           ("references.jsonl", '"title": "', f'"title": {json.dumps(OSC52)[:-1]}')):
        path = mini / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mini


@pytest.mark.parametrize("args", [["query"], ["show", "r22-lithium-postsynaptic-sensitivity"],
                                  ["show", "r22-lithium-autoreceptor-unchanged"], ["neighbors", "lithium"],
                                  ["path", "lithium", "ashwagandha"], ["acting-on", "autoreceptor"],
                                  ["fidelity"], ["conflicts"], ["stats"], ["validate"],
                                  ["sparql", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"]])
@pytest.mark.parametrize("columns", [None, "80"])
def test_terminal_output_shows_controls_as_escapes(runner, hostile, args, columns):
    result = runner.invoke(app, [*args, "--data", str(hostile)], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert not RAW.search(result.stdout + result.stderr), repr(RAW.search(result.stdout + result.stderr))


def test_the_escapes_are_readable(runner, hostile):
    out = runner.invoke(app, ["show", "r22-lithium-postsynaptic-sensitivity", "--data", str(hostile)]).stdout
    assert "\\x1b]52;c;cHduZWQ=\\x07" in out and "\\x9b31m\\u202eevil\\u2066\\x08" in out
    assert "lithium\\x1b[2J\\x1b[31m" in out


def test_report_to_stdout_is_escaped(runner, hostile):
    for fmt in ("markdown", "html"):
        result = runner.invoke(app, ["report", "--data", str(hostile), "-f", fmt])
        assert result.exit_code == 0
        assert "lithium\\x1b" in result.stdout and not RAW.search(result.stdout)


def test_errors_echoing_data_are_escaped(runner):
    result = runner.invoke(app, ["query", "--data", str(MINI), "--touches", f"x{OSC52}"])
    assert result.exit_code == 1
    assert not RAW.search(result.stderr)


def test_json_has_no_raw_controls(runner, hostile):
    for fmt in ("json", "jsonl"):
        out = runner.invoke(app, ["query", "--data", str(hostile), "-f", fmt]).stdout
        assert not RAW.search(out)
        records = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else json.loads(out)
        assert OSC52 + OTHERS in [r["note"] for r in records]  # the same text, escaped the JSON way


def test_visible_keeps_text_and_line_breaks():
    assert visible("5-HT1A\tα\n") == "5-HT1A\tα\n"
    assert visible("\x1b\x9b\u202e\u2028\r") == "\\x1b\\x9b\\u202e\\u2028\\x0d"
