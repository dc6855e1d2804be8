from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from coalition import aggregates, synthetic
from coalition.models import (
    Citation,
    Commitment,
    Discrepancy,
    Organisation,
    Participant,
    Person,
    Source,
    Statement,
    Summit,
)

pytestmark = pytest.mark.django_db


def generate(commitments=300, **options):
    out = StringIO()
    name = str(connection.settings_dict["NAME"])  # the test database's, known only once it exists
    call_command("generate_data", commitments=commitments, database_name=name, stdout=out, **options)
    return out.getvalue()


def test_it_fills_every_model_in_proportion_with_valid_quotes_and_right_counts():
    output = generate(300)
    assert Summit.objects.count() == 1
    assert Commitment.objects.count() == 300
    assert Statement.objects.count() == 30
    assert Discrepancy.objects.count() == 3
    assert Organisation.objects.count() >= 12 and Person.objects.exists() and Participant.objects.count() >= 12
    # Two citations per record, from two different sources, both stances present.
    assert Citation.objects.count() == 2 * (300 + 30 + 3)
    assert set(Citation.objects.values_list("relation", flat=True)) == set(Citation.Relation.values)
    assert Commitment.objects.filter(source_count__gte=1).count() == 300
    assert set(Commitment.objects.values_list("stance", flat=True)) == set(Commitment.Stance.values)
    for citation in Citation.objects.select_related("source")[:50]:
        assert citation.source.text[citation.start : citation.end] == citation.quote
    assert "checked 666 citations: 0 failed" in _run("verify_quotes")
    assert aggregates.mismatches() == []
    assert Summit.objects.get().commitment_count == 300
    assert "created" in output and "300 commitments" in output and "citations" in output


def test_summits_spread_over_years_and_some_countries_take_part_in_many(monkeypatch):
    monkeypatch.setattr(synthetic, "COMMITMENTS_PER_SUMMIT", 10)
    generate(300)
    assert Summit.objects.count() == 30
    years = {day.year for day in Summit.objects.values_list("start_date", flat=True)}
    assert len(years) >= 10
    per_country = sorted(
        Participant.objects.filter(country__isnull=False)
        .values("country")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert per_country[-1] >= 25 and per_country[len(per_country) // 2] <= 3
    assert aggregates.mismatches() == []


def test_the_same_seed_gives_the_same_data_and_appending_continues_the_numbering():
    generate(50, seed=7)
    first = list(Commitment.objects.order_by("pk").values_list("description", flat=True))
    generate(50, seed=7)
    assert Summit.objects.count() == 2
    second = list(Commitment.objects.order_by("pk").values_list("description", flat=True))[50:]
    assert second == first
    assert not Summit.objects.values("slug").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert aggregates.mismatches() == []


def test_a_dry_run_writes_nothing():
    output = generate(40, dry_run=True)
    assert "[dry run, rolled back] created" in output
    assert not Summit.objects.exists() and not Source.objects.exists() and not Commitment.objects.exists()


def test_it_refuses_a_database_that_is_not_the_configured_one():
    with pytest.raises(CommandError, match="is not the configured database"):
        call_command("generate_data", commitments=10, database_name="db.sqlite3-other", stdout=StringIO())
    assert not Summit.objects.exists()


def test_it_refuses_a_database_with_real_records_unless_appending(seeded):
    with pytest.raises(CommandError, match="not generated"):
        generate(10)
    summits = Summit.objects.count()
    generate(10, append=True)
    assert Summit.objects.count() == summits + 1
    assert aggregates.mismatches() == []


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
