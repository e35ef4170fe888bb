"""Rewrite the generated block of README.md (the bundled data's counts) from the data.

    python scripts/update_readme.py
"""

from __future__ import annotations

import re
from pathlib import Path

from serokg.graph.read import load
from serokg.graph.stats import summary_markdown
from serokg.graph.write import write_text

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- stats:start[^>]*-->\n)(.*?)(<!-- stats:end -->)", re.S)


def updated(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + summary_markdown(load()) + m.group(3), text, count=1)


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if new != text:
        write_text(README, new)
    print("README.md " + ("updated" if new != text else "already current"))
