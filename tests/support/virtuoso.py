"""A real Virtuoso 7 (Debian's ``virtuoso-opensource``) on 127.0.0.1, with its own ini and
database in a temporary folder, and a user ``serokg`` allowed to update (``SPARQL_UPDATE``).

``scripts/services.sh`` installs the package; without ``virtuoso-t`` the fixture skips.

>>> def test_something(virtuoso_server):  # doctest: +SKIP
...     virtuoso_server.url, virtuoso_server.user, virtuoso_server.password
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.faultproxy import free_port, wait_until_up

__all__ = ["Virtuoso", "virtuoso_server"]

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 1

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    url: str  # http://127.0.0.1:PORT
    user: str
    password: str

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint with login (HTTP Digest only)."""
        return f"{self.url}/sparql-graph-crud-auth"


def _isql(port: int, password: str, sql: str) -> None:
    done = subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", password, f"exec={sql}"],
                          check=False, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed: {(done.stdout + done.stderr)[-500:]}")


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    exe = shutil.which("virtuoso-t")
    if exe is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso is not installed (Debian package virtuoso-opensource; scripts/services.sh installs it)")
    folder: Path = tmp_path_factory.mktemp("virtuoso")
    (folder / "vsp").mkdir()
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http}"

    def failure() -> str:
        log = folder / "virtuoso.log"
        return f"virtuoso-t did not start: {log.read_text(errors='replace')[-800:] if log.exists() else ''}"

    try:
        wait_until_up(f"{url}/sparql?query=ASK%7B%7D", proc, 120, failure)
        dba = secrets.token_hex(8)
        _isql(sql, "dba", f"USER_CHANGE_PASSWORD('dba', 'dba', '{dba}');")
        password = "pw-" + secrets.token_hex(8)
        _isql(sql, dba, f"DB.DBA.USER_CREATE('serokg', '{password}'); GRANT SPARQL_UPDATE TO \"serokg\";")
        yield Virtuoso(url, "serokg", password)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
