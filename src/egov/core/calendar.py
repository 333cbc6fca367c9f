"""The one working-day calendar: every legal deadline is computed here.

A day is a working day unless the city declared otherwise (`CalendarDay`), or it is a national
holiday or substituted day off (the `holidays` package, country VN: lunar new year, substitute
days), or a weekend day that is not a make-up working Saturday (`weekend_workdays`). Time limits
count working time: a dossier received outside working hours starts counting at the next
working moment, and day limits are converted to working hours (one day = the office hours of a
day), so half days and hour limits follow the same arithmetic.
"""

import datetime
from decimal import Decimal
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from egov.core.models import CalendarDay

MAX_DAYS_SCANNED = 3660  # ten years: a limit beyond that is a data error, not a deadline


def _parse_hours(spec: str) -> tuple[tuple[datetime.time, datetime.time], ...]:
    periods = []
    for part in spec.split(","):
        start, end = part.strip().split("-")
        periods.append((datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)))
    return tuple(periods)


MICROSECONDS_PER_HOUR = 3_600_000_000
ONE_MICROSECOND = datetime.timedelta(microseconds=1)


def _hours(delta: datetime.timedelta) -> Decimal:
    return Decimal(delta // ONE_MICROSECOND) / MICROSECONDS_PER_HOUR


def office_periods() -> tuple[tuple[datetime.time, datetime.time], ...]:
    return _parse_hours(settings.EGOV_WORKING_HOURS)


def hours_per_day() -> Decimal:
    return sum(
        (
            _hours(
                datetime.datetime.combine(datetime.date.min, end)
                - datetime.datetime.combine(datetime.date.min, start)
            )
            for start, end in office_periods()
        ),
        Decimal(0),
    )


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[frozenset, frozenset]:
    calendar = holidays.VN(years=year)
    return frozenset(calendar), frozenset(d for d in calendar.weekend_workdays if d.year == year)


class WorkingCalendar:
    """Answers for a window of days, reading the city's declared days once."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.start, self.end = start, end
        self.overrides = dict(
            CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
        )

    def is_working_day(self, day: datetime.date) -> bool:
        declared = self.overrides.get(day)
        if declared is not None:
            return declared == CalendarDay.Kind.WORKING_DAY
        days_off, make_up_days = _national(day.year)
        if day in days_off:
            return False
        return day.weekday() < 5 or day in make_up_days


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else timezone.make_aware(moment)


def add_working_time(
    start: datetime.datetime, *, days=0, hours=0, calendar: WorkingCalendar | None = None
) -> datetime.datetime:
    """The moment ``days`` working days plus ``hours`` working hours after ``start``; a caller
    that computes several moments close together passes the ``calendar`` it read once."""
    # Counted in whole microseconds: exact, where float or decimal hours would drift.
    limit = Decimal(str(days)) * hours_per_day() + Decimal(str(hours))
    remaining = int(limit * MICROSECONDS_PER_HOUR)
    if remaining < 0:
        raise ValueError("a time limit cannot be negative")
    moment = _local(start)
    tz = moment.tzinfo
    day = moment.date()
    if calendar is None or not calendar.start <= day <= calendar.end:
        calendar = WorkingCalendar(day, day + datetime.timedelta(days=int(limit / 4) * 3 + 60))
    for _ in range(MAX_DAYS_SCANNED):
        if calendar.is_working_day(day):
            for period_start, period_end in office_periods():
                begin = datetime.datetime.combine(day, period_start, tzinfo=tz)
                end = datetime.datetime.combine(day, period_end, tzinfo=tz)
                begin = max(begin, moment)
                if begin >= end:
                    continue
                available = (end - begin) // ONE_MICROSECOND
                if remaining <= available:
                    return begin + remaining * ONE_MICROSECOND
                remaining -= available
        day += datetime.timedelta(days=1)
        moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
        if day > calendar.end:
            calendar = WorkingCalendar(day, day + datetime.timedelta(days=400))
    raise ValueError("the time limit runs beyond ten years")


def next_working_moment(
    moment: datetime.datetime, calendar: WorkingCalendar | None = None
) -> datetime.datetime:
    """``moment`` itself during office hours, else the start of the next office period: the
    last moment from which no working time has yet elapsed since ``moment``."""
    one_microsecond_in_hours = Decimal(1) / MICROSECONDS_PER_HOUR
    later = add_working_time(moment, hours=one_microsecond_in_hours, calendar=calendar)
    return later - ONE_MICROSECOND


def working_hours_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    """Working hours elapsed between two moments (0 when ``end`` is not after ``start``)."""
    start, end = _local(start), _local(end)
    if end <= start:
        return Decimal(0)
    tz = start.tzinfo
    calendar = WorkingCalendar(start.date(), end.date())
    total = datetime.timedelta(0)
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for period_start, period_end in office_periods():
                begin = max(datetime.datetime.combine(day, period_start, tzinfo=tz), start)
                finish = min(datetime.datetime.combine(day, period_end, tzinfo=tz), end)
                if finish > begin:
                    total += finish - begin
        day += datetime.timedelta(days=1)
    return _hours(total)
