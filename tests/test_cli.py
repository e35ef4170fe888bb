"""The serokg command through typer's CliRunner: exit codes, exact messages, stdout vs stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from serokg.cli.main import app

from conftest import FIXTURES, MINI


def invoke(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def _commands() -> dict:
    return typer.main.get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_help(runner, name):
    cmd = _commands()[name]
    assert cmd.help and cmd.help.strip(), f"{name} has no help text"
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0
    assert "Usage: serokg " + name in result.stdout
    assert any(p.param_type_name == "option" for p in cmd.params)  # the check below is not vacuous
    for param in cmd.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{name} {param.opts} has no help text"


def test_validate_ok(runner):
    result = invoke(runner, "validate", "--data", MINI)
    assert result.exit_code == 0
    assert result.stdout == f"valid: 13 entities, 6 claims, 1 reference, 1 source in {MINI}\n"


def test_validate_reports_every_problem_on_stderr(runner, mini):
    (mini / "claims.jsonl").write_bytes((FIXTURES / "bad" / "many-problems.claims.jsonl").read_bytes())
    result = invoke(runner, "validate", "--data", mini)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"{mini}/claims.jsonl:1: not valid JSON: Unterminated string (column 8)"
    assert lines[-1] == "error: 4 problems found"
    assert "Traceback" not in result.output


def test_bundled_data_validates(runner):
    result = invoke(runner, "validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("valid: ")


def test_query_touches_autoreceptor_json(runner):
    result = invoke(runner, "query", "--data", MINI, "--touches", "autoreceptor", "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ["r22-lithium-autoreceptor-unchanged", "r21-cortisol-autoreceptor-desensitised",
                                          "r19-t3-htr1b-autoreceptor"]
    lithium = records[0]
    assert (lithium["subject_label"], lithium["object_label"], lithium["effect"], lithium["negated"]) == (
        "lithium", "5-HT1A autoreceptor", "no change in sensitivity", True)
    assert lithium["organism_label"] == "rat" and lithium["organism_basis"] == "cited_source"
    assert lithium["citation"] == {"marker": "R22", "reference": "price-1989-lithium"}
    assert lithium["reference"]["pmid"] == "2949333"


def test_query_affirmed_leaves_denials_out(runner):
    result = invoke(runner, "query", "--data", MINI, "--subject", "lithium", "--affirmed", "--format", "jsonl")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["r22-lithium-postsynaptic-sensitivity"]


def test_query_table_counts_on_stderr(runner):
    result = invoke(runner, "query", "--data", MINI, "--part", "comment")
    assert result.exit_code == 0
    header, rule, row = result.stdout.splitlines()
    assert header.split() == ["claim", "organism", "modality", "cite", "fidelity", "id"]
    assert row.split("  ")[-1] == "cm-judd-crane-ashwagandha-signalling"
    assert "ashwagandha decreases the signalling of 5-HT1A receptor" in row and "comment" in row
    assert result.stderr == "1 claim\n"


def test_query_unknown_term_is_a_clean_error(runner):
    result = invoke(runner, "query", "--data", MINI, "--touches", "lithum")
    assert result.exit_code == 1
    assert result.stderr == "error: no entity matches 'lithum'; did you mean 'lithium'?\n"


def test_bad_option_value_is_a_usage_error(runner):
    result = invoke(runner, "query", "--data", MINI, "--direction", "sideways")
    assert result.exit_code == 2
    assert "Invalid value for '--direction'" in result.stderr


def test_csv_neutralises_formulas(runner, mini):
    ents = mini / "entities.jsonl"
    ents.write_text(ents.read_text(encoding="utf-8").replace('"label": "lithium"', '"label": "=HYPERLINK(1)"'),
                    encoding="utf-8")
    result = invoke(runner, "query", "--data", mini, "--subject", "lithium", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["subject_label"] == "'=HYPERLINK(1)"


def test_show_claim(runner):
    result = invoke(runner, "show", "r22-lithium-autoreceptor-unchanged", "--data", MINI)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "r22-lithium-autoreceptor-unchanged: lithium does not change the sensitivity of 5-HT1A autoreceptor"
    assert '  evidence      "while not changing the autoreceptors"' in lines
    assert any(line.startswith("  reference     price-1989-lithium: ") and "PMID 2949333" in line for line in lines)


def test_show_unknown_claim(runner):
    result = invoke(runner, "show", "nope", "--data", MINI)
    assert result.exit_code == 1
    assert result.stderr == "error: no claim with id 'nope'\n"
    result = invoke(runner, "show", "r22-lithium-autoreceptor-unchnged", "--data", MINI)
    assert result.exit_code == 1
    assert result.stderr == ("error: no claim with id 'r22-lithium-autoreceptor-unchnged'; did you mean "
                             "'r22-lithium-autoreceptor-unchanged', 'r21-cortisol-autoreceptor-desensitised', "
                             "'r22-lithium-antidepressant'?\n")


def test_stats_json(runner):
    result = invoke(runner, "stats", "--data", MINI, "--format", "json")
    s = json.loads(result.stdout)
    assert s["totals"] == {"entities": 13, "claims": 6, "references": 1, "sources": 1}
    assert s["claims_by_direction"]["no change (negated)"] == 1
    assert s["citations"]["markers_used"] == 3 and s["citations"]["markers_in_sources"] == 44


def test_neighbors_and_path(runner):
    result = invoke(runner, "neighbors", "lithium", "--data", MINI, "--format", "json")
    assert {r["id"] for r in json.loads(result.stdout)} == {"r22-lithium-postsynaptic-sensitivity",
                                                            "r22-lithium-autoreceptor-unchanged"}
    result = invoke(runner, "path", "lithium", "cortisol", "--data", MINI)
    assert result.exit_code == 0
    assert result.stderr == "no path between 'lithium' and 'cortisol' within 4 claims\n"
    result = invoke(runner, "path", "lithium", "cortisol", "--data", MINI, "--include-denials", "--max-hops", "1")
    assert result.stderr == "no path between 'lithium' and 'cortisol' within 1 claim\n"
    result = invoke(runner, "path", "lithium", "cortisol", "--data", MINI, "--include-denials", "-f", "json")
    rows = json.loads(result.stdout)
    assert [(r["kind"], r["relation"]) for r in rows] == [("claim", "no change in sensitivity"),
                                                          ("claim", "decreases sensitivity")]
    result = invoke(runner, "path", "lithium", "htr9z", "--data", MINI)
    assert result.exit_code == 1 and result.stderr == "error: no entity matches 'htr9z'; did you mean 'htr1b', 'htr1a'?\n"


def test_fmt_check_and_rewrite(runner, mini):
    claims = mini / "claims.jsonl"
    canonical = claims.read_bytes()
    claims.write_bytes(canonical.replace(b"\n", b"\r\n"))
    result = invoke(runner, "fmt", "--data", mini, "--check")
    assert result.exit_code == 1
    assert result.stderr == f"{claims}: not canonical (run serokg fmt)\n"
    result = invoke(runner, "fmt", "--data", mini)
    assert result.exit_code == 0 and result.stderr == "reformatted claims.jsonl\n"
    assert claims.read_bytes() == canonical
    result = invoke(runner, "fmt", "--data", mini, "--check")
    assert result.exit_code == 0
    assert result.stderr == f"canonical: entities.jsonl, claims.jsonl, references.jsonl in {mini}\n"


def test_fmt_refuses_invalid_data_and_keeps_it(runner, mini):
    claims = mini / "claims.jsonl"
    claims.write_bytes((FIXTURES / "bad" / "unknown-key.claims.jsonl").read_bytes())
    before = claims.read_bytes()
    result = invoke(runner, "fmt", "--data", mini)
    assert result.exit_code == 1
    assert claims.read_bytes() == before


HEAVY = ("rdflib", "pyvis", "pyshacl", "shacl_rust", "pyoxigraph", "curies", "jinja2")


def test_query_does_not_import_heavy_modules():
    code = (
        "import sys\n"
        "from serokg.cli.main import app\n"
        f"try:\n    app(['query', '--data', {str(MINI)!r}, '--touches', 'autoreceptor', '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(out.stdout)[0]["id"] == "r22-lithium-autoreceptor-unchanged"


def test_console_script_runs_from_another_folder(tmp_path: Path):
    out = subprocess.run(["serokg", "validate", "--data", str(MINI)], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def _on_a_terminal(*args: str, env: dict | None = None) -> tuple[int, str]:
    """Run the console script with stdout and stderr on a pseudo-terminal; (exit code, output)."""
    import os
    import pty

    exe = Path(sys.executable).with_name("serokg")
    main, child = pty.openpty()
    proc = subprocess.Popen([str(exe), *args], stdout=child, stderr=child, stdin=subprocess.DEVNULL,
                            env={**os.environ, "COLUMNS": "80", **(env or {})})
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its side
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def test_report_refuses_to_dump_html_on_a_terminal(tmp_path):
    code, out = _on_a_terminal("report", "--data", str(MINI))
    assert code == 2
    assert "the report is a whole html page, not for a terminal: write it to a file with -o report.html" in out
    assert "<html" not in out
    code, out = _on_a_terminal("report", "--data", str(MINI), "-f", "markdown")
    assert code == 2 and "-o report.md" in out


def test_report_to_a_pipe_still_prints(runner):
    result = invoke(runner, "report", "--data", MINI, "-f", "markdown")
    assert result.exit_code == 0 and result.stdout.startswith("#")


def test_version(runner):
    from importlib.metadata import version

    result = invoke(runner, "--version")
    assert result.exit_code == 0 and result.stdout == f"serokg {version('serokg')}\n"


def test_table_on_a_real_terminal_fits_it():
    code, out = _on_a_terminal("query", "--subject", "lithium", "--data", str(MINI), env={"COLUMNS": ""})
    assert code == 0
    width = 80  # a new pty reports 0 columns; shutil's fallback is 80
    assert max(len(line) for line in out.splitlines()) <= width
