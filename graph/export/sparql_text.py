"""What a SPARQL request is, read from its tokens: its form and whether it names ``SERVICE``.

A tokenizer after the SPARQL 1.1 grammar's terminals: strings (all four quotings), IRIs,
comments, variables, prefixed names and blank-node labels are single tokens, so a keyword is
only found where the grammar has one (``"SERVICE"`` in a literal, ``<…/SERVICE>``, ``?service``
or ``ex:SERVICE`` are not the keyword).

>>> form("PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE 'SERVICE' }")
'SELECT'
>>> uses_service("SELECT * { ?s ex:SERVICE 'SERVICE' }  # SERVICE")
False
>>> uses_service("select * { service <http://x/sparql> { ?s ?p ?o } }")
True
>>> form("INSERT DATA { <a:b> <a:c> <a:d> }")
'INSERT'
"""

from __future__ import annotations

import re

__all__ = ["QUERY_FORMS", "UPDATE_FORMS", "form", "tokens", "uses_service"]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_PN = r"[^\W\d][\w.\-\u00b7\u0300-\u036f\u203f\u2040]*"
_TOKEN = re.compile(
    r'''(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')'''
    r'''|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'''
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)"
    r"|(?P<bnode>_:[\w.\-]+)"
    rf"|(?P<pname>(?:{_PN})?:(?:[\w:%.\-\\]|\\.)*)"
    rf"|(?P<word>{_PN})"
    r"|(?P<other>\S)",
    re.DOTALL,
)


def tokens(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` pairs, comments left out; kinds as in the group names above."""
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(text) if m.lastgroup != "comment"]  # type: ignore[misc]


def form(text: str) -> str | None:
    """The request's form in capitals (``SELECT``, ``CONSTRUCT``, ``INSERT``...), or ``None``
    when it starts with something else (the engine then reports the syntax error)."""
    for kind, tok in tokens(text):
        if kind == "word" and tok.upper() in ("BASE", "PREFIX"):
            continue
        if kind in ("iri", "pname"):  # the arguments of BASE and PREFIX
            continue
        if kind == "word":
            word = tok.upper()
            return word if word in QUERY_FORMS + UPDATE_FORMS else None
        return None
    return None


def uses_service(text: str) -> bool:
    """Whether the query holds the ``SERVICE`` keyword (a federated call over the network)."""
    return any(kind == "word" and tok.upper() == "SERVICE" for kind, tok in tokens(text))
