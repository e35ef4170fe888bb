"""Nanopublications: one per claim in the TriG and N-Quads exports, as the nanopub toolkit reads them.

A claim's nanopublication is ``{base}np/{id}`` and its four graphs extend that IRI, the convention
nanopub-rs (PyPI ``nanopub-sign``) expects: ``{base}np/{id}/Head`` (the ``np:Nanopublication``
and its three parts), ``/assertion`` (the direct triple and the claim's own fields),
``/provenance`` (evidence, citation, fidelity, and ``assertion prov:wasDerivedFrom evidence``)
and ``/pubinfo`` (``np dcterms:source`` the article, and ``dcterms:created`` when a creation time
is given).  The creation time is an input, never the clock, so an export is the same bytes on
every run: ``--created`` or ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention).

:func:`sign_dataset` signs every claim's nanopublication with an RSA key (nanopub-rs), which
gives each a trusty URI ``https://w3id.org/np/RA...``; the rest of the export is unchanged.

>>> nanopub_graphs("https://w3id.org/serokg/", "c1")["head"]
'https://w3id.org/serokg/np/c1/Head'
>>> creation_time("2024-05-01T12:00:00+02:00")
'2024-05-01T10:00:00Z'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING

from serokg.errors import SerokgError, UsageError
from serokg.graph.export.terms import _printable

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["NANOPUB_PARTS", "SignedExport", "check_orcid", "creation_time", "nanopub_graphs", "nanopub_iri",
           "read_private_key", "sign_dataset", "split_nanopubs"]

#: The graph of each part of a nanopublication, as a suffix of the nanopublication's IRI.
NANOPUB_PARTS = {"head": "/Head", "assertion": "/assertion", "provenance": "/provenance", "pubinfo": "/pubinfo"}
# nanopub-rs turns a nanopublication under this namespace into https://w3id.org/np/<trusty hash>.
_TEMP_NS = "http://purl.org/nanopub/temp/"


def nanopub_iri(base: str, claim_id: str) -> str:
    """The IRI of a claim's (unsigned) nanopublication."""
    return f"{base}np/{claim_id}"


def nanopub_graphs(base: str, claim_id: str) -> dict[str, str]:
    """The IRI of the nanopublication (``nanopub``) and of each of its four graphs."""
    root = nanopub_iri(base, claim_id)
    return {"nanopub": root, **{part: root + suffix for part, suffix in NANOPUB_PARTS.items()}}


def creation_time(value: str | None = None) -> str | None:
    """The creation time of the nanopublications as an ``xsd:dateTime`` in UTC, or None.

    ``value`` (ISO 8601 with a time zone, or a date) wins; else ``SOURCE_DATE_EPOCH`` (seconds);
    else None: no time is written."""
    if value is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if not epoch:
            return None
        if not epoch.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}")
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--created must be an ISO 8601 time such as 2024-05-01T00:00:00Z, not {value!r}") from None
        if moment.tzinfo is None:
            if "T" in value or " " in value:
                raise UsageError(f"--created needs a time zone (e.g. {value}Z), so the time is not read in local time")
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_ORCID = re.compile(r"^https://orcid\.org/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


def check_orcid(orcid: str) -> str:
    """An ORCID iD as its ``https://orcid.org/`` IRI, with its ISO 7064 check digit verified."""
    m = _ORCID.match(orcid) or _ORCID.match("https://orcid.org/" + orcid)
    if not m:
        raise UsageError(f"an ORCID iD looks like https://orcid.org/0000-0002-1825-0097, not {orcid!r}")
    digits = m.group(1).replace("-", "")
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        raise UsageError(f"{orcid!r} is not an ORCID iD: its check digit is wrong")
    return "https://orcid.org/" + m.group(1)


def read_private_key(path: Path) -> str:
    """The RSA private key in a file (PKCS#8 or PKCS#1 PEM, or the base64 DER of ``~/.nanopub/id_rsa``)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise SerokgError(f"cannot read the signing key {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SerokgError(f"{path} is not a private key file (PEM or base64 text)") from None
    if not text:
        raise SerokgError(f"{path} is empty: expected an RSA private key")
    return text


def split_nanopubs(quads: Iterator[tuple[str, str, str, str | None]]) -> tuple[list[tuple], dict[str, list[tuple]]]:
    """Quads (as N-Triples terms) split into the default graph and one list per nanopublication,
    keyed by the nanopublication's IRI; the graph ``{np}/Head`` names its nanopublication."""
    default: list[tuple] = []
    nanopubs: dict[str, list[tuple]] = {}
    for q in quads:
        g = q[3]
        if g is None:
            default.append(q)
            continue
        root = g[1:-1].rsplit("/", 1)[0]
        nanopubs.setdefault(root, []).append(q)
    return default, nanopubs


@dataclass(frozen=True)
class SignedExport:
    statements: int
    nanopubs: int


def _nquads(quads: list[tuple]) -> str:
    return "".join(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in quads)


def sign_dataset(ds: Dataset, out: IO[bytes], fmt: str, key: str, orcid: str | None, created: str,
                 base: str) -> SignedExport:
    """Write the TriG or N-Quads export with every claim's nanopublication signed by ``key``.

    Each nanopublication is moved to nanopub-rs's temporary namespace, signed (RSA, PKCS#1 v1.5,
    deterministic), and so given its trusty URI; the default graph (entities, references,
    sources) is written as it is."""
    import pyoxigraph as ox
    from nanopub_sign import Nanopub, NpProfile

    from serokg.graph.export.triples import quads as plain_quads
    from serokg.graph.vocab import prefixes_for

    try:
        profile = NpProfile(private_key=key, orcid_id=orcid, name="", introduction_nanopub_uri="")
    except Exception as exc:  # nanopub-rs raises plain Exception on a malformed key
        raise SerokgError(f"the signing key is not an RSA private key nanopub-rs can read ({_printable(str(exc))})") from None
    default, nanopubs = split_nanopubs(plain_quads(ds, base, nanopub=True, created=created))
    fmt_ox = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS

    def signed() -> Iterator[ox.Quad]:
        yield from ox.parse(_nquads(default), format=ox.RdfFormat.N_QUADS)
        for root, quads in nanopubs.items():
            temp = _TEMP_NS + root.rsplit("/", 1)[1] + "/"
            text = _nquads(quads).replace(f"<{root}/", f"<{temp}").replace(f"<{root}>", f"<{temp}>")
            buf = ox.serialize(ox.parse(text, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG)
            try:
                rdf = Nanopub(buf.decode("utf-8")).sign(profile=profile).rdf()
            except Exception as exc:
                raise SerokgError(f"signing the nanopublication of {root} failed: {exc}") from None
            yield from ox.parse(rdf, format=ox.RdfFormat.TRIG)

    counted = _Counted(signed())
    ox.serialize(counted, out, format=fmt_ox, prefixes=prefixes_for(base) if fmt == "trig" else None)
    return SignedExport(counted.n, len(nanopubs))


class _Counted:
    """An iterator that counts what passes through it."""

    def __init__(self, items: Iterator) -> None:
        self.items, self.n = items, 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self):
        item = next(self.items)
        self.n += 1
        return item
