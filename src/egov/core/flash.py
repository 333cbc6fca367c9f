"""Messages shown on the next page."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def errors(request, exc: ValidationError) -> None:
    """Every message of a refused operation, each on its own line, for the page the user is
    sent back to."""
    for message in exc.messages:
        messages.error(request, message)
