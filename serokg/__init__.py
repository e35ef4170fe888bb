"""serokg: a knowledge graph of claims about serotonin receptors.

>>> import serokg
>>> data = serokg.load()                      # the bundled dataset, validated
>>> g = serokg.build(data)                    # networkx.MultiDiGraph, edge key = claim id
>>> [c.id for c in serokg.touches(data, "autoreceptor")][:1]  # doctest: +SKIP

Heavy modules (pyvis, shacl-rust, pyoxigraph) are imported only by the functions that need
them, so ``import serokg`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from serokg.errors import DataError, DataProblem, RemoteError, SerokgError, UsageError

# Public name -> module that defines it; resolved on first use so `import serokg` stays light.
_LAZY = {
    "acting_on": "serokg.graph.answers",
    "build": "serokg.graph.build",
    "ClaimFilter": "serokg.graph.query",
    "neighbours": "serokg.graph.query",
    "paths": "serokg.graph.query",
    "select": "serokg.graph.query",
    "touches": "serokg.graph.query",
    "Dataset": "serokg.graph.read",
    "bundled_data_dir": "serokg.graph.read",
    "load": "serokg.graph.read",
}

if TYPE_CHECKING:
    from serokg.graph.answers import acting_on
    from serokg.graph.build import build
    from serokg.graph.query import ClaimFilter, neighbours, paths, select, touches
    from serokg.graph.read import Dataset, bundled_data_dir, load


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # ~40 ms: only when asked

    try:
        return version("serokg")
    except PackageNotFoundError:  # a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'serokg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ClaimFilter",
    "DataError",
    "DataProblem",
    "Dataset",
    "RemoteError",
    "SerokgError",
    "UsageError",
    "__version__",
    "acting_on",
    "build",
    "bundled_data_dir",
    "load",
    "neighbours",
    "paths",
    "select",
    "touches",
]
