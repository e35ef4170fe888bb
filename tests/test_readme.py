"""The README stays true: its counts are the data's, and its test command is what CI runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _updater():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_counts_block_is_current():
    assert _updater().updated(README) == README, "run python scripts/update_readme.py"


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    block = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[1] == "bash scripts/test.sh"
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_python_example_runs(capsys):
    code = README.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("lithium-affects-htr1a-autoreceptor lithium None rat R22") for line in lines)


def test_cli_examples_name_real_commands_and_claims():
    from serokg.graph.read import load

    ds = load()
    for line in README.splitlines():
        if line.startswith("serokg show "):
            assert line.split()[2] in ds.claims
