"""What the kiosk, the display and the officer's page show: read-only queries on today's
tickets of one desk."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import Role
from egov.accounts.scoping import scoped
from egov.organizations.models import OneStopDesk
from egov.queueing.models import DeskField, Ticket

CALLING_ON_DISPLAY = 8


@dataclass
class FieldCounts:
    field_id: int | None
    code: str
    name: str
    letter: str
    waiting: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0


def public_desks():
    return OneStopDesk.objects.filter(is_active=True).select_related("agency")


def officer_desks(user):
    """The active desks where ``user`` is a desk officer."""
    return scoped(public_desks(), user, roles=[Role.DESK_OFFICER])


def today_tickets(desk: OneStopDesk):
    return Ticket.objects.filter(desk=desk, day=timezone.localdate())


def counts_by_field(desk: OneStopDesk) -> list[FieldCounts]:
    """Today's tickets per field and status, every offered field listed (zero included)."""
    offered = list(DeskField.objects.filter(desk=desk).select_related("field"))
    rows = {
        item.field_id: FieldCounts(item.field_id, item.field.code, item.field.name, item.letter)
        for item in offered
    }
    if not offered:
        rows[None] = FieldCounts(None, "", _("All procedures"), "")
    totals = (
        today_tickets(desk)
        .values("field_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=Ticket.Status.WAITING)),
            called=Count("pk", filter=Q(status=Ticket.Status.CALLED)),
            served=Count("pk", filter=Q(status=Ticket.Status.SERVED)),
            no_show=Count("pk", filter=Q(status=Ticket.Status.NO_SHOW)),
        )
    )
    for total in totals:
        # A field taken off the kiosk today still shows the tickets it already gave.
        row = rows.setdefault(total["field_id"], FieldCounts(total["field_id"], "", "—", ""))
        row.waiting, row.called = total["waiting"], total["called"]
        row.served, row.no_show = total["served"], total["no_show"]
    return list(rows.values())


def waiting_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same field issued before this one."""
    return Ticket.objects.filter(
        desk_id=ticket.desk_id,
        day=ticket.day,
        field_id=ticket.field_id,
        status=Ticket.Status.WAITING,
        number__lt=ticket.number,
    ).count()


def calling(desk: OneStopDesk, limit: int = CALLING_ON_DISPLAY) -> list[Ticket]:
    """Tickets being called now, the latest call first."""
    return list(
        today_tickets(desk)
        .filter(status=Ticket.Status.CALLED)
        .select_related("field")
        .order_by("-last_called_at")[:limit]
    )


def board(desk: OneStopDesk) -> dict:
    """The display's state, also served as JSON to the display's script."""
    counts = counts_by_field(desk)
    return {
        "desk": desk.pk,
        "desk_name": desk.name,
        "as_of": timezone.now(),
        "calling": [
            {
                "ticket": ticket.label,
                "counter": ticket.counter,
                "field": ticket.field.name if ticket.field else "",
                "called_at": ticket.last_called_at,
                "call_count": ticket.call_count,
            }
            for ticket in calling(desk)
        ],
        "waiting": sum(row.waiting for row in counts),
        "waiting_by_field": [
            {"field": row.code, "name": row.name, "letter": row.letter, "waiting": row.waiting}
            for row in counts
        ],
    }
