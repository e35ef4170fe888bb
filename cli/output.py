"""Turn records into text: an aligned table for people, JSON / JSONL / CSV for pipes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Sequence
from typing import Any

from serokg.cli.options import OutFormat

__all__ = ["render", "safe_cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


Column = str | tuple[str, str]  # a key, or (key, header)


def _fit_widths(natural: list[int], room: int) -> list[int]:
    """Share ``room`` among columns: narrow ones keep their width, wide ones split the rest
    evenly (never below 6).  The first column (the id people copy) is never cut."""
    widths = list(natural)
    rest = room - widths[0]
    todo = sorted(range(1, len(widths)), key=lambda i: natural[i])
    while todo:
        share = max(6, rest // len(todo))
        i = todo.pop(0)
        widths[i] = min(natural[i], share)
        rest -= widths[i]
    return widths


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    if not rows:
        return ""
    keys = [c if isinstance(c, str) else c[0] for c in columns]
    headers = [c if isinstance(c, str) else c[1] for c in columns]
    cells = [[safe_text(r.get(k)) for k in keys] for r in rows]
    natural = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    room = shutil.get_terminal_size((160, 24)).columns - 2 * (len(natural) - 1)
    widths = natural if sum(natural) <= room else _fit_widths(natural, room)

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "…"

    lines = ["  ".join(fit(h, w).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(fit(cell, w).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def safe_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())  # one line per row, whatever the text holds


def render(records: Sequence[dict[str, Any]], fmt: OutFormat, columns: Sequence[Column]) -> str:
    """``columns`` picks the table's columns: flattened keys like ``citation.marker``, or
    ``(key, header)`` pairs.  JSON keeps whole records, CSV flattens them."""
    if fmt is OutFormat.json:
        return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"
    if fmt is OutFormat.jsonl:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    flat = [_flat(r) for r in records]
    if fmt is OutFormat.csv:
        names: list[str] = []
        for row in flat:
            names += [k for k in row if k not in names]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        for row in flat:
            writer.writerow([safe_cell(row.get(n)) for n in names])
        return buf.getvalue()
    return _table(flat, columns)
