"""The city's operations dashboard (màn hình điều hành): what is happening today, read from a
handful of grouped queries on indexed columns, so that a wall screen may ask every few seconds.

- received today: the statistics' day tally of today (one row per agency and dimension);
- returned today: the statistics' day tally of today too (a dossier's fact holds the day its
  result was handed over);
- on time, due soon, overdue: the open dossiers grouped by the agency that holds them now,
  from the partial covering index of the work queues (``dossier_open_current``);
- queues, payments, failing notifications, citizen reports, documents awaiting direction: one
  grouped count each on their own indexes.
Nothing loops over dossiers in Python: it sums a few hundred grouped rows at most.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from egov.core import shares
from egov.documents.models import OfficialDocument
from egov.dossiers import processing
from egov.dossiers.models import Dossier
from egov.feedback.models import Report
from egov.indicators.readings import moments
from egov.notifications.models import Notification
from egov.organizations.models import AdministrativeUnit, Agency, OneStopDesk
from egov.payments.models import Payment
from egov.queueing.models import Ticket
from egov.reports.figures import reading, sums

RECEIVED = ("received_online", "received_desk", "received_post")
# A failed notification counts for this long: after a day someone has seen it or it is history.
FAILING_WINDOW = datetime.timedelta(hours=24)


@dataclass
class Line:
    """One agency's or commune's row of the deadlines table."""

    code: str
    name: str
    received: int = 0
    returned: int = 0
    open: int = 0
    due_soon: int = 0
    overdue: int = 0

    @property
    def on_time(self) -> int:
        return self.open - self.due_soon - self.overdue

    @property
    def overdue_share(self) -> Decimal | None:
        return shares.share(self.overdue, self.open)

    def add(self, other: "Line") -> None:
        for name in ("received", "returned", "open", "due_soon", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        share = self.overdue_share
        return {
            "code": self.code,
            "name": self.name,
            "received": self.received,
            "returned": self.returned,
            "open": self.open,
            "on_time": self.on_time,
            "due_soon": self.due_soon,
            "overdue": self.overdue,
            "overdue_share": None if share is None else str(shares.rounded(share, 1)),
        }


@dataclass
class Queue:
    desk: str
    agency: str
    waiting: int
    served: int
    average_wait_minutes: int | None


@dataclass
class Board:
    day: datetime.date
    at: datetime.datetime
    total: Line
    agencies: list[Line]
    communes: list[Line]
    queues: list[Queue]
    payments: dict[str, int]
    notifications_failing: int
    reports: dict[str, int]
    documents_awaiting: int
    commune_ids: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "at": self.at.isoformat(),
            "total": self.total.as_dict(),
            "agencies": [line.as_dict() for line in self.agencies],
            "communes": [line.as_dict() for line in self.communes],
            "queues": [queue.__dict__ for queue in self.queues],
            "payments": self.payments,
            "notifications_failing": self.notifications_failing,
            "citizen_reports": self.reports,
            "documents_awaiting_direction": self.documents_awaiting,
        }


def _within(queryset: QuerySet, allowed: list[int] | None, column: str) -> QuerySet:
    return queryset if allowed is None else queryset.filter(**{f"{column}__in": allowed})


def received_today(day: datetime.date, allowed: list[int] | None) -> dict[int, int]:
    condition = Q() if allowed is None else Q(agency_id__in=allowed)
    rows = sums(condition, day, day, ("agency_id",), RECEIVED, by_agency=True)
    return {key[0]: sum(row.values()) for key, row in rows.items()}


def returned_today(day: datetime.date, allowed: list[int] | None) -> dict[int, int]:
    """By the agency answering for the dossier, as the statistics count it: the tallies by
    agency of today (a dossier's fact holds the day its result was handed over)."""
    condition = Q() if allowed is None else Q(agency_id__in=allowed)
    rows = sums(condition, day, day, ("agency_id",), ("returned",), by_agency=True)
    return {key[0]: row["returned"] for key, row in rows.items()}


def deadlines(now: datetime.datetime, allowed: list[int] | None) -> dict[int, dict[str, int]]:
    """Open dossiers by the agency that holds them now: how many, due within a working day,
    overdue (a paused one too, once its appointment passed: processing.OVERDUE_STATUSES)."""
    soon = processing.due_soon_limit(now)
    rows = Dossier.objects.using(reading()).filter(
        status__in=processing.OVERDUE_STATUSES, current_agency__isnull=False
    )
    rows = _within(rows, allowed, "current_agency_id")
    counted = (
        rows.values("current_agency_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lte=soon)),
        )
        .order_by()
    )
    return {
        row["current_agency_id"]: {
            "open": row["open"],
            "overdue": row["overdue"],
            "due_soon": row["due_soon"],
        }
        for row in counted
    }


def queues(day: datetime.date, allowed: list[int] | None) -> list[Queue]:
    """Tickets of today at each desk: waiting now, served, and the average wait from taking a
    number to being first called."""
    wait = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())
    tickets = _within(Ticket.objects.using(reading()).filter(day=day), allowed, "desk__agency_id")
    counted = (
        tickets.values("desk_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=Ticket.Status.WAITING)),
            served=Count("pk", filter=Q(status=Ticket.Status.SERVED)),
            average=Avg(wait, filter=Q(called_at__isnull=False)),
        )
        .order_by()
    )
    by_desk = {row["desk_id"]: row for row in counted}
    desks = (
        OneStopDesk.objects.filter(pk__in=by_desk)
        .order_by("agency__code", "name")
        .values_list("pk", "name", "agency__name")
    )
    found = []
    for pk, name, agency in desks:
        row = by_desk[pk]
        average = row["average"]
        minutes = round(average.total_seconds() / 60) if average is not None else None
        found.append(Queue(name, agency, row["waiting"], row["served"], minutes))
    return found


