"""Full-text search: stemming, highlighting, filters, pages, CSVs, the admin, and indexes kept right by every write."""

import csv
import io
from urllib.parse import parse_qsl

import pytest
from django.db import connection, models
from django.urls import reverse

from coalition import aggregates, search
from coalition.models import Citation, Commitment, Source, Statement
from coalition.search import schema
from coalition.selectors.search import PREVIEW

from . import factories

pytestmark = pytest.mark.django_db


def matching(model, text):
    return set(search.matching(model.objects.all(), text).values_list("pk", flat=True))


def search_page(client, query, status=200):
    response = client.get(reverse("search"), query)
    assert response.status_code == status, response.content[:500]
    return response


def all_ids(client, params: dict, kind: str) -> list[int]:
    """Return the ids of every result of one kind, following the page's "more" links."""
    ids, params = [], {**params, "show": kind}
    while True:
        (group,) = search_page(client, params).context["page"].groups
        ids += [hit.record.pk for hit in group.hits]
        if not group.next_query:
            return ids
        params = dict(parse_qsl(group.next_query))


def csv_ids(client, address: str, params: dict) -> list[int]:
    response = client.get(address, params)
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.getvalue().decode(), newline=""))
    return [int(row["id"]) for row in rows]


# --- the query language ------------------------------------------------------------------------------------


def test_the_query_language_reads_words_phrases_exclusions_and_alternatives():
    query = search.parse('Troops "air policing" -Italy or   -"no fly" hub OR base')
    assert query.required == ((("troops",),), (("air", "policing"),), (("hub",), ("base",)))
    assert query.excluded == (("italy",), ("no", "fly"))
    assert query.fts5() == '("troops") AND ("air policing") AND ("hub" OR "base") NOT "italy" NOT "no fly"'
    assert query.websearch() == '"troops" "air policing" "hub" or "base" -"italy" -"no fly"'


@pytest.mark.parametrize("text", ["", "   ", "-troops", '"" * - ()', "or", "_ _", "\x00"])
def test_a_query_without_a_word_to_look_for_matches_nothing(text):
    assert search.parse(text) is None


# --- what is found -----------------------------------------------------------------------------------------


def test_refuse_troops_finds_italys_refusal(client, seeded):
    italy = Commitment.objects.get(slug="it-no-troops")
    found = matching(Commitment, "refuse troops")
    assert italy.pk in found
    assert all(
        stance == "refusal" for stance in Commitment.objects.filter(pk__in=found).values_list("stance", flat=True)
    )
    html = search_page(client, {"q": "refuse troops"}).content.decode()
    assert italy.get_absolute_url() in html


def test_pledge_and_pledged_find_the_same_pledges(seeded):
    pledges = set(Commitment.objects.filter(stance="pledge").values_list("pk", flat=True))
    assert pledges
    assert pledges <= matching(Commitment, "pledge") == matching(Commitment, "pledged")


def test_words_are_stemmed_in_every_kind_of_text():
    statement = factories.StatementFactory(text="Britain pledged another brigade.")
    source = factories.SourceFactory(text="The ministers were refusing any deployment.")
    citation = factories.CitationFactory(source=source, quote="refusing any deployment")
    assert statement.pk in matching(Statement, "pledge brigades")
    assert source.pk in matching(Source, "refused deployments")
    assert citation.pk in matching(Citation, "refuse")
    assert matching(Statement, "pledge -brigade") == set()


def test_phrases_alternatives_and_exclusions_work_on_the_page_as_typed():
    uk = factories.CommitmentFactory(description="Air policing over the Black Sea.", stance="pledge")
    france = factories.CommitmentFactory(description="Policing of the air corridor.", stance="pledge")
    assert matching(Commitment, '"air policing"') == {uk.pk}
    assert matching(Commitment, "policing -sea") == {france.pk}
    assert matching(Commitment, "sea or corridor") == {uk.pk, france.pk}


# --- the page ----------------------------------------------------------------------------------------------


def test_matched_words_are_marked_and_everything_else_escaped(client):
    factories.CommitmentFactory(description="<script>alert('x')</script> Troops & tanks.")
    html = search_page(client, {"q": "<troops>"}).content.decode()
    assert "<mark>Troops</mark>" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>" not in html and "<troops>" not in html
    assert "&lt;troops&gt;" in html  # the query, echoed in the box


