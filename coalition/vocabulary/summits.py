"""What each summit produced besides commitments and statements: participants and their representatives,
documents and their signatories, and the points the sources disagree on."""

from django.db.models import OuterRef

from ..filters import DiscrepancyFilter, DocumentFilter, ParticipantFilter, RepresentativeFilter, SignatoryFilter
from ..models import Discrepancy, Document, Participant, Signatory
from . import Column, ForeignKey, PublicTable, codes
from .columns import (
    COUNTRY_CODE,
    ORGANISATION_SLUG,
    actor_columns,
    id_column,
    slug_column,
    sources_column,
    summit_column,
)

SUMMIT_KEY = ForeignKey(("summit",), "summits", ("slug",))
ACTOR_KEYS = (
    ForeignKey(("country_code",), "country_codes", ("code",)),
    ForeignKey(("organisation",), "organisation_codes", ("slug",)),
)

PARTICIPANTS = PublicTable(
    name="participants",
    title="Participants",
    description="One row per country or organisation that took part in a summit, with its role and the highest "
    "rank of those who represented it; who they were is in the representatives table.",
    model=Participant,
    columns=(
        id_column("participant"),
        summit_column(),
        *actor_columns(what="The participating country or organisation"),
        Column(
            "role",
            "string",
            "Its part in the summit.",
            "role",
            codes=codes(Participant.Role),
            required=True,
            trusted=True,
        ),
        Column(
            "level",
            "string",
            "The highest rank of those who represented it, as the sources report.",
            "level",
            codes=codes(Participant.Level),
            required=True,
            trusted=True,
        ),
    ),
    natural_key=("summit", "country_code", "organisation"),
    foreign_keys=(SUMMIT_KEY, *ACTOR_KEYS),
    filterset=ParticipantFilter,
)

REPRESENTATIVES = PublicTable(
    name="representatives",
    title="Representatives",
    description="One row per person who represented a participant at a summit.",
    model=Participant.representatives.through,
    columns=(
        Column(
            "participant_id", "integer", "The participant's id (see participants).", "participant_id", required=True
        ),
        summit_column("participant__summit__slug"),
        Column("person", "string", "The representative's name (see people).", "person__name", required=True),
    ),
    primary_key=("participant_id", "person"),
    natural_key=("participant_id", "person"),
    foreign_keys=(
        ForeignKey(("participant_id",), "participants", ("id",)),
        SUMMIT_KEY,
        ForeignKey(("person",), "people", ("name",)),
    ),
    filterset=RepresentativeFilter,
)

DOCUMENTS = PublicTable(
    name="documents",
    title="Documents",
    description="One row per text a summit produced, e.g. a joint declaration or a declaration of intent.",
    model=Document,
    columns=(
        id_column("document"),
        summit_column(),
        slug_column("document"),
        Column("title", "string", "The title as the sources give it.", "title", required=True),
        Column(
            "kind",
            "string",
            "What sort of document it is.",
            "kind",
            codes=codes(Document.Kind),
            required=True,
            trusted=True,
        ),
        Column(
            "signed_on", "date", "When it was signed or adopted; empty when no source says.", "signed_on", trusted=True
        ),
        Column("description", "string", "What it sets out, in the editors' words.", "description"),
    ),
    natural_key=("summit", "slug"),
    foreign_keys=(SUMMIT_KEY,),
    filterset=DocumentFilter,
)

SIGNATORIES = PublicTable(
    name="signatories",
    title="Signatories",
    description="One row per person who signed a document, and the country or organisation they signed for.",
    model=Signatory,
    columns=(
        id_column("signature"),
        summit_column("document__summit__slug"),
        Column("document_id", "integer", "The document's id (see documents).", "document_id", required=True),
        Column("document", "string", "The document's slug within the summit.", "document__slug", required=True),
        Column("person", "string", "The signer's name (see people).", "person__name", required=True),
        Column(
            "country_code",
            "string",
            f"The country signed for, {COUNTRY_CODE}; empty when none.",
            "country_id",
            trusted=True,
        ),
        Column(
            "organisation",
            "string",
            f"The organisation signed for, its {ORGANISATION_SLUG}; empty when none.",
            "organisation__slug",
        ),
        Column(
            "disputed",
            "boolean",
            "true when the sources disagree whether this person signed (the discrepancies table records how).",
            "disputed",
            required=True,
        ),
    ),
    natural_key=("summit", "document", "person"),
    foreign_keys=(
        SUMMIT_KEY,
        ForeignKey(("document_id",), "documents", ("id",)),
        ForeignKey(("person",), "people", ("name",)),
        *ACTOR_KEYS,
    ),
    filterset=SignatoryFilter,
)

DISCREPANCIES = PublicTable(
    name="discrepancies",
    title="Discrepancies between sources",
    description="One row per point on which the sources disagree; each source's version is a citation of it "
    "(citations.discrepancy_id).",
    model=Discrepancy,
    columns=(
        id_column("discrepancy"),
        summit_column(),
        slug_column("discrepancy"),
        Column("topic", "string", "What the sources disagree on.", "topic", required=True),
        Column(
            "description",
            "string",
            "The versions the sources give, in the editors' words, unresolved.",
            "description",
            required=True,
        ),
        sources_column("How many distinct sources give a version of it.", discrepancy=OuterRef("pk")),
    ),
    natural_key=("summit", "slug"),
    foreign_keys=(SUMMIT_KEY,),
    filterset=DiscrepancyFilter,
)
