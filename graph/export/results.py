"""SPARQL results: one model for the embedded store's and a remote store's answers, validated
parsing of what a server sends, and the W3C results formats.

* :func:`from_oxigraph` turns a pyoxigraph answer into :class:`Results`.
* :func:`parse_answer` reads a server's body by its content type (SPARQL 1.1 Query Results JSON
  or XML, TSV; N-Triples, Turtle, RDF/XML for CONSTRUCT and DESCRIBE) with pyoxigraph's strict
  parsers plus the checks they skip (a JSON document must have ``head``); anything malformed
  is a one-line :class:`~serokg.errors.RemoteError`, never a wrong answer.
* :func:`to_json`, :func:`to_csv`, :func:`to_tsv` write the W3C formats; :func:`to_rdf`
  writes a graph answer as N-Triples or Turtle.

>>> import pyoxigraph as ox
>>> r = from_oxigraph(ox.Store().query("SELECT ?x { VALUES ?x { <http://e/a> 'b'@en } }"))
>>> to_csv(r)
'x\\r\\nhttp://e/a\\r\\nb\\r\\n'
>>> to_tsv(r)
'?x\\n<http://e/a>\\n"b"@en\\n'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from serokg.errors import RemoteError, UsageError

__all__ = ["Results", "Term", "from_oxigraph", "parse_answer", "to_csv", "to_json", "to_rdf", "to_tsv"]

_BNODE = re.compile(r"[A-Za-z0-9_](?:[\w.-]*[\w-])?")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RESULTS_TYPES = {"application/sparql-results+json": "JSON", "application/json": "JSON",
                 "application/sparql-results+xml": "XML", "text/tab-separated-values": "TSV"}
GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE",
               "application/x-turtle": "TURTLE", "application/rdf+xml": "RDF_XML"}
ACCEPT = {"results": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
          "graph": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"}


@dataclass(frozen=True)
class Term:
    """An RDF term as the results formats see it: ``kind`` is uri, literal, bnode or triple."""

    kind: str
    value: str | tuple[Term, Term, Term]
    lang: str | None = None
    datatype: str | None = None

    @property
    def text(self) -> str:
        """The plain text people read: an IRI, a literal's lexical form, ``_:label``."""
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.kind == "triple":
            return " ".join(t.text for t in self.value)  # type: ignore[union-attr]
        return self.value  # type: ignore[return-value]

    @property
    def nt(self) -> str:
        """N-Triples / SPARQL TSV syntax."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.kind == "triple":
            return "<< " + " ".join(t.nt for t in self.value) + " >>"  # type: ignore[union-attr]
        text = '"' + (self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")  # type: ignore[union-attr]
                      .replace("\r", "\\r").replace("\t", "\\t")) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        return text if self.datatype in (None, XSD_STRING) else f"{text}^^<{self.datatype}>"

    def as_json(self) -> dict[str, Any]:
        if self.kind == "triple":
            s, p, o = self.value  # type: ignore[misc]
            return {"type": "triple", "value": {"subject": s.as_json(), "predicate": p.as_json(),
                                                "object": o.as_json()}}
        out: dict[str, Any] = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.kind == "literal" and self.datatype not in (None, XSD_STRING):
            out["datatype"] = self.datatype
        return out


@dataclass(frozen=True)
class Results:
    """A query's answer: ``form`` is SELECT, ASK or CONSTRUCT (DESCRIBE answers as CONSTRUCT)."""

    form: str
    variables: tuple[str, ...] = ()
    bindings: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)  # pyoxigraph Triples

    @property
    def columns(self) -> tuple[str, ...]:
        return {"SELECT": self.variables, "ASK": ("ask",)}.get(self.form, ("s", "p", "o"))

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Plain rows for tables: IRIs, lexical forms, ``_:label``; ``None`` where unbound."""
        if self.form == "ASK":
            return [{"ask": self.boolean}]
        if self.form == "SELECT":
            return [{v: (b[v].text if v in b else None) for v in self.variables} for b in self.bindings]
        return [{k: _term(t).text for k, t in zip("spo", (x.subject, x.predicate, x.object))} for x in self.triples]


def _term(t: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    if isinstance(t, ox.Literal):
        return Term("literal", t.value, t.language, None if t.language else t.datatype.value)
    return Term("triple", (_term(t.subject), _term(t.predicate), _term(t.object)))


def from_oxigraph(answer: Any) -> Results:
    """:class:`Results` from a pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or ``QueryTriples``."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return Results("ASK", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        rows = [{n: _term(sol[n]) for n in names if sol[n] is not None} for sol in answer]
        return Results("SELECT", names, rows)
    return Results("CONSTRUCT", triples=list(answer))


