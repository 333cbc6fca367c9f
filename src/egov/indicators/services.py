"""Entering a figure for an indicator the platform does not measure (the only change this app
makes): checked, stored and written to the audit trail in one transaction."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.core import audit
from egov.indicators import access, assessment
from egov.indicators.definitions import BY_CODE
from egov.indicators.models import EnteredFigure
from egov.indicators.readings import Unit
from egov.reports.figures import Scope

AUDIT_FIELDS = ["indicator", "start", "end", "agency_id", "commune_id", "rate", "source"]


def enter_figure(
    *,
    actor: Any,
    indicator: str,
    start: datetime.date,
    end: datetime.date,
    scope: Scope,
    rate: Decimal,
    source: str,
) -> EnteredFigure:
    definition = BY_CODE.get(indicator)
    if definition is None:
        raise ValidationError(_("There is no indicator %(code)s.") % {"code": indicator})
    if definition.measure is not None and (
        not definition.entered_before_data
        or definition.measure(Unit(start, end, scope)) is not None
    ):
        raise ValidationError(
            _("The platform measures this indicator itself; its figure cannot be entered.")
        )
    if scope.field is not None:
        raise ValidationError(_("Figures are entered for the city, an agency or a commune."))
    if not source.strip():
        raise ValidationError(_("Say where the figure comes from."))
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError(_("A rate is from 0 to 100 percent."))
    if not access.may_enter(actor, scope):
        raise PermissionDenied
    with transaction.atomic():
        entry = EnteredFigure.objects.create(
            indicator=indicator,
            start=start,
            end=end,
            agency=scope.agency,
            commune=scope.commune,
            rate=rate.quantize(Decimal("0.01")),
            source=source.strip(),
            entered_by=actor,
        )
        audit.record(
            actor=actor,
            action="indicators.figure_entered",
            obj=entry,
            agency_id=scope.agency.pk if scope.agency is not None else None,
            after=audit.snapshot(entry, AUDIT_FIELDS),
        )
    return entry


def enter_assessment_figure(
    *, actor: Any, criterion: str, year: int, rate: Decimal, source: str
) -> EnteredFigure:
    """A figure of the yearly self-assessment the platform does not measure: the city's, so a
    system administrator's to enter."""
    definition = assessment.BY_CODE.get(criterion)
    if definition is None:
        raise ValidationError(_("There is no criterion %(code)s.") % {"code": criterion})
    if definition.measure is not None:
        raise ValidationError(
            _("The platform measures this criterion itself; its figure cannot be entered.")
        )
    if not source.strip():
        raise ValidationError(_("Say where the figure comes from."))
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError(_("A rate is from 0 to 100 percent."))
    if not scoping.is_system_wide(actor):
        raise PermissionDenied
    start, end = assessment.year_bounds(year)
    with transaction.atomic():
        entry = EnteredFigure.objects.create(
            indicator=criterion,
            start=start,
            end=end,
            rate=rate.quantize(Decimal("0.01")),
            source=source.strip(),
            entered_by=actor,
        )
        audit.record(
            actor=actor,
            action="indicators.assessment_figure_entered",
            obj=entry,
            after=audit.snapshot(entry, AUDIT_FIELDS),
        )
    return entry
