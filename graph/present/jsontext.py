"""JSON text as the commands print it: ``json.dumps(..., ensure_ascii=False)`` byte for byte, made
fast, with the characters a terminal would act on written as ``\\uXXXX``.

An indented list is its items, each indented one level, joined by ``,\\n`` inside ``[\\n`` and
``\\n]``; :func:`list_item` renders one item that way, so a list of stored items is printed by
:func:`join_items` without rendering its records again (the index keeps each claim's item).

>>> items = [list_item({"a": 1}), list_item({"b": [2]})]
>>> join_items(items) == json_text([{"a": 1}, {"b": [2]}], 2)
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["dumps", "join_items", "json_text", "list_item"]

# json.dumps escapes C0 controls but writes C1 and bidi controls raw; \uXXXX is the same string.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Floats Python writes in exponent form are the one case where orjson's text differs from json.dumps'
# (1e-05 vs 1e-5, 1e-05 vs 0.00001): fall back whenever the output could hold one.
_EXPONENT = re.compile(rb"[0-9][eE][-+]?[0-9]|0\.0000")


def dumps(value: Any, indent: int | None) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, byte for byte; through orjson when
    the indent is 2 (json's indenting encoder is pure Python: seconds at 10^5 records).

    >>> dumps({"a": [1, "\u00e9\x01"], "b": {}}, 2) == json.dumps({"a": [1, "\u00e9\x01"], "b": {}},
    ...                                                               ensure_ascii=False, indent=2)
    True
    """
    if indent == 2:
        import orjson

        try:
            raw = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        except (TypeError, orjson.JSONEncodeError):  # a big int, a non-str key...: json's own way
            raw = None
        if raw is not None and not _EXPONENT.search(raw):
            return raw.decode("utf-8")
    return json.dumps(value, ensure_ascii=False, indent=indent)


def json_text(value: Any, indent: int | None) -> str:
    """:func:`dumps`, with C1, DEL and bidi controls escaped (the JSON means the same)."""
    text = dumps(value, indent)
    return text if text.isascii() else _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def list_item(value: Any) -> str:
    """``value`` as it stands inside :func:`json_text` of a list with indent 2 (no separator)."""
    return json_text([value], 2)[2:-2]


def join_items(items: Sequence[str]) -> str:
    """:func:`json_text` of the list whose :func:`list_item` texts are ``items``."""
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"
