"""Deterministic synthetic data folders of N claims, shaped like the bundled data.

A *profile* is read from a real data folder (the bundled data when it validates, else
``tests/fixtures/mini``): the joint distribution of each claim's qualifiers (predicate,
direction, aspect, negation, modality, organism and its basis, study system, regimen, part),
how often claims cite a marker and a resolved reference, the quote lengths, section headings,
and which entities are subjects and objects (the hub nodes: receptors and their sites).

The generator then writes a folder that :func:`serokg.graph.read.load` accepts:

* the profile's own entities (so hubs such as ``htr1a-autoreceptor`` keep their ids and
  labels) plus ``~N**0.75`` synthetic entities whose types follow the profile, drawn with a
  Zipf-like skew so a few nodes collect many claims;
* one source document per ``--per-source`` claims (default 200, an article's worth), whose
  text is built from the claims' quotes so each quote equals ``text[start:end]`` (Python str
  offsets; some quotes hold a non-ASCII apostrophe), with its ``sha256``, a markers file
  (R01..R44) and references resolving some of the markers;
* every claim valid under the model's rules (organism and basis agree, a cited claim never
  has verdict ``no_source``, a comment has its commenter...).

With ``perturb`` > 0 a fraction of the claims gets one qualifier redrawn uniformly from its
enum, so every value of every closed vocabulary appears at scale.

Output is a pure function of (profile, n, seed, per_source, perturb).

    python bench/synth.py 100000 /tmp/syn-1e5          # writes the folder, prints a summary
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from serokg.schema.models import (
    Aspect, Confidence, Direction, EntityType, FidelityVerdict, Modality, OrganismBasis, Part, Predicate,
    Regimen, StudySystem, XREF_PREFIXES,
)

__all__ = ["Profile", "generate", "profile_of", "default_profile"]

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "mini"

#: Qualifier fields drawn jointly from one profile claim.
QUALIFIERS = ("predicate", "subject_aspect", "direction", "aspect", "negated", "modality", "organism",
              "organism_basis", "study_system", "regimen", "part")
_ENUMS: dict[str, list[Any]] = {
    "predicate": list(Predicate), "subject_aspect": [None, *Aspect], "direction": [None, *Direction],
    "aspect": [None, *Aspect], "negated": [False, True], "modality": list(Modality),
    "study_system": [None, *StudySystem], "regimen": [None, *Regimen],
}
_FILLER = ("in", "the", "rats", "mice", "people", "after", "chronic", "acute", "treatment", "with",
           "low", "doses", "of", "serotonin", "neurons", "raphe", "and", "it’s", "thought", "that",
           "this", "is", "in", "part", "responsible", "for", "its", "effect", "on", "receptor",
           "sensitivity", "signalling", "which", "may", "explain", "why", "release", "was", "reduced")
_VERB = {"increased": "increases", "decreased": "decreases", None: "affects"}
_XREF_SAMPLE = ("CHEBI", "HGNC", "NCBIGene", "UniProt", "UBERON", "MONDO", "MESH", "GO")
assert all(p in XREF_PREFIXES for p in _XREF_SAMPLE)


@dataclass
class Profile:
    """What the generator imitates; see the module docstring."""

    origin: str
    entities: list[dict[str, Any]]  # the profile folder's entities, JSON form
    qualifiers: list[dict[str, Any]]  # one per profile claim
    subjects: Counter = field(default_factory=Counter)
    objects: Counter = field(default_factory=Counter)
    entity_types: Counter = field(default_factory=Counter)
    quote_lengths: list[int] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    cited: float = 0.7  # share of claims with a marker
    resolved: float = 0.5  # share of cited claims whose reference is resolved
    anatomy: float = 0.1  # share of claims naming a region
    hub_object: float = 0.5  # share of objects drawn from the profile's own entities
    hub_subject: float = 0.2
    markers: int = 44
    verdicts: Counter = field(default_factory=Counter)


def profile_of(folder: str | Path | None = None) -> Profile:
    """The profile of a data folder (default: bundled data)."""
    from serokg.graph.read import load

    ds = load(folder)
    claims = list(ds.claims.values())
    quals = []
    for c in claims:
        q = {k: getattr(c, k) for k in QUALIFIERS if k != "part"}
        q["part"] = c.evidence.part
        q = {k: (v.value if hasattr(v, "value") else v) for k, v in q.items()}
        quals.append(q)
    n = max(len(claims), 1)
    cited = [c for c in claims if c.citation.marker]
    known = set(ds.entities)
    return Profile(
        origin=str(ds.path),
        entities=[e.model_dump(mode="json", exclude_defaults=True) for e in ds.entities.values()],
        qualifiers=quals,
        subjects=Counter(c.subject for c in claims),
        objects=Counter(c.object for c in claims),
        entity_types=Counter(e.type.value for e in ds.entities.values()),
        quote_lengths=sorted(len(c.evidence.quote) for c in claims),
        sections=sorted({c.evidence.section for c in claims}),
        cited=len(cited) / n,
        resolved=(sum(1 for c in cited if c.citation.reference) / len(cited)) if cited else 0.0,
        anatomy=sum(1 for c in claims if c.anatomy) / n,
        markers=max((len(m) for m in ds.markers.values()), default=44) or 44,
        verdicts=Counter(c.fidelity.verdict.value for c in cited),
        hub_object=0.5 if known else 0.0,
        hub_subject=0.2 if known else 0.0,
    )


def default_profile() -> Profile:
    """The bundled data's profile when it validates, else the mini fixture's."""
    from serokg.errors import DataError

    try:
        return profile_of(None)
    except DataError:
        return profile_of(FIXTURE)


class _Pick:
    """Weighted choice with precomputed cumulative weights (fast, deterministic)."""

    def __init__(self, items: list[Any], weights: list[float]):
        self.items, self.cum = items, list(accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.total)]


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _entities(p: Profile, n_synth: int, rng: random.Random) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Profile entities plus synthetic ones; returns them and ids by type."""
    out = [dict(e) for e in p.entities]
    taken = {e["id"] for e in out}
    # A corpus always has these organisms; add them when the profile lacks them.
    for oid, label, taxon in (("human", "human", "9606"), ("rat", "rat", "10116"), ("mouse", "mouse", "10090")):
        if oid not in taken:
            out.append({"id": oid, "label": label, "type": "organism", "xrefs": [f"NCBITaxon:{taxon}"]})
            taken.add(oid)
    types = dict(p.entity_types) or {"chemical": 1}
    for t in ("anatomy", "receptor", "receptor_population"):
        types.setdefault(t, 1)
    types.pop("organism", None)  # organisms stay a short, fixed list as in real corpora
    pick_type = _Pick(list(types), [float(v) for v in types.values()])
    receptors = [e["id"] for e in out if e["type"] == "receptor"]
    for i in range(n_synth):
        t = pick_type(rng)
        eid = f"syn-{t.replace('_', '-')}-{i}"
        if t == "receptor_population":
            site = "autoreceptor" if i % 2 else "postsynaptic receptor"
            e = {"id": eid, "label": f"receptor {i} {site}", "type": t}
            if receptors:
                e["parent"] = receptors[rng.randrange(len(receptors))]
        else:
            e = {"id": eid, "label": f"{t.replace('_', ' ')} {i}", "type": t}
        if t == "receptor":
            receptors.append(eid)
        r = rng.random()
        if r < 0.3:
            e["synonyms"] = [f"{t[:3].upper()}-{i}"]
        if r < 0.5:
            e["xrefs"] = [f"{_XREF_SAMPLE[i % len(_XREF_SAMPLE)]}:{i + 1}"]
        if r < 0.1:
            e["description"] = f"Synthetic {t.replace('_', ' ')} number {i}, made by bench/synth.py."
        out.append(e)
    by_type: dict[str, list[str]] = {}
    for e in out:
        by_type.setdefault(e["type"], []).append(e["id"])
    return out, by_type


