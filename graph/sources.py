"""Read ``sources/``: each ``*.meta.json``, the text it names and its citation-markers file.

Every file is confined to a regular file inside the sources folder, no larger than a cap, and
opened without blocking (a FIFO or a device named by a downloaded data folder cannot hang or
exhaust ``validate``).  Both JSON files are validated by pydantic models and every problem is
reported at the line of the field it concerns, like the JSONL files: duplicate keys, lone
surrogates, duplicate source ids and markers, offsets outside the text.

>>> from serokg.graph.read import bundled_data_dir
>>> problems = []
>>> sources, texts, markers = read_sources(bundled_data_dir() / "sources", problems)
>>> problems, markers["selfhacked-5ht1a"][:2]
([], ('R01', 'R02'))
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError

from serokg.errors import DataProblem
from serokg.schema.models import Source
from serokg.schema.sources import MarkersFile

__all__ = ["MAX_JSON_BYTES", "MAX_TEXT_BYTES", "read_sources"]

MAX_TEXT_BYTES = 64 * 2**20  #: a source text larger than this is refused (the article is 40 KB)
MAX_JSON_BYTES = 16 * 2**20  #: the same for a meta or markers file


class _Refused(Exception):
    """A file that may not be read, with the reason as the message."""


def _read_inside(folder: Path, name: str, cap: int) -> bytes:
    """The bytes of the regular file ``name`` inside ``folder``; :class:`_Refused` otherwise."""
    if PurePath(name).is_absolute():
        raise _Refused(f"{name!r} is an absolute path: name a file inside {folder}")
    if ".." in PurePath(name).parts:
        raise _Refused(f"{name!r} leaves the folder {folder}")
    real_folder = os.path.realpath(folder)
    real = os.path.realpath(folder / name)
    if os.path.commonpath([real_folder, real]) != real_folder:
        raise _Refused(f"{name!r} leads outside the folder {folder} (through a symlink)")
    try:  # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _Refused(f"cannot read {name!r}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(f"{name!r} is not a regular file")
        try:
            data = handle.read(cap + 1)
        except OSError as exc:
            raise _Refused(f"cannot read {name!r}: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise _Refused(f"{name!r} is larger than {cap:,} bytes, the most a source file may be")
    return data


# --- JSON with the line of every value -----------------------------------------------------
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|\s+', re.DOTALL)


def _scan(text: str) -> tuple[dict[tuple, int], list[tuple[tuple, int]]]:
    """Line of each value by its path (``("markers", 3, "offset")``), and duplicate keys found.

    Runs only on text ``json.loads`` accepted, so it can trust the structure.
    """
    lines: dict[tuple, int] = {}
    duplicates: list[tuple[tuple, int]] = []
    stack: list[list[Any]] = []  # [kind, path, index or key, keys seen, expecting a key]
    line = 1
    for match in _TOKEN.finditer(text):
        tok = match.group()
        first = tok[0]
        if first.isspace():
            line += tok.count("\n")
            continue
        top = stack[-1] if stack else None
        if first == '"' and top is not None and top[0] == "{" and top[4]:
            try:
                key = json.loads(tok)
            except ValueError:
                key = tok
            if key in top[3]:
                duplicates.append((top[1] + (key,), line))
            top[3].add(key)
            top[2], top[4] = key, False
            continue
        if first in ":":
            continue
        if first == ",":
            if top[0] == "[":
                top[2] += 1
            else:
                top[4] = True
            continue
        if first in "}]":
            stack.pop()
            continue
        path = () if top is None else top[1] + (top[2],)
        lines.setdefault(path, line)
        if first == "{":
            stack.append(["{", path, None, set(), True])
        elif first == "[":
            stack.append(["[", path, 0, set(), False])
    return lines, duplicates


def _line_of(lines: dict[tuple, int], loc: tuple) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _surrogates(value: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Paths of strings (keys or values) holding a lone surrogate, which UTF-8 cannot write."""
    found, todo = [], [(path, value)]
    while todo:
        where, v = todo.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                found.append((where, v))
        elif isinstance(v, dict):
            for k, sub in v.items():
                todo.append(((*where, k), k))
                todo.append(((*where, k), sub))
        elif isinstance(v, list):
            todo.extend(((*where, i), sub) for i, sub in enumerate(v))
    return sorted(found, key=lambda x: str(x[0]))


def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(file)"


def _read_json(file: str, raw: bytes, model: type[BaseModel], problems: list[DataProblem]
               ) -> tuple[BaseModel | None, dict[tuple, int]]:
    """Validate one JSON document; every problem at its line.  The record, and the value lines."""
    from serokg.graph.read import _field_of, _message

    start = len(problems)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(DataProblem(file, raw[:exc.start].count(b"\n") + 1, "", f"not valid UTF-8 (byte {exc.start + 1})"))
        return None, {}
    try:
        doc = json.loads(text)
    except RecursionError:
        problems.append(DataProblem(file, 1, "", "JSON nested too deeply"))
        return None, {}
    except json.JSONDecodeError as exc:
        problems.append(DataProblem(file, exc.lineno, "", f"not valid JSON: {exc.msg} (column {exc.colno})"))
        return None, {}
    except ValueError as exc:  # e.g. an integer with too many digits
        problems.append(DataProblem(file, 1, "", f"not valid JSON: {exc}"))
        return None, {}
    lines, duplicates = _scan(text)
    for loc, line in duplicates:
        problems.append(DataProblem(file, line, _field(loc), f"duplicate key {loc[-1]!r}"))
    for loc, value in _surrogates(doc):
        problems.append(DataProblem(file, _line_of(lines, loc), _field(loc),
                                    f"{value!r} holds a lone surrogate, which is not a character"))
    if not isinstance(doc, dict):
        problems.append(DataProblem(file, 1, "", f"expected a JSON object, got {type(doc).__name__}"))
    if len(problems) > start:
        return None, lines
    try:
        return model.model_validate(doc), lines
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc, message = tuple(err["loc"]), _message(err)
            if not loc and re.match(r"^\w+\.\d+: ", message):  # a whole-file rule naming its item
                where, message = message.split(": ", 1)
                loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
            problems.append(DataProblem(file, _line_of(lines, loc), _field_of(loc), message))
        return None, lines