def test_results_are_grouped_by_kind_with_their_quotes_and_sources(client, seeded):
    page = search_page(client, {"q": "Meloni"}).context["page"]
    kinds = {group.kind: group for group in page.groups}
    assert list(kinds) == ["commitments", "statements", "quotes", "sources"]
    assert kinds["sources"].hits and kinds["quotes"].hits
    assert all("<mark>" in hit.marked["text"] for hit in kinds["sources"].hits)


def test_filters_narrow_the_results_and_drop_kinds_they_do_not_apply_to(client, seeded):
    page = search_page(client, {"q": "troops", "stance": "refusal", "country": "it"}).context["page"]
    kinds = {group.kind: group for group in page.groups}
    assert set(kinds) == {"commitments", "quotes"}  # statements and sources have no stance
    assert {hit.record.slug for hit in kinds["commitments"].hits} == {"it-no-troops"}
    assert {hit.record.commitment.slug for hit in kinds["quotes"].hits} == {"it-no-troops"}


def test_each_kind_pages_on_with_more_links_that_keep_the_words_and_filters(client):
    summit = factories.SummitFactory(slug="rome")
    made = [factories.CommitmentFactory(summit=summit, description=f"Brigade number {n}.") for n in range(PREVIEW + 3)]
    factories.CommitmentFactory(description="Brigade elsewhere.")
    (group, *_) = search_page(client, {"q": "brigade", "summit": "rome"}).context["page"].groups
    assert len(group.hits) == PREVIEW
    assert dict(parse_qsl(group.next_query))["summit"] == "rome"
    assert sorted(all_ids(client, {"q": "brigade", "summit": "rome"}, "commitments")) == [c.pk for c in made]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        '"unclosed',
        "* NEAR(troops, 2) AND OR NOT -",
        "troops:* & !pledge | (",
        "'; DROP TABLE coalition_commitment; --",
        "Fran\u00e7ois \u041c\u0430\u043a\u0440\u043e\u043d \u5e73\u548c \U0001f600",
        "\\ ^ $ % _ ` ~",
    ],
)
def test_no_query_breaks_the_page_the_csvs_or_the_admin(client, admin_client, seeded, query):
    assert search_page(client, {"q": query}).status_code == 200
    for name in ("commitments", "statements", "citations"):
        response = client.get(reverse(f"{name}-csv"), {"q": query})
        assert response.status_code == 200
        response.getvalue()
    assert admin_client.get(reverse("admin:coalition_commitment_changelist"), {"q": query}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"q": "a\x00b"}, {"q": "troops", "stance": "maybe"}, {"q": "troops", "show": "x"}, {"q": "t", "after": "z"}],
)
def test_malformed_parameters_are_refused_with_a_400_not_a_500(client, params):
    assert client.get(reverse("search"), params).status_code == 400


@pytest.mark.parametrize(
    ("kind", "address", "q", "country"),
    [
        ("commitments", "commitments-csv", "pledged", "US"),
        ("commitments", "commitments-csv", "troops -italy", "DE"),
        ("statements", "statements-csv", "ceasefire", "FR"),
        ("quotes", "citations-csv", "troops", "GB"),
    ],
)
def test_the_csv_with_q_holds_the_same_rows_as_the_page(client, seeded, kind, address, q, country):
    for params in ({"q": q}, {"q": q, "summit": "paris-2026", "country": country}):
        on_page = all_ids(client, params, kind)
        assert on_page
        assert sorted(csv_ids(client, reverse(address), params)) == sorted(on_page)


def test_the_search_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    source = factories.SourceFactory()
    for size in (2, 12):
        while Commitment.objects.count() < size:
            commitment = factories.CommitmentFactory()
            factories.CitationFactory(source=source, commitment=commitment)
            statement = factories.StatementFactory(text="after a ceasefire, troops")
            factories.CitationFactory(source=source, commitment=None, statement=statement, quote="Italy said")
        # The data version, then each kind's rows and their marked words.
        with django_assert_num_queries(1 + 4 * 2):
            assert search_page(client, {"q": "troops ceasefire or italy"}).status_code == 200


# --- the admin ---------------------------------------------------------------------------------------------


