"""The reading view: a source's text with its citations highlighted, where a selected passage becomes a citation."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models import Citation, Source
from ..models.citations import SUBJECTS
from ..selectors.citing import Citable, citable_get, citable_search, reading_page, source_citations
from ..selectors.coverage import cited_share
from .suggestions import SHARE_LABEL

PICK_LIMIT = 50  # sources listed on the page that picks one to cite from


def _text_piece(text: str) -> str:
    # A carriage return typed literally would become a line feed in the browser's copy of the text, and the
    # offsets the page counts would drift from the stored ones; as a character reference it stays itself.
    return mark_safe(escape(text).replace("\r", "&#13;"))


def annotated_text(text: str, citations: list[Citation]) -> str:
    """Return HTML of a source's text cut at every citation's ends, each piece carrying its offset in the text.

    Cited pieces are marks classed by relation (both classes where citations of both kinds overlap), naming the
    citations they belong to; the page's script counts a selection's offsets from the pieces' `data-start`.
    """
    cuts = sorted({0, len(text), *(c.start for c in citations), *(c.end for c in citations)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [c for c in citations if c.start <= start and end <= c.end]
        if not covering:
            pieces.append(format_html('<span data-start="{}">{}</span>', start, _text_piece(text[start:end])))
            continue
        relations = sorted({c.relation for c in covering})
        pieces.append(
            format_html(
                '<mark class="cite {}" data-start="{}" data-citations="{}" title="{}">{}</mark>',
                " ".join(relations),
                start,
                " ".join(str(c.pk) for c in covering),
                "; ".join(f"{c.get_relation_display()}s {c.subject_type}: {c.subject}" for c in covering),
                _text_piece(text[start:end]),
            )
        )
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def subject_admin_url(citation: Citation) -> str:
    """Return the admin change page of the record a citation backs."""
    return reverse(f"admin:coalition_{citation.subject_type}_change", args=[citation.subject.pk])


class CiteForm(forms.Form):
    """A passage selected in the reading view, the record it backs, the relation and a note."""

    subject = forms.CharField(
        label="backs", error_messages={"required": "Choose the commitment, statement or discrepancy it backs."}
    )
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=1)
    quote = forms.CharField(strip=False, error_messages={"required": "Select a passage of the text first."})
    relation = forms.ChoiceField(choices=Citation.Relation.choices, initial=Citation.Relation.SUPPORTS)
    note = forms.CharField(required=False, max_length=Citation._meta.get_field("note").max_length)

    def __init__(self, *args, source: Source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_subject(self) -> Citable:
        citable = citable_get(key=self.cleaned_data["subject"])
        if citable is None:
            raise ValidationError("The record chosen no longer exists: search for it again.")
        return citable

    def clean(self):
        cleaned = super().clean()
        start, end, quote = cleaned.get("start"), cleaned.get("end"), cleaned.get("quote")
        if None in (start, end, quote):
            return cleaned
        if self.source.text[start:end] != quote:
            # The page's copy of the text differs from the stored one (changed since, or a script error).
            raise ValidationError(
                f"Characters {start}–{end} of source “{self.source.file_name}” are not the selected words "
                f"“{quote[:60]}”: reload the page and select the passage again.",
                code="moved",
            )
        return cleaned

    def citation(self) -> Citation:
        """Return the unsaved citation at exactly the selected offsets, checked like an admin form's."""
        data = self.cleaned_data
        citation = Citation(
            source=self.source,
            quote=data["quote"],
            start=data["start"],
            end=data["end"],
            relation=data["relation"],
            note=data["note"],
            **{data["subject"].kind: data["subject"].record},
        )
        citation.full_clean()
        return citation


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message if field == "__all__" else f"{field}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def _passage(request, text: str) -> tuple[int, int] | None:
    """Return the passage the URL asks to select (“?start=10&end=42”, from a suggestion), if it is in the text."""
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    if start.isdigit() and end.isdigit() and int(start) < int(end) <= len(text):
        return int(start), int(end)
    return None


