"""Which identifier names an entity: one fixed CURIE prefix per entity type.

An entity's IRI is the standard IRI of its exact identifier (an ``xrefs`` entry) whose prefix is
``IRI_PREFIX[entity.type]``, expanded with ``schema/prefixes.json``; an entity without one, or of
a type without a prefix, has the local IRI ``{base}entity/{id}``.  No other identifier counts, so
adding a MeSH or DrugBank id, or any close, broad or related match, never moves an IRI, and the
receptor (a protein: UniProt) and its gene (NCBIGene) cannot share one.  The local id always stays
in ``sk:id``.

The prefixes are the first choice of Biolink's preferred prefixes for each type's category
(``biolink_model/prefixmaps/preferred_prefixes_per_class.json``; NCBIGene before HGNC for genes,
UniProtKB for proteins, CHEBI for chemical entities and mixtures).  Interventions (exercise, rTMS,
diets, light, stress models) have no namespace that covers them, and receptor sites none at all.
An entity lists at most one exact identifier of its IRI prefix (a data test checks it); two
entities that would share an IRI both keep their local one (:func:`serokg.graph.export.entity_iris`).

>>> from serokg.schema.models import Entity
>>> iri_curie(Entity(id="htr1a", label="5-HT1A receptor", type=EntityType.receptor,
...                  xrefs=("UniProt:P08908",), related_matches=("HGNC:5286",)))
'UniProt:P08908'
"""

from __future__ import annotations

from serokg.schema.models import Entity, EntityType

__all__ = ["IRI_PREFIX", "iri_curie"]

#: Entity type -> the CURIE prefix of the identifier that becomes its IRI (None: always local).
IRI_PREFIX: dict[EntityType, str | None] = {
    EntityType.chemical: "CHEBI",
    EntityType.drug_class: "CHEBI",  # ChEBI role terms: antidepressant, serotonin uptake inhibitor...
    EntityType.supplement: "CHEBI",  # extracts and mixtures ChEBI records (desiccated thyroid extract)
    EntityType.intervention: None,
    EntityType.receptor: "UniProt",
    EntityType.receptor_population: None,
    EntityType.gene: "NCBIGene",
    EntityType.variant: "dbSNP",
    EntityType.hormone: "CHEBI",
    EntityType.neurotransmitter: "CHEBI",
    EntityType.process: "GO",
    EntityType.phenotype: "HP",
    EntityType.disease: "MONDO",
    EntityType.anatomy: "UBERON",
    EntityType.cell_type: "CL",
    EntityType.organism: "NCBITaxon",
}


def iri_curie(entity: Entity) -> str | None:
    """The exact identifier whose IRI names the entity, or None (the entity's IRI is local)."""
    prefix = IRI_PREFIX[entity.type]
    if prefix is None:
        return None
    return next((x for x in entity.xrefs if x.partition(":")[0] == prefix), None)
