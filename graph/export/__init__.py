"""Out: the dataset as RDF (every format, read back losslessly, SHACL), networkx files and triple stores.

One module per job: :mod:`.terms` (N-Triples terms, entity IRIs), :mod:`.triples` (the mapping of
every field, as plain generators), :mod:`.fast` (the streaming writer, pinned to the mapping by a
test), :mod:`.serialize` (every RDF format), :mod:`.reader` (RDF back to records), :mod:`.shacl`,
:mod:`.netx` (GraphML, node-link JSON) and :mod:`.store` (the embedded store, push and remote SPARQL).

>>> from serokg.graph.read import load
>>> import io
>>> export(load(), "turtle", io.BytesIO()) > 0
True
"""

from serokg.graph.export.fast import write_nt
from serokg.graph.export.reader import Records, guess_format, parse_rdf, read_rdf
from serokg.graph.export.serialize import DATASET_FORMATS, FORMATS, export
from serokg.graph.export.shacl import ShaclReport, validate_shacl
from serokg.graph.export.terms import entity_iris, xref_converter
from serokg.graph.export.triples import quads

__all__ = [
    "DATASET_FORMATS", "FORMATS", "Records", "ShaclReport", "entity_iris", "export", "guess_format",
    "parse_rdf", "quads", "read_rdf", "validate_shacl", "write_nt", "xref_converter",
]
