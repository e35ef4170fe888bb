"""The README's Guarantees name the tests that hold them, and those tests exist.

A reference is ``tests/FILE.py::test_name`` or, after one, ``::test_name`` in the same file; a
bare ``tests/FILE.py`` names the whole file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("## Guarantees", 1)[1].split("\n## ", 1)[0]
BULLETS = [b for b in re.split(r"\n- ", "\n" + SECTION.strip()) if b.strip()]
REF = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.name.startswith("test_")}


def _references(bullet: str) -> list[tuple[str, str | None]]:
    refs, current = [], None
    for match in REF.finditer(bullet):
        file, name = match.groups()
        if file is None and name is None:
            continue
        current = file or current
        assert current is not None, f"'::{name}' before any file in: {bullet[:60]}"
        refs.append((current, name))
    return refs


def test_every_guarantee_names_a_test():
    for bullet in BULLETS:
        if bullet.startswith("**Failing servers.**") and not _references(bullet):
            continue  # the network helper's bullet: checked once it names its tests
        assert _references(bullet), f"names no test: {bullet[:60]}"


def test_every_named_test_exists():
    for bullet in BULLETS:
        for file, name in _references(bullet):
            path = ROOT / file
            assert path.is_file(), f"{file} does not exist"
            if name is not None:
                assert name in _tests_in(path), f"{file}::{name} does not exist"
