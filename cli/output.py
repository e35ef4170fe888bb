"""Turn records into text: one table renderer for people, JSON / JSONL / CSV for pipes.

Every text meant for a terminal passes through :func:`visible`, so a data file or a server cannot
send escape sequences to it; every CSV cell through :func:`csv_safe`, so a spreadsheet does not
run it as a formula.

>>> visible("a\\x1b]52;c;cHduZWQ=\\x07b")
'a\\\\x1b]52;c;cHduZWQ=\\\\x07b'
>>> csv_safe(" \\r=1+1")
"' \\r=1+1"
>>> print(table([{"claim": "lithium increases the sensitivity of postsynaptic 5-HT1A receptor", "id": "r22"}],
...             ["claim", "id"], width=42), end="")
claim                                  id
-------------------------------------  ---
lithium increases the sensitivity of   r22
postsynaptic 5-HT1A receptor
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

import typer
from serokg.cli.options import OutFormat
from serokg.graph.present.jsontext import json_text

__all__ = ["Column", "count", "csv_safe", "echo", "render", "safe_text", "table", "terminal_width", "visible",
           "write_csv"]

# --- terminal safety -----------------------------------------------------------------------

# C0 controls but tab and newline, DEL, C1 controls, and the bidi controls that reorder what a
# reader sees (LRM/RLM/ALM, embeddings and overrides U+202A-202E, isolates U+2066-2069), plus
# the line and paragraph separators some terminals obey.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character a terminal would obey written out as ``\\x1b``,
    ``\\u202e``...; newlines and tabs stay."""
    return _UNSAFE.sub(_escape, text)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a message or a rendered table for a person, made :func:`visible`."""
    typer.echo(visible(text), err=err, nl=nl)


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 source``, ``2 sources``.

    >>> count(1, "claim"), count(3, "claim"), count(2, "entity", "entities")
    ('1 claim', '3 claims', '2 entities')
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def safe_text(value: Any) -> str:
    """A value as one line of visible text: lists joined with commas, whitespace runs as one space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return visible(" ".join(str(value).split()))


# --- CSV -----------------------------------------------------------------------------------

_FORMULA = frozenset("=+-@|\uff1d\uff0b\uff0d\uff20\uff5c")  # and their fullwidth forms, which spreadsheets fold


