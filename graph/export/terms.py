"""N-Triples terms as strings: literals, IRIs, the vocabulary's terms, CURIE expansion, entity IRIs."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from serokg.errors import UsageError
from serokg.graph.vocab import (
    DEFAULT_BASE, FIELDS, NS, SK,
)
from serokg.schema.identity import iri_curie
from serokg.schema.models import Entity


if TYPE_CHECKING:
    import curies

__all__ = ["check_base", "doi_iri", "xml_text", "doi_problem", "entity_iris", "xref_converter"]


_RDF, _XSD, _OA = NS["rdf"], NS["xsd"], NS["oa"]
_TYPE = f"<{_RDF}type>"
_FIRST, _REST, _NIL = f"<{_RDF}first>", f"<{_RDF}rest>", f"<{_RDF}nil>"
_XSD_TYPES = {"int": f"{_XSD}nonNegativeInteger", "bool": f"{_XSD}boolean", "year": f"{_XSD}gYear",
              "datetime": f"{_XSD}dateTime"}

# --- N-Triples terms as strings ----------------------------------------------------------------

_ESCAPE = {i: f"\\u{i:04X}" for i in [*range(0x20), 0x7F]}
_ESCAPE.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
# Characters N-Triples forbids inside <...>; they are percent-encoded, as an IRI would have them.
_IRI_UNSAFE = {i: f"%{i:02X}" for i in [*range(0x21), *map(ord, '<>"{}|^`\\'), 0x7F]}


# The characters _ESCAPE rewrites.  Most texts hold none of them, and a regex scan of a clean
# text is ~5x cheaper than str.translate walking it through the escape table.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]').search


def _lit(text: str) -> str:
    return '"' + (text.translate(_ESCAPE) if _NEEDS_ESCAPE(text) else text) + '"'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype}>'


_NEEDS_PERCENT = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]').search  # the keys of _IRI_UNSAFE, as for _lit


def _iri(iri: str) -> str:
    return "<" + (iri.translate(_IRI_UNSAFE) if _NEEDS_PERCENT(iri) else iri) + ">"


_P = {f.model + "." + f.field: f for f in FIELDS}


def _p(model: str, field: str) -> str:
    return "<" + _P[f"{model}.{field}"].iri + ">"


def _sk(name: str) -> str:
    return f"<{SK}{name}>"


_A_CLAIM, _A_ENTITY, _A_REFERENCE, _A_SOURCE = (_sk(n) for n in ("Claim", "Entity", "Reference", "Source"))
_A_EVIDENCE, _A_PART = _sk("Evidence"), _sk("SourcePart")
_A_SPECIFIC = f"<{_OA}SpecificResource>"
_A_QUOTE, _A_POSITION = f"<{_OA}TextQuoteSelector>", f"<{_OA}TextPositionSelector>"
_HAS_SELECTOR, _PREFIX, _SUFFIX = f"<{_OA}hasSelector>", f"<{_OA}prefix>", f"<{_OA}suffix>"
_EVIDENCE, _PART_NAME = _sk("evidence"), _sk("partName")
#: Entity match field -> the SKOS property its identifiers' IRIs are given with.
_MATCH_PROPERTY = {field: f"<{NS['skos']}{kind}Match>" for field, kind in
                   (("xrefs", "exact"), ("close_matches", "close"), ("broad_matches", "broad"),
                    ("related_matches", "related"))}
_SEE_ALSO = f"<{NS['rdfs']}seeAlso>"
_NP = NS["np"]
_NP_TYPE, _NP_ASSERTION = f"<{_NP}Nanopublication>", f"<{_NP}hasAssertion>"
_NP_PROVENANCE, _NP_PUBINFO = f"<{_NP}hasProvenance>", f"<{_NP}hasPublicationInfo>"
_DERIVED = f"<{NS['prov']}wasDerivedFrom>"
_DC_SOURCE, _DC_CREATED = f"<{NS['dcterms']}source>", f"<{NS['dcterms']}created>"
_QUOTE_CONTEXT = 32  # characters of oa:prefix / oa:suffix around a quote


@lru_cache(maxsize=1)
def xref_converter() -> curies.Converter:
    """The curies converter of ``schema/prefixes.json`` (generated from bioregistry; offline)."""
    import curies

    path = Path(__file__).resolve().parents[2] / "schema" / "prefixes.json"
    return curies.load_extended_prefix_map(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _uri_prefixes() -> dict[str, str]:
    return dict(xref_converter().prefix_map)


def _expand(curie: str) -> str | None:
    """``xref_converter().expand(curie)``: the IRI of a CURIE, None if its prefix is unknown.

    Converter.expand rebuilds its whole prefix map on every call (10 µs, as long as writing a
    dozen statements).  This is its lookup with the map built once: the map holds every prefix
    and synonym, and the converter keeps identifiers as they are.  A test holds the two equal."""
    prefix, colon, identifier = curie.partition(":")
    if not colon:  # not a CURIE: let curies say so
        return xref_converter().expand(curie)
    uri_prefix = _uri_prefixes().get(prefix)
    return None if uri_prefix is None else uri_prefix + identifier


def entity_iris(entities: dict[str, Entity], base: str = DEFAULT_BASE) -> dict[str, str]:
    """Entity id -> IRI by the fixed rule of :mod:`serokg.schema.identity`: the standard IRI of the
    entity's exact identifier with its type's prefix (CHEBI for chemicals, UniProt for receptors,
    NCBIGene for genes...), else ``{base}entity/{id}``.  Other identifiers never move it.  Should
    two entities carry the same such identifier (the data tests forbid it), both keep local IRIs
    rather than merge into one node."""
    chosen = {e.id: iri_curie(e) for e in entities.values()}
    shared = Counter(c for c in chosen.values() if c)
    out: dict[str, str] = {}
    for eid, curie in chosen.items():
        iri = _expand(curie) if curie and shared[curie] == 1 else None
        out[eid] = iri or f"{base}entity/{eid}"
    return out


# Characters XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold (C0 controls but tab and newlines, lone
    surrogates, U+FFFE/U+FFFF) replaced by U+FFFD, so RDF/XML and GraphML stay well-formed.

    >>> xml_text("lith\x01ium")
    'lith\ufffdium'
    """
    return _NOT_XML.sub("\ufffd", text)


