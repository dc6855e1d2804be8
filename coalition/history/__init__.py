"""History beyond what django-simple-history writes by itself: initial rows, citations of a version, restores."""

from .citations import (
    CitationPlan,
    HistoryRefused,
    apply_citation_plan,
    check_citation_plan,
    citations_at,
    describe_record,
    plan_citations,
    subject_field,
)
from .recording import (
    CASCADE_REASON,
    FIRST_ROW_REASON,
    RESEED_REASON,
    RESTORE_REASON,
    SEED_REASON,
    change_reason,
    record_history,
    record_loaded,
    record_missing_history,
    recording_raw_saves,
    tracked_models,
)
from .restore import Restored, citations_deleted_with, restore_deleted

__all__ = [
    "CASCADE_REASON", "FIRST_ROW_REASON", "RESEED_REASON", "RESTORE_REASON", "SEED_REASON", "CitationPlan",
    "HistoryRefused", "Restored", "apply_citation_plan", "change_reason", "check_citation_plan", "citations_at",
    "citations_deleted_with", "describe_record", "plan_citations", "record_history", "record_loaded",
    "record_missing_history", "recording_raw_saves", "restore_deleted", "subject_field", "tracked_models",
]  # fmt: skip
