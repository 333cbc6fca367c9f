from django import template

from egov.core.masking import mask_text

register = template.Library()


@register.filter
def masked(value: str) -> str:
    """Identification numbers and phone numbers in a logged path, masked for the page."""
    return mask_text(str(value))
