"""The quotes as W3C Web Annotations: every selector finds its quote in the stored text of its source."""

import pytest

from coalition.annotations import ANNOTATION_CONTEXT, ANNOTATION_MEDIA_TYPE
from coalition.models import Citation, Source, Summit

pytestmark = pytest.mark.django_db


def all_annotations(client, url="/api/v1/annotations/?limit=40") -> list[dict]:
    """Return every annotation of the collection at `url`, following the pages' `next` links."""
    items = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == ANNOTATION_MEDIA_TYPE
        page = response.json()
        assert page["@context"] == ANNOTATION_CONTEXT
        assert page["type"] == "AnnotationPage"
        assert page["partOf"]["type"] == "AnnotationCollection"
        items += page["items"]
        url = page.get("next")
    return items


def selectors(annotation: dict) -> dict:
    return {selector["type"]: selector for selector in annotation["target"]["selector"]}


def test_every_annotation_points_at_its_quote_by_position_and_by_quote(seeded, client):
    annotations = all_annotations(client)
    citations = Citation.objects.in_bulk()
    assert len(annotations) == len(citations)
    texts = dict(Source.objects.values_list("file_name", "text"))
    for annotation in annotations:
        citation = citations[int(annotation["id"].rstrip("/").rsplit("/", 1)[1])]
        file_name = annotation["target"]["source"].rstrip("/").rsplit("/", 1)[1]
        text = texts[file_name]
        position, quote = selectors(annotation)["TextPositionSelector"], selectors(annotation)["TextQuoteSelector"]
        assert text[position["start"] : position["end"]] == citation.quote
        assert quote["exact"] == citation.quote
        assert len(quote["prefix"]) <= 32 or text.count(quote["prefix"][-32:] + quote["exact"]) > 1
        whole = quote["prefix"] + quote["exact"] + quote["suffix"]
        found = text.find(whole)
        assert found >= 0 and text.find(whole, found + 1) < 0
        assert found + len(quote["prefix"]) == position["start"]


def test_an_annotation_has_the_web_annotation_shape(seeded, client):
    citation = Citation.objects.filter(relation=Citation.Relation.CONTRADICTS).select_related("source").first()
    response = client.get(f"/api/v1/annotations/{citation.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == ANNOTATION_MEDIA_TYPE
    annotation = response.json()
    assert annotation["@context"] == ANNOTATION_CONTEXT
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "linking"
    assert annotation["id"] == f"http://testserver/api/v1/annotations/{citation.pk}"
    assert annotation["created"] <= annotation["modified"]
    assert annotation["target"]["type"] == "SpecificResource"
    assert annotation["target"]["source"] == f"http://testserver/sources/{citation.source.file_name}/"
    assert set(selectors(annotation)) == {"TextPositionSelector", "TextQuoteSelector"}
    linked = next(body for body in annotation["body"] if body["type"] == "SpecificResource")
    assert linked["source"] == "http://testserver" + citation.subject.get_absolute_url()
    tags = [body["value"] for body in annotation["body"] if body.get("purpose") == "tagging"]
    assert tags == ["contradicts"]


def test_annotations_filter_by_source_and_summit(seeded, client):
    source = Source.objects.filter(citations__isnull=False).first()
    by_source = all_annotations(client, f"/api/v1/annotations/?source={source.file_name}")
    assert len(by_source) == source.citations.count()
    assert {a["target"]["source"] for a in by_source} == {f"http://testserver/sources/{source.file_name}/"}
    summit = Summit.objects.get()
    assert len(all_annotations(client, f"/api/v1/annotations/?summit={summit.slug}")) == Citation.objects.count()


@pytest.mark.parametrize(
    "query, parameter",
    [("source=no-such-file.txt", "source"), ("summit=no-such-summit", "summit"), ("after=tampered", "after")],
)
def test_bad_parameters_are_refused_with_a_message(seeded, client, query, parameter):
    response = client.get(f"/api/v1/annotations/?{query}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(parameter)


def test_a_missing_annotation_is_404(seeded, client):
    response = client.get("/api/v1/annotations/999999")
    assert response.status_code == 404
    assert "999999" in response.json()["detail"]
