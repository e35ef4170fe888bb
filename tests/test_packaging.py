"""The wheel: one top-level package, the bundled data and schema files inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    (path,) = out.glob("serokg-*.whl")
    return zipfile.ZipFile(path)


def test_only_serokg_at_the_top(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"serokg"}


def test_bundled_data_and_schema_ship(wheel):
    names = set(wheel.namelist())
    tracked = subprocess.run(["git", "ls-files", "data", "schema", "graph", "cli"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    wanted = {f"serokg/{p}" for p in tracked}
    assert wanted <= names, sorted(wanted - names)
    assert "serokg/data/claims.jsonl" in names and "serokg/data/sources/selfhacked-5ht1a.txt" in names


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel.filename],
                   check=True, capture_output=True)
    code = ("import serokg, sys; ds = serokg.load(); print(serokg.__file__); print(len(ds.claims))\n"
            "from serokg.cli.main import app; app(['validate'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    where, count, valid = out.stdout.splitlines()
    assert where.startswith(str(target))
    bundled = (ROOT / "data" / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    assert int(count) == sum(1 for line in bundled if line.strip())
    assert valid.startswith("valid: ") and str(target) in valid


def test_every_imported_library_is_a_declared_dependency():
    """A module imported by the package but installed only by accident here (click, once) breaks
    `pip install .` on a fresh machine."""
    import ast
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # dev: maintainer-only commands; view, shacl, sign: the extras a command names when missing
    wanted = project["dependencies"] + extras["dev"] + extras["view"] + extras["shacl"] + extras["sign"]
    # distribution names as the import system spells them (shacl-rust -> shacl_rust)
    declared = {name.split(">")[0].split("=")[0].split("[")[0].strip().lower().replace("-", "_") for name in wanted}
    provided_by = {"pydantic_core": "pydantic"}  # installed with the package named
    imported: dict[str, str] = {}
    for folder in ("serokg", "schema", "graph", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                         else [])
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top != "serokg":
                        imported.setdefault(provided_by.get(top, top).lower(), str(path.relative_to(ROOT)))
    missing = {lib: where for lib, where in imported.items() if lib not in declared}
    assert not missing, f"imported but not in [project] dependencies: {missing}"