def test_the_admin_searches_through_the_full_text_index(admin_client, seeded):
    italy = Commitment.objects.get(slug="it-no-troops")
    response = admin_client.get(reverse("admin:coalition_commitment_changelist"), {"q": "refuse troops"})
    found = set(response.context["cl"].result_list)
    assert italy in found
    assert {c.stance for c in found} == {"refusal"}
    for model, words in ((Statement, "ceasefire"), (Citation, "ceasefire"), (Source, "Meloni")):
        address = reverse(f"admin:coalition_{model._meta.model_name}_changelist")
        assert set(admin_client.get(address, {"q": words}).context["cl"].result_list) == set(
            search.matching(model.objects.all(), words)
        )
    autocomplete = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "coalition", "model_name": "citation", "field_name": "source", "term": "Reuters"},
    )
    assert autocomplete.status_code == 200


# --- the indexes stay right --------------------------------------------------------------------------------


def test_the_index_follows_creates_edits_and_deletes():
    commitment = factories.CommitmentFactory(description="Minesweepers in the Black Sea.")
    citation = factories.CitationFactory(commitment=commitment, quote="Italy said")
    assert matching(Commitment, "minesweeper") == {commitment.pk}
    commitment.description = "Frigates in the Black Sea."
    commitment.save()
    assert matching(Commitment, "minesweeper") == set()
    assert matching(Commitment, "frigate") == {commitment.pk}
    Commitment.objects.filter(pk=commitment.pk).update(condition="once the ceasefire holds")
    assert matching(Commitment, "frigates holding") == {commitment.pk}
    source = citation.source
    citation.delete()
    Source.objects.filter(pk=source.pk).update(title="Dispatch from Kyiv")
    assert matching(Source, "dispatch") == {source.pk}
    commitment.delete()
    source.delete()
    assert matching(Commitment, "frigate") == set() == matching(Source, "dispatch")
    assert schema.problems() == []


def test_a_bulk_load_keeps_the_index_right():
    summit = factories.SummitFactory()
    country = factories.CountryFactory(code="PL")
    with aggregates.bulk_load():
        Commitment.objects.bulk_create(
            Commitment(summit=summit, slug=f"bulk-{n}", country=country, category="troops", stance="pledge",
                       description=f"Howitzer battery {n}.")
            for n in range(30)
        )  # fmt: skip
    assert len(matching(Commitment, "howitzers")) == 30
    assert schema.problems() == []


# Committed rows: PostgreSQL indexes no table with checks still pending in the transaction that wrote to it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_install_replaces_missing_indexes_and_refills_them():
    factories.CommitmentFactory(description="Drones for the eastern flank.")
    assert schema.install() is False  # already there
    schema.uninstall()
    assert schema.problems()
    assert schema.install() is True
    assert schema.problems() == []
    assert len(matching(Commitment, "drone")) == 1


def test_the_search_reads_the_index_not_every_row():
    factories.CommitmentFactory()
    for model in (Commitment, Statement, Citation, Source):
        queryset = search.matching(model.objects.all(), "troops")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A few rows would be read whole (or along the primary key) otherwise.
                cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            plan = queryset.explain()
            assert f"{model._meta.db_table}_fts_" in plan, plan  # the index matches the query's expression
        else:
            assert "VIRTUAL TABLE INDEX" in queryset.explain()


def test_the_pages_download_links_carry_the_words_and_filters(client, seeded):
    html = search_page(client, {"q": "troops", "summit": "paris-2026", "show": "commitments"}).content.decode()
    assert f"{reverse('commitments-csv')}?q=troops&amp;summit=paris-2026" in html


def test_only_migrations_that_touch_a_searched_table_take_the_search_objects_away():
    from django.db import migrations

    def plan(*operations):
        return [(type("Migration", (migrations.Migration,), {"operations": list(operations)})("m", "coalition"), False)]

    assert schema.touched_by(plan(migrations.AlterField("commitment", "description", None)))
    assert schema.touched_by(plan(migrations.DeleteModel("Source")))
    assert schema.touched_by(plan(migrations.RunSQL("SELECT 1")))
    assert not schema.touched_by(plan(migrations.AddField("summit", "theme", None)))
    index = models.Index(fields=["category"], name="commitment_by_category")
    assert not schema.touched_by(plan(migrations.AddIndex("commitment", index)))
    assert not schema.touched_by(plan(migrations.RemoveIndex("commitment", "commitment_by_category")))
    assert not schema.touched_by(plan(migrations.RunPython(migrations.RunPython.noop)))
