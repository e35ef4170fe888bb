"""serokg's RDF vocabulary: names of classes, properties and enum members, and the files made from them.

The mapping of every model field to an RDF property lives here (:data:`FIELDS`), next to the
generators of ``schema/vocab.ttl`` (RDFS/OWL with Biolink, PROV-O, Web Annotation, Dublin Core,
BIBO and FaBiO alignments), ``schema/shapes.ttl`` (SHACL) and ``schema/context.jsonld``.
Regenerate them after a model change with ``python -m serokg.graph.vocab``; a test fails while
the committed files differ from what the models give.

>>> enum_iri(Direction.increased)
'https://w3id.org/serokg/vocab#Direction_increased'
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from serokg.schema.biolink import CATEGORY_MATCH, PREDICATE_MATCH
from serokg.schema.models import (
    Aspect, Claim, Confidence, Direction, Entity, EntityType, Evidence, FidelityVerdict, Modality,
    OrganismBasis, Part, Predicate, Reference, ReferenceStatus, Regimen, Source, StudySystem,
)

__all__ = [
    "DEFAULT_BASE", "ENUMS", "FIELDS", "NS", "PREFIXES", "SK", "FieldMap", "class_iri", "context",
    "enum_iri", "predicate_iri", "prefix_map_records", "prefixes_for", "schema_files", "shapes_turtle", "unmapped_fields", "vocab_turtle", "write_prefix_map", "write_schema_files",
]

#: Default base IRI of the data (claims, entities, references, sources); ``--base`` changes it.
DEFAULT_BASE = "https://w3id.org/serokg/"
#: The vocabulary namespace.  Fixed: it names the schema, not the data.
SK = "https://w3id.org/serokg/vocab#"

NS = {
    "sk": SK,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "bibo": "http://purl.org/ontology/bibo/",
    "fabio": "http://purl.org/spar/fabio/",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "biolink": "https://w3id.org/biolink/vocab/",
    "np": "http://www.nanopub.org/nschema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
PREFIXES = NS  # alias kept for readers who look for the usual name

ENUMS: tuple[type[StrEnum], ...] = (
    EntityType, Predicate, Direction, Aspect, Modality, OrganismBasis, StudySystem, Regimen, Part,
    FidelityVerdict, Confidence, ReferenceStatus,
)
_AS_INDIVIDUALS = tuple(e for e in ENUMS if e not in (EntityType, Predicate))


def _camel(name: str, upper: bool = False) -> str:
    head, *rest = name.split("_")
    out = head + "".join(w[:1].upper() + w[1:] for w in rest)
    return out[:1].upper() + out[1:] if upper else out


def enum_iri(member: StrEnum) -> str:
    """IRI of an enum member: a class for entity types, a property for predicates, else an individual."""
    if isinstance(member, EntityType):
        return class_iri(member)
    if isinstance(member, Predicate):
        return predicate_iri(member)
    return f"{SK}{type(member).__name__}_{member.value}"


def class_iri(t: EntityType) -> str:
    return SK + _camel(t.value, upper=True)


def predicate_iri(p: Predicate) -> str:
    return SK + p.value  # snake_case, as Biolink spells its predicates


@dataclass(frozen=True)
class FieldMap:
    """How one model field is written in RDF.

    ``kind`` is ``str``, ``int``, ``bool``, ``year``, ``enum``, ``entity``, ``reference`` or
    ``source``; ``many`` fields also get an ordered ``rdf:List`` under ``list_iri`` when they
    hold two or more values, so order survives the round trip.
    """

    model: str
    field: str
    iri: str
    kind: str
    enum: type[StrEnum] | None = None
    many: bool = False
    list_iri: str | None = None
    label: str = ""
    comment: str = ""
    align: tuple[tuple[str, str], ...] = ()


def _f(model: str, field: str, iri: str, kind: str = "str", enum: type[StrEnum] | None = None,
       many: bool = False, comment: str = "", align: tuple[tuple[str, str], ...] = ()) -> FieldMap:
    iri = iri if ":" not in iri or iri.startswith("http") else NS[iri.split(":")[0]] + iri.split(":", 1)[1]
    list_iri = f"{SK}{_camel(field)}List" if many else None
    return FieldMap(model, field, iri, kind, enum, many, list_iri, field.replace("_", " "), comment, align)


_BL = NS["biolink"]
#: Every model field and its property.  Citation and fidelity are flattened onto the claim;
#: the evidence is its own resource (an ``oa:SpecificResource`` with two selectors).
FIELDS: tuple[FieldMap, ...] = (
    _f("Entity", "id", "sk:id", comment="The local id (slug) of the record, the same in JSONL, graph, RDF and HTML.",
       align=(("rdfs:subPropertyOf", NS["dcterms"] + "identifier"),)),
    _f("Entity", "label", "rdfs:label"),
    _f("Entity", "synonyms", "skos:altLabel", many=True),
    _f("Entity", "xrefs", "sk:xref", many=True, comment="A standard identifier of the entity as a CURIE "
       "(bioregistry spelling); the expanded IRI is also given with skos:exactMatch.",
       align=(("skos:closeMatch", _BL + "xref"),)),
    _f("Entity", "close_matches", "sk:closeXref", many=True, comment="An identifier of nearly the same concept "
       "as a CURIE; the expanded IRI is also given with skos:closeMatch."),
    _f("Entity", "broad_matches", "sk:broadXref", many=True, comment="An identifier of a broader concept as a "
       "CURIE; the expanded IRI is also given with skos:broadMatch."),
    _f("Entity", "related_matches", "sk:relatedXref", many=True, comment="An identifier of an associated concept "
       "(neither broader nor narrower) as a CURIE; the expanded IRI is also given with skos:relatedMatch."),
    _f("Entity", "no_match_reason", "sk:noMatchReason", comment="Why no standard identifier applies to the "
       "entity (sssom:NoTermFound in the mapping set)."),
    _f("Entity", "parent", "sk:parent", "entity", comment="The broader node this one is a site, kind or part of "
       "(htr1a-autoreceptor -> htr1a).", align=(("rdfs:subPropertyOf", NS["skos"] + "broader"),)),
    _f("Entity", "description", "dcterms:description"),
    _f("Claim", "id", "sk:id"),
    _f("Claim", "subject", "sk:subject", "entity", comment="The subject of the claim.",
       align=(("rdfs:subPropertyOf", NS["rdf"] + "subject"), ("skos:exactMatch", _BL + "subject"))),
    _f("Claim", "predicate", "sk:predicate", "enum", Predicate, comment="The relation the claim asserts; "
       "its value is the property used in the direct triple.",
       align=(("rdfs:subPropertyOf", NS["rdf"] + "predicate"), ("skos:exactMatch", _BL + "predicate"))),
    _f("Claim", "object", "sk:object", "entity", comment="The object of the claim.",
       align=(("rdfs:subPropertyOf", NS["rdf"] + "object"), ("skos:exactMatch", _BL + "object"))),
    _f("Claim", "subject_aspect", "sk:subjectAspect", "enum", Aspect,
       align=(("skos:exactMatch", _BL + "subject_aspect_qualifier"),)),
    _f("Claim", "subject_direction", "sk:subjectDirection", "enum", Direction,
       align=(("skos:exactMatch", _BL + "subject_direction_qualifier"),)),
    _f("Claim", "direction", "sk:direction", "enum", Direction,
       align=(("skos:exactMatch", _BL + "object_direction_qualifier"),)),
    _f("Claim", "aspect", "sk:aspect", "enum", Aspect, comment="Aspect of the object that changes.",
       align=(("skos:exactMatch", _BL + "object_aspect_qualifier"),)),
    _f("Claim", "negated", "sk:negated", "bool", comment="The text denies the statement; a negated claim "
       "has no direct subject-predicate-object triple.", align=(("skos:exactMatch", _BL + "negated"),)),
    _f("Claim", "modality", "sk:modality", "enum", Modality, comment="How strongly the text commits to the "
       "claim (kept apart from negation).", align=(("skos:closeMatch", _BL + "knowledge_level"),)),
    _f("Claim", "organism", "sk:organism", "entity",
       align=(("skos:exactMatch", _BL + "species_context_qualifier"),)),
    _f("Claim", "organism_basis", "sk:organismBasis", "enum", OrganismBasis),
    _f("Claim", "study_system", "sk:studySystem", "enum", StudySystem),
    _f("Claim", "anatomy", "sk:anatomy", "entity", many=True,
       align=(("skos:exactMatch", _BL + "anatomical_context_qualifier"),)),
    _f("Claim", "regimen", "sk:regimen", "enum", Regimen),
    _f("Claim", "dose", "sk:dose"),
    _f("Claim", "condition", "sk:condition"),
    _f("Claim", "list_heading", "sk:listHeading"),
    _f("Claim", "citation.marker", "sk:citationMarker", comment="The citation marker (R01-R44) the text puts "
       "after the claim."),
    _f("Claim", "citation.reference", "sk:citedReference", "reference", comment="The reference the marker "
       "resolves to.", align=(("rdfs:subPropertyOf", NS["dcterms"] + "references"),
                              ("skos:closeMatch", _BL + "publications"))),
    _f("Claim", "fidelity.verdict", "sk:fidelity", "enum", FidelityVerdict,
       comment="How faithfully the article reports the source it cites."),
    _f("Claim", "fidelity.reason", "sk:fidelityReason"),
    _f("Claim", "note", "sk:note", align=(("rdfs:subPropertyOf", NS["skos"] + "note"),)),
    _f("Evidence", "source", "oa:hasSource", "source"),
    _f("Evidence", "quote", "oa:exact", comment="On the oa:TextQuoteSelector of the evidence."),
    _f("Evidence", "start", "oa:start", "int", comment="On the oa:TextPositionSelector of the evidence."),
    _f("Evidence", "end", "oa:end", "int", comment="On the oa:TextPositionSelector of the evidence."),
    _f("Evidence", "section", "sk:section"),
    _f("Evidence", "section_inferred", "sk:sectionInferred", "bool"),
    _f("Evidence", "part", "sk:part", "enum", Part),
    _f("Evidence", "commenter", "sk:commenter"),
    _f("Reference", "id", "sk:id"),
    _f("Reference", "markers", "sk:marker", many=True),
    _f("Reference", "title", "dcterms:title"),
    _f("Reference", "first_author", "sk:firstAuthor", align=(("skos:closeMatch", NS["dcterms"] + "creator"),)),
    _f("Reference", "year", "fabio:hasPublicationYear", "year"),
    _f("Reference", "journal", "sk:journal", align=(("skos:closeMatch", NS["fabio"] + "Journal"),)),
    _f("Reference", "pmid", "bibo:pmid"),
    _f("Reference", "doi", "bibo:doi"),
    _f("Reference", "organism_studied", "sk:organismStudied"),
    _f("Reference", "study_system", "sk:studySystem", "enum", StudySystem),
    _f("Reference", "status", "sk:status", "enum", ReferenceStatus),
    _f("Reference", "confidence", "sk:confidence", "enum", Confidence),
    _f("Reference", "seen_at", "sk:seenAt"),
    _f("Reference", "finding", "sk:finding"),
    _f("Reference", "notes", "sk:note"),
    _f("Source", "id", "sk:id"),
    _f("Source", "title", "dcterms:title"),
    _f("Source", "opening_line", "sk:openingLine"),
    _f("Source", "site", "sk:site"),
    _f("Source", "url", "sk:url", align=(("skos:closeMatch", "https://schema.org/url"),)),
    _f("Source", "author", "sk:author", align=(("skos:closeMatch", NS["dcterms"] + "creator"),)),
    _f("Source", "text_file", "sk:textFile"),
    _f("Source", "markers_file", "sk:markersFile"),
    _f("Source", "sha256", "sk:sha256"),
    _f("Source", "offsets", "sk:offsets"),
    _f("Source", "parts", "sk:hasPart", comment="A named character range of the source (body, comments...): "
       "a resource with sk:partName, oa:start and oa:end.", align=(("rdfs:subPropertyOf", NS["dcterms"] + "hasPart"),)),
    _f("Source", "notes", "sk:note"),
)

_MODELS = {"Entity": Entity, "Claim": Claim, "Evidence": Evidence, "Reference": Reference, "Source": Source}
#: Fields written by hand-made structure rather than through :data:`FIELDS`.
_STRUCTURAL = {("Entity", "type"), ("Claim", "evidence")}


def unmapped_fields() -> list[str]:
    """Model fields that :data:`FIELDS` does not map: an export would lose them, so it refuses to run."""
    have = {(f.model, f.field.split(".")[0]) for f in FIELDS} | _STRUCTURAL
    nested = {("Claim", "citation"): "Citation", ("Claim", "fidelity"): "Fidelity"}
    out = [f"{name}.{field}" for name, model in _MODELS.items() for field in model.model_fields
           if (name, field) not in have]
    from serokg.schema.models import Citation, Fidelity

    for (model, field), cls in nested.items():
        sub = {"Citation": Citation, "Fidelity": Fidelity}[cls]
        out += [f"{model}.{field}.{f}" for f in sub.model_fields
                if not any(m.model == model and m.field == f"{field}.{f}" for m in FIELDS)]
    return out

# Terms that are not model fields but structure the graph.
_EXTRA_PROPERTIES = {
    "evidence": ("Claim", "The evidence of the claim: its quote anchored in the source (an oa:SpecificResource).",
                 (("rdfs:subPropertyOf", NS["prov"] + "wasDerivedFrom"), ("skos:closeMatch", _BL + "has_evidence"))),
    "partName": ("SourcePart", "Name of a part of the source (body, comments...).", ()),
}

_CLASSES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "Entity": ("A node of the graph: a substance, receptor, receptor site, region, disorder, organism...",
               (("rdfs:subClassOf", NS["prov"] + "Entity"), ("skos:closeMatch", _BL + "NamedThing"))),
    "Claim": ("One assertion of the source: subject, predicate and object with their context, evidence, "
              "citation and fidelity verdict.",
              (("rdfs:subClassOf", NS["rdf"] + "Statement"), ("rdfs:subClassOf", NS["prov"] + "Entity"),
               ("skos:exactMatch", _BL + "Association"))),
    "Evidence": ("Where a claim is stated: a text quote and its offsets in a source document.",
                 (("rdfs:subClassOf", NS["oa"] + "SpecificResource"),)),
    "Reference": ("A publication cited by the source, reconstructed from its reference table.",
                  (("rdfs:subClassOf", NS["bibo"] + "Document"), ("skos:closeMatch", NS["fabio"] + "Expression"),
                   ("skos:closeMatch", _BL + "Publication"))),
    "Source": ("A source document (the article) whose text the evidence quotes.",
               (("rdfs:subClassOf", NS["fabio"] + "WebPage"), ("rdfs:subClassOf", NS["prov"] + "Entity"))),
    "SourcePart": ("A named character range of a source document.", ()),
}

def _member_comments(enum: type[StrEnum]) -> dict[str, str]:
    """The trailing ``# comment`` of each member in the models' source: one place for the wording."""
    out: dict[str, str] = {}
    for line in inspect.getsource(enum).splitlines():
        m = re.match(r'\s*(\w+) = "[^"]*"\s*#\s*(.+)$', line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n")[0]


# --- a tiny Turtle writer: statements grouped by subject, in the order given --------------------


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _curie(iri: str) -> str:
    for p, ns in NS.items():
        rest = iri[len(ns):]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", rest):
            return f"{p}:{rest}"
    return f"<{iri}>"


def _term(value: str) -> str:
    """``http...`` is an IRI, ``prefix:name`` a CURIE; anything else passes through (already a literal)."""
    if value.startswith(("http://", "https://")):
        return _curie(value)
    return value


def _block(subject: str, pairs: list[tuple[str, str]]) -> str:
    body = " ;\n    ".join(f"{_term(p) if p != 'a' else 'a'} {_term(o)}" for p, o in pairs)
    return f"{_term(subject)}\n    {body} .\n"


def _en(text: str) -> str:
    return _q(text) + "@en"


def _header(names: tuple[str, ...]) -> str:
    return "".join(f"@prefix {p}: <{NS[p]}> .\n" for p in names) + "\n"


def _properties() -> dict[str, dict]:
    """Each sk: property with its label, comment, domains, range and alignments."""
    props: dict[str, dict] = {}
    for f in FIELDS:
        entry = props.setdefault(f.iri, {"label": _camel(f.field.split(".")[-1]), "comments": [], "domains": [],
                                         "kinds": [], "align": []})
        model = _MODELS.get(f.model.split(".")[0])
        descr = f.comment
        if not descr and model is not None and f.field in model.model_fields:
            descr = model.model_fields[f.field].description or ""
        if descr and descr not in entry["comments"]:
            entry["comments"].append(descr)
        if f.model not in entry["domains"]:
            entry["domains"].append(f.model)
        entry["kinds"].append((f.kind, f.enum))
        entry["align"] += [a for a in f.align if a not in entry["align"]]
        if f.list_iri:
            props.setdefault(f.list_iri, {"label": _camel(f.field) + "List", "comments": [
                f"The values of {_curie(f.iri)} in their original order (an rdf:List), given when there are "
                "two or more."], "domains": [f.model], "kinds": [("list", None)], "align": []})
    for name, (domain, comment, align) in _EXTRA_PROPERTIES.items():
        props[SK + name] = {"label": name, "comments": [comment], "domains": [domain], "kinds": [("x", None)],
                            "align": list(align)}
    return props


_RANGES = {"str": "xsd:string", "int": "xsd:nonNegativeInteger", "bool": "xsd:boolean", "year": "xsd:gYear",
           "entity": "sk:Entity", "reference": "sk:Reference", "source": "sk:Source", "list": "rdf:List"}


def vocab_turtle() -> str:
    """``schema/vocab.ttl``: every class, property and enum member with label, comment and alignments."""
    out = [_header(("sk", "rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "bibo", "fabio", "oa", "prov", "biolink"))]
    out.append(_block(SK[:-1], [("a", "owl:Ontology"), ("rdfs:label", _en("serokg vocabulary")),
                                ("rdfs:comment", _en("Classes and properties of serokg, a knowledge graph of claims "
                                                     "about serotonin receptors, with their evidence, references "
                                                     "and fidelity verdicts.")),
                                ("dcterms:license", "<https://opensource.org/licenses/MIT>"),
                                ("owl:versionInfo", _q("0.1.0"))]))
    out.append("\n# Classes\n\n")
    for name, (comment, align) in _CLASSES.items():
        out.append(_block(SK + name, [("a", "owl:Class"), ("rdfs:label", _en(name)), ("rdfs:comment", _en(comment)),
                                      *[(p, o) for p, o in align]]))
    comments = _member_comments(EntityType)
    for t in EntityType:
        rel, target = CATEGORY_MATCH[t]
        out.append(_block(class_iri(t), [
            ("a", "owl:Class"), ("rdfs:subClassOf", "sk:Entity"), ("rdfs:label", _en(t.value.replace("_", " "))),
            ("rdfs:comment", _en(comments.get(t.name, f"An entity of type {t.value.replace('_', ' ')}."))),
            ("skos:notation", _q(t.value)), (rel, _BL + target.removeprefix("biolink:"))]))
    for enum in _AS_INDIVIDUALS:
        out.append(_block(SK + enum.__name__, [("a", "owl:Class"), ("rdfs:label", _en(enum.__name__)),
                                               ("rdfs:comment", _en(_first_line(enum.__doc__) or
                                                                    f"The values of {enum.__name__}.")),
                                               ("owl:oneOf", "(" + " ".join(_curie(enum_iri(m)) for m in enum) + ")")]))
    out.append("\n# Relations (the direct triples)\n\n")
    comments = _member_comments(Predicate)
    for p in Predicate:
        rel, target = PREDICATE_MATCH[p]
        out.append(_block(predicate_iri(p), [
            ("a", "owl:ObjectProperty"), ("rdfs:label", _en(p.value.replace("_", " "))),
            ("rdfs:comment", _en(comments.get(p.name, f"The relation '{p.value.replace('_', ' ')}'.") +
                                 " Asserted as a direct triple only for claims that are not negated.")),
            ("skos:notation", _q(p.value)), (rel, _BL + target.removeprefix("biolink:"))]))
    out.append("\n# Properties of claims, evidence, entities, references and sources\n\n")
    for iri, entry in _properties().items():
        if not iri.startswith(SK):
            continue
        kinds = {k for k, _ in entry["kinds"]}
        enums = {e for _, e in entry["kinds"] if e is not None}
        obj = kinds & {"entity", "reference", "source", "enum", "list", "x"}
        pairs = [("a", "owl:ObjectProperty" if obj else "owl:DatatypeProperty"),
                 ("rdfs:label", _en(entry["label"])),
                 ("rdfs:comment", _en(" ".join(entry["comments"]) or f"The {entry['label']} of a "
                                      f"{' or '.join(entry['domains']).lower()}."))]
        domains = [d if d in _CLASSES else "Claim" for d in entry["domains"]]
        if len(set(domains)) == 1:
            pairs.append(("rdfs:domain", "sk:" + domains[0]))
        if len(enums) == 1:
            (enum,) = enums
            pairs.append(("rdfs:range", "rdf:Property" if enum is Predicate else "sk:" + enum.__name__))
        elif len(kinds) == 1 and next(iter(kinds)) in _RANGES:
            pairs.append(("rdfs:range", _RANGES[next(iter(kinds))]))
        pairs += [(p, o) for p, o in entry["align"]]
        out.append(_block(iri, pairs))
    out.append("\n# Enum members\n\n")
    for enum in _AS_INDIVIDUALS:
        comments = _member_comments(enum)
        for m in enum:
            pairs = [("a", "owl:NamedIndividual"), ("a", "sk:" + enum.__name__),
                     ("rdfs:label", _en(m.value.replace("_", " "))),
                     ("rdfs:comment", _en(comments.get(m.name) or f"{enum.__name__}: {m.value.replace('_', ' ')}.")),
                     ("skos:notation", _q(m.value))]
            if enum is Direction:  # Biolink's DirectionQualifierEnum has the same permissible values
                pairs.append(("rdfs:seeAlso", _BL + "object_direction_qualifier"))
            out.append(_block(enum_iri(m), pairs))
    return "".join(out)


def _dt(kind: str) -> str:
    return {"str": "xsd:string", "int": "xsd:nonNegativeInteger", "bool": "xsd:boolean", "year": "xsd:gYear"}[kind]


def _property_shape(f: FieldMap, required: bool) -> str:
    pairs = [f"sh:path {_curie(f.iri)}"]
    if required:
        pairs.append("sh:minCount 1")
    if not f.many:
        pairs.append("sh:maxCount 1")
    if f.kind in ("str", "int", "bool", "year"):
        pairs.append(f"sh:datatype {_dt(f.kind)}")
        if f.kind == "str":
            pairs.append("sh:minLength 1")
    elif f.kind == "enum":
        assert f.enum is not None
        pairs.append("sh:in (" + " ".join(_curie(enum_iri(m)) for m in f.enum) + ")")
    else:
        pairs.append(f"sh:class sk:{f.kind.capitalize()}")
        pairs.append("sh:nodeKind sh:IRI")
    pairs.append(f"sh:name {_q(f.field)}")
    return "[ " + " ; ".join(pairs) + " ]"


def _required(model: str, field: str) -> bool:
    if field.startswith("fidelity."):
        return True
    if "." in field:
        return False
    return _MODELS[model].model_fields[field].is_required()


def shapes_turtle() -> str:
    """``schema/shapes.ttl``: SHACL node shapes for every record class, made from :data:`FIELDS`."""
    out = [_header(("sk", "rdf", "rdfs", "xsd", "sh", "oa", "dcterms", "bibo", "fabio", "skos"))]
    targets = {"Entity": "sk:Entity", "Claim": "sk:Claim", "Reference": "sk:Reference", "Source": "sk:Source"}
    selector_fields = {"quote", "start", "end"}
    for model, target in targets.items():
        props = [_property_shape(f, _required(model, f.field)) for f in FIELDS
                 if f.model == model and f.kind != "ignore" and f.field != "parts"]
        if model == "Claim":
            props.append("[ sh:path sk:evidence ; sh:minCount 1 ; sh:maxCount 1 ; sh:node sk:EvidenceShape ; "
                         "sh:name \"evidence\" ]")
        if model == "Source":
            props.append("[ sh:path sk:hasPart ; sh:node sk:SourcePartShape ; sh:name \"parts\" ]")
        if model == "Entity":
            props.append("[ sh:path rdf:type ; sh:qualifiedValueShape [ sh:in (" +
                         " ".join(_curie(class_iri(t)) for t in EntityType) +
                         ") ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ; sh:name \"type\" ; "
                         "sh:message \"an entity needs exactly one entity type\" ]")
        pairs = [("a", "sh:NodeShape"), ("sh:targetClass", target)] + [("sh:property", p) for p in props]
        if model == "Claim":
            pairs.append(("sh:sparql", "sk:NegatedClaimHasNoDirectTriple"))
            pairs.append(("sh:sparql", "sk:AffirmedClaimHasDirectTriple"))
        out.append(_block(f"{SK}{model}Shape", pairs))
    ev = [_property_shape(f, _required("Evidence", f.field)) for f in FIELDS
          if f.model == "Evidence" and f.field not in selector_fields]
    ev.append("[ sh:path oa:hasSelector ; sh:qualifiedValueShape sk:QuoteSelectorShape ; sh:qualifiedMinCount 1 ; "
              "sh:qualifiedMaxCount 1 ; sh:name \"quote\" ]")
    ev.append("[ sh:path oa:hasSelector ; sh:qualifiedValueShape sk:PositionSelectorShape ; "
              "sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ; sh:name \"start, end\" ]")
    out.append(_block(SK + "EvidenceShape", [("a", "sh:NodeShape"), ("sh:class", "sk:Evidence")] +
                      [("sh:property", p) for p in ev]))
    out.append(_block(SK + "QuoteSelectorShape", [
        ("a", "sh:NodeShape"), ("sh:class", "oa:TextQuoteSelector"),
        ("sh:property", "[ sh:path oa:exact ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; "
                        "sh:minLength 1 ]")]))
    out.append(_block(SK + "PositionSelectorShape", [
        ("a", "sh:NodeShape"), ("sh:class", "oa:TextPositionSelector"),
        ("sh:property", "[ sh:path oa:start ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ]"),
        ("sh:property", "[ sh:path oa:end ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ]")]))
    out.append(_block(SK + "SourcePartShape", [
        ("a", "sh:NodeShape"), ("sh:class", "sk:SourcePart"),
        ("sh:property", "[ sh:path sk:partName ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ]"),
        ("sh:property", "[ sh:path oa:start ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ]"),
        ("sh:property", "[ sh:path oa:end ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ]")]))
    negated = ("SELECT $this ?s ?o WHERE { $this sk:negated true ; sk:subject ?s ; sk:predicate ?p ; "
               "sk:object ?o . ?s ?p ?o . FILTER NOT EXISTS { ?other sk:subject ?s ; sk:predicate ?p ; "
               "sk:object ?o ; sk:negated false . } }")
    affirmed = ("SELECT $this ?s ?o WHERE { $this sk:negated false ; sk:subject ?s ; sk:predicate ?p ; "
                "sk:object ?o . FILTER NOT EXISTS { ?s ?p ?o } }")
    for name, message, query in (
        ("NegatedClaimHasNoDirectTriple", "a negated claim must not assert its direct triple", negated),
        ("AffirmedClaimHasDirectTriple", "a claim that is not negated asserts its direct triple", affirmed),
    ):
        out.append(_block(SK + name, [("a", "sh:SPARQLConstraint"), ("sh:message", _q(message)),
                                      ("sh:prefixes", "sk:prefixes"), ("sh:select", _q(query))]))
    out.append(_block(SK + "prefixes", [("sh:declare", f"[ sh:prefix \"sk\" ; sh:namespace \"{SK}\"^^xsd:anyURI ]")]))
    return "".join(out)


def prefixes_for(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes for serializations: the vocabularies plus the data namespaces under ``base``."""
    data = {k: f"{base}{k}/" for k in ("claim", "entity", "reference", "source")}
    return {**{k: v for k, v in NS.items() if k != "sh"}, **data}


def context(base: str = DEFAULT_BASE) -> dict:
    """The JSON-LD context: prefixes only, so every compact IRI expands the same in any processor."""
    return {"@context": prefixes_for(base)}  # no "@version": JSON-LD 1.0 processors refuse 1.1, and nothing here needs it


def prefix_map_records() -> list[dict]:
    """The extended prefix map of every ``XREF_PREFIXES`` entry (plus pubmed and doi), taken from
    bioregistry's default converter.  Needs the ``bioregistry`` package; run only to regenerate
    ``schema/prefixes.json``, which serokg reads at run time (offline, fast)."""
    import bioregistry

    from serokg.schema.models import XREF_PREFIXES

    converter = bioregistry.get_converter()
    out = []
    for prefix in (*XREF_PREFIXES, "pubmed", "doi"):
        norm = bioregistry.normalize_prefix(prefix)
        if norm is None:
            raise ValueError(f"bioregistry does not know the prefix {prefix!r}")
        record = converter.get_record(norm)
        if record is None:
            raise ValueError(f"bioregistry has no URI format for {prefix!r}")
        synonyms = sorted({norm} - {prefix})
        out.append({"prefix": prefix, "uri_prefix": record.uri_prefix, "prefix_synonyms": synonyms})
    return out


def _schema_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "schema"


def schema_files() -> Iterator[tuple[str, str]]:
    yield "vocab.ttl", vocab_turtle()
    yield "shapes.ttl", shapes_turtle()
    yield "context.jsonld", json.dumps(context(), indent=2) + "\n"


def write_prefix_map(folder: Path | None = None) -> None:
    """Regenerate ``schema/prefixes.json`` from bioregistry (a maintained registry, not hand-written URLs)."""
    from serokg.graph.write import write_text

    write_text((folder or _schema_dir()) / "prefixes.json",
               json.dumps(prefix_map_records(), indent=1, ensure_ascii=False) + "\n")


def write_schema_files(folder: Path | None = None) -> list[str]:
    """Write the generated schema files into ``folder`` (default: the package's schema/)."""
    from serokg.graph.write import write_text

    folder = folder or _schema_dir()
    names = []
    for name, text in schema_files():
        write_text(folder / name, text)
        names.append(name)
    return names


if __name__ == "__main__":
    import sys

    if "--prefixes" in sys.argv:
        write_prefix_map()
        print("wrote prefixes.json")
    print("wrote", ", ".join(write_schema_files()))
