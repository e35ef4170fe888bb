"""Every claim of the TriG and N-Quads exports is a nanopublication that the nanopub toolkit
(nanopub-rs, PyPI ``nanopub-sign``) accepts, unsigned and signed, and the exports still read back
to the same records."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from nanopub_sign import KeyPair, Nanopub
from typer.testing import CliRunner

from serokg.cli.main import app
from serokg.graph.export import export, quads, read_rdf, write_nt
from serokg.graph.export.nanopub import creation_time, nanopub_graphs, sign_dataset, split_nanopubs
from serokg.graph.read import load

from conftest import MINI

runner = CliRunner()
CREATED = "2025-01-31T00:00:00Z"
ORCID = "https://orcid.org/0000-0002-1825-0097"  # ORCID's own documented example iD


@pytest.fixture(scope="module")
def bundled():
    return load()


@pytest.fixture(scope="module")
def key_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "id_rsa"
    path.write_text(KeyPair().private, encoding="ascii")
    return path


def nanopubs_of(data: bytes, fmt: str) -> dict[str, str]:
    """Each nanopublication of an export as its own TriG document (its four graphs only)."""
    parsed = ox.parse(data, format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)
    groups: dict[str, list[ox.Quad]] = {}
    for q in parsed:
        if isinstance(q.graph_name, ox.NamedNode):
            groups.setdefault(q.graph_name.value.rsplit("/", 1)[0], []).append(q)
    return {root: ox.serialize(qs, format=ox.RdfFormat.TRIG).decode() for root, qs in groups.items()}


def _export(ds, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    export(ds, fmt, buf, **kw)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_every_claim_of_the_bundled_data_is_a_valid_nanopublication(bundled, fmt):
    docs = nanopubs_of(_export(bundled, fmt), fmt)
    expected = {nanopub_graphs("https://w3id.org/serokg/", cid)["nanopub"] for cid in bundled.claims}
    assert set(docs) == expected
    for root, trig in docs.items():
        info = Nanopub(trig).check().info()  # raises on an invalid nanopublication
        assert info["uri"]["value"] == root
        assert info["assertion"]["value"] == root + "/assertion"
        assert info["head"]["value"] == root + "/Head"
        assert info["trusty_hash"] == "" and info["signature"] == ""


def test_the_toolkit_check_can_fail():
    """The same check refuses a nanopublication whose provenance graph is missing."""
    trig = next(iter(nanopubs_of(_export(load(MINI), "trig"), "trig").values()))
    broken = "\n".join(line for line in trig.splitlines() if "hasProvenance" not in line)
    with pytest.raises(Exception):
        Nanopub(broken).check()


def test_graph_names_extend_the_nanopub_iri_with_another_base():
    ds = load(MINI)
    base = "http://example.org/kg/"
    docs = nanopubs_of(_export(ds, "nquads", base=base), "nquads")
    assert set(docs) == {f"{base}np/{cid}" for cid in ds.claims}
    for trig in docs.values():
        Nanopub(trig).check()


def test_creation_time_is_an_input_and_dated_in_pubinfo(monkeypatch):
    ds = load(MINI)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert creation_time(None) is None
    assert b"/created>" not in _export(ds, "nquads")
    dated = _export(ds, "nquads", created=CREATED)
    lines = [ln for ln in dated.decode().splitlines() if "/created>" in ln]
    assert len(lines) == len(ds.claims)
    claim = next(iter(ds.claims))
    g = nanopub_graphs("https://w3id.org/serokg/", claim)
    assert (f'<{g["nanopub"]}> <http://purl.org/dc/terms/created> '
            f'"{CREATED}"^^<http://www.w3.org/2001/XMLSchema#dateTime> <{g["pubinfo"]}> .') in lines
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738281600")
    assert creation_time(None) == CREATED
    assert creation_time("2025-01-31") == CREATED
    assert creation_time("2025-01-31T01:00:00+01:00") == CREATED


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_signed_nanopublications_pass_the_toolkit_check(bundled, key_file, fmt):
    buf = io.BytesIO()
    result = sign_dataset(bundled, buf, fmt, key_file.read_text(), ORCID, CREATED, "https://w3id.org/serokg/")
    assert result.nanopubs == len(bundled.claims)
    docs = nanopubs_of(buf.getvalue(), fmt)
    assert len(docs) == len(bundled.claims)
    for root, trig in docs.items():
        assert root.startswith("https://w3id.org/np/RA")
        info = Nanopub(trig).check().info()
        assert info["uri"]["value"] == root
        assert info["trusty_hash"] == root.removeprefix("https://w3id.org/np/")
        assert info["signature"] and info["orcid"] == ORCID
        assert f'<{root}> <http://purl.org/dc/terms/created> "{CREATED}"' in \
            ox.serialize(ox.parse(trig, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS).decode()
    back = read_rdf(buf.getvalue(), fmt)
    assert back.claims == bundled.claims
    assert list(back.claims) == list(bundled.claims)
    assert back.entities == bundled.entities and back.references == bundled.references
    assert back.sources == bundled.sources


def test_a_tampered_signed_nanopublication_fails_the_check(key_file):
    buf = io.BytesIO()
    sign_dataset(load(MINI), buf, "trig", key_file.read_text(), None, CREATED, "https://w3id.org/serokg/")
    trig = next(iter(nanopubs_of(buf.getvalue(), "trig").values()))
    assert "sensitivity" in trig
    with pytest.raises(Exception):
        Nanopub(trig.replace("sensitivity", "sensitivitY", 1)).check()


def test_signed_export_is_deterministic_and_conforms(key_file, tmp_path):
    dated = write_nt(load(MINI), io.BytesIO(), dataset=True, created=CREATED)
    outs = []
    for seed in ("0", "12345"):
        target = tmp_path / f"signed-{seed}.nq"
        proc = subprocess.run([sys.executable, "-c", "from serokg.cli.main import run; run()", "export", "-f",
                               "nquads", "--data", str(MINI), "--sign-key", str(key_file), "--created", CREATED,
                               "--orcid", ORCID, "-o", str(target)],
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        # the dated statements, and per nanopublication 4 of the signature and 1 dcterms:creator
        assert proc.stderr == f"exported {dated + 6 * 5} statements as nquads, nanopublications signed to {target}\n"
        outs.append(target.read_bytes())
    assert outs[0] == outs[1]
    result = runner.invoke(app, ["validate", "--rdf", str(tmp_path / "signed-0.nq")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms: ")


def test_unsigned_export_splits_into_one_nanopub_per_claim():
    ds = load(MINI)
    default, nanopubs = split_nanopubs(quads(ds, nanopub=True))
    assert len(nanopubs) == len(ds.claims)
    assert all(len({q[3] for q in qs}) == 4 for qs in nanopubs.values())
    assert all(q[3] is None for q in default)


# --- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["-f", "trig", "--sign-key", "KEY"], "signing needs a creation time, so that the signed export is "
                                          "reproducible: give --created (e.g. 2025-01-31T00:00:00Z) or set "
                                          "SOURCE_DATE_EPOCH"),
    (["-f", "turtle", "--created", CREATED], "--created, --sign-key and --orcid apply to the nanopublications of "
                                             "-f trig and -f nquads"),
    (["-f", "trig", "--created", "yesterday"], "--created must be an ISO 8601 time such as 2024-05-01T00:00:00Z, "
                                               "not 'yesterday'"),
    (["-f", "trig", "--created", "2025-01-31T00:00:00"], "--created needs a time zone (e.g. 2025-01-31T00:00:00Z), "
                                                         "so the time is not read in local time"),
    (["-f", "trig", "--created", CREATED, "--sign-key", "KEY", "--orcid", "0000-0002-1825-0098"],
     "'0000-0002-1825-0098' is not an ORCID iD: its check digit is wrong"),
    (["-f", "trig", "--created", CREATED, "--orcid", ORCID], "--orcid names the signer: give --sign-key too"),
])
def test_cli_signing_usage_errors(args, message, key_file, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    args = [str(key_file) if a == "KEY" else a for a in args]
    result = runner.invoke(app, ["export", "--data", str(MINI), *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value: {message}" in " ".join(result.stderr.split())


def test_cli_bad_key_file_is_a_clean_error(tmp_path):
    bad = tmp_path / "key"
    bad.write_text("not a key\n")
    out = tmp_path / "out.trig"
    result = runner.invoke(app, ["export", "--data", str(MINI), "-f", "trig", "--created", CREATED,
                                 "--sign-key", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the signing key is not an RSA private key nanopub-rs can read (")
    assert "\n" not in result.stderr.rstrip("\n")
    assert not out.exists()
