"""Links that sort a list by a column (column headers, or a bar of links): the filters kept, the order toggled."""

from django import template
from django.utils.html import format_html

register = template.Library()

_DIRECTIONS = {"": ("ascending", "▲"), "-": ("descending", "▼")}


def _link(context, column: str, label: str) -> tuple[str, str | None]:
    """Return the link sorting by `column` (reversed when it is the list's order already) and the current direction."""
    params = context["request"].GET.copy()
    current = params.get("sort", "")
    params.pop("after", None)  # a page cursor belongs to one order: the sorted list starts on its first page
    params["sort"] = f"-{column}" if current == column else column
    prefix = next((prefix for prefix in _DIRECTIONS if current == f"{prefix}{column}"), None)
    if prefix is None:
        return format_html('<a href="?{}">{}</a>', params.urlencode(), label), None
    direction, arrow = _DIRECTIONS[prefix]
    link = format_html('<a href="?{}">{} <span aria-hidden="true">{}</span></a>', params.urlencode(), label, arrow)
    return link, direction


@register.simple_tag(takes_context=True)
def sort_header(context, column: str, label: str, sortable: bool = True, css: str = "") -> str:
    """Return a column's <th>: a link sorting by it when `sortable`, marked with aria-sort when it is the order."""
    classes = format_html(' class="{}"', css) if css else ""
    if not sortable:
        return format_html('<th scope="col"{}>{}</th>', classes, label)
    link, direction = _link(context, column, label)
    sort = format_html(' aria-sort="{}"', direction) if direction else ""
    return format_html('<th scope="col"{}{}>{}</th>', classes, sort, link)


@register.simple_tag(takes_context=True)
def sort_link(context, column: str, label: str) -> str:
    """Return a link sorting by `column`, for lists that are not tables; the current order is marked."""
    link, direction = _link(context, column, label)
    return format_html('<strong title="sorted {}">{}</strong>', direction, link) if direction else link