def _printable(text: str) -> str:
    """``text`` with every unprintable character as its Python escape, for a one-line message."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def check_base(base: str) -> str:
    """``base`` if every IRI made from it is valid (checked by pyoxigraph's IRI parser), else UsageError.

    A base is absolute http(s), ends with ``/`` or ``#`` and holds no ``?`` and no other ``#``,
    so ``{base}claim/{id}`` always names a resource of the data, not a fragment or a query."""
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise UsageError(f"the base IRI must start with http:// or https:// and end with / or #, not {base!r}")
    if "#" in base[:-1] or "?" in base:
        raise UsageError(f"the base IRI {base!r} may hold '#' only as its last character, and no '?'")
    import pyoxigraph as ox

    try:
        ox.NamedNode(base + "claim/x")
    except ValueError as exc:
        raise UsageError(f"the base IRI {base!r} is not a valid IRI ({_printable(str(exc))})") from None
    return base


_check_base = check_base  # the name the mapping modules use


# Characters an IRI path keeps as they are (RFC 3987 iunreserved, sub-delims, ':', '@', '/');
# anything else in a DOI is percent-encoded from its UTF-8 bytes, '%' included.
_IRI_KEEP = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")


def _ucschar(cp: int) -> bool:
    """RFC 3987 ``ucschar``: the non-ASCII characters an IRI may hold unencoded."""
    if cp < 0xA0 or 0xD800 <= cp < 0xF900 or 0xFDD0 <= cp <= 0xFDEF or 0xFFF0 <= cp <= 0xFFFF:
        return False
    if cp >= 0xF0000 or 0xE0000 <= cp < 0xE1000:  # private-use planes, tags
        return False
    return (cp & 0xFFFF) < 0xFFFE


def doi_problem(doi: str) -> str | None:
    """Why ``doi`` cannot be a DOI (a control, surrogate, private-use or non-character), else None."""
    for ch in doi:
        cp = ord(ch)
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE:
            return f"a DOI cannot hold the character {ascii(ch)} (U+{cp:04X})"
    return None


def doi_iri(doi: str) -> str:
    """The ``https://doi.org/`` IRI of a DOI, percent-encoded so that any DOI gives a valid IRI.

    >>> doi_iri("10.1234/50%off#2")
    'https://doi.org/10.1234/50%25off%232'
    """
    prefix = _expand("doi:") or "https://doi.org/"
    return prefix + "".join(ch if ch in _IRI_KEEP or _ucschar(ord(ch)) else
                            "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")) for ch in doi)
