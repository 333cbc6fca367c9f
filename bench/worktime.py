"""Working-time arithmetic for the data generator, fast enough for millions of deadlines.

The platform's calendar (`egov.core.calendar`) answers one deadline at a time with database
look-ups; the generator needs tens of millions. This class reads the same calendar once for the
whole period (the city's declared days, national holidays, make-up Saturdays, office hours)
and then maps a moment to its working-time offset and back with a few integer operations, with
the same conventions: a moment outside office hours counts from the next working moment, and a
deadline that lands at the end of a period is that period's end, not the next one's start.

Times are whole seconds of Vietnam's local clock since 1970-01-01 (UTC+7 has no daylight
saving time, so local seconds and UTC seconds differ by a constant).
"""

import bisect
import datetime

DAY_SECONDS = 86400
LOCAL_OFFSET = 7 * 3600
EPOCH = datetime.date(1970, 1, 1)


def day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def to_date(number: int) -> datetime.date:
    return EPOCH + datetime.timedelta(days=number)


class WorkTime:
    def __init__(self, working_days: list[datetime.date], periods):
        self.days = [day_number(d) for d in sorted(working_days)]
        self.periods = [(p[0].hour * 3600 + p[0].minute * 60, p[1].hour * 3600 + p[1].minute * 60)
                        for p in periods]  # fmt: skip
        self.day_length = sum(end - start for start, end in self.periods)
        self.closing = self.periods[-1][1]

    def is_working_day(self, number: int) -> bool:
        index = bisect.bisect_left(self.days, number)
        return index < len(self.days) and self.days[index] == number

    def offset(self, moment: int) -> int:
        """Working seconds from the first working day of the calendar to ``moment``."""
        number, seconds = divmod(moment, DAY_SECONDS)
        index = bisect.bisect_left(self.days, number)
        if index >= len(self.days):
            raise ValueError("moment beyond the calendar")
        base = index * self.day_length
        if self.days[index] != number:
            return base
        worked = 0
        for start, end in self.periods:
            if seconds <= start:
                break
            worked += min(seconds, end) - start
        return base + worked

    def moment(self, offset: int) -> int:
        index, rest = divmod(offset, self.day_length)
        if rest == 0 and index > 0:
            index, rest = index - 1, self.day_length
        number = self.days[index]
        for start, end in self.periods:
            if rest <= end - start:
                return number * DAY_SECONDS + start + rest
            rest -= end - start
        raise AssertionError("unreachable")

    def add(self, moment: int, hours: float) -> int:
        return self.moment(self.offset(moment) + round(hours * 3600))

    def transfer_deadline(self, received: int) -> int:
        """The 15:00 rule for paper dossiers (`processing.transfer_deadline`)."""
        number, seconds = divmod(received, DAY_SECONDS)
        if not self.is_working_day(number) or seconds >= 15 * 3600:
            number += 1
        index = bisect.bisect_left(self.days, number)
        return self.days[index] * DAY_SECONDS + self.closing
