"""Shared fixtures: paths to the fixture data folders and a CLI runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True, scope="session")
def _private_index_cache(tmp_path_factory) -> None:
    """The indexes commands build on first use go to a folder of this run, not the user's cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small valid data folder, safe to modify."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A real `oxigraph serve` on 127.0.0.1 with an empty store; its base URL.  One per test module."""
    from support.faultproxy import free_port, wait_until_up

    exe = shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server (PyPI package 'oxigraph') is not installed")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"

    def failure() -> str:
        proc.kill()
        return f"oxigraph serve did not start: {proc.stderr.read().decode()[-500:]}"

    wait_until_up(f"{url}/query?query=ASK%7B%7D", proc, 30, failure, poll=0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
