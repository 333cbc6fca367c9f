from django import template

from egov.core.action_labels import actor, label

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Đồng as Vietnamese write them, whatever the page language: 1.250.000 đ."""
    try:
        number = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", ".") + " đ"


@register.filter
def action_label(action: str):
    """The registered name of an audit action (egov.core.action_labels), else its code."""
    return label(action)


@register.filter
def actor_name(stored: str):
    """The audit record's actor: a user name, or the translated name of a system actor."""
    return actor(stored)
