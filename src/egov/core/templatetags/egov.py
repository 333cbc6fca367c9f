from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Đồng as Vietnamese write them, whatever the page language: 1.250.000 đ."""
    try:
        number = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", ".") + " đ"
