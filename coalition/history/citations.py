"""The citations of a record at one of its versions, and putting them back when the record is reverted."""

import copy
from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction

from ..models import Citation
from ..models.citations import SUBJECTS


class HistoryRefused(Exception):
    """Raised when a revert or restore would break a rule of the database; nothing was written."""


def describe_record(instance) -> str:
    """Return a record's name, or its kind and id when the name needs a related record that is gone."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} {instance.pk}"


def _describe(error: Exception, label: str) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        reasons = "; ".join(f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
                            for name, msgs in error.message_dict.items())  # fmt: skip
    elif isinstance(error, ValidationError):
        reasons = " ".join(error.messages)
    else:
        reasons = "it conflicts with a record that exists now"
    return f"{label}: {reasons}"


def save_with_history(instance, *, user, reason: str, label: str, force_insert: bool = False):
    """Validate and save `instance` as `user` with `reason` in its history row, or raise HistoryRefused."""
    instance._history_user = user
    instance._change_reason = reason
    try:
        with transaction.atomic():
            instance.full_clean()
            instance.save(force_insert=force_insert)
    except (ValidationError, IntegrityError) as error:
        raise HistoryRefused(_describe(error, label)) from None


def subject_field(model) -> str | None:
    """Return the name of the citation field that points at `model` (commitment…), or None."""
    name = model._meta.model_name
    return name if name in SUBJECTS and model is Citation._meta.get_field(name).related_model else None


def _citation_values(citation) -> dict:
    return {f.attname: getattr(citation, f.attname) for f in Citation.history.model.tracked_fields}


@dataclass
class CitationPlan:
    """What reverting a record to a version does to its citations."""

    comes_back: list = field(default_factory=list)  # cited at that version, not now: recreated or moved back
    goes: list = field(default_factory=list)  # cited now, not at that version: deleted
    restored: list = field(default_factory=list)  # cited at both, changed since: set back

    def __bool__(self):
        return bool(self.comes_back or self.goes or self.restored)

    def required_permissions(self) -> set[str]:
        """Return the citation permissions ("coalition.add_citation"…) that carrying out the plan needs."""
        opts = Citation._meta
        actions = set()
        if self.goes:
            actions.add("delete")
        if self.restored or any(not c._state.adding for c in self.comes_back):
            actions.add("change")
        if any(c._state.adding for c in self.comes_back):
            actions.add("add")
        return {f"{opts.app_label}.{get_permission_codename(action, opts)}" for action in actions}

    def summary(self) -> str:
        counts = [(len(self.comes_back), "came back"), (len(self.goes), "went"), (len(self.restored), "restored")]
        return "Citations: " + ", ".join(f"{n} {verb}" for n, verb in counts if n) + "."


def citations_at(version) -> dict:
    """Return the citations of `version`'s record as they were at that version, as Citations by id.

    A version's citations are the citations' state just before the record's next history row, or their
    current state when the version is the latest: the editing interface saves a record before the citations
    edited with it in the same request, so the citations saved or deleted right after a record's history row
    belong to that row's version.
    """
    name = subject_field(version.instance_type)
    record_id = getattr(version, version.instance_type._meta.pk.attname)
    later = version.next_record
    if later is None:
        return {c.pk: c for c in Citation.objects.filter(**{name: record_id})}
    rows = (
        Citation.history.filter(history_date__lt=later.history_date)
        .latest_of_each()
        .filter(**{f"{name}_id": record_id})
        .exclude(history_type="-")
    )
    return {row.id: row.instance for row in rows}


def plan_citations(version) -> CitationPlan:
    """Return what reverting `version`'s record to it does to the record's citations."""
    plan = CitationPlan()
    if subject_field(version.instance_type) is None or version.next_record is None:
        return plan
    wanted = citations_at(version)
    name = subject_field(version.instance_type)
    now = {c.pk: c for c in Citation.objects.filter(**{name: getattr(version, version.instance_type._meta.pk.attname)})}
    existing = set(Citation.objects.filter(pk__in=[pk for pk in wanted if pk not in now]).values_list("pk", flat=True))
    for pk, citation in sorted(wanted.items()):
        if pk not in now:
            citation._state.adding = pk not in existing
            plan.comes_back.append(citation)
        elif _citation_values(citation) != _citation_values(now[pk]):
            citation._state.adding = False
            plan.restored.append(citation)
    plan.goes = [citation for pk, citation in sorted(now.items()) if pk not in wanted]
    return plan


def apply_citation_plan(plan: CitationPlan, *, user, reason: str) -> None:
    """Carry out `plan` through the model (so each change leaves history), or raise HistoryRefused."""
    for citation in plan.goes:
        citation._history_user, citation._change_reason = user, reason
        citation.delete()
    for citation in [*plan.restored, *plan.comes_back]:
        save_with_history(citation, user=user, reason=reason, label=f"citation {citation.pk} ({citation})")


def check_citation_plan(plan: CitationPlan, *, user, reason: str) -> None:
    """Raise HistoryRefused if `plan` cannot be carried out; write nothing either way."""

    class Rehearsed(Exception):
        pass

    # On copies: deleting and saving change the instances (ids, state) even when rolled back.
    rehearsal = CitationPlan(*([copy.copy(c) for c in group] for group in (plan.comes_back, plan.goes, plan.restored)))
    try:
        with transaction.atomic():
            apply_citation_plan(rehearsal, user=user, reason=reason)
            raise Rehearsed
    except Rehearsed:
        pass
