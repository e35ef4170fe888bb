"""Generate the JSON Schema files committed under ``schema/json/`` from the pydantic models.

``python -m serokg.schema.jsonschema`` rewrites them; a test fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from serokg.schema.models import Claim, Entity, Reference, Source
from serokg.schema.sources import MarkersFile

__all__ = ["SCHEMA_DIR", "generate", "write"]

SCHEMA_DIR = Path(__file__).parent / "json"
MODELS = {"entity": Entity, "claim": Claim, "reference": Reference, "source": Source, "markers": MarkersFile}


def generate() -> dict[str, str]:
    """File name -> JSON Schema text, one per record model."""
    out = {}
    for name, model in MODELS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://w3id.org/serokg/schema/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def write(folder: Path = SCHEMA_DIR) -> list[str]:
    """Write the schema files; return the names written."""
    from serokg.graph.write import write_text

    folder.mkdir(exist_ok=True)
    for name, text in generate().items():
        write_text(folder / name, text)
    return sorted(generate())


if __name__ == "__main__":
    print("\n".join(write()))
