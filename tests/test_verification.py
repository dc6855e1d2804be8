from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coalition.models import Citation, Source
from coalition.seed import load_seed_data
from coalition.verification import verify_citations

from .factories import CitationFactory

pytestmark = pytest.mark.django_db


def verify_quotes(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_quotes", *args, stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_verify_quotes_passes_on_the_seed_fixtures():
    load_seed_data()
    ok, out, err = verify_quotes()
    assert ok, err
    assert f"checked {Citation.objects.count()} citations: 0 failed" in out


def test_verify_quotes_fails_naming_the_citation_when_one_character_changes():
    load_seed_data()
    citation = Citation.objects.filter(commitment__slug="it-no-troops").first()
    changed = citation.quote[:5] + ("X" if citation.quote[5] != "X" else "Y") + citation.quote[6:]
    Citation.objects.filter(pk=citation.pk).update(quote=changed)
    ok, out, err = verify_quotes()
    assert not ok
    assert f"citation {citation.pk} (commitment paris-2026/it-no-troops)" in err
    assert f"first difference at source position {citation.start + 5}" in err
    assert "1 failed" in out


def test_fix_offsets_moves_a_quote_that_is_still_verbatim_elsewhere():
    citation = CitationFactory(quote="Italy said")
    right = citation.start
    Citation.objects.filter(pk=citation.pk).update(start=0, end=len("Italy said"))
    assert not verify_citations().ok
    ok, out, _ = verify_quotes("--fix-offsets")
    assert ok and "updated 1" in out
    citation.refresh_from_db()
    assert citation.start == right


def test_fix_offsets_dry_run_changes_nothing():
    citation = CitationFactory(quote="Italy said")
    Citation.objects.filter(pk=citation.pk).update(start=0, end=len("Italy said"))
    verify_quotes("--fix-offsets", "--dry-run")
    citation.refresh_from_db()
    assert citation.start == 0


def test_fix_offsets_leaves_a_quote_that_is_nowhere_in_the_source_as_a_failure():
    citation = CitationFactory(quote="Italy said")
    Citation.objects.filter(pk=citation.pk).update(quote="Italy sais")
    ok, _, err = verify_quotes("--fix-offsets")
    assert not ok and f"citation {citation.pk}" in err


def test_a_source_whose_text_was_changed_behind_its_fingerprint_fails():
    citation = CitationFactory()
    Source.objects.filter(pk=citation.source_id).update(text=citation.source.text + " Amended.")
    ok, _, err = verify_quotes()
    assert not ok and "no longer matches its recorded SHA-256 fingerprint" in err
