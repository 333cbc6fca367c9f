"""The only tags and filters notification templates get: Django's own, less those that reach
beyond the values given (include, extends, load, debug, url, csrf_token), plus ``vnd``."""

from django.template import Library, defaultfilters, defaulttags

register = Library()
register.filters.update(defaultfilters.register.filters)
register.tags.update(
    {
        name: tag
        for name, tag in defaulttags.register.tags.items()
        if name not in {"debug", "load", "url", "csrf_token"}
    }
)


@register.filter
def vnd(value) -> str:
    """1500000 -> '1.500.000 đ' (Vietnamese grouping, whatever the language)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{amount:,}".replace(",", ".") + " đ"
