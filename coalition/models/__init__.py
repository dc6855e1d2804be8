"""The coalition schema: summits, who took part, what they said and promised, and the sources."""

from .actors import Country, Organisation, Person
from .citations import Citation
from .records import Commitment, Discrepancy, Statement
from .sources import Source, sha256_of
from .summits import Document, Participant, Signatory, Summit

__all__ = [
    "Citation",
    "Commitment",
    "Country",
    "Discrepancy",
    "Document",
    "Organisation",
    "Participant",
    "Person",
    "Signatory",
    "Source",
    "Statement",
    "Summit",
    "sha256_of",
]
