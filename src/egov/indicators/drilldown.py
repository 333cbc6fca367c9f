"""The dossiers behind a figure: those that cost an indicator its points in a period and unit,
read from the statistics' dossier facts and narrowed to what the person may open."""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import OnlineMode
from egov.dossiers import processing
from egov.dossiers.models import Channel, Dossier
from egov.indicators.readings import Unit
from egov.reports.models import DossierFact, Resolution


def _facts(unit: Unit) -> QuerySet[DossierFact]:
    facts = DossierFact.objects.all()
    ids = unit.agency_ids()
    if ids is not None:
        facts = facts.filter(agency_id__in=ids)
    return facts


def late(unit: Unit) -> Q:
    """Resolved late in the period, or open and overdue at its end."""
    resolved_late = Q(resolved_on__range=(unit.start, unit.end), resolution=Resolution.LATE)
    overdue_at_end = Q(overdue_on__lte=unit.end) & (
        Q(closed_on__isnull=True) | Q(closed_on__gt=unit.end)
    )
    return resolved_late | overdue_at_end


def not_online(unit: Unit) -> Q:
    return Q(received_on__range=(unit.start, unit.end), online_mode=OnlineMode.FULL) & ~Q(
        channel=Channel.ONLINE
    )


def not_paid_online(unit: Unit) -> Q:
    return Q(received_on__range=(unit.start, unit.end), fees_due=True, paid_online=False)


def no_electronic_result(unit: Unit) -> Q:
    return Q(resolved_on__range=(unit.start, unit.end), electronic_result=False)


def unsatisfied(unit: Unit) -> Q:
    """The dossiers the tallies count as late or rated not satisfied (the facts' columns)."""
    return Q(resolved_on__range=(unit.start, unit.end)) & (
        Q(resolution=Resolution.LATE) | Q(rated_unsatisfied=True)
    )


FILTERS: dict[str, tuple[Promise, Callable[[Unit], Q]]] = {
    "late": (_("Resolved late, or overdue at the end of the period"), late),
    "not_online": (_("Full-online procedures whose dossier was not received online"), not_online),
    "not_paid_online": (_("Fees to pay that were not paid online"), not_paid_online),
    "no_electronic_result": (_("Resolved without an electronic result"), no_electronic_result),
    "unsatisfied": (_("Resolved late or rated not satisfied"), unsatisfied),
}


def dossiers(user: Any, name: str, unit: Unit) -> QuerySet[Dossier]:
    """The dossiers behind the figure ``name`` that ``user`` may open."""
    condition = FILTERS[name][1](unit)
    ids = _facts(unit).filter(condition).values("dossier_id")
    return (
        processing.visible_to_staff(user)
        .filter(pk__in=ids)
        .select_related("procedure_version", "deciding_agency", "receiving_agency")
        .order_by("-received_at", "-id")
    )
