from urllib.parse import urlencode

from django import template

from egov.reports import tables

register = template.Library()


@register.filter
def number(value) -> str:
    return tables.number(value or 0)


@register.filter
def percent(value) -> str:
    return tables.percent(value)


@register.filter
def show(cell) -> str:
    return tables.show(cell)


@register.simple_tag
def query_with(query, **changes) -> str:
    """The page's query string with some parameters replaced (the drill-down links)."""
    values = {
        key: query.get(key) for key in ("year", "quarter", "month", "agency", "commune", "field")
    }
    values.update(changes)
    return urlencode({key: value for key, value in values.items() if value})
