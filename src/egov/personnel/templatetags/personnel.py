from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    """A value of a dict by a key held in a variable (the report's columns)."""
    return mapping.get(key)