def _blank(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs")


def csv_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: a cell that starts with a tab or a
    CR, or whose first character past spaces and controls is ``= + - @ |``, gets a leading ``'``.

    >>> [csv_safe(x) for x in ("=1+1", "\\u00a0@SUM(A1)", "-3", "5-HT1A", None, ["a", "b"])]
    ["'=1+1", "'\\xa0@SUM(A1)", "'-3", '5-HT1A', '', 'a; b']
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text[:1] in ("\t", "\r"):
        return "'" + text
    first = next((ch for ch in text if not _blank(ch)), "")
    return "'" + text if first in _FORMULA else text


def _csv_field(text: str) -> str:
    # Quoted when it holds a separator, a quote or ANY line break: the csv module's default
    # dialect leaves a bare CR unquoted, and readers start a new row there.
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text (RFC 4180 quoting, ``\\n`` line ends) with every cell, header included, :func:`csv_safe`."""
    lines = []
    for cells in [header, *rows]:
        fields = [_csv_field(csv_safe(c)) for c in cells]
        lines.append('""' if fields == [""] else ",".join(fields))
    return "".join(line + "\n" for line in lines)


# --- tables --------------------------------------------------------------------------------

Column = str | tuple[str, str]  # a key, or (key, header); a column headed "id" is an id column
_SEP = "  "


def terminal_width() -> int | None:
    """The width to fit tables to: ``$COLUMNS`` if set, else the terminal's; ``None`` in a pipe
    (tables are then never wrapped nor cut)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return None


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(_char_width(ch) for ch in text)


def _cut(word: str, width: int) -> tuple[str, str]:
    """Split a word too long for its column, after a hyphen when one is in reach."""
    n, used = 0, 0
    while n < len(word) and used + _char_width(word[n]) <= width:
        used += _char_width(word[n])
        n += 1
    n = max(n, 1)
    hyphen = word.rfind("-", 0, n)
    if 0 < hyphen < n - 1:
        n = hyphen + 1
    return word[:n], word[n:]


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap; a word longer than the width is split (only when nothing else fits)."""
    lines: list[str] = []
    cur = ""
    for word in text.split(" "):
        if cur and _width(cur) + 1 + _width(word) <= width:
            cur += " " + word
            continue
        if cur:
            lines.append(cur)
        while _width(word) > width:
            head, word = _cut(word, width)
            lines.append(head)
        cur = word
    lines.append(cur)
    return lines


def _longest_word(text: str) -> int:
    return max((_width(w) for w in text.split(" ")), default=0)


def _share(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Widths between ``floor`` and ``natural`` summing to at most ``room``: narrow columns keep
    their natural width, the wide ones share what is left evenly."""
    widths = list(floor)
    extra = room - sum(floor)
    todo = sorted(range(len(natural)), key=lambda i: natural[i] - floor[i])
    while todo:
        i = todo.pop(0)
        give = min(natural[i] - floor[i], extra // (len(todo) + 1))
        widths[i] += give
        extra -= give
    return widths


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, width: int | None = None,
          header: bool = True, spaced: bool = True) -> str:
    """Rows as an aligned table, fitted to ``width`` (``None``: one line per row, nothing cut).

    Cells wrap at spaces and are never cut; when the table cannot fit, the ``id`` columns (which
    must stay whole to be copied) leave it and follow each row on a line of their own.  Wrapped
    rows are ``spaced`` by a blank line.
    """
    if not rows:
        return ""
    keys = [c if isinstance(c, str) else c[0] for c in columns]
    heads = [c if isinstance(c, str) else c[1] for c in columns] if header else [""] * len(columns)
    cells = [[safe_text(r.get(k)) for k in keys] for r in rows]
    natural = [max(_width(h), *(_width(row[i]) for row in cells)) for i, h in enumerate(heads)]
    if width is None or sum(natural) + len(_SEP) * (len(natural) - 1) <= width:
        return _lines(heads, cells, natural, [], header, width, spaced=False)
    inline = list(range(len(columns)))
    detached: list[int] = []
    floor = [max(_longest_word(h), *(_longest_word(row[i]) for row in cells)) for i, h in enumerate(heads)]

    def room(cols: list[int]) -> int:
        return width - len(_SEP) * (len(cols) - 1)

    if sum(floor[i] for i in inline) > room(inline):
        detached = [i for i in inline if heads[i] == "id" or keys[i] == "id"]
        inline = [i for i in inline if i not in detached] or inline[:1]
        detached = [i for i in detached if i not in inline]
    r = room(inline)
    if sum(floor[i] for i in inline) > r:  # even the longest words do not fit side by side
        return _records(heads, keys, cells, width)
    widths = _share([natural[i] for i in inline], [floor[i] for i in inline], r)
    sub_heads = [heads[i] for i in inline]
    sub_cells = [[row[i] for i in inline] + [f"{heads[i] or keys[i]}: {row[i]}" for i in detached if row[i]]
                 for row in cells]
    return _lines(sub_heads, sub_cells, widths, detached, header, width, spaced=spaced)


def _records(heads: list[str], keys: list[str], cells: list[list[str]], width: int) -> str:
    """The narrow layout: each row as a block of ``column  value`` lines (empty cells left out)."""
    names = [h or k for h, k in zip(heads, keys)]
    label = max(_width(n) for n in names)
    room = max(8, width - label - len(_SEP))
    out: list[str] = []
    for row in cells:
        if out:
            out.append("")
        for name, text in zip(names, row):
            for k, line in enumerate(_wrap(text, room) if text else []):
                out.append(((name if k == 0 else "").ljust(label) + _SEP + line).rstrip())
    return "\n".join(out) + "\n"


def _lines(heads: list[str], cells: list[list[str]], widths: list[int], detached: list[int], header: bool,
           width: int | None, spaced: bool) -> str:
    n = len(widths)

    def block(texts: list[str]) -> list[str]:
        wrapped = [_wrap(t, w) if width is not None else [t] for t, w in zip(texts, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [(w[k] if k < len(w) else "") for w in wrapped]
            out.append(_SEP.join(p + " " * (wd - _width(p)) for p, wd in zip(parts, widths)).rstrip())
        return out

    out: list[str] = []
    if header:
        out += block(heads)
        out.append(_SEP.join("-" * w for w in widths))
    bodies = []
    for row in cells:
        lines = block(row[:n])
        for extra in row[n:]:
            lines += ["  " + x for x in _wrap(extra, width - 2)] if width is not None else ["  " + extra]
        bodies.append(lines)
    spaced = spaced and (bool(detached) or any(len(b) > 1 for b in bodies))
    for i, lines in enumerate(bodies):
        if spaced and i:
            out.append("")
        out += lines
    return "\n".join(out) + "\n"


# --- all formats ---------------------------------------------------------------------------

def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def render(records: Sequence[dict[str, Any]], fmt: OutFormat, columns: Sequence[Column],
           header: Sequence[str] | None = None, width: int | None = None) -> str:
    """``columns`` picks the table's columns: flattened keys like ``citation.marker``, or
    ``(key, header)`` pairs.  JSON keeps whole records; CSV flattens them under ``header`` (the
    command's fixed columns, whatever the result: a record's key outside it is a bug and raises;
    a nested record that is null leaves its columns empty).  Tables fit ``width`` (default:
    :func:`terminal_width`)."""
    if fmt is OutFormat.json:
        return json_text(list(records), 2) + "\n"
    if fmt is OutFormat.jsonl:
        return "".join(json_text(r, None) + "\n" for r in records)
    flat = [_flat(r) for r in records]
    if fmt is OutFormat.csv:
        if header is None:
            names: list[str] = []
            for row in flat:
                names += [k for k in row if k not in names]
        else:
            names = list(header)
            known = set(names)
            for row in flat:
                extra = [k for k, v in row.items() if k not in known and v is not None]
                if extra:
                    raise ValueError(f"CSV columns {extra} are not in the command's header")
        return write_csv(names, [[row.get(n) for n in names] for row in flat])
    return visible(table(flat, columns, width=width if width is not None else terminal_width()))
