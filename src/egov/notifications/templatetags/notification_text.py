"""Filters that notification templates may use beside Django's built-in ones."""

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1500000 -> '1.500.000 đ' (Vietnamese grouping, whatever the language)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{amount:,}".replace(",", ".") + " đ"