def _id_in(raw: bytes) -> str:
    """The ``id`` a broken meta file gives, as well as it can be made out ('' if none)."""
    found = re.search(rb'"id"\s*:\s*"([a-z0-9-]{1,120})"', raw)
    return found.group(1).decode() if found else ""


def read_sources(folder: Path, problems: list[DataProblem], required: bool = True,
                 invalid_ids: set[str] | None = None
                 ) -> tuple[dict[str, Source], dict[str, str], dict[str, tuple[str, ...]]]:
    """Sources by id, their texts, and their citation markers (in reading order).

    A missing folder is a problem only when ``required`` (some claim quotes a source).  Ids of
    sources reported broken go to ``invalid_ids``, so that claims quoting them are not reported
    a second time as quoting an unknown source.
    """
    invalid = invalid_ids if invalid_ids is not None else set()
    sources: dict[str, Source] = {}
    texts: dict[str, str] = {}
    markers: dict[str, tuple[str, ...]] = {}
    first_file: dict[str, str] = {}
    try:
        metas = sorted(p for p in folder.iterdir() if p.name.endswith(".meta.json"))
    except OSError as exc:
        if required or not isinstance(exc, FileNotFoundError):
            problems.append(DataProblem(str(folder), 0, "", f"cannot read the sources folder: {exc.strerror or exc}"))
        return sources, texts, markers
    for meta in metas:
        file = str(meta)
        try:
            raw = _read_inside(folder, meta.name, MAX_JSON_BYTES)
        except _Refused as exc:
            problems.append(DataProblem(file, 0, "", str(exc)))
            continue
        source, lines = _read_json(file, raw, Source, problems)
        if not isinstance(source, Source):
            invalid.add(_id_in(raw))
            continue
        line = {k: _line_of(lines, (k,)) for k in ("id", "text_file", "markers_file", "sha256", "parts")}
        if source.id in first_file:
            problems.append(DataProblem(file, line["id"], "id",
                                        f"duplicate source id {source.id!r} (first in {first_file[source.id]})"))
            continue
        first_file[source.id] = file
        try:
            data = _read_inside(folder, source.text_file, MAX_TEXT_BYTES)
        except _Refused as exc:
            problems.append(DataProblem(file, line["text_file"], "text_file", str(exc)))
            invalid.add(source.id)
            continue
        if hashlib.sha256(data).hexdigest() != source.sha256:
            problems.append(DataProblem(file, line["sha256"], "sha256", f"does not match {source.text_file}"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(DataProblem(str(folder / source.text_file), data[:exc.start].count(b"\n") + 1, "",
                                        f"not valid UTF-8 (byte {exc.start + 1})"))
            invalid.add(source.id)
            continue
        for part, (a, b) in source.parts.items():
            if not 0 <= a <= b <= len(text):
                problems.append(DataProblem(file, _line_of(lines, ("parts", part)), f"parts.{part}",
                                            f"[{a}, {b}] is not a span of the text (0 to {len(text)} characters)"))
        texts[source.id] = text
        sources[source.id] = source
        if source.markers_file:
            found = _read_markers(folder, source, line["markers_file"], file, len(text), problems)
            if found is not None:
                markers[source.id] = found
    return sources, texts, markers


def _read_markers(folder: Path, source: Source, meta_line: int, meta_file: str, size: int,
                  problems: list[DataProblem]) -> tuple[str, ...] | None:
    try:
        raw = _read_inside(folder, source.markers_file, MAX_JSON_BYTES)  # type: ignore[arg-type]
    except _Refused as exc:
        problems.append(DataProblem(meta_file, meta_line, "markers_file", str(exc)))
        return None
    file = str(folder / source.markers_file)  # type: ignore[operator]
    doc, lines = _read_json(file, raw, MarkersFile, problems)
    if not isinstance(doc, MarkersFile):
        return None
    bad = False
    if doc.source != source.id:
        problems.append(DataProblem(file, _line_of(lines, ("source",)), "source",
                                    f"{doc.source!r} is not the source {source.id!r} whose meta file names it"))
        bad = True
    for i, m in enumerate(doc.markers):
        if m.offset >= size:
            problems.append(DataProblem(file, _line_of(lines, ("markers", i, "offset")), f"markers.{i}.offset",
                                        f"{m.offset} is past the end of the text ({size} characters)"))
            bad = True
    return None if bad else tuple(m.marker for m in doc.markers)
