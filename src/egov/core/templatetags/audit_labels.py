from django import template

from egov.core import audit_labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return audit_labels.label(action)
