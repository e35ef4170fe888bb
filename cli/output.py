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


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return ""
    width = shutil.get_terminal_size((160, 24)).columns
    cells = [[safe_text(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    # Shrink the widest columns until the table fits the terminal (never below 12 characters);
    # the first column is the id people pass to other commands, so it is never cut.
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths[1:], default=0) > 12:
        i = 1 + widths[1:].index(max(widths[1:]))
        widths[i] -= 1
    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: w - 1] + "…"
    lines = ["  ".join(fit(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip()]
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


def render(records: Sequence[dict[str, Any]], fmt: OutFormat, columns: Sequence[str]) -> str:
    """``columns`` picks the table's columns (flattened names like ``citation.marker``);
    JSON keeps whole records, CSV flattens them."""
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
