"""Reading a report's period and unit from a request: shared by the pages and the API."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import Field
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports.figures import Scope

FIRST_YEAR = 2015


def period(
    year: int | None = None, quarter: int | None = None, month: int | None = None
) -> tuple[datetime.date, datetime.date]:
    """A year, one of its quarters or one of its months, ending today at the latest."""
    today = timezone.localdate()
    year = year or today.year
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            _("Choose a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year}
        )
    if quarter and month:
        raise ValidationError(_("Choose a quarter or a month, not both."))
    if quarter:
        if not 1 <= quarter <= 4:
            raise ValidationError(_("A quarter is 1, 2, 3 or 4."))
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    elif month:
        if not 1 <= month <= 12:
            raise ValidationError(_("A month is 1 to 12."))
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    end -= datetime.timedelta(days=1)
    if start > today:
        raise ValidationError(_("This period has not started yet."))
    return start, min(end, today)


def custom_period(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    if start > end:
        raise ValidationError(_("The period must not end before it starts."))
    if start.year < FIRST_YEAR or start > today:
        raise ValidationError(
            _("The period must start between 1 January %(first)s and today.")
            % {"first": FIRST_YEAR}
        )
    return start, min(end, today)


def scope(agency: str | None = None, commune: str | None = None, field: str | None = None) -> Scope:
    """The unit from the codes given (agency code, commune statistical code, field code)."""
    found = {}
    if agency:
        found["agency"] = Agency.objects.filter(code=agency).first()
        if found["agency"] is None:
            raise ValidationError(_("No agency has the code %(code)s.") % {"code": agency})
    if commune:
        found["commune"] = (
            AdministrativeUnit.objects.filter(code=commune, level=AdministrativeUnit.Level.COMMUNE)
            .order_by("-valid_from")
            .first()
        )
        if found["commune"] is None:
            raise ValidationError(_("No commune has the code %(code)s.") % {"code": commune})
    if field:
        found["field"] = Field.objects.filter(code=field).first()
        if found["field"] is None:
            raise ValidationError(_("No field has the code %(code)s.") % {"code": field})
    return Scope(**found)
