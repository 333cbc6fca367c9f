"""The days the city declares off (ngày nghỉ) or working (ngày làm bù) on top of the national
calendar: declared, changed and withdrawn here only, each change in the audit trail.

Deadlines already computed keep their dates; the declared days count for the deadlines computed
afterwards (a dossier received, a step handed on, an apology letter).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from egov.core import action_labels, audit
from egov.core.models import CalendarDay

FIELDS = ["date", "kind", "reason"]
action_labels.register(
    {
        "core.calendar_day_declared": _("Day off or working day declared"),
        "core.calendar_day_changed": _("Declared day changed"),
        "core.calendar_day_withdrawn": _("Declared day withdrawn"),
    }
)


def _snapshot(day: CalendarDay) -> dict:
    return {"date": day.date.isoformat(), "kind": day.kind, "reason": day.reason}


@transaction.atomic
def declare(*, date: datetime.date, kind: str, reason: str, actor) -> CalendarDay:
    """Declares ``date`` a day off or a working day; a date declared already is changed."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        day = CalendarDay.objects.create(date=date, kind=kind, reason=reason)
        audit.record(
            actor=actor, action="core.calendar_day_declared", obj=day, after=_snapshot(day)
        )
        return day
    before = _snapshot(day)
    day.kind, day.reason = kind, reason
    day.save(update_fields=["kind", "reason"])
    audit.record(
        actor=actor,
        action="core.calendar_day_changed",
        obj=day,
        before=before,
        after=_snapshot(day),
    )
    return day


@transaction.atomic
def withdraw(day: CalendarDay, *, actor) -> None:
    """The date follows the national calendar again."""
    before = _snapshot(day)
    audit.record(actor=actor, action="core.calendar_day_withdrawn", obj=day, before=before)
    day.delete()