def _quote(rng: random.Random, length: int, subj: str, verb: str, obj: str) -> str:
    words = [subj, verb, obj]
    size = sum(map(len, words)) + 2
    while size < length:
        w = _FILLER[rng.randrange(len(_FILLER))]
        words.insert(rng.randrange(1, len(words) + 1), w)
        size += len(w) + 1
    text = " ".join(words)
    return text[0].upper() + text[1:]


def generate(folder: str | Path, n: int, *, seed: int = 7, per_source: int = 200, perturb: float = 0.15,
             profile: Profile | None = None) -> dict[str, Any]:
    """Write a valid data folder of ``n`` claims to ``folder``; return a summary."""
    t0 = time.perf_counter()
    p = profile or default_profile()
    rng = random.Random(seed)
    out = Path(folder)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    n_synth = max(50, int(n ** 0.75))
    entities, by_type = _entities(p, n_synth, rng)
    labels = {e["id"]: e["label"] for e in entities}
    synth_ids = [e["id"] for e in entities if e["id"].startswith("syn-")]
    zipf = _Pick(synth_ids, [1.0 / (k + 1) ** 0.8 for k in range(len(synth_ids))])
    hub_s = _Pick(list(p.subjects), list(map(float, p.subjects.values()))) if p.subjects else None
    hub_o = _Pick(list(p.objects), list(map(float, p.objects.values()))) if p.objects else None
    regions = by_type.get("anatomy", [])
    organisms = by_type["organism"]
    lengths = p.quote_lengths or [70]
    sections = p.sections or ["Results"]
    verdicts = [v for v in (p.verdicts or {"unverifiable": 1}) if v != "no_source"]
    pick_verdict = _Pick(verdicts, [float(p.verdicts.get(v, 1)) for v in verdicts])
    fields = list(_ENUMS)

    def node(hub: _Pick | None, share: float) -> str:
        return hub(rng) if hub is not None and rng.random() < share else zipf(rng)

    def write_jsonl(name: str, rows) -> int:
        count = 0
        with open(out / name, "w", encoding="utf-8", newline="\n") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False))
                fh.write("\n")
                count += 1
        return count

    write_jsonl("entities.jsonl", entities)
    references: list[dict[str, Any]] = []
    claims_fh = open(out / "claims.jsonl", "w", encoding="utf-8", newline="\n")
    n_sources = 0
    for first in range(0, n, per_source):
        sid = f"synthetic-article-{n_sources:06d}"
        n_sources += 1
        title = f"Synthetic article {n_sources} on serotonin receptors"
        parts = [title, "\n\n"]
        pos = len(title) + 2
        section = sections[rng.randrange(len(sections))]
        refs_here: dict[str, str] = {}
        cited_at: dict[str, int] = {}
        rows = []
        for i in range(first, min(first + per_source, n)):
            q = dict(p.qualifiers[rng.randrange(len(p.qualifiers))]) if p.qualifiers else {}
            if rng.random() < perturb:
                f = fields[rng.randrange(len(fields))]
                q[f] = rng.choice(_ENUMS[f])
            subj = node(hub_s, p.hub_subject)
            obj = node(hub_o, p.hub_object)
            while obj == subj:
                obj = zipf(rng)
            c: dict[str, Any] = {"id": f"syn-claim-{i:07d}", "subject": subj,
                                 "predicate": q.get("predicate", "affects"), "object": obj}
            for k in ("subject_aspect", "direction", "aspect"):
                if q.get(k) is not None:
                    c[k] = q[k]
            if q.get("negated"):
                c["negated"] = True
            if q.get("modality", "asserted") != "asserted":
                c["modality"] = q["modality"]
            basis = q.get("organism_basis", "not_stated")
            if basis != "not_stated":
                org = q.get("organism")
                c["organism"] = org if org in labels else organisms[rng.randrange(len(organisms))]
                c["organism_basis"] = basis
            for k in ("study_system",):
                if q.get(k) is not None:
                    c[k] = q[k]
            if regions and rng.random() < p.anatomy:
                c["anatomy"] = [regions[rng.randrange(len(regions))]]
            if q.get("regimen") is not None:
                c["regimen"] = q["regimen"]
            if rng.random() < 0.1:
                section = sections[rng.randrange(len(sections))]
            length = max(8, int(lengths[rng.randrange(len(lengths))] * (0.8 + 0.45 * rng.random())))
            quote = _quote(rng, length, labels[subj], _VERB.get(c.get("direction")), labels[obj])
            ev: dict[str, Any] = {"source": sid, "quote": quote, "start": pos, "end": pos + len(quote),
                                  "section": section}
            comment = q.get("part") == "comment"
            if comment:
                ev["part"] = "comment"
                ev["commenter"] = f"reader {rng.randrange(1000)}"
            c["evidence"] = ev
            parts.append(quote)
            pos += len(quote)
            if not comment and rng.random() < p.cited:
                marker = f"R{rng.randrange(1, p.markers + 1):02d}"
                cit: dict[str, Any] = {"marker": marker}
                if rng.random() < p.resolved:
                    rid = refs_here.setdefault(marker, f"{sid}-{marker.lower()}")
                    cit["reference"] = rid
                c["citation"] = cit
                cited_at.setdefault(marker, pos)
                parts.append(" (R)")
                pos += 4
                c["fidelity"] = {"verdict": pick_verdict(rng), "reason": "synthetic: drawn from the profile"}
            else:
                c["fidelity"] = {"verdict": "no_source", "reason": "synthetic: cites nothing"}
            parts.append(". ")
            pos += 2
            rows.append(c)
        for row in rows:
            claims_fh.write(json.dumps(row, ensure_ascii=False))
            claims_fh.write("\n")
        text = "".join(parts)
        data = text.encode("utf-8")
        (out / "sources" / f"{sid}.txt").write_bytes(data)
        markers = [{"marker": f"R{m:02d}", "offset": cited_at.get(f"R{m:02d}", 0), "cited_text": ""}
                   for m in range(1, p.markers + 1)]
        (out / "sources" / f"{sid}.markers.json").write_text(
            json.dumps({"source": sid, "markers": markers}), encoding="utf-8")
        meta = {"id": sid, "title": title, "text_file": f"{sid}.txt", "markers_file": f"{sid}.markers.json",
                "sha256": hashlib.sha256(data).hexdigest(), "parts": {"body": [0, len(text)]},
                "notes": "synthetic, made by bench/synth.py"}
        (out / "sources" / f"{sid}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        for marker, rid in refs_here.items():
            k = len(references)
            ref: dict[str, Any] = {"id": rid, "markers": [marker], "title": f"A study of 5-HT1A receptors, {k}"}
            if k % 3:
                ref.update(first_author=f"Author{k % 997}", year=1970 + k % 55, journal=f"Journal {k % 61}")
            if k % 2:
                ref["pmid"] = str(1_000_000 + k)
            if k % 5 == 0:
                ref["doi"] = f"10.{1000 + k % 9000}/synthetic.{k}"
            ref["confidence"] = ("high", "medium", "low")[k % 3]
            references.append(ref)
    claims_fh.close()
    write_jsonl("references.jsonl", references)
    return {"folder": str(out), "claims": n, "entities": len(entities), "references": len(references),
            "sources": n_sources, "profile": p.origin, "seed": seed, "seconds": time.perf_counter() - t0}


# Enum members this module relies on; an import-time check that the vocabulary did not drift.
assert {"no_source", "unverifiable"} <= {v.value for v in FidelityVerdict}
assert {"body", "comment"} == {v.value for v in Part}
assert "not_stated" in {v.value for v in OrganismBasis} and "high" in {v.value for v in Confidence}
assert "organism" in {v.value for v in EntityType}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=lambda s: int(float(s)), help="number of claims (1e5 works)")
    ap.add_argument("folder", type=Path, help="output data folder (created)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-source", type=int, default=200, help="claims per source document (default 200)")
    ap.add_argument("--perturb", type=float, default=0.15, help="share of claims with one qualifier redrawn")
    ap.add_argument("--profile", type=Path, default=None, help="data folder to imitate (default: bundled, "
                    "else tests/fixtures/mini)")
    args = ap.parse_args(argv)
    prof = profile_of(args.profile) if args.profile else default_profile()
    summary = generate(args.folder, args.n, seed=args.seed, per_source=args.per_source, perturb=args.perturb,
                       profile=prof)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
