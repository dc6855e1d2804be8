"""The stored counts equal a fresh count after every way of writing: forms, imports, reverts, bulk and raw SQL."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition import aggregates
from coalition.importers import import_tables
from coalition.models import Citation, Commitment, StanceTally, Summit
from coalition.seed import load_seed_data

from . import factories
from .test_admin_import_export import HEADER, confirm, upload
from .test_history import revert_form_data, revert_url

pytestmark = pytest.mark.django_db

QUOTES = ["Leaders met in Paris", "pledged to deploy troops", "Italy said it would not send troops", "Germany"]


def assert_counts_fresh():
    assert aggregates.mismatches() == []


def tally(commitment) -> int:
    actor = {"country": commitment.country} if commitment.country_id else {"organisation": commitment.organisation}
    row = StanceTally.objects.filter(
        summit=commitment.summit, category=commitment.category, stance=commitment.stance, **actor
    ).first()
    return row.commitment_count if row else 0


def test_the_seed_data_is_counted_as_it_loads():
    load_seed_data()
    assert_counts_fresh()
    paris = Summit.objects.get()
    assert (paris.commitment_count, paris.statement_count) == (Commitment.objects.count(), paris.statements.count())
    italy = Commitment.objects.get(summit=paris, country="IT", stance="refusal")
    assert italy.source_count == italy.citations.filter(relation="supports").values("source").distinct().count() > 1


def test_counts_follow_creates_edits_and_deletes():
    commitment = factories.CommitmentFactory(stance="pledge", condition="")
    summit, source = commitment.summit, factories.SourceFactory()
    assert (summit.__class__.objects.get(pk=summit.pk).commitment_count, tally(commitment)) == (1, 1)
    first = factories.CitationFactory(commitment=commitment, source=source, quote=QUOTES[0])
    factories.CitationFactory(commitment=commitment, source=source, quote=QUOTES[1])  # the same source again
    other = factories.CitationFactory(commitment=commitment, quote=QUOTES[2], relation="contradicts")
    commitment.refresh_from_db()
    assert (commitment.source_count, commitment.contradicting_count) == (1, 1)
    source.refresh_from_db()
    assert source.citation_count == 2

    commitment.stance, commitment.country = "refusal", factories.CountryFactory(code="IT")
    commitment.save()  # moves it to another tally row; the old one goes
    assert tally(commitment) == 1
    assert not StanceTally.objects.filter(stance="pledge").exists()
    other.relation = "supports"
    other.save()
    first.delete()
    commitment.refresh_from_db()
    assert (commitment.source_count, commitment.contradicting_count) == (2, 0)
    assert_counts_fresh()

    summit.delete()  # cascades to the commitment and its citations
    assert not StanceTally.objects.exists()
    source.refresh_from_db()
    assert source.citation_count == 0
    assert_counts_fresh()


def test_a_count_saved_from_a_stale_object_or_typed_in_sql_is_put_right():
    commitment = factories.CommitmentFactory()
    stale = Commitment.objects.get(pk=commitment.pk)
    factories.CitationFactory(commitment=commitment)
    stale.description = "Edited elsewhere."
    stale.save()  # writes source_count = 0 as it read it
    Summit.objects.filter(pk=commitment.summit_id).update(commitment_count=99)
    commitment.refresh_from_db()
    assert commitment.source_count == 1
    assert Summit.objects.get(pk=commitment.summit_id).commitment_count == 1
    assert_counts_fresh()


def test_queryset_updates_and_bulk_inserts_are_counted_too():
    summit = factories.SummitFactory()
    country = factories.CountryFactory(code="PL")
    Commitment.objects.bulk_create(
        Commitment(summit=summit, slug=f"c{n}", country=country, category="troops", stance="refusal", description="x")
        for n in range(5)
    )
    Commitment.objects.filter(slug__in=["c0", "c1"]).update(stance="pledge")
    assert_counts_fresh()
    assert Summit.objects.get(pk=summit.pk).commitment_count == 5
    assert dict(StanceTally.objects.values_list("stance", "commitment_count")) == {"refusal": 3, "pledge": 2}


def test_counts_follow_an_admin_import_and_import_tables(client, editor, tmp_path):
    summit = factories.SummitFactory(slug="paris-2026")
    client.force_login(editor)
    rows = "paris-2026,be-navy,BE,,air_naval,pledge,,announced,Belgium will send its navy.,,\n"
    assert confirm(client, upload(client, f"{HEADER}\n{rows}".encode())).status_code == 302
    (tmp_path / "commitment.csv").write_text(
        f"{HEADER}\nparis-2026,hr-no-troops,HR,,troops,refusal,,announced,Croatia will not deploy troops.,,\n",
        encoding="utf-8",
    )
    import_tables(tmp_path)
    summit.refresh_from_db()
    assert summit.commitment_count == 2
    assert set(StanceTally.objects.values_list("country", "stance")) == {("BE", "pledge"), ("HR", "refusal")}
    assert_counts_fresh()


def test_counts_follow_a_revert_from_the_history_page(admin_client):
    commitment = factories.CommitmentFactory(stance="pledge", condition="")
    first = commitment.history.get()
    commitment.stance = "refusal"
    commitment.save()
    citation = factories.CitationFactory(commitment=commitment)
    citation.delete()  # reverting to the first version brings it back only if it existed then: it did not

    page = admin_client.get(revert_url(commitment, first))
    assert admin_client.post(revert_url(commitment, first), revert_form_data(page)).status_code == 302
    commitment.refresh_from_db()
    assert commitment.stance == "pledge" and tally(commitment) == 1
    assert not StanceTally.objects.filter(stance="refusal").exists()
    assert_counts_fresh()


def test_a_bulk_load_suspends_the_triggers_and_recounts_at_the_end():
    summit = factories.SummitFactory()
    version = aggregates.data_version()
    with aggregates.bulk_load():
        Commitment.objects.bulk_create(
            Commitment(
                summit=summit, slug=f"b{n}", country_id="FR", category="troops", stance="pledge", description="x"
            )
            for n in range(3)
        )
        assert Summit.objects.get(pk=summit.pk).commitment_count == 0  # not counted row by row
    assert Summit.objects.get(pk=summit.pk).commitment_count == 3
    assert aggregates.data_version() != version
    assert_counts_fresh()


def test_verify_counts_finds_a_count_wrong_while_the_triggers_were_away_and_fix_puts_it_right():
    commitment = factories.CitationFactory().commitment
    aggregates.uninstall()
    Commitment.objects.filter(pk=commitment.pk).update(source_count=7)
    with pytest.raises(CommandError, match="1 stored count"):
        call_command("verify_counts", stdout=StringIO(), stderr=(errors := StringIO()))
    assert "coalition_commitment.source_count: 1 row(s)" in errors.getvalue()
    out = StringIO()
    call_command("verify_counts", "--fix", "--dry-run", stdout=out, stderr=StringIO())
    assert Commitment.objects.get(pk=commitment.pk).source_count == 7
    call_command("verify_counts", "--fix", stdout=(out := StringIO()), stderr=StringIO())
    assert "updated 1" in out.getvalue()
    assert Commitment.objects.get(pk=commitment.pk).source_count == 1
    Commitment.objects.filter(pk=commitment.pk).update(source_count=7)  # the triggers are back
    assert Commitment.objects.get(pk=commitment.pk).source_count == 1


def test_every_write_moves_the_data_version_on_and_reads_do_not():
    summit = factories.SummitFactory()
    before = aggregates.data_version()
    list(Summit.objects.all())
    assert aggregates.data_version() == before
    summit.city = "Versailles"
    summit.save()
    after_edit = aggregates.data_version()
    assert after_edit != before
    summit.participants.all().delete()  # deletes nothing: no row changes, no new version is needed
    factories.ParticipantFactory(summit=summit).representatives.add(factories.PersonFactory())
    assert aggregates.data_version() != after_edit


def test_after_migrating_the_triggers_are_in_place():
    names = {trigger.name for trigger in aggregates.triggers.all_triggers(connection.vendor)}
    assert set(aggregates._installed(connection)) == names
    assert not aggregates.install()  # already in place: nothing to do, no recount


# Whatever mix of writes, in whatever order: every count stays equal to a fresh count.

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "restance", "move", "cite", "recite", "uncite", "delete", "participate", "state"]),
        st.integers(0, 3),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_counts_stay_fresh_whatever_the_writes(actions):
    summits = [factories.SummitFactory() for _ in range(2)]
    sources = [factories.SourceFactory() for _ in range(2)]
    codes = ["FR", "GB", "IT", "DE"]
    stances = ["pledge", "refusal", "support", "pledge"]
    for action, a, b in actions:
        commitments = list(Commitment.objects.filter(summit__in=summits).order_by("pk"))
        picked = commitments[a % len(commitments)] if commitments else None
        if action == "add" or picked is None:
            factories.CommitmentFactory(summit=summits[a % 2], country_id=codes[b], stance=stances[b], condition="")
        elif action == "restance":
            picked.stance, picked.category = stances[a], ["troops", "sanctions"][b % 2]
            picked.save()
        elif action == "move":  # a plain UPDATE, as SQL would: no save(), no signal
            Commitment.objects.filter(pk=picked.pk).update(summit=summits[b % 2], country_id=codes[a])
        elif action == "cite":
            if not Citation.objects.filter(commitment=picked, source=sources[b % 2], quote=QUOTES[a]).exists():
                relation = ["supports", "contradicts"][b // 2]
                factories.CitationFactory(commitment=picked, source=sources[b % 2], quote=QUOTES[a], relation=relation)
        elif action == "recite":
            Citation.objects.filter(commitment=picked).update(relation=["supports", "contradicts"][b % 2])
        elif action == "uncite":
            Citation.objects.filter(commitment=picked, source=sources[b % 2]).delete()
        elif action == "delete":
            picked.delete()
        elif action == "participate":
            taking_part = summits[a % 2].participants.filter(country_id=codes[b])
            if taking_part.exists():
                taking_part.delete()
            else:
                factories.ParticipantFactory(summit=summits[a % 2], country=factories.CountryFactory(code=codes[b]))
        else:
            factories.StatementFactory(summit=summits[a % 2])
        assert_counts_fresh()