class ReadingViewMixin:
    """Source admin pages to cite from: the reading view, its save and record search, and a source picker."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("cite/", wrap(self.pick_source_view), name="coalition_source_pick"),
            path("cite/records/", wrap(self.citable_search_view), name="coalition_source_records"),
            path("<path:object_id>/read/", wrap(self.reading_view), name="coalition_source_read"),
            path("<path:object_id>/cite/", wrap(self.cite_view), name="coalition_source_cite"),
            *super().get_urls(),
        ]

    def _may_cite(self, request) -> bool:
        return self.admin_site._registry[Citation].has_add_permission(request)

    def _chosen(self, request) -> Citable | None:
        """Return the record named in the URL (“?commitment=12”), the one the reading view starts with."""
        return next(
            (citable_get(key=f"{kind}:{request.GET[kind]}") for kind in SUBJECTS if request.GET.get(kind)), None
        )

    def _source_id(self, request, object_id) -> int:
        """Return the source's id from the URL, after the view permission (403) and a well-formed id (404)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        self._refuse_malformed_ids(object_id)
        return int(object_id)

    def reading_view(self, request, object_id):
        page = reading_page(source_id=self._source_id(request, object_id))
        chosen = self._chosen(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Read and cite: {page.source.file_name}",
            "passage": _passage(request, page.source.text),
            "source": page.source,
            "text_html": annotated_text(page.source.text, page.citations),
            "citations": [(c, subject_admin_url(c)) for c in page.citations],
            "chosen": chosen,
            "relations": Citation.Relation.choices,
            "may_cite": self._may_cite(request),
            "cited_share": 100 * cited_share(len(page.source.text), [(c.start, c.end) for c in page.citations]),
            "share_label": SHARE_LABEL,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/coalition/source/read.html", context)

    def cite_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self._may_cite(request):
            raise PermissionDenied
        source = get_object_or_404(Source, pk=self._source_id(request, object_id))
        form = CiteForm(request.POST, source=source)
        if not form.is_valid():
            return JsonResponse({"errors": _messages(ValidationError(form.errors.as_data()))}, status=400)
        try:
            with transaction.atomic():
                citation = form.citation()
                citation.save()
        except ValidationError as error:
            return JsonResponse({"errors": _messages(error)}, status=400)
        except IntegrityError:
            # Another user saved the same citation between the check and the save.
            message = "This passage was cited for this record meanwhile: reload the page to see it."
            return JsonResponse({"errors": [message]}, status=409)
        citations = source_citations(source=source)
        return JsonResponse(
            {
                "citation": {"id": citation.pk, "start": citation.start, "end": citation.end},
                "message": f"Saved: “{citation.quote[:60]}” {citation.get_relation_display().lower()} "
                f"{citation.subject_type} {citation.subject}.",
                "text_html": annotated_text(source.text, citations),
                "citations_html": TemplateResponse(
                    request,
                    "admin/coalition/source/read_citations.html",
                    {"citations": [(c, subject_admin_url(c)) for c in citations]},
                )
                .render()
                .rendered_content,
            },
            status=201,
        )

    def citable_search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "")
        found = [c for c in citable_search(term=term) if request.user.has_perm(f"coalition.view_{c.kind}")]
        return JsonResponse({"results": [{"key": c.key, "label": f"{c.kind}: {c.record}"} for c in found]})

    def pick_source_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = self._chosen(request)
        term = request.GET.get("q", "").strip()
        sources = Source.objects.defer("text").order_by("file_name", "pk")
        if term:
            sources = sources.filter(file_name__icontains=term) | sources.filter(title__icontains=term)
        query = f"?{chosen.kind}={chosen.record.pk}" if chosen else ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Cite {chosen.kind} “{chosen.record}” from a source" if chosen else "Cite from a source",
            "chosen": chosen,
            "term": term,
            "sources": [(s, reverse("admin:coalition_source_read", args=[s.pk]) + query) for s in sources[:PICK_LIMIT]],
        }
        return TemplateResponse(request, "admin/coalition/source/pick.html", context)


class CiteLinkMixin:
    """A link among a change page's tools to cite from a source: the reading view of this source, or the source
    picker with this record already chosen."""

    change_form_template = "admin/coalition/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id and str(object_id).isdigit():
            if self.model is Source:
                extra_context["cite_link"] = ("Read and cite", reverse("admin:coalition_source_read", args=[object_id]))
            else:
                picker = reverse("admin:coalition_source_pick")
                kind = self.model._meta.model_name
                extra_context["cite_link"] = ("Cite from a source", f"{picker}?{kind}={object_id}")
        return super().change_view(request, object_id, form_url, extra_context)
