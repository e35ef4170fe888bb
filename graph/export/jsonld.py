"""Streaming JSON-LD: compact node objects under the inlined prefix context, written one piece at a time.

The bytes are those of one ``json.dumps(document, ensure_ascii=False, indent=1)`` of the whole
document (a test holds them equal), but no more than one piece of the N-Triples stream is in
memory.  Every N-Triples string literal our writer makes is also a JSON string with the same value
(the escapes ``\\"`` ``\\\\`` ``\\n`` ``\\r`` ``\\t`` are JSON's); only those holding a ``\\uXXXX``
escape are re-encoded, since ``json.dumps`` writes control characters its own way.

>>> from serokg.graph.read import load
>>> import io, json
>>> buf = io.BytesIO()
>>> write_jsonld(load(), buf) > 0
True
>>> json.loads(buf.getvalue())["@graph"][0]["@id"].startswith("entity:")
True
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from serokg.graph.export.fast import nt_chunks
from serokg.graph.export.serialize import compactor
from serokg.graph.export.terms import _TYPE, _XSD
from serokg.graph.vocab import DEFAULT_BASE, context

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["write_jsonld"]

_XSD_STRING = f"<{_XSD}string>"
# the layout json.dumps(indent=1) gives a node at depth 2 of the document (in "@graph")
_OPEN, _CLOSE = "{\n     ", "\n    }"


class _Names(dict):  # type: ignore[type-arg]
    """``names["<iri>"]`` -> the compact IRI as a JSON string, computed once per piece."""

    def __init__(self, compact: Callable[[str], str]) -> None:
        super().__init__({_TYPE: '"@type"'})
        self.compact = compact

    def __missing__(self, term: str) -> str:
        value = self[term] = json.dumps(self.compact(term[1:-1]), ensure_ascii=False)
        return value


def _string(literal: str) -> str:
    """An N-Triples ``"..."`` as ``json.dumps`` writes its value."""
    return json.dumps(json.loads(literal), ensure_ascii=False) if "\\u" in literal else literal


def _value(o: str, names: _Names) -> str:
    """The JSON-LD value of an N-Triples object term, as it stands in a node's list."""
    if o[0] == "<":
        return f'{_OPEN}"@id": {names[o]}{_CLOSE}'
    if o[0] == "_":
        return f'{_OPEN}"@id": "{o}"{_CLOSE}'
    if o[-1] == ">":
        i = o.rindex('"^^<') + 1
        if o[i + 2:] == _XSD_STRING:
            return _string(o[:i])
        return f'{_OPEN}"@value": {_string(o[:i])},\n     "@type": {names[o[i + 2:]]}{_CLOSE}'
    if o[-1] != '"':
        i = o.rindex('"@') + 1
        return f'{_OPEN}"@value": {_string(o[:i])},\n     "@language": "{o[i + 1:]}"{_CLOSE}'
    return _string(o)


def _nodes(text: str, names: _Names) -> list[str]:
    """The node objects of one piece, in order of first appearance of their subjects."""
    nodes: dict[str, dict[str, list[str]]] = {}
    for line in text.split("\n")[:-1]:  # not splitlines: a literal may hold U+2028
        s, p, o = line.split(" ", 2)
        o = o[:-2]  # " ."
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {}
        key = names[p]
        if key == '"@type"':
            if o[0] == "<":
                node.setdefault(key, []).append(names[o])
                continue
            key = json.dumps(names.compact(p[1:-1]))  # rdf:type of a blank node or literal
        node.setdefault(key, []).append(_value(o, names))
    return [
        "\n  {\n   \"@id\": " + (names[s] if s[0] == "<" else f'"{s}"')
        + "".join(f",\n   {key}: [\n    " + ",\n    ".join(values) + "\n   ]" for key, values in node.items())
        + "\n  }"
        for s, node in nodes.items()
    ]


def write_jsonld(ds: Dataset, out: IO[bytes], base: str = DEFAULT_BASE) -> int:
    """Write compact JSON-LD, the prefix context of ``schema/context.jsonld`` inlined, to ``out``;
    return the statement count.  Each subject is one node (``grouped`` pieces: a claim's direct
    triple is in its subject entity's node)."""
    compact = compactor(base)
    head = json.dumps({**context(base), "@graph": []}, ensure_ascii=False, indent=1)
    out.write(head.removesuffix("[]\n}").encode("utf-8") + b"[")
    n, first = 0, True
    for chunk in nt_chunks(ds, base, grouped=True):
        n += chunk.statements
        nodes = _nodes(chunk.text.decode("utf-8"), _Names(compact))
        if nodes:
            out.write(("" if first else ",").encode() + ",".join(nodes).encode("utf-8"))
            first = False
    out.write(b"]\n}\n" if first else b"\n ]\n}\n")
    return n
