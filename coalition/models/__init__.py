"""The coalition schema: summits, who took part, what they said and promised, and the sources."""

from .actors import Country, Organisation, Person
from .citations import Citation
from .records import Commitment, Discrepancy, Statement
from .sources import Source, sha256_of
from .summaries import DERIVED_MODELS, DataVersion, StanceTally
from .summits import Document, Participant, Signatory, Summit

__all__ = [
    "DERIVED_MODELS",
    "Citation",
    "Commitment",
    "Country",
    "DataVersion",
    "Discrepancy",
    "Document",
    "Organisation",
    "Participant",
    "Person",
    "Signatory",
    "Source",
    "StanceTally",
    "Statement",
    "Summit",
    "sha256_of",
]
