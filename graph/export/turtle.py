"""Streaming Turtle: the N-Triples pieces of :func:`~serokg.graph.export.fast.nt_chunks`, one block per subject.

Every N-Triples term is a Turtle term with the same meaning (the same ``IRIREF``, the same
string escapes ``\\"`` ``\\\\`` ``\\n`` ``\\r`` ``\\t`` ``\\uXXXX``), so the literals are copied as
the N-Triples writer escaped them and only the IRIs are shortened: to ``prefix:local`` where the
local part is a plain ``PN_LOCAL``, else left as ``<IRI>``.  Memory is one piece at a time.

>>> from serokg.graph.read import load
>>> import io
>>> buf = io.BytesIO()
>>> write_turtle(load(), buf) > 0
True
>>> buf.getvalue().startswith(b"@prefix sk: <https://w3id.org/serokg/vocab#> .")
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from serokg.graph.export.fast import nt_chunks
from serokg.graph.export.serialize import compactor
from serokg.graph.export.terms import _TYPE
from serokg.graph.vocab import DEFAULT_BASE, prefixes_for

if TYPE_CHECKING:
    from serokg.graph.read import Dataset

__all__ = ["write_turtle"]

# A subset of Turtle's PN_LOCAL (ASCII letters, digits, "_", "-", inner "."): what it leaves out
# (":", "%XX", "\\" escapes, non-ASCII) is written as a full <IRI>, which is always right.
_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z").match


class _Terms(dict):  # type: ignore[type-arg]
    """``terms["<iri>"]`` -> the Turtle term, computed once per piece (then a dict lookup)."""

    def __init__(self, compact: Callable[[str], str]) -> None:
        super().__init__({_TYPE: "a"})
        self.compact = compact

    def __missing__(self, term: str) -> str:
        short = self.compact(term[1:-1])
        value = self[term] = term if short == term[1:-1] else short
        return value


def _blocks(text: str, terms: _Terms) -> str:
    """The N-Triples lines of ``text`` as Turtle: consecutive lines of one subject are one block
    (``;`` between predicates, ``,`` between the objects of one predicate)."""
    out: list[str] = []
    subject = predicate = None
    # split on "\n" only: a literal may hold U+2028 or U+0085, which str.splitlines would cut at
    for line in text.split("\n")[:-1]:
        s, p, o = line.split(" ", 2)
        o = o[:-2]  # " ."
        if o[0] == "<":
            o = terms[o]
        elif o[-1] == ">":  # a typed literal "..."^^<datatype>
            i = o.rindex('"^^<') + 3
            o = o[:i] + terms[o[i:]]
        if s != subject:
            if subject is not None:
                out.append(" .\n\n")
            out += (terms[s] if s[0] == "<" else s, " ", terms[p], " ", o)
            subject, predicate = s, p
        elif p != predicate:
            out += (" ;\n    ", terms[p], " ", o)
            predicate = p
        else:
            out += (" ,\n        ", o)
    if subject is not None:
        out.append(" .\n\n")
    return "".join(out)


def write_turtle(ds: Dataset, out: IO[bytes], base: str = DEFAULT_BASE) -> int:
    """Write the dataset as Turtle to ``out``, one piece at a time; return the statement count.

    The statements are those of the N-Triples export (``grouped``: a claim's direct triple sits in
    its subject entity's block), so every subject is one block."""
    compact = compactor(base, _PN_LOCAL)
    out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes_for(base).items()).encode("utf-8") + b"\n")
    n = 0
    for chunk in nt_chunks(ds, base, grouped=True):
        n += chunk.statements
        out.write(_blocks(chunk.text.decode("utf-8"), _Terms(compact)).encode("utf-8"))
    return n
