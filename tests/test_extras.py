"""`pip install serokg` is lean; a command that needs an extra says which one to install.

The optional packages are hidden from a real interpreter (``sys.modules[name] = None`` makes
their import fail exactly as on a machine without them), and the real command is run.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from serokg.cli.main import EXTRAS

from conftest import MINI

ROOT = Path(__file__).parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _dist(spec: str) -> str:
    return spec.split(">")[0].split("=")[0].split("[")[0].strip().lower().replace("-", "_")


def test_every_extra_is_declared_and_out_of_the_core():
    extras = PROJECT["optional-dependencies"]
    core = {_dist(s) for s in PROJECT["dependencies"]}
    for module, extra in EXTRAS.items():
        assert module in {_dist(s) for s in extras[extra]}, (module, extra)
        assert module not in core, f"{module} is both a core dependency and in [{extra}]"
    assert set(EXTRAS.values()) | {"all", "test", "dev"} == set(extras)
    assert extras["all"] == [f"serokg[{','.join(sorted(set(EXTRAS.values()), key=list(extras).index))}]"]
    assert "serokg[all]" in extras["test"]


def _without(module: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    code = (f"import sys\nsys.modules[{module!r}] = None\n"
            "from serokg.cli.main import app\n"
            f"app({args!r})\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "id_rsa"
    path.write_text("MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n", encoding="ascii")
    return path


CASES = {
    "pyvis": lambda tmp, key: (["view", "-o", str(tmp / "g.html"), "--data", str(MINI)], "serokg view"),
    "shacl_rust": lambda tmp, key: ([], "serokg validate"),  # the RDF file is made in the test
    "nanopub_sign": lambda tmp, key: (["export", "-f", "trig", "--data", str(MINI), "--created",
                                       "2025-01-31T00:00:00Z", "--sign-key", str(key), "-o", str(tmp / "s.trig")],
                                      "serokg export"),
}


@pytest.mark.parametrize("module", sorted(EXTRAS))
def test_a_command_without_its_extra_names_the_pip_command(module, tmp_path, key):
    args, who = CASES[module](tmp_path, key)
    if module == "shacl_rust":  # an RDF file to check: the bundled export of the fixture
        ttl = tmp_path / "mini.ttl"
        from typer.testing import CliRunner

        from serokg.cli.main import app

        assert CliRunner().invoke(app, ["export", "--data", str(MINI), "-o", str(ttl)]).exit_code == 0
        args = ["validate", "--rdf", str(ttl)]
    out = _without(module, args, tmp_path)
    assert out.returncode == 1, out.stderr
    assert out.stderr == f"error: {who} needs {module}, which is not installed: pip install 'serokg[{EXTRAS[module]}]'\n"
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert not [p.name for p in tmp_path.iterdir() if p.suffix in (".html", ".trig")]  # nothing half-written


def test_the_core_commands_need_no_extra(tmp_path):
    hide = "".join(f"sys.modules[{m!r}] = None\n" for m in EXTRAS)
    code = ("import sys\n" + hide + "from serokg.cli.main import app\n"
            "for args in (['acting-on', 'autoreceptor'], ['query', '--touches', 'autoreceptor'], ['conflicts'],\n"
            f"             ['report', '-o', {str(tmp_path / 'r.html')!r}], ['export', '-o', {str(tmp_path / 'x.ttl')!r}],\n"
            "             ['sparql', 'ASK { ?s ?p ?o }']):\n"
            "    try:\n        app(args)\n    except SystemExit as exc:\n        assert not exc.code, (args, exc.code)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert out.returncode == 0, out.stderr
