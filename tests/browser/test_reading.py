"""Citing by selecting in a real browser: the stored offsets are the selection's, whichever occurrence it is."""

import pytest

from coalition.models import Citation, Commitment, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Drags the mouse over code points [start, end) of the text, as a person selects a passage.
POINTS = """([start, end]) => {
  const at = (offset, last) => {
    for (const piece of document.querySelectorAll("#reading-text [data-start]")) {
      const chars = Array.from(piece.textContent), from = Number(piece.dataset.start);
      if (offset < from || offset >= from + chars.length) continue;
      const unit = chars.slice(0, offset - from).join("").length;
      const range = document.createRange();
      range.setStart(piece.firstChild, unit);
      range.setEnd(piece.firstChild, unit + chars[offset - from].length);
      if (!last) piece.scrollIntoView({block: "center"});
      const box = range.getClientRects()[0];
      return {x: last ? box.right - 1 : box.left + 1, y: box.top + box.height / 2};
    }
  };
  const first = at(start, false);
  return [at(start, false), at(end - 1, true)];
}"""


def select_by_mouse(page, start, end):
    first, last = page.evaluate(POINTS, [start, end])
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move(last["x"], last["y"], steps=5)
    page.mouse.up()


def open_reading_view(page, live_server, source, query=""):
    page.goto(f"{live_server.url}/admin/coalition/source/{source.pk}/read/{query}")
    page.evaluate("window.notReloaded = true")


def assert_highlighted_without_reload(page, citation):
    mark = page.locator(f'#reading-text mark[data-citations~="{citation.pk}"]')
    assert mark.first.is_visible()
    assert mark.evaluate_all("marks => marks.map(m => m.textContent).join('')") == citation.quote
    assert page.evaluate("window.notReloaded") is True


def test_a_linker_selects_a_sentence_picks_a_commitment_and_saves(committed_seed, linker, logged_in, live_server):
    page = logged_in(linker)
    source = Source.objects.get(file_name="003_956742e99323d69f.txt")
    commitment = Commitment.objects.get(slug="fr-several-thousand-troops")
    sentence = "Of the 35 participating countries, 27 were represented by heads of state or government."
    start = source.text.index(sentence)
    open_reading_view(page, live_server, source)

    select_by_mouse(page, start, start + len(sentence))  # 1
    page.fill("#cite-record-search", commitment.slug)  # 2
    page.select_option("#cite-record", f"commitment:{commitment.pk}")  # 3
    page.click("#cite-save")  # 4

    page.wait_for_selector("#cite-message:has-text('Saved')")
    citation = Citation.objects.get(source=source, commitment=commitment, quote=sentence)
    assert (citation.start, citation.end) == (start, start + len(sentence))
    assert citation.history.get().history_user == linker
    assert_highlighted_without_reload(page, citation)


def test_the_fifth_ukraine_in_article_004_is_cited_where_it_was_selected(
    committed_seed, linker, logged_in, live_server
):
    page = logged_in(linker)
    source = Source.objects.get(file_name__startswith="004_")
    commitment = Commitment.objects.get(slug="it-no-troops")
    fifth = [i for i in range(len(source.text)) if source.text.startswith("Ukraine", i)][4]
    open_reading_view(page, live_server, source, f"?commitment={commitment.pk}")

    select_by_mouse(page, fifth, fifth + len("Ukraine"))
    page.click("#cite-save")  # the record came chosen from the commitment's page

    page.wait_for_selector("#cite-message:has-text('Saved')")
    citation = Citation.objects.get(source=source, commitment=commitment, quote="Ukraine")
    assert citation.start == fifth != source.text.index("Ukraine")
    assert_highlighted_without_reload(page, citation)


def test_a_suggested_passage_comes_selected_and_saves_in_one_click(committed_seed, linker, logged_in, live_server):
    page = logged_in(linker)
    source = Source.objects.get(file_name__startswith="004_")
    commitment = Commitment.objects.get(slug="it-no-troops")
    sixth = [i for i in range(len(source.text)) if source.text.startswith("Ukraine", i)][5]
    query = f"?commitment={commitment.pk}&start={sixth}&end={sixth + len('Ukraine')}"
    open_reading_view(page, live_server, source, query)

    page.click("#cite-save")

    page.wait_for_selector("#cite-message:has-text('Saved')")
    assert Citation.objects.get(source=source, commitment=commitment, quote="Ukraine").start == sixth
