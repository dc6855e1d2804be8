import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coalition.models import Citation, Commitment, Country, Participant, Source, Summit

from .factories import (
    ARTICLE,
    CitationFactory,
    CommitmentFactory,
    CountryFactory,
    DiscrepancyFactory,
    DocumentFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
    SignatoryFactory,
    SourceFactory,
    StatementFactory,
    SummitFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    """Return True when the database refuses the write."""
    try:
        with transaction.atomic():
            callable_(*args, **kwargs)
    except IntegrityError:
        return True
    return False


def test_every_iso_country_is_loaded_with_its_name():
    assert Country.objects.count() >= 249
    assert Country.objects.get(code="GB").name == "United Kingdom"


def test_a_participant_with_both_a_country_and_an_organisation_is_refused():
    assert refused(ParticipantFactory, organisation=OrganisationFactory())


def test_a_participant_with_neither_a_country_nor_an_organisation_is_refused():
    assert refused(ParticipantFactory, country=None)


def test_a_country_takes_part_in_a_summit_only_once():
    participant = ParticipantFactory()
    assert refused(ParticipantFactory, summit=participant.summit, country=participant.country)


def test_an_organisation_can_take_part_instead_of_a_country():
    participant = ParticipantFactory(country=None, organisation=OrganisationFactory(short_name="EU"))
    assert participant.actor_name == participant.organisation.name


def test_a_summit_that_ends_before_it_starts_is_refused():
    assert refused(SummitFactory, start_date=datetime.date(2026, 1, 6), end_date=datetime.date(2026, 1, 5))


def test_a_summit_end_before_start_is_a_validation_error_too():
    summit = SummitFactory.build(
        start_date=datetime.date(2026, 1, 6), end_date=datetime.date(2026, 1, 5), host_country=CountryFactory()
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        summit.full_clean()


def test_a_commitment_by_both_a_country_and_an_organisation_is_refused():
    assert refused(CommitmentFactory, organisation=OrganisationFactory())


def test_a_conditional_commitment_without_its_condition_is_refused():
    assert refused(CommitmentFactory, stance=Commitment.Stance.CONDITIONAL, condition="")
    assert not refused(CommitmentFactory, stance=Commitment.Stance.REFUSAL, condition="")


def test_a_verbatim_quote_is_saved_with_computed_offsets():
    citation = CitationFactory(quote="Italy said it would not send troops")
    assert ARTICLE[citation.start : citation.end] == "Italy said it would not send troops"


def test_a_quote_with_one_changed_character_is_refused_with_what_did_not_match():
    citation = CitationFactory.build(
        source=SourceFactory(), commitment=CommitmentFactory(), quote="Italy said it would not send tr0ops"
    )
    with pytest.raises(ValidationError) as caught:
        citation.full_clean()
    message = " ".join(caught.value.message_dict["quote"])
    assert "first 31 characters match" in message
    assert "“0ops”" in message and "“oops." in message


def test_a_non_verbatim_quote_cannot_be_saved_outside_forms_either():
    with pytest.raises(ValidationError):
        CitationFactory(quote="Italy refused")
    assert not Citation.objects.exists()


def test_the_database_refuses_offsets_that_do_not_span_the_quote():
    citation = CitationFactory()
    assert refused(Citation.objects.filter(pk=citation.pk).update, end=citation.end + 1)


def test_a_citation_backs_exactly_one_record():
    citation = CitationFactory()
    statement = StatementFactory()
    assert refused(Citation.objects.filter(pk=citation.pk).update, statement=statement)
    assert refused(Citation.objects.filter(pk=citation.pk).update, commitment=None)


def test_citations_can_back_statements_and_discrepancies():
    statement_citation = CitationFactory(commitment=None, statement=StatementFactory(), quote="after a ceasefire")
    discrepancy_citation = CitationFactory(commitment=None, discrepancy=DiscrepancyFactory(), quote="Italy said")
    assert statement_citation.subject_type == "statement"
    assert discrepancy_citation.subject_type == "discrepancy"


def test_a_source_without_text_is_refused_by_the_database():
    # bulk_create sends no pre_save signal: the receiver would refuse the empty text before the database does.
    assert refused(Source.objects.bulk_create, [Source(file_name="empty.txt", text="", text_sha256="0" * 64)])


def test_a_seed_source_reads_its_text_from_the_seeds_folder_and_fingerprints_it(settings):
    source = Source.objects.create(file_name="000_3c7132a909154011.txt")
    on_disk = (settings.SEEDS_DIR / source.file_name).read_bytes()
    assert source.text.encode("utf-8") == on_disk
    assert len(source.text_sha256) == 64


def test_a_source_without_text_or_seed_file_fails_validation_naming_the_file():
    with pytest.raises(ValidationError, match="nowhere.txt"):
        Source(file_name="nowhere.txt").full_clean()


@pytest.mark.parametrize(
    "factory",
    [
        OrganisationFactory,
        PersonFactory,
        SummitFactory,
        ParticipantFactory,
        DocumentFactory,
        SignatoryFactory,
        SourceFactory,
        StatementFactory,
        CommitmentFactory,
        DiscrepancyFactory,
        CitationFactory,
    ],
)
def test_every_model_finds_a_record_by_its_natural_key(factory):
    record = factory()
    manager = type(record)._default_manager
    assert manager.get_by_natural_key(*record.natural_key()) == record
    assert str(record)


def test_a_country_natural_key_is_its_iso_code():
    assert Country.objects.get_by_natural_key("DE").natural_key() == ("DE",)


def test_history_records_who_changed_what():
    summit = SummitFactory(city="Paris")
    summit.city = "Versailles"
    summit.save()
    assert [h.city for h in summit.history.all()] == ["Versailles", "Paris"]


def test_participant_history_keeps_representatives():
    person = PersonFactory()
    participant = ParticipantFactory(representatives=[person])
    assert Participant.history.filter(id=participant.pk).exists()


def test_summit_ordering_is_newest_first():
    older = SummitFactory(start_date=datetime.date(2025, 3, 2))
    newer = SummitFactory(start_date=datetime.date(2026, 1, 6))
    assert list(Summit.objects.all()) == [newer, older]
