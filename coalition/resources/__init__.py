"""django-import-export resources for every model, on readable natural keys, in import order."""

from .actors import CountryResource, OrganisationResource, PersonResource
from .records import CitationResource, CommitmentResource, DiscrepancyResource, SourceResource, StatementResource
from .summits import DocumentResource, ParticipantResource, SignatoryResource, SummitResource

# Each table only refers to tables before it, so importing in this order always resolves.
RESOURCES = [
    CountryResource,
    OrganisationResource,
    PersonResource,
    SummitResource,
    ParticipantResource,
    DocumentResource,
    SignatoryResource,
    SourceResource,
    StatementResource,
    CommitmentResource,
    DiscrepancyResource,
    CitationResource,
]
RESOURCE_FOR_MODEL = {resource._meta.model: resource for resource in RESOURCES}

__all__ = ["RESOURCES", "RESOURCE_FOR_MODEL", *(r.__name__ for r in RESOURCES)]