def payments(day: datetime.date, allowed: list[int] | None) -> dict[str, int]:
    begin, finish = moments(day, day)
    paid = Payment.objects.using(reading()).filter(
        status=Payment.Status.PAID, paid_at__gte=begin, paid_at__lt=finish
    )
    paid = _within(paid, allowed, "order__agency_id")
    totals = paid.aggregate(
        count=Count("pk"),
        amount=Sum("amount"),
        online=Count("pk", filter=Q(method=Payment.Method.ONLINE)),
    )
    return {name: totals[name] or 0 for name in ("count", "amount", "online")}


def notifications_failing(now: datetime.datetime, allowed: list[int] | None) -> int:
    # Read through the (status, created_at) index; a delivery report of "undelivered" is the
    # notifications page's business, not the wall screen's.
    failing = Notification.objects.using(reading()).filter(
        status=Notification.Status.FAILED, created_at__gte=now - FAILING_WINDOW
    )
    return _within(failing, allowed, "agency_id").count()


def citizen_reports(now: datetime.datetime, allowed: list[int] | None) -> dict[str, int]:
    waiting = Report.objects.using(reading()).filter(status__in=Report.OPEN)
    counted = _within(waiting, allowed, "agency_id").aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))
    )
    return {"open": counted["open"], "overdue": counted["overdue"]}


def documents_awaiting(allowed: list[int] | None) -> int:
    """Incoming documents registered and waiting for a leader's direction (chờ chỉ đạo)."""
    waiting = OfficialDocument.objects.using(reading()).filter(
        direction=OfficialDocument.Direction.INCOMING,
        state=OfficialDocument.State.REGISTERED,
    )
    return _within(waiting, allowed, "agency_id").count()


def _lines(
    received: dict[int, int], returned: dict[int, int], stock: dict[int, dict[str, int]]
) -> tuple[list[Line], list[Line], dict[str, int]]:
    """The agencies' lines, and the communes' (the sums of the agencies placed in each)."""
    ids = set(received) | set(returned) | set(stock)
    agencies = (
        Agency.objects.filter(pk__in=ids)
        .order_by("path")
        .values_list("pk", "code", "name", "unit_id")
    )
    by_agency: list[Line] = []
    by_commune: dict[int, Line] = {}
    placed: dict[int, list[Line]] = {}
    for pk, code, name, unit_id in agencies:
        held = stock.get(pk, {})
        line = Line(code, name, received.get(pk, 0), returned.get(pk, 0), held.get("open", 0))
        line.due_soon, line.overdue = held.get("due_soon", 0), held.get("overdue", 0)
        by_agency.append(line)
        if unit_id is not None:
            placed.setdefault(unit_id, []).append(line)
    communes = AdministrativeUnit.objects.filter(
        pk__in=placed, level=AdministrativeUnit.Level.COMMUNE
    ).values_list("pk", "code", "name")
    commune_ids: dict[str, int] = {}
    for pk, code, name in communes:
        total = by_commune[pk] = Line(code, name)
        commune_ids[code] = pk
        for line in placed[pk]:
            total.add(line)
    return by_agency, sorted(by_commune.values(), key=lambda line: line.code), commune_ids


def board(allowed: list[int] | None, now: datetime.datetime | None = None) -> Board:
    """Today's board for the agencies ``allowed`` (None: the whole city)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    agencies, communes, commune_ids = _lines(
        received_today(day, allowed), returned_today(day, allowed), deadlines(now, allowed)
    )
    total = Line("", "")
    for line in agencies:
        total.add(line)
    return Board(
        day=day,
        at=now,
        total=total,
        agencies=agencies,
        communes=communes,
        queues=queues(day, allowed),
        payments=payments(day, allowed),
        notifications_failing=notifications_failing(now, allowed),
        reports=citizen_reports(now, allowed),
        documents_awaiting=documents_awaiting(allowed),
        commune_ids=commune_ids,
    )
