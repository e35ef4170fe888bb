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
