from django import template

from egov.core.masking import mask_text

register = template.Library()


@register.filter
def masked(value: str) -> str:
    """Identification numbers and phone numbers in a logged path, masked for the page."""
    return mask_text(str(value))


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key, "")
