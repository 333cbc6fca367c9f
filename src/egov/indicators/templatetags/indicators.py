from decimal import Decimal

from django import template
from django.utils import formats

from egov.core import shares

register = template.Library()


@register.filter
def points(value: Decimal | None) -> str:
    """Points to two decimals, half up ("—" when there are none)."""
    if value is None:
        return "—"
    return formats.number_format(shares.rounded(value, 2), 2, use_l10n=True)


@register.filter
def signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    shown = points(abs(value))
    return f"+{shown}" if value > 0 else (f"−{shown}" if value < 0 else shown)
