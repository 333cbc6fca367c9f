"""Statistics of citizen reports for the public statistics page and its Excel export (the reports
app lays them out): received, answered on time and late, still waiting, by month, category,
agency and commune where it happened.

A report counts as received in the period it arrived, and as answered in the period of its
answer (on time when answered by its deadline; a reopened report counts by its last answer).
Duplicates merged into another report are received but never answered: the other one is.
Aggregates are read from the statistics database (a replica when one is configured).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from egov.core import shares
from egov.feedback.models import Category, Report
from egov.organizations.models import AdministrativeUnit, Agency


@dataclass
class Counts:
    received: int = 0
    on_time: int = 0
    late: int = 0
    waiting: int = 0  # received in the period, no answer yet (today)

    @property
    def answered(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        return shares.share(self.on_time, self.answered)


@dataclass
class Figures:
    total: Counts = field(default_factory=Counts)
    by_month: dict = field(default_factory=lambda: defaultdict(Counts))
    by_category: dict = field(default_factory=lambda: defaultdict(Counts))
    by_agency: dict = field(default_factory=lambda: defaultdict(Counts))
    by_commune: dict = field(default_factory=lambda: defaultdict(Counts))
    names: dict = field(default_factory=dict)  # (dimension, id) -> name


def _moments(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    finish = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return begin, finish


DIMENSIONS = {
    "by_category": "category_id",
    "by_agency": "agency_id",
    "by_commune": "commune_id",
}


def figures(
    start: datetime.date,
    end: datetime.date,
    *,
    agency_ids: list[int] | None = None,
    commune: AdministrativeUnit | None = None,
) -> Figures:
    begin, finish = _moments(start, end)
    reports = Report.objects.using(settings.EGOV_REPORTS_DATABASE)
    if agency_ids is not None:
        reports = reports.filter(agency_id__in=agency_ids)
    if commune is not None:
        reports = reports.filter(commune=commune)
    received = reports.filter(received_at__gte=begin, received_at__lt=finish)
    answered = reports.filter(answered_at__gte=begin, answered_at__lt=finish)
    waiting = received.filter(answered_at__isnull=True).exclude(status=Report.Status.MERGED)
    result = Figures()
    on_time = Count("pk", filter=Q(answered_at__lte=F("due_at")))
    late = Count("pk", filter=Q(answered_at__gt=F("due_at")))
    tz = timezone.get_current_timezone()
    groupings = [
        ("by_month", TruncMonth("received_at", tzinfo=tz), TruncMonth("answered_at", tzinfo=tz)),
        *((name, F(column), F(column)) for name, column in DIMENSIONS.items()),
    ]
    for name, received_key, answered_key in groupings:
        table = getattr(result, name)
        for row in received.annotate(key=received_key).values("key").annotate(n=Count("pk")):
            table[_month(row["key"])].received = row["n"]
        for row in waiting.annotate(key=received_key).values("key").annotate(n=Count("pk")):
            table[_month(row["key"])].waiting = row["n"]
        rows = answered.annotate(key=answered_key).values("key").annotate(a=on_time, b=late)
        for row in rows:
            table[_month(row["key"])].on_time = row["a"]
            table[_month(row["key"])].late = row["b"]
    for counts in result.by_month.values():
        result.total.received += counts.received
        result.total.waiting += counts.waiting
        result.total.on_time += counts.on_time
        result.total.late += counts.late
    _name(result)
    return result


def _month(key):
    """Months as dates (the first day); other keys unchanged."""
    if isinstance(key, datetime.datetime):
        return timezone.localtime(key).date().replace(day=1)
    return key


def _name(result: Figures) -> None:
    models = {"by_category": Category, "by_agency": Agency, "by_commune": AdministrativeUnit}
    for dimension, model in models.items():
        ids = [key for key in getattr(result, dimension) if key is not None]
        names = dict(
            model.objects.using(settings.EGOV_REPORTS_DATABASE)
            .filter(pk__in=ids)
            .values_list("pk", "name")
        )
        for key in ids:
            result.names[(dimension, key)] = names.get(key, str(key))
