"""The model's closed vocabularies in Biolink terms: one category per entity type, one predicate per
predicate, and how close each match is.  Defined once here; the RDF vocabulary, the KGX export and
any Biolink consumer read it from this module.

>>> CATEGORY[EntityType.gene]
'biolink:Gene'
>>> category_of(Entity(id="lithium", label="lithium", type=EntityType.chemical))
'biolink:ChemicalEntity'
"""

from __future__ import annotations

from serokg.schema.models import Entity, EntityType, Predicate

__all__ = ["CATEGORY", "CATEGORY_MATCH", "PREDICATE", "PREDICATE_MATCH", "category_of"]

#: Entity type -> (how close the match is, Biolink category CURIE).
CATEGORY_MATCH: dict[EntityType, tuple[str, str]] = {
    EntityType.chemical: ("skos:exactMatch", "biolink:ChemicalEntity"),
    EntityType.drug_class: ("skos:closeMatch", "biolink:ChemicalEntity"),
    EntityType.supplement: ("skos:closeMatch", "biolink:ChemicalMixture"),
    EntityType.intervention: ("skos:closeMatch", "biolink:Treatment"),
    EntityType.receptor: ("skos:closeMatch", "biolink:Protein"),
    EntityType.receptor_population: ("skos:closeMatch", "biolink:Protein"),
    EntityType.gene: ("skos:exactMatch", "biolink:Gene"),
    EntityType.variant: ("skos:exactMatch", "biolink:SequenceVariant"),
    EntityType.hormone: ("skos:closeMatch", "biolink:ChemicalEntity"),
    EntityType.neurotransmitter: ("skos:closeMatch", "biolink:ChemicalEntity"),
    EntityType.process: ("skos:exactMatch", "biolink:BiologicalProcess"),
    EntityType.phenotype: ("skos:exactMatch", "biolink:PhenotypicFeature"),
    EntityType.disease: ("skos:exactMatch", "biolink:Disease"),
    EntityType.anatomy: ("skos:exactMatch", "biolink:AnatomicalEntity"),
    EntityType.cell_type: ("skos:exactMatch", "biolink:Cell"),
    EntityType.organism: ("skos:exactMatch", "biolink:OrganismTaxon"),
}

#: Predicate -> (how close the match is, Biolink predicate CURIE).
PREDICATE_MATCH: dict[Predicate, tuple[str, str]] = {
    Predicate.affects: ("skos:exactMatch", "biolink:affects"),
    Predicate.activates: ("skos:closeMatch", "biolink:affects"),
    Predicate.inhibits: ("skos:closeMatch", "biolink:affects"),
    Predicate.binds: ("skos:closeMatch", "biolink:directly_physically_interacts_with"),
    Predicate.interacts_with: ("skos:closeMatch", "biolink:physically_interacts_with"),
    Predicate.associated_with: ("skos:exactMatch", "biolink:associated_with"),
    Predicate.contributes_to: ("skos:exactMatch", "biolink:contributes_to"),
    Predicate.treats: ("skos:exactMatch", "biolink:treats"),
    Predicate.located_in: ("skos:exactMatch", "biolink:located_in"),
    Predicate.variant_of: ("skos:exactMatch", "biolink:is_sequence_variant_of"),
}

CATEGORY: dict[EntityType, str] = {t: c for t, (_, c) in CATEGORY_MATCH.items()}
PREDICATE: dict[Predicate, str] = {p: c for p, (_, c) in PREDICATE_MATCH.items()}


def category_of(entity: Entity) -> str:
    """The Biolink category of an entity (by its type)."""
    return CATEGORY[entity.type]
