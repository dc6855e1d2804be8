"""Re-checking every citation against its source's stored text."""

from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from .models import Citation, sha256_of
from .quotes import QuoteNotFound, locate

FIX_REASON = "Offsets recomputed: the quote had moved in its source"


@dataclass(frozen=True)
class Failure:
    """One citation whose quote is not at its offsets, and where it first differs."""

    citation_id: int
    label: str
    file_name: str
    position: int  # first position in the source text that differs from the quote
    expected: str  # the quote's character there
    found: str  # the source's character there ("" past the end of the text)
    relocatable_to: int | None  # where the quote does occur verbatim, if anywhere

    def __str__(self):
        found = repr(self.found) if self.found else "the end of the text"
        text = (
            f"citation {self.citation_id} ({self.label}) in {self.file_name}: first difference at source "
            f"position {self.position}: the quote has {self.expected!r}, the source has {found}"
        )
        if self.relocatable_to is not None:
            text += f"; the quote occurs verbatim at position {self.relocatable_to} (--fix-offsets moves it there)"
        return text


@dataclass
class VerificationReport:
    """What a verification found and, with --fix-offsets, what it changed."""

    checked: int = 0
    failures: list[Failure] = field(default_factory=list)
    fixed: int = 0
    source_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.source_problems


def source_problem(source) -> str | None:
    """Return what is wrong with a source's stored text (fingerprint or seed file mismatch), or None."""
    if sha256_of(source.text) != source.text_sha256:
        return f"source {source.file_name}: its text no longer matches its recorded SHA-256 fingerprint"
    if source.seed_path.is_file() and source.seed_path.read_bytes() != source.text.encode("utf-8"):
        return f"source {source.file_name}: its text differs from the seed file seeds/{source.file_name}"
    return None


def first_difference(text: str, start: int, quote: str) -> int:
    """Return the first position in `text`, from `start`, where it differs from `quote`."""
    for offset, character in enumerate(quote):
        if start + offset >= len(text) or text[start + offset] != character:
            return start + offset
    return start + len(quote)


def citation_label(citation: Citation) -> str:
    """Return a readable name for a citation: what it backs, by natural key."""
    subject = citation.subject
    return f"{citation.subject_type} {subject.summit.slug}/{subject.slug}" if subject else "no subject"


def verify_citations(*, fix_offsets: bool = False, dry_run: bool = False) -> VerificationReport:
    """Check that every citation's quote stands at its offsets in its source; optionally move drifted ones."""
    report = VerificationReport()
    citations = Citation.objects.select_related(
        "source", "commitment__summit", "statement__summit", "discrepancy__summit"
    ).order_by("pk")
    checked_sources = set()
    moved = []
    with transaction.atomic():
        for citation in citations.iterator(chunk_size=500):
            report.checked += 1
            source = citation.source
            if source.pk not in checked_sources:
                checked_sources.add(source.pk)
                if problem := source_problem(source):
                    report.source_problems.append(problem)
            text = source.text
            if text[citation.start : citation.end] == citation.quote:
                continue
            try:
                relocated = locate(text, citation.quote)[0]
            except QuoteNotFound:
                relocated = None
            if fix_offsets and relocated is not None:
                citation.start, citation.end = relocated, relocated + len(citation.quote)
                moved.append(citation)
                continue
            position = first_difference(text, citation.start, citation.quote)
            report.failures.append(
                Failure(
                    citation_id=citation.pk,
                    label=citation_label(citation),
                    file_name=source.file_name,
                    position=position,
                    expected=citation.quote[position - citation.start],
                    found=text[position : position + 1],
                    relocatable_to=relocated,
                )
            )
        # Through simple-history, so that each move is in the citation's history and can be reverted.
        report.fixed = bulk_update_with_history(moved, Citation, ["start", "end"], default_change_reason=FIX_REASON)
        if dry_run:
            transaction.set_rollback(True)
    return report
