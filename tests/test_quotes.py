import pytest

from coalition.quotes import QuoteNotFound, explain_mismatch, fold_lookalikes, locate, merge_spans, split_by_spans

TEXT = "Italy said it would not send troops. Germany’s forces could be “based in neighbouring territory”."


def test_locate_returns_offsets_of_a_verbatim_quote():
    quote = "Germany’s forces"
    start, end = locate(TEXT, quote)
    assert TEXT[start:end] == quote


def test_locate_keeps_a_valid_later_occurrence():
    text = "troops here, troops there"
    assert locate(text, "troops", start=13) == (13, 19)
    assert locate(text, "troops", start=5) == (0, 6)


def test_locate_refuses_a_quote_that_is_not_in_the_text():
    with pytest.raises(QuoteNotFound):
        locate(TEXT, "Italy said it would send troops")


def test_locate_refuses_an_empty_quote():
    with pytest.raises(QuoteNotFound):
        locate(TEXT, "")


def test_mismatch_names_where_the_quote_stops_matching():
    mismatch = explain_mismatch(TEXT, "Italy said it would NOT send troops")
    assert mismatch.matched == len("Italy said it would ")
    assert mismatch.quote_continues.startswith("NOT send")
    assert mismatch.source_continues.startswith("not send")
    message = mismatch.message("source “a.txt”")
    assert "first 20 characters match" in message
    assert "“NOT send troops”" in message


def test_mismatch_says_when_only_typographic_marks_differ():
    mismatch = explain_mismatch(TEXT, "Germany's forces")
    assert mismatch.lookalike_only
    assert "quotation marks, apostrophes" in mismatch.message("source")


def test_mismatch_of_a_quote_with_no_matching_start():
    mismatch = explain_mismatch(TEXT, "Zebras")
    assert mismatch.matched == 0
    assert "not even its first character" in mismatch.message("source")


def test_fold_lookalikes_straightens_curly_quotes_and_dashes():
    assert fold_lookalikes("“a”—‘b’") == "\"a\"-'b'"


def test_spans_are_merged_and_the_text_split_around_them():
    assert merge_spans([(5, 8), (0, 2), (7, 10)]) == [(0, 2), (5, 10)]
    assert split_by_spans("abcdefghijkl", [(2, 4), (3, 6)]) == [("ab", False), ("cdef", True), ("ghijkl", False)]
