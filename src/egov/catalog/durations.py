"""How long a workflow step takes, in the words a citizen reads.

The law sets time limits in working days (or working hours); an agency's internal procedure
(quy trình nội bộ) shares them out between its steps, often in parts of a day. A share of a
working day is shown as the working hours it stands for (a working day is the office hours of
the calendar, 8 hours): 0.5 day reads "4 giờ làm việc", 5.5 days "5 ngày 4 giờ làm việc", never
"5,50 ngày".
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.core import calendar


def _number(value: Decimal) -> str:
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        return str(int(value))
    return number_format(value, use_l10n=True)


def _hours(hours: Decimal) -> str:
    return ngettext("%(n)s working hour", "%(n)s working hours", 1 if hours == 1 else 2) % {
        "n": _number(hours)
    }


def working_time_text(duration, unit: str) -> str:
    """``duration`` of ``unit`` ("working_days" or "working_hours") as words."""
    duration = Decimal(str(duration))
    if unit == "working_hours":
        return _hours(duration)
    days = int(duration)
    hours = (duration - days) * calendar.hours_per_day()
    if hours == 0:
        return ngettext("%(n)s working day", "%(n)s working days", 1 if days == 1 else 2) % {
            "n": days
        }
    if days == 0:
        return _hours(hours)
    return _("%(days)s working days %(hours)s working hours") % {
        "days": days,
        "hours": _number(hours),
    }
