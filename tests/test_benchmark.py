import pytest

from coalition import benchmark
from coalition.models import Citation, Commitment

pytestmark = pytest.mark.django_db


def test_the_benchmark_fills_valid_commitments_with_citations_and_streams_them():
    benchmark.fill(30, batch=7)
    assert Commitment.objects.count() == 30
    for citation in Citation.objects.select_related("source"):
        assert citation.source.text[citation.start : citation.end] == citation.quote
    body = b"".join(benchmark.stream_endpoint()).decode()
    assert body.count("\n") == 31  # the header and one line per commitment


def test_the_import_export_figure_covers_every_commitment():
    benchmark.fill(12)
    csv_text = benchmark.import_export_admin()[0]
    assert csv_text.count("benchmark (row") == 12


def test_a_figure_reports_a_rate_and_peak_memory():
    benchmark.fill(5)
    figure = benchmark.measure("streaming", 5, benchmark.stream_endpoint)
    assert figure.rows == 5 and figure.rows_per_second > 0 and figure.peak_bytes > 0
