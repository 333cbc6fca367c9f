"""Read-only queries: the public list and map, the agencies' queues (scoped by construction)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.accounts import scoping
from egov.core import calendar
from egov.feedback import geo
from egov.feedback.models import Category, Report
from egov.feedback.services import READING_ROLES
from egov.organizations.models import Agency

S = Report.Status
DEFAULT_RADIUS_M = 500

PUBLIC_STATUSES = {
    "open": (pgettext_lazy("reports", "Not answered yet"), list(Report.OPEN)),
    "answered": (pgettext_lazy("reports", "Answered"), [S.ANSWERED]),
    "closed": (pgettext_lazy("reports", "Closed"), [S.CLOSED]),
}


def public_reports():
    """What anyone may see: not hidden, not merged away (the report it went into stands for
    it)."""
    return Report.objects.filter(hidden_at__isnull=True).exclude(status=S.MERGED)


@dataclass
class PublicFilter:
    category: Category | None = None
    status: str = ""
    commune: object = None
    latitude: float | None = None
    longitude: float | None = None
    radius: int = DEFAULT_RADIUS_M

    def apply(self, reports):
        if self.category is not None:
            reports = reports.filter(category=self.category)
        if self.status in PUBLIC_STATUSES:
            reports = reports.filter(status__in=PUBLIC_STATUSES[self.status][1])
        if self.commune is not None:
            reports = reports.filter(commune=self.commune)
        if self.latitude is not None and self.longitude is not None:
            reports = geo.near(reports, self.latitude, self.longitude, self.radius)
        return reports


# --- Staff queues -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    slug: str
    label: object


TABS = [
    Tab("new", pgettext_lazy("report queue", "New")),
    Tab("in_progress", pgettext_lazy("report queue", "Being handled")),
    Tab("due_soon", pgettext_lazy("report queue", "Due soon")),
    Tab("overdue", pgettext_lazy("report queue", "Overdue")),
    Tab("answered", pgettext_lazy("report queue", "Answered")),
    Tab("closed", pgettext_lazy("report queue", "Closed")),
]
TAB_SLUGS = [tab.slug for tab in TABS]
ALL_AGENCIES = _("All my agencies")


def queue_agencies(user, system_wide: bool):
    """The agencies whose queue ``user`` may open, in the tree's order. A system-wide user
    reads every agency's reports, but picks among those in force today."""
    if system_wide:
        agencies = Agency.objects.as_of(timezone.localdate())
    else:
        agencies = scoping.agency_scope(user, READING_ROLES)
    return agencies.order_by("path").only("pk", "name", "path")


def chosen_agency(agencies, raw: str):
    """The agency of ``agencies`` whose id is ``raw``; None (all of them) for anything else."""
    return next((agency for agency in agencies if str(agency.pk) == raw), None)


def staff_reports(user, agency_ids: list[int] | None = None):
    """The reports of the agencies where ``user`` works on reports (or reads them)."""
    reports = scoping.scoped(Report.objects.all(), user, roles=READING_ROLES)
    if agency_ids:
        reports = reports.filter(agency_id__in=agency_ids)
    return reports


def due_soon_limit(now=None):
    return calendar.add_working_time(
        now or timezone.now(), hours=settings.EGOV_FEEDBACK_DUE_SOON_HOURS
    )


def tab(reports, slug: str, now=None, soon=None):
    now = now or timezone.now()
    if slug == "new":
        return reports.filter(status=S.NEW).order_by("due_at", "id")
    if slug == "in_progress":
        return reports.filter(status=S.IN_PROGRESS).order_by("due_at", "id")
    if slug == "due_soon":
        return reports.filter(
            status__in=Report.OPEN, due_at__gte=now, due_at__lte=soon or due_soon_limit(now)
        ).order_by("due_at", "id")
    if slug == "overdue":
        return reports.filter(status__in=Report.OPEN, due_at__lt=now).order_by("due_at", "id")
    if slug == "answered":
        return reports.filter(status=S.ANSWERED).order_by("-answered_at", "-id")
    return reports.filter(status__in=[S.CLOSED, S.MERGED]).order_by("-closed_at", "-id")


def deadline_state(report: Report, now=None, soon=None) -> str:
    """'overdue', 'soon' or '' for an open report's badge."""
    if report.status not in Report.OPEN:
        return ""
    now = now or timezone.now()
    if report.due_at < now:
        return "overdue"
    if report.due_at <= (soon or due_soon_limit(now)):
        return "soon"
    return ""


def attribute_answers(report: Report) -> list[tuple[str, str]]:
    """(question, answer) for the category's questions the reporter answered, choices by their
    names rather than their keys."""
    answers = []
    for attribute in report.category.attributes.all():
        value = report.attributes.get(attribute.code)
        if value in (None, "", []):
            continue
        names = {str(v.get("key")): v.get("name") or str(v.get("key")) for v in attribute.values}
        values = value if isinstance(value, list) else [value]
        answers.append(
            (attribute.description, ", ".join(names.get(str(v), str(v)) for v in values))
        )
    return answers
