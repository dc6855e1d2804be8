"""The kinds of URL filter the lists share: choices, names resolved on a small table, and sorting by column.

A name filter (country, summit, speaker, organisation) resolves what was typed to the keys of the rows it names
with one query on its small table, and the big table is then filtered on those keys: no text matching joins the
big table. Every refusal names the parameter's valid values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import slugify

EMPTY_LABEL = "Any"
MAX_MATCHES = 200  # a name part matching more rows than this is too vague to filter on


def _percent_safe(text: str) -> str:
    return text.replace("%", "%%")  # error messages are %-formatted with the value given


class AnyChoiceFilter(django_filters.ChoiceFilter):
    """A dropdown of choices whose empty option reads "Any"; an unknown value is refused with the valid codes."""

    def __init__(self, *, choices, **kwargs):
        listing = "; ".join(f"{code} ({label})" for code, label in choices)
        message = _percent_safe(f"Select a valid choice: “{{value}}” is not one of {listing}.")
        kwargs.setdefault("error_messages", {"invalid_choice": message.replace("{value}", "%(value)s")})
        super().__init__(choices=choices, empty_label=EMPTY_LABEL, **kwargs)


@dataclass(frozen=True)
class Matched:
    """The keys of the rows a typed name matched, and the normalised value to show (e.g. in a file name)."""

    keys: tuple
    normalised: str

    def __str__(self):
        return self.normalised


@dataclass(frozen=True)
class Names:
    """How to resolve a typed value to rows of `model`: columns it may equal, columns it may be part of."""

    model: type
    exact: Sequence[str]  # compared whole, any case (a code, a slug, a full name)
    partial: Sequence[str] = ()  # the value may be any part of these, any case
    noun: str = "row"
    hint: str = ""  # where to find the valid values

    def resolve(self, value: str) -> list:
        """Return the rows matching `value` as (key, *exact columns), whole matches first."""
        whole = Q()
        for column in self.exact:
            whole |= Q(**{f"{column}__iexact": value})
        anywhere = Q(whole)
        for column in self.partial:
            anywhere |= Q(**{f"{column}__icontains": value})
        first = Case(When(whole, then=Value(0)), default=Value(1), output_field=IntegerField())
        rows = self.model.objects.filter(anywhere).order_by(first, "pk").values_list("pk", *self.exact)
        return list(rows[: MAX_MATCHES + 1])


class NameField(forms.CharField):
    """A text box whose value is resolved to the keys of the rows it names; none, or too many, is refused."""

    def __init__(self, *, names: Names, **kwargs):
        self.names = names
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        rows = self.names.resolve(value)
        noun = self.names.noun
        if not rows:
            raise forms.ValidationError(f"No {noun} matches “{value}”. {self.names.hint}".strip(), code="no_match")
        if len(rows) > MAX_MATCHES:
            raise forms.ValidationError(
                f"“{value}” matches more than {MAX_MATCHES} {noun} names: type more of the name.", code="too_many"
            )
        folded = value.casefold()
        whole = [row for row in rows if any(str(v).casefold() == folded for v in row[1:])]
        if whole:  # a code or full name picks its rows only, not those it is also part of
            rows = whole
        # The normalised value: the one row's code or slug, else the text typed.
        normalised = str(rows[0][1]) if len(rows) == 1 and whole else value
        return Matched(keys=tuple(row[0] for row in rows), normalised=normalised)


class NameFilter(django_filters.Filter):
    """A filter on rows of a small table named by code, slug or (part of a) name; the big table is filtered by key."""

    field_class = NameField

    def __init__(self, field_name=None, *, names: Names, **kwargs):
        super().__init__(field_name=field_name, names=names, **kwargs)

    def filter(self, qs, value):
        return qs if value is None else qs.filter(**{f"{self.field_name}__in": value.keys})


@dataclass(frozen=True)
class Sorting:
    """A list's sortable columns (name → ORM paths) and its order when none is asked for; orders end with pk."""

    columns: Mapping[str, Sequence[str]]
    default: Sequence[str]

    def choices(self) -> list[tuple[str, str]]:
        return [choice for name in self.columns for choice in ((name, name), (f"-{name}", f"{name}, reversed"))]

    def ordering(self, key: str | None) -> tuple[str, ...]:
        """Return the ORM ordering for `?sort=key` (a column, or "-column" for descending), ending with pk."""
        if not key:
            return tuple(self.default)
        descending = key.startswith("-")
        paths = self.columns[key.removeprefix("-")]
        return (*(f"-{path}" if descending else path for path in paths), "pk")


class SortFilter(django_filters.ChoiceFilter):
    """`?sort=column` or `?sort=-column`: orders the rows; an unknown column is refused with the sortable ones."""

    def __init__(self, sorting: Sorting, **kwargs):
        self.sorting = sorting
        listing = ", ".join(sorting.columns)
        message = f"“%(value)s” is not a sortable column: sort by one of {listing} (with “-” before it to reverse)."
        errors = {"invalid_choice": message}
        super().__init__(choices=sorting.choices(), label="Sort by", empty_label="Default", error_messages=errors)

    def filter(self, qs, value):
        return qs.order_by(*self.sorting.ordering(value)) if value else qs


def sorting_of(filterset_class) -> Sorting | None:
    """Return the sortable columns of a FilterSet (its `sort` filter's), or None when it cannot sort."""
    sort = filterset_class.base_filters.get("sort")
    return sort.sorting if isinstance(sort, SortFilter) else None


def name_parts(cleaned: Mapping) -> list[str]:
    """Return the normalised values of the filters used, in the filters' order, for naming a download."""
    return [str(value) for name, value in cleaned.items() if name != "sort" and value not in (None, "")]


def download_name(base: str, cleaned: Mapping, *, limit: int = 80) -> str:
    """Return a file name stem like `commitments-FR-refusal`: the filters' values in safe characters, capped."""
    parts = [base]
    for part in name_parts(cleaned):
        safe = part if part.isalnum() and part.isascii() else slugify(part)
        if safe:
            parts.append(safe)
    return "-".join(parts)[:limit].rstrip("-")
