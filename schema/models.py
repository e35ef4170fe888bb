"""The data model: pydantic models and closed vocabularies.  The single source of truth.

Everything else (the JSON Schema files beside this module, the RDF vocabulary, SHACL shapes,
the reader, the graph, the viewer) derives from these classes.  Models are frozen and reject
unknown keys.

>>> Entity(id="lithium", label="lithium", type=EntityType.chemical).type.value
'chemical'
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Aspect",
    "Citation",
    "Claim",
    "Confidence",
    "Direction",
    "Entity",
    "EntityType",
    "Evidence",
    "Fidelity",
    "FidelityVerdict",
    "Modality",
    "OrganismBasis",
    "Part",
    "Predicate",
    "Reference",
    "ReferenceStatus",
    "Regimen",
    "Source",
    "StudySystem",
    "XREF_PREFIXES",
]

SLUG = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
MARKER = r"^R\d\d$"

#: CURIE prefixes accepted in ``Entity.xrefs`` and the other match fields.  Spelled as bioregistry's
#: preferred prefix where it records one (CHEBI, NCBIGene, DOID, EFO, MAXO...), else as bioregistry's
#: prefix in capitals, as Biolink and OBO write them (HGNC, MESH, DRUGBANK, PUBCHEM.COMPOUND, FPLX);
#: UniProt and dbSNP keep the spelling the data has always used.  ``schema/prefixes.json`` records
#: bioregistry's own spelling of each as a synonym (``python -m serokg.graph.vocab --prefixes``).
XREF_PREFIXES: tuple[str, ...] = (
    "CHEBI", "HGNC", "NCBIGene", "UniProt", "NCBITaxon", "UBERON", "MONDO", "HP", "GO",
    "dbSNP", "MESH", "CL", "DRUGBANK", "PUBCHEM.COMPOUND", "NCIT", "PR", "DOID", "EFO", "FPLX", "MAXO",
)
_CURIE = re.compile(r"^(" + "|".join(re.escape(p) for p in XREF_PREFIXES) + r"):[A-Za-z0-9_.-]+$")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# --- closed vocabularies -------------------------------------------------------------------


class EntityType(StrEnum):
    """What kind of thing a node is."""

    chemical = "chemical"
    drug_class = "drug_class"
    supplement = "supplement"  # plants, extracts and dietary supplements
    intervention = "intervention"  # exercise, rTMS, diets
    receptor = "receptor"
    receptor_population = "receptor_population"  # a receptor at one site: autoreceptor, postsynaptic
    gene = "gene"
    variant = "variant"
    hormone = "hormone"
    neurotransmitter = "neurotransmitter"
    process = "process"  # physiological or cellular process
    phenotype = "phenotype"
    disease = "disease"
    anatomy = "anatomy"
    cell_type = "cell_type"
    organism = "organism"


class Predicate(StrEnum):
    """The relation a claim asserts.  Causal predicates take a direction and an aspect."""

    affects = "affects"  # causal effect; direction and aspect say which way and on what
    activates = "activates"  # agonism / activation of a receptor
    inhibits = "inhibits"  # antagonism / blocking
    binds = "binds"
    interacts_with = "interacts_with"  # physical interaction, e.g. receptor heteromers
    associated_with = "associated_with"  # correlation, no causal claim
    contributes_to = "contributes_to"  # a part of the cause of a phenotype or effect
    treats = "treats"  # therapeutic effect on a disease or symptom
    located_in = "located_in"
    variant_of = "variant_of"


class Direction(StrEnum):
    """Which way the object (its aspect) moves."""

    increased = "increased"
    decreased = "decreased"


class Aspect(StrEnum):
    """The aspect of a node that changes (Biolink's aspect qualifier)."""

    activity = "activity"  # activation / activity of a receptor or process
    sensitivity = "sensitivity"  # responsiveness of a receptor to agonists
    abundance = "abundance"  # number / density of receptors, amount of a protein
    expression = "expression"  # mRNA / gene expression
    binding = "binding"
    signalling = "signalling"
    release = "release"  # release or secretion
    level = "level"  # concentration of a substance
    response = "response"  # a measured response (e.g. hypothermic response)
    phase = "phase"  # circadian phase
    rate = "rate"
    perception = "perception"
    function = "function"  # unspecified function ("negative effects on the receptor")


class Modality(StrEnum):
    """How strongly the text commits to the claim (kept apart from negation)."""

    asserted = "asserted"
    hedged = "hedged"  # "presumably", "it's thought", "maybe", "suggest", "possibly"
    speculative = "speculative"  # the author's inference or advice
    anecdotal = "anecdotal"  # the writer's own experience


class OrganismBasis(StrEnum):
    """Where the organism of a claim comes from."""

    stated = "stated"  # the article (or comment) names it
    cited_source = "cited_source"  # the linked reference studied it
    not_stated = "not_stated"


class StudySystem(StrEnum):
    in_vivo = "in_vivo"
    in_vitro = "in_vitro"
    ex_vivo = "ex_vivo"  # postmortem tissue, slices
    review = "review"  # the cited source is a review or encyclopedia


class Regimen(StrEnum):
    acute = "acute"
    chronic = "chronic"


class Part(StrEnum):
    """Which part of the source document the evidence sits in."""

    body = "body"
    comment = "comment"


class FidelityVerdict(StrEnum):
    """How faithfully the article reports the source it cites."""

    supported = "supported"
    overstated = "overstated"
    generalised = "generalised"  # e.g. a rat finding stated as if for people
    contradicted = "contradicted"
    unverifiable = "unverifiable"  # a marker whose source could not be resolved or checked
    no_source = "no_source"  # the text cites nothing


class Confidence(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class ReferenceStatus(StrEnum):
    reconstructed = "reconstructed"  # found again after the article's links were lost
    verified = "verified"  # checked by a curator against the publication


# --- records -------------------------------------------------------------------------------

Slug = Annotated[str, Field(pattern=SLUG, min_length=2, max_length=120)]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Curie = Annotated[str, Field(pattern=_CURIE.pattern)]


class Entity(_Model):
    """A node: a substance, receptor, receptor site, region, disorder, organism..."""

    id: Annotated[Slug, Field(description="Short readable slug, e.g. 'lithium', 'htr1a-autoreceptor'")]
    label: Annotated[Text, Field(description="Human-readable name")]
    type: EntityType
    synonyms: Annotated[tuple[Text, ...], Field(description="Other names, used by term search")] = ()
    xrefs: Annotated[
        tuple[Curie, ...],
        Field(description="Standard identifiers of exactly this concept as CURIEs (CHEBI:28790, HGNC:5286, "
              "NCBITaxon:9606...): skos:exactMatch.  Each has its evidence row in data/mappings.sssom.tsv"),
    ] = ()
    close_matches: Annotated[
        tuple[Curie, ...],
        Field(description="Identifiers of nearly the same concept (skos:closeMatch): the same substance under "
              "another convention, a slightly wider or narrower sense.  Never the entity's IRI"),
    ] = ()
    broad_matches: Annotated[
        tuple[Curie, ...],
        Field(description="Identifiers of a broader concept (skos:broadMatch): the entity is a kind or part of "
              "it (5-HT1A agonists -> serotonergic agonist)"),
    ] = ()
    related_matches: Annotated[
        tuple[Curie, ...],
        Field(description="Identifiers of an associated concept that is neither broader nor narrower "
              "(skos:relatedMatch): the precursor gene of a peptide hormone, the state a trait's change names"),
    ] = ()
    no_match_reason: Annotated[
        Text | None,
        Field(description="Why no identifier applies (receptor sites, heteromers, vague concepts, a species "
              "with no record); mirrored by an sssom:NoTermFound row in data/mappings.sssom.tsv"),
    ] = None
    parent: Annotated[
        Slug | None,
        Field(description="The broader node this one is a site, kind or part of (htr1a-autoreceptor -> htr1a)"),
    ] = None
    description: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> Entity:
        seen: dict[str, str] = {}
        for name in ("xrefs", "close_matches", "broad_matches", "related_matches"):
            for curie in getattr(self, name):
                if seen.setdefault(curie, name) != name:
                    raise ValueError(f"{curie} is in both {seen[curie]} and {name}: one match type per identifier")
        if seen and self.no_match_reason is not None:
            raise ValueError("an entity with identifiers has no no_match_reason")
        return self


class Evidence(_Model):
    """Where the claim is stated: a verbatim quote anchored by offsets in a source document."""

    source: Annotated[Slug, Field(description="Id of a source document in data/sources/")]
    quote: Annotated[Text, Field(description="Verbatim text; equals source_text[start:end]")]
    start: Annotated[int, Field(ge=0, description="Python str index into the UTF-8-decoded source")]
    end: Annotated[int, Field(gt=0, description="End offset, exclusive")]
    section: Annotated[Text, Field(description="Heading of the section the quote sits in")]
    section_inferred: Annotated[
        bool, Field(description="The heading was lost from the source and is inferred by the curator")
    ] = False
    part: Part = Part.body
    commenter: Annotated[Text | None, Field(description="Handle of the reader who wrote a comment")] = None

    @model_validator(mode="after")
    def _check(self) -> Evidence:
        if self.end - self.start != len(self.quote):
            raise ValueError(f"end - start is {self.end - self.start} but the quote has {len(self.quote)} characters")
        if (self.part is Part.comment) != (self.commenter is not None):
            raise ValueError("a comment needs its commenter, and only a comment has one")
        return self


class Citation(_Model):
    marker: Annotated[str | None, Field(pattern=MARKER, description="Citation marker R01-R44, or null")] = None
    reference: Annotated[Slug | None, Field(description="Id of the resolved reference in references.jsonl")] = None

    @model_validator(mode="after")
    def _check(self) -> Citation:
        if self.reference is not None and self.marker is None:
            raise ValueError("a reference needs the marker that cites it")
        return self


class Fidelity(_Model):
    verdict: FidelityVerdict
    reason: Text


class Claim(_Model):
    """One assertion of the source: a typed edge subject -predicate-> object with its context."""

    id: Annotated[Slug, Field(description="Stable id, the same in JSONL, graph, RDF and HTML")]
    subject: Slug
    predicate: Predicate
    object: Slug
    subject_aspect: Annotated[
        Aspect | None, Field(description="Aspect of the subject that acts, e.g. 'activity' for '5-HT1A activation'")
    ] = None
    subject_direction: Annotated[
        Direction | None,
        Field(description="Which way the subject's aspect moves, when the text says so ('low serotonin', "
              "'5-HT2C hypofunction'); unset means the aspect is present or raised"),
    ] = None
    direction: Annotated[Direction | None, Field(description="Which way the object's aspect moves, if stated")] = None
    aspect: Annotated[Aspect | None, Field(description="Aspect of the object that changes")] = None
    negated: Annotated[bool, Field(description="The text denies the statement (e.g. 'while not changing')")] = False
    modality: Modality = Modality.asserted
    organism: Annotated[Slug | None, Field(description="Entity id of the organism (type organism)")] = None
    organism_basis: OrganismBasis = OrganismBasis.not_stated
    study_system: StudySystem | None = None
    anatomy: Annotated[tuple[Slug, ...], Field(description="Entity ids of the regions or tissues")] = ()
    regimen: Regimen | None = None
    dose: Annotated[Text | None, Field(description="Dose as stated, e.g. 'low doses'")] = None
    condition: Annotated[
        Text | None, Field(description="Other stated context: stimulus intensity, time of day, model")
    ] = None
    list_heading: Annotated[
        Text | None, Field(description="A list heading that asserts something about this item")
    ] = None
    evidence: Evidence
    citation: Citation = Citation()
    fidelity: Fidelity
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> Claim:
        if self.subject == self.object:
            raise ValueError("subject and object are the same entity")
        if self.subject_direction is not None and self.subject_aspect is None:
            raise ValueError("subject_direction needs the subject_aspect it applies to")
        if self.organism is None and self.organism_basis is not OrganismBasis.not_stated:
            raise ValueError(f"organism_basis is {self.organism_basis.value} but no organism is given")
        if self.organism is not None and self.organism_basis is OrganismBasis.not_stated:
            raise ValueError("an organism is given but organism_basis is not_stated")
        if self.citation.marker is None and self.fidelity.verdict is not FidelityVerdict.no_source:
            raise ValueError("a claim without a citation marker has fidelity verdict no_source")
        if self.citation.marker is not None and self.fidelity.verdict is FidelityVerdict.no_source:
            raise ValueError("a cited claim cannot have fidelity verdict no_source")
        return self


class Reference(_Model):
    """A cited publication, reconstructed from the reference table."""

    id: Slug
    markers: Annotated[tuple[Annotated[str, Field(pattern=MARKER)], ...], Field(min_length=1)]
    title: Text
    first_author: Text | None = None
    year: Annotated[int | None, Field(ge=1800, le=2100)] = None
    journal: Text | None = None
    pmid: Annotated[str | None, Field(pattern=r"^[1-9]\d{0,8}$")] = None
    doi: Annotated[str | None, Field(pattern=r"^10\.\d{4,9}/\S+$")] = None
    organism_studied: Text | None = None
    study_system: StudySystem | None = None
    status: ReferenceStatus = ReferenceStatus.reconstructed
    confidence: Confidence
    seen_at: Annotated[Text | None, Field(description="Page where the identifiers were seen")] = None
    finding: Text | None = None
    notes: Text | None = None


class Source(_Model):
    """A source document (the article) whose text the evidence quotes; stored in data/sources/."""

    id: Slug
    title: Text
    opening_line: Text | None = None
    site: Text | None = None
    url: Text | None = None
    author: Text | None = None
    text_file: Text
    markers_file: Annotated[
        Text | None, Field(description="JSON file beside this one listing the source's citation markers")
    ] = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    offsets: Text | None = None
    parts: dict[str, tuple[int, int]] = {}
    notes: Text | None = None