def parse_answer(body: bytes, content_type: str, expect: str | None, shown: str) -> Results:
    """Validate and read a server's answer to a query of form ``expect`` (None: any)."""
    import pyoxigraph as ox

    kind = "graph" if expect in ("CONSTRUCT", "DESCRIBE") else "results" if expect else None
    try:
        if content_type in RESULTS_TYPES and kind in ("results", None):
            fmt = RESULTS_TYPES[content_type]
            if fmt == "JSON":
                body = _check_json(body)
            result = from_oxigraph(ox.parse_query_results(body, format=getattr(ox.QueryResultsFormat, fmt)))
        elif content_type in GRAPH_TYPES and kind in ("graph", None):
            fmt = getattr(ox.RdfFormat, GRAPH_TYPES[content_type])
            result = Results("CONSTRUCT", triples=[q.triple for q in ox.parse(body, format=fmt)])
        else:
            want = {"graph": "RDF triples", "results": "SPARQL results"}.get(kind or "", "SPARQL results")
            raise RemoteError(f"{shown} answered with content type {content_type or 'none'!r}, not {want}")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError, TypeError) as exc:
        if isinstance(exc, RemoteError):
            raise
        raise RemoteError(f"{shown} sent malformed results ({content_type}): {_why(exc)}") from None
    if expect == "ASK" and result.form != "ASK" or expect == "SELECT" and result.form != "SELECT":
        raise RemoteError(f"{shown} answered an {expect} query with {'a boolean' if result.form == 'ASK' else 'rows'}")
    return result


def _why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return text if text and text.isprintable() else exc.__class__.__name__


def _check_json(body: bytes) -> bytes:
    """What the SPARQL 1.1 JSON results grammar requires and pyoxigraph lets pass (``head``), and
    blank-node labels made valid: Virtuoso sends ``nodeID://b10426``, which pyoxigraph refuses
    (a label only names a node within one answer, so a one-to-one renaming loses nothing)."""
    try:
        doc = json.loads(body)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("head"), dict):
        raise ValueError("the document has no 'head' object")  # noqa: TRY004 (a format error, not a type)
    renamed = False
    bindings = doc.get("results", {}).get("bindings") if isinstance(doc.get("results"), dict) else None
    for row in bindings if isinstance(bindings, list) else ():
        for term in row.values() if isinstance(row, dict) else ():
            if isinstance(term, dict) and term.get("type") == "bnode" and isinstance(term.get("value"), str) \
                    and not _BNODE.fullmatch(term["value"]):
                term["value"] = "b" + term["value"].encode("utf-8").hex()
                renamed = True
    return json.dumps(doc).encode("utf-8") if renamed else body


# --- writers ---------------------------------------------------------------------------------------


def _need(results: Results, fmt: str) -> None:
    if results.form == "CONSTRUCT":
        raise UsageError(f"-f {fmt} is for SELECT and ASK results; CONSTRUCT and DESCRIBE give triples: "
                         "use -f ntriples, -f turtle or -f table")


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON."""
    _need(results, "json")
    if results.form == "ASK":
        doc: dict[str, Any] = {"head": {}, "boolean": results.boolean}
    else:
        doc = {"head": {"vars": list(results.variables)},
               "results": {"bindings": [{k: t.as_json() for k, t in b.items()} for b in results.bindings]}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(results: Results, cell: Callable[[str], str] = str) -> str:
    """W3C SPARQL 1.1 CSV results (CRLF lines); ``cell`` may guard each value (spreadsheet formulas)."""
    _need(results, "csv")
    if results.form == "ASK":
        return "true" if results.boolean else "false"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(v) for v in results.variables])  # a server chooses the names
    for b in results.bindings:
        writer.writerow([cell(b[v].text) if v in b else "" for v in results.variables])
    return buf.getvalue()


def to_tsv(results: Results) -> str:
    """W3C SPARQL 1.1 TSV results: terms in N-Triples syntax, so nothing is lost."""
    _need(results, "tsv")
    if results.form == "ASK":
        return "true" if results.boolean else "false"
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines += ["\t".join(b[v].nt if v in b else "" for v in results.variables) for b in results.bindings]
    return "\n".join(lines) + "\n"


def to_rdf(results: Results, fmt: str) -> bytes:
    """A CONSTRUCT or DESCRIBE answer as ``ntriples`` or ``turtle``."""
    import pyoxigraph as ox

    if results.form != "CONSTRUCT":
        raise UsageError(f"-f {fmt} is for CONSTRUCT and DESCRIBE queries; SELECT and ASK give results: "
                         "use -f table, json, csv or tsv")
    target = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
    return ox.serialize(results.triples, format=target) or b""
