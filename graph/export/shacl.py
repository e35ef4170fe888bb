"""SHACL validation of an RDF file against ``schema/shapes.ttl`` (shacl-rust)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from serokg.graph.vocab import prefixes_for
from serokg.graph.export.reader import parse_rdf

if TYPE_CHECKING:

    pass

__all__ = ["ShaclReport", "validate_shacl"]

# --- SHACL -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShaclReport:
    """The outcome of a SHACL validation: ``conforms`` and one readable line per violation."""

    conforms: bool
    violations: tuple[str, ...]
    triples: int

    def text(self) -> str:
        if self.conforms:
            return f"conforms: {self.triples} triples satisfy schema/shapes.ttl"
        lines = [f"does not conform: {len(self.violations)} violation{'s' * (len(self.violations) != 1)}"]
        return "\n".join(lines + [f"  {v}" for v in self.violations])


def _schema_file(name: str) -> Path:
    return Path(__file__).resolve().parents[2] / "schema" / name


def validate_shacl(source: str | Path | bytes, fmt: str | None = None) -> ShaclReport:
    """Validate an RDF file against ``schema/shapes.ttl`` (named graphs merged into one graph).

    pyoxigraph parses every format; shacl-rust validates (the same verdicts as pySHACL on the
    export and on broken files, tests/export/test_shacl.py, about 30x faster)."""
    import shacl_rust

    lines: dict[str, None] = {}
    blanks: dict[str, str] = {}
    for t in parse_rdf(source, fmt):
        lines.setdefault(f"{_nt(t.subject, blanks)} {t.predicate} {_nt(t.object, blanks)} .\n")
    report = shacl_rust.validate("".join(lines), _schema_file("shapes.ttl").read_text(encoding="utf-8"),
                                 data_format="nt", shapes_format="turtle")
    show = _shower()
    out = []
    for r in report["results"]:
        message = "; ".join(r.get("messages") or ["(no message)"])
        value = r.get("value")
        out.append(f"{show(r.get('focusNode'))} {show(r.get('resultPath'))}: {message}"
                   + (f" (value: {show(value)})" if value is not None else ""))
    return ShaclReport(bool(report["conforms"]), tuple(sorted(out)), len(lines))


_GENERATED = re.compile(r"^[0-9a-f]{17,32}$")  # pyoxigraph labels an unlabelled blank node ([] in Turtle) by a random u128 in hex


def _nt(term: Any, blanks: dict[str, str]) -> str:
    """A pyoxigraph term in N-Triples; a blank node the file left unlabelled gets a label by order
    of appearance (``_:anon1``...), so that messages are the same on every run."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode) and _GENERATED.match(term.value):
        label = blanks.get(term.value)
        if label is None:  # "anon" + a number; a label of the file of that form is renamed too
            label = blanks[term.value] = f"anon{len(blanks) + 1}"
        return f"_:{label}"
    if isinstance(term, ox.BlankNode) and re.fullmatch(r"anon\d+", term.value):
        return f"_:{term.value}-"  # keeps the file's own label apart from the generated ones
    return str(term)


def _shower() -> Callable[[str | None], str]:
    """N-Triples term -> the text a person reads: a CURIE where a prefix fits, a literal's value."""
    spaces = sorted(((ns, p) for p, ns in prefixes_for().items()), key=lambda x: -len(x[0]))

    def show(term: str | None) -> str:
        if term is None:
            return "-"
        if term.startswith("<") and term.endswith(">"):
            iri = term[1:-1]
            for ns, p in spaces:
                rest = iri[len(ns):]
                if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", rest or "-"):
                    return f"{p}:{rest}"
            return term
        if term.startswith('"'):
            try:  # the lexical form, unescaped (N-Triples escapes are JSON's, but for \\U)
                return json.loads(term[:term.rindex('"') + 1])
            except ValueError:
                return term
        return term

    return show
