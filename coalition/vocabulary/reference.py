"""The reference tables: the countries, organisations, people and summits the other tables name."""

from ..models import Country, Organisation, Person, Summit
from . import Column, ForeignKey, PublicTable, codes
from .columns import COUNTRY_CODE, ORGANISATION_SLUG, id_column

COUNTRY_CODES = PublicTable(
    name="country_codes",
    title="Country codes",
    description="One row per country the data can name: its ISO 3166-1 alpha-2 code (the country_code of the "
    "other tables) and its name. The per-country stance counts of the country list are /countries.csv.",
    model=Country,
    columns=(
        Column("code", "string", "ISO 3166-1 alpha-2 code, e.g. FR.", "code", required=True, unique=True, trusted=True),
        Column(
            "name",
            "string",
            "The country's common English name, as ISO 3166 gives it.",
            "name",
            required=True,
            unique=True,
        ),
    ),
    primary_key=("code",),
    natural_key=("code",),
)

ORGANISATION_CODES = PublicTable(
    name="organisation_codes",
    title="Organisations",
    description="One row per international organisation, alliance or informal format: its slug (the "
    "organisation of the other tables), names and kind. The per-organisation stance counts are "
    "/organisations.csv.",
    model=Organisation,
    columns=(
        id_column("organisation"),
        Column("slug", "string", "The organisation's identifier, e.g. eu.", "slug", required=True, unique=True),
        Column("name", "string", "Its full name, e.g. European Union.", "name", required=True, unique=True),
        Column("short_name", "string", "Its abbreviation, e.g. EU; empty when it has none.", "short_name"),
        Column(
            "kind",
            "string",
            "What sort of body it is.",
            "kind",
            codes=codes(Organisation.Kind),
            required=True,
            trusted=True,
        ),
        Column("description", "string", "One or two sentences about it, in the editors' words.", "description"),
    ),
    natural_key=("slug",),
)

PEOPLE = PublicTable(
    name="people",
    title="People",
    description="One row per person who represented a country or organisation, signed a document or is quoted.",
    model=Person,
    columns=(
        id_column("person"),
        Column(
            "name",
            "string",
            "The name in its most common spelling in the sources; the speaker, person and "
            "representative of the other tables.",
            "name",
            required=True,
            unique=True,
        ),
        Column(
            "other_spellings", "string", "Other spellings the sources use, separated by semicolons.", "name_variants"
        ),
        Column(
            "office",
            "string",
            "The office or role the sources give, e.g. Prime Minister of the United Kingdom.",
            "office",
        ),
        Column(
            "country_code",
            "string",
            f"The country the person represents or belongs to, {COUNTRY_CODE}.",
            "country_id",
            trusted=True,
        ),
        Column(
            "organisation",
            "string",
            f"The organisation the person represents or works for, its {ORGANISATION_SLUG}.",
            "organisation__slug",
        ),
    ),
    natural_key=("name",),
    foreign_keys=(
        ForeignKey(("country_code",), "country_codes", ("code",)),
        ForeignKey(("organisation",), "organisation_codes", ("slug",)),
    ),
)

SUMMITS = PublicTable(
    name="summits",
    title="Summits",
    description="One row per diplomatic meeting: when and where it took place, and its size as the sources report it.",
    model=Summit,
    columns=(
        id_column("summit"),
        Column(
            "slug",
            "string",
            "The summit's identifier, e.g. paris-2026; the summit of the other tables.",
            "slug",
            required=True,
            unique=True,
        ),
        Column("name", "string", "The name the sources use.", "name", required=True),
        Column("start_date", "date", "The first day of the summit.", "start_date", required=True, trusted=True),
        Column(
            "end_date",
            "date",
            "The last day; the start date for a one-day meeting.",
            "end_date",
            required=True,
            trusted=True,
        ),
        Column("city", "string", "Where it was held.", "city", required=True),
        Column(
            "host_country",
            "string",
            f"The country it took place in, {COUNTRY_CODE}.",
            "host_country_id",
            required=True,
            trusted=True,
        ),
        Column(
            "reported_country_count",
            "integer",
            "How many countries the sources say took part; empty when no "
            "source says (the participants table lists those the sources name).",
            "reported_country_count",
        ),
        Column(
            "reported_leader_count",
            "integer",
            "How many countries the sources say were represented by a "
            "head of state or government; empty when no source says.",
            "reported_leader_count",
        ),
        Column("description", "string", "A short account, in the editors' words.", "description"),
    ),
    natural_key=("slug",),
    foreign_keys=(ForeignKey(("host_country",), "country_codes", ("code",)),),
)
