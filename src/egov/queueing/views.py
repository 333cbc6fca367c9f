"""Public pages of a desk, no sign-in: the kiosk that gives numbers, the printed ticket and the
display that calls them."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from egov.queueing import queries, services
from egov.queueing.limits import issue_limited
from egov.queueing.models import DeskField, Ticket

# A kiosk opened with ?in=1 prints each ticket at once and comes back to its buttons.
KIOSK_MODE = "in"


def _desk(desk_id: int):
    return get_object_or_404(queries.public_desks(), pk=desk_id)


def _kiosk(request, desk, *, error="", status=200):
    return render(
        request,
        "queueing/kiosk.html",
        {
            "desk": desk,
            "choices": queries.counts_by_field(desk),
            "kiosk_mode": request.GET.get(KIOSK_MODE) == "1" or request.POST.get(KIOSK_MODE) == "1",
            "error": error,
        },
        status=status,
    )


@never_cache
def kiosk(request, desk_id: int):
    desk = _desk(desk_id)
    if request.method != "POST":
        return _kiosk(request, desk)
    if issue_limited(request):
        return _kiosk(
            request,
            desk,
            error=_("Too many numbers were taken from this device. Wait a minute, then try again."),
            status=429,
        )
    field = None
    raw = request.POST.get("field", "")
    if raw:
        choice = (
            DeskField.objects.filter(desk=desk, field_id=raw).select_related("field").first()
            if raw.isdigit()
            else None
        )
        if choice is None:
            return _kiosk(
                request, desk, error=_("Choose one of the fields offered at this desk."), status=400
            )
        field = choice.field
    try:
        ticket = services.issue(desk, field=field)
    except ValidationError as exc:
        return _kiosk(request, desk, error=" ".join(exc.messages), status=400)
    url = reverse("queueing:ticket", args=[desk.pk, ticket.public_id])
    if request.POST.get(KIOSK_MODE) == "1":
        url += f"?{KIOSK_MODE}=1"
    return redirect(url)


@never_cache
def ticket(request, desk_id: int, public_id):
    desk = _desk(desk_id)
    found = get_object_or_404(
        Ticket.objects.select_related("field"), desk=desk, public_id=public_id
    )
    return render(
        request,
        "queueing/ticket.html",
        {
            "desk": desk,
            "ticket": found,
            "ahead": queries.waiting_ahead(found),
            "kiosk_mode": request.GET.get(KIOSK_MODE) == "1",
        },
    )


@never_cache
def display(request, desk_id: int):
    desk = _desk(desk_id)
    return render(request, "queueing/display.html", {"desk": desk, "board": queries.board(desk)})
