"""The change feed: read through the API page by page, replayed onto emptied tables, it rebuilds the public data."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from coalition.feed.replay import apply_changes
from coalition.feed.tables import feed_tables
from coalition.models import Citation, Commitment, Participant, Person, Source, Statement
from coalition.selectors.changes import table_changes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_settling(settings):
    # The test reads changes the moment they are saved.
    settings.CHANGE_FEED_SETTLE_SECONDS = 0


def public_state() -> dict:
    """Return every public column of every public table, and the many-to-many links, by table and id."""
    state = {}
    for table in feed_tables():
        names = [field.attname for field in table.fields]
        rows = {row[0]: row for row in table.model._base_manager.order_by("pk").values_list("pk", *names)}
        for field in table.m2m_fields:
            through = field.remote_field.through
            owner, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            links = sorted(through.objects.values_list(owner, target))
            rows = {pk: (*row, tuple(t for o, t in links if o == pk)) for pk, row in rows.items()}
        state[table.name] = rows
    return state


def read_feed(client, *, after=None, limit=40) -> tuple[list, str]:
    """Return every change after `after` through the API, following `next`, and the cursor to poll from."""
    url = f"/api/v1/changes/?limit={limit}" + (f"&after={after}" if after else "")
    changes = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["changes"]) <= limit
        changes += body["changes"]
        url, cursor = body["next"], body["cursor"]
    return changes, cursor


def make_edits() -> None:
    """Edit, create and delete public records through the ORM, which writes their history."""
    commitment = Commitment.objects.order_by("pk").first()
    commitment.status = next(s for s in Commitment.Status.values if s != commitment.status)
    commitment.notes = "An editorial secret"
    commitment.save()
    envoy = Person.objects.create(name="A. N. Envoy", office="Special envoy", notes="An editorial secret")
    participant = Participant.objects.filter(representatives__isnull=False).order_by("pk").first()
    participant.representatives.remove(participant.representatives.order_by("pk").first())
    participant.representatives.add(envoy)
    source = Source.objects.order_by("pk").first()
    source.outlet = "Renamed outlet"
    source.save()
    cited = Statement.objects.filter(citations__isnull=False).order_by("pk").first()
    cited.delete()  # its citations go with it


def empty_public_tables() -> None:
    for table in reversed(feed_tables()):
        table.model._base_manager.all().delete()
    assert not any(table.model._base_manager.exists() for table in feed_tables())


def test_replaying_the_whole_feed_rebuilds_every_public_table(seeded, client):
    make_edits()
    before = public_state()
    changes, _ = read_feed(client, limit=37)

    actions = {change["action"] for change in changes}
    assert actions == {"created", "updated", "deleted"}
    assert "editorial secret" not in json.dumps(changes)
    assert all("notes" not in (change["values"] or {}) for change in changes)
    deleted = [c for c in changes if c["action"] == "deleted"]
    assert {c["table"] for c in deleted} == {"statements", "citations"}
    assert all(c["values"] is None and c["key"] for c in deleted)

    empty_public_tables()
    assert apply_changes(changes) == len(changes)
    assert public_state() == before


def test_replaying_from_a_cursor_in_the_middle_reaches_the_final_state(seeded, client):
    first_part, middle = read_feed(client, limit=500)
    at_middle = public_state()
    make_edits()
    after_edits = public_state()
    rest, end = read_feed(client, after=middle, limit=3)
    assert rest and end != middle
    whole, _ = read_feed(client, limit=500)
    assert [c["cursor"] for c in whole] == [c["cursor"] for c in first_part + rest]

    empty_public_tables()
    apply_changes(first_part)
    assert public_state() == at_middle
    apply_changes(rest)
    assert public_state() == after_edits


def test_a_change_names_its_record_and_foreign_keys_by_id_and_natural_key(seeded, client):
    changes, _ = read_feed(client, limit=1000)
    commitment = Commitment.objects.select_related("summit", "country").filter(country__isnull=False).first()
    change = next(c for c in changes if c["table"] == "commitments" and c["id"] == commitment.pk)
    assert change["key"] == [commitment.summit.slug, commitment.slug]
    assert change["values"]["summit"] == {"id": commitment.summit_id, "key": [commitment.summit.slug]}
    assert change["values"]["country"] == {"id": commitment.country_id, "key": [commitment.country_id]}
    participant = Participant.objects.filter(representatives__isnull=False).first()
    change = next(c for c in changes if c["table"] == "participants" and c["id"] == participant.pk)
    names = sorted(link["key"][0] for link in change["values"]["representatives"])
    assert names == sorted(participant.representatives.values_list("name", flat=True))


def test_every_change_comes_after_what_it_points_at(seeded, client):
    changes, _ = read_feed(client, limit=1000)
    seen = set()
    for change in changes:
        for value in (change["values"] or {}).values():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, dict):
                    assert any(ref["id"] == pk for pk in seen), change
        seen.add(change["id"])


def test_a_cursor_resumes_right_after_its_change(seeded, client):
    changes, _ = read_feed(client, limit=1000)
    middle = len(changes) // 2
    resumed = client.get(f"/api/v1/changes/?after={changes[middle]['cursor']}&limit=5").json()["changes"]
    assert [c["cursor"] for c in resumed] == [c["cursor"] for c in changes[middle + 1 : middle + 6]]


def test_the_last_page_has_no_next_and_gives_the_cursor_to_poll_from(seeded, client):
    changes, cursor = read_feed(client, limit=1000)
    assert cursor == changes[-1]["cursor"]
    body = client.get(f"/api/v1/changes/?after={cursor}").json()
    assert body == {"changes": [], "next": None, "cursor": cursor}


@pytest.mark.parametrize("cursor", ["nonsense", "W1siMjAyNiJdXQ:AAAA"])
def test_a_tampered_cursor_is_refused(seeded, client, cursor):
    response = client.get(f"/api/v1/changes/?after={cursor}")
    assert response.status_code == 400
    assert "after" in response.json()["detail"]


def test_a_page_costs_a_query_or_so_per_table_not_per_change(seeded, client, django_assert_max_num_queries):
    make_edits()
    # A query per table, and for the keys at most two per table and one for the links.
    with django_assert_max_num_queries(3 * len(feed_tables()) + 2):
        response = client.get("/api/v1/changes/?limit=500")
    assert len(response.json()["changes"]) == 500


def test_the_feed_reads_the_history_tables_by_their_time_index(seeded):
    # The position condition starts with a range on history_date, which simple-history indexes.
    citations = feed_tables()[-1]
    later = Citation.history.order_by("history_date").last()
    after = (later.history_date, 0, 0)
    rows = table_changes(citations, after=after, until=timezone.now())[:10]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be read whole otherwise
        plan = rows.explain()
    assert "history_date" in plan and ("INDEX" in plan.upper()), plan


def test_the_replay_command_applies_a_saved_feed(seeded, client, tmp_path):
    make_edits()
    before = public_state()
    pages, url = [], "/api/v1/changes/?limit=300"
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    saved = tmp_path / "feed.json"
    saved.write_text(json.dumps(pages), encoding="utf-8")
    empty_public_tables()
    out = io.StringIO()
    call_command("replay_changes", file=str(saved), stdout=out)
    assert public_state() == before
    assert pages[-1]["cursor"] in out.getvalue()
