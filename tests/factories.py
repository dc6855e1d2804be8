"""factory_boy factories for test data (the real seed data lives in fixtures/)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from coalition import models

ARTICLE = (
    "Leaders met in Paris on Tuesday. The United Kingdom and France pledged to deploy troops "
    "“after a ceasefire”, while Italy said it would not send troops. "
    "Germany’s chancellor said forces could be “based in neighbouring territory”."
)


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ["code"]

    code = factory.Iterator(["GB", "FR", "DE", "IT", "PL", "UA", "US", "BE", "HR", "CZ"])


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    short_name = factory.Sequence(lambda n: f"O{n}")
    kind = models.Organisation.Kind.INTERNATIONAL


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    office = "Prime Minister"
    country = factory.SubFactory(CountryFactory)


class SummitFactory(DjangoModelFactory):
    class Meta:
        model = models.Summit

    name = factory.Sequence(lambda n: f"Summit {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    start_date = datetime.date(2026, 1, 6)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    city = "Paris"
    host_country = factory.LazyFunction(lambda: CountryFactory(code="FR"))


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = models.Participant
        skip_postgeneration_save = True

    summit = factory.SubFactory(SummitFactory)
    country = factory.SubFactory(CountryFactory)
    organisation = None
    role = models.Participant.Role.MEMBER
    level = models.Participant.Level.HEAD

    @factory.post_generation
    def representatives(self, create, extracted, **kwargs):
        if create and extracted:
            self.representatives.set(extracted)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = models.Document

    summit = factory.SubFactory(SummitFactory)
    slug = factory.Sequence(lambda n: f"document-{n}")
    title = factory.Sequence(lambda n: f"Declaration {n}")
    kind = models.Document.Kind.DECLARATION_OF_INTENT


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = models.Signatory

    document = factory.SubFactory(DocumentFactory)
    person = factory.SubFactory(PersonFactory)
    country = factory.LazyAttribute(lambda o: o.person.country)


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = models.Source

    file_name = factory.Sequence(lambda n: f"test_{n:03d}.txt")
    outlet = "Test Outlet"
    text = ARTICLE
    text_sha256 = factory.LazyAttribute(lambda o: models.sha256_of(o.text))


class StatementFactory(DjangoModelFactory):
    class Meta:
        model = models.Statement

    summit = factory.SubFactory(SummitFactory)
    slug = factory.Sequence(lambda n: f"statement-{n}")
    speaker = factory.SubFactory(PersonFactory)
    kind = models.Statement.Kind.DIRECT
    text = "after a ceasefire"


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = models.Commitment

    summit = factory.SubFactory(SummitFactory)
    slug = factory.Sequence(lambda n: f"commitment-{n}")
    country = factory.SubFactory(CountryFactory)
    organisation = None
    category = models.Commitment.Category.TROOPS
    stance = models.Commitment.Stance.CONDITIONAL
    condition = "after a ceasefire"
    description = "Will deploy troops after a ceasefire."


class DiscrepancyFactory(DjangoModelFactory):
    class Meta:
        model = models.Discrepancy

    summit = factory.SubFactory(SummitFactory)
    slug = factory.Sequence(lambda n: f"discrepancy-{n}")
    topic = "Which countries refused to send troops"
    description = "One source names Italy; another does not."


class CitationFactory(DjangoModelFactory):
    """A citation of a commitment; pass statement=… and commitment=None for a statement."""

    class Meta:
        model = models.Citation

    source = factory.SubFactory(SourceFactory)
    commitment = factory.SubFactory(CommitmentFactory)
    quote = "pledged to deploy troops “after a ceasefire”"
