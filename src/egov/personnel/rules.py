"""The legal rules of a civil servant's career that the platform computes, in one place.

- Salary scales (bảng lương) of Nghị định 204/2004/NĐ-CP, table 2 (công chức) and table 3
  (viên chức), which share their groups and coefficients: the group of a rank (ngạch) fixes its
  steps (bậc) and the coefficient (hệ số) of each.
- Regular raises (nâng bậc lương thường xuyên, Thông tư 08/2013/TT-BNV as amended by Thông tư
  03/2021/TT-BNV): one step after 36 months in the step for ranks that need a college degree or
  more (groups A0 to A3), after 24 months for the others (groups B and C). Discipline (kỷ luật)
  during the step lengthens the wait by what art. 2 §3 says for the person's employment: 12
  months for dismissal from the post (cách chức) and a civil servant's demotion (giáng chức); 6
  months for a warning (cảnh cáo) and for a reprimand (khiển trách) of a cadre, civil servant or
  worker; 3 months for a public employee's reprimand; a year rated "did not complete the duties"
  6 months, and the delays add up. A lowered salary step (hạ bậc lương) is not in that list: the
  lower step is a salary decision of its own. Unpaid leave and suspension do not count.
- Forms of discipline (Nghị định 112/2020/NĐ-CP art. 7 and 15, Luật Cán bộ, công chức art. 78):
  a lowered salary step and demotion exist for civil servants only, not for cadres or public
  employees.
- Seniority allowance beyond the frame (phụ cấp thâm niên vượt khung, Thông tư 04/2005/TT-BNV):
  at the last step of the group, 5 % after the same 36 or 24 months, then 1 % more each year.
- Early raise before retirement (Thông tư 03/2021/TT-BNV): who has not reached the last step and
  would wait at most 12 months more at retirement is raised early once the retirement notice is
  given; the due lists flag them.
- Retirement age (tuổi nghỉ hưu, Bộ luật Lao động 2019 art. 169 and Nghị định 135/2020/NĐ-CP):
  60 for men and 55 for women until 2020; from 2021, 60 years 3 months and 55 years 4 months,
  then 3 more months a year for men up to 62 (2028) and 4 more months a year for women up to 60
  (2035). The age is that of the year in which the person reaches it. Retirement takes effect at
  the end of the last day of the month in which the age is reached (the pension runs from the
  first day of the next month); a record with only the year of birth counts from 1 January.
  The agency gives the written notice 6 months before and the retirement decision 3 months
  before that day (Luật Cán bộ, công chức art. 60).
- Recruitment at 18 or older (Luật Cán bộ, công chức art. 36, Luật Viên chức art. 22), and a
  probation of at most 12 months (Nghị định 138/2020/NĐ-CP, Nghị định 115/2020/NĐ-CP).

Nothing here reads the database: the functions take dates and numbers, so the tests can walk
every edge date."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# --- Salary scales (Nghị định 204/2004/NĐ-CP) ---------------------------------------------------


@dataclass(frozen=True)
class SalaryGroup:
    code: str
    label: str
    coefficients: tuple[Decimal, ...]
    months_per_step: int  # the regular raise period, also the wait for the seniority allowance

    @property
    def last_step(self) -> int:
        return len(self.coefficients)


def _scale(first: str, increment: str, steps: int) -> tuple[Decimal, ...]:
    start, step = Decimal(first), Decimal(increment)
    return tuple(start + step * n for n in range(steps))


THREE_YEARS = 36
TWO_YEARS = 24

SALARY_GROUPS: dict[str, SalaryGroup] = {
    group.code: group
    for group in [
        SalaryGroup(
            "A3.1", _("Type A3, group 1 (senior expert)"), _scale("6.20", "0.36", 6), THREE_YEARS
        ),
        SalaryGroup("A3.2", _("Type A3, group 2"), _scale("5.75", "0.36", 6), THREE_YEARS),
        SalaryGroup(
            "A2.1", _("Type A2, group 1 (principal expert)"), _scale("4.40", "0.34", 8), THREE_YEARS
        ),
        SalaryGroup("A2.2", _("Type A2, group 2"), _scale("4.00", "0.34", 8), THREE_YEARS),
        SalaryGroup(
            "A1", _("Type A1 (expert, university degree)"), _scale("2.34", "0.33", 9), THREE_YEARS
        ),
        SalaryGroup("A0", _("Type A0 (college degree)"), _scale("2.10", "0.31", 10), THREE_YEARS),
        SalaryGroup("B", _("Type B (intermediate level)"), _scale("1.86", "0.20", 12), TWO_YEARS),
        SalaryGroup("C1", _("Type C, group 1"), _scale("1.65", "0.18", 12), TWO_YEARS),
        SalaryGroup("C2", _("Type C, group 2"), _scale("1.50", "0.18", 12), TWO_YEARS),
        SalaryGroup("C3", _("Type C, group 3"), _scale("1.35", "0.18", 12), TWO_YEARS),
    ]
}
# The codes as the model stores them; forms show the labels (group_label).
GROUP_CHOICES = [(code, code) for code in SALARY_GROUPS]


def group_label(code: str) -> str:
    group = SALARY_GROUPS.get(code)
    return f"{code} — {group.label}" if group else code


def salary_group(code: str) -> SalaryGroup:
    try:
        return SALARY_GROUPS[code]
    except KeyError as exc:
        raise ValueError(_("“%(code)s” is not a salary group.") % {"code": code}) from exc


def coefficient(group_code: str, step: int) -> Decimal:
    """The coefficient of ``step`` (from 1) in the group's scale."""
    group = salary_group(group_code)
    if not 1 <= step <= group.last_step:
        raise ValueError(
            _("Group %(group)s has steps 1 to %(last)d.")
            % {"group": group.code, "last": group.last_step}
        )
    return group.coefficients[step - 1]


# --- Dates --------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the last day of a shorter month (31/01 + 1 → 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- Regular raises and the seniority allowance -------------------------------------------------


class Employment:
    CADRE = "cadre"
    CIVIL_SERVANT = "civil_servant"
    PUBLIC_EMPLOYEE = "public_employee"
    CONTRACT = "contract"


class Form:
    """The forms of discipline (hình thức kỷ luật)."""

    REPRIMAND = "reprimand"
    WARNING = "warning"
    STEP_LOWERED = "step_lowered"
    DEMOTION = "demotion"
    DISMISSAL_FROM_POST = "dismissal_from_post"
    DISMISSAL = "dismissal"


class Leave:
    UNPAID = "unpaid"
    SUSPENSION = "suspension"


NOT_COMPLETED_MONTHS = 6  # each year rated "did not complete the duties"
UNCOUNTED_LEAVE = frozenset({Leave.UNPAID, Leave.SUSPENSION})
# Forms the law does not give for an employment (a cadre is dismissed from the post, a public
# employee is reprimanded, warned or dismissed from the post; neither is demoted).
NOT_FOR = {
    Employment.CADRE: frozenset({Form.STEP_LOWERED, Form.DEMOTION}),
    Employment.PUBLIC_EMPLOYEE: frozenset({Form.STEP_LOWERED, Form.DEMOTION}),
}


def discipline_allowed(employment: str, form: str) -> bool:
    return form not in NOT_FOR.get(employment, frozenset())


def discipline_delay(employment: str, form: str) -> int:
    """Months by which a discipline of ``form`` during the step delays the next raise of
    someone in ``employment`` (Thông tư 08/2013/TT-BNV art. 2 §3, as amended in 2021). An
    unknown employment counts as a civil servant's."""
    if form in (Form.DISMISSAL_FROM_POST, Form.DEMOTION):
        return 12
    if form == Form.WARNING:
        return 6
    if form == Form.REPRIMAND:
        return 3 if employment == Employment.PUBLIC_EMPLOYEE else 6
    return 0  # a lowered step is its own salary decision; a dismissal ends the service


@dataclass(frozen=True)
class Delay:
    """A discipline or a poor rating during the step: the raise waits ``months`` longer."""

    on: datetime.date
    months: int


@dataclass(frozen=True)
class Pause:
    """A period that does not count towards the raise (unpaid leave, suspension); ``end`` is
    the first day back, None while it lasts."""

    start: datetime.date
    end: datetime.date | None


class RaiseKind:
    STEP = "step"
    SENIORITY = "seniority"


@dataclass(frozen=True)
class RaiseDue:
    kind: str  # RaiseKind
    due_on: datetime.date
    step: int  # the step after the raise (the last step again for the seniority allowance)
    coefficient: Decimal
    seniority_percent: int  # after the raise; 0 for a step


def _waited(
    since: datetime.date,
    months: int,
    delays: Iterable[Delay],
    pauses: Iterable[Pause],
    as_of: datetime.date,
) -> datetime.date:
    """The day the wait of ``months`` from ``since`` ends: longer by each delay that falls in it
    and by the days of each pause in it. Repeats until nothing more falls inside, since a longer
    wait may take in another delay."""
    delays = sorted(delays, key=lambda d: d.on)
    pauses = list(pauses)
    due = add_months(since, months)
    while True:
        extra = sum(d.months for d in delays if since <= d.on < due)
        end = add_months(since, months + extra)
        paused = 0
        for pause in pauses:
            stop = pause.end or max(as_of, pause.start)
            start, stop = max(pause.start, since), min(stop, end)
            if stop > start:
                paused += (stop - start).days
        candidate = end + datetime.timedelta(days=paused)
        if candidate == due:
            return due
        due = candidate


def next_raise(
    group_code: str,
    step: int,
    since: datetime.date,
    *,
    seniority_percent: int = 0,
    seniority_since: datetime.date | None = None,
    delays: Iterable[Delay] = (),
    pauses: Iterable[Pause] = (),
    as_of: datetime.date | None = None,
) -> RaiseDue:
    """The next regular raise of someone in ``step`` of the group since ``since`` (the date the
    decision counts the step from): one step up, or at the last step the seniority allowance
    (5 %, then 1 % more each year from ``seniority_since``)."""
    group = salary_group(group_code)
    as_of = as_of or datetime.date.today()
    if step < group.last_step:
        due = _waited(since, group.months_per_step, delays, pauses, as_of)
        return RaiseDue(RaiseKind.STEP, due, step + 1, coefficient(group_code, step + 1), 0)
    last = group.coefficients[-1]
    if seniority_percent <= 0:
        due = _waited(since, group.months_per_step, delays, pauses, as_of)
        return RaiseDue(RaiseKind.SENIORITY, due, step, last, 5)
    due = _waited(seniority_since or since, 12, delays, pauses, as_of)
    return RaiseDue(RaiseKind.SENIORITY, due, step, last, seniority_percent + 1)


EARLY_RAISE_MONTHS = 12


def early_raise_before_retirement(raise_due: RaiseDue | None, retires_on: datetime.date) -> bool:
    """Whether the step the person waits for falls at most 12 months after their retirement
    (Thông tư 03/2021/TT-BNV): then the raise is given early with the retirement notice."""
    if raise_due is None or raise_due.kind != RaiseKind.STEP:
        return False
    return retires_on < raise_due.due_on <= add_months(retires_on, EARLY_RAISE_MONTHS)


# --- Recruitment and probation --------------------------------------------------------------

MINIMUM_AGE = 18
PROBATION_MONTHS = 12


def adult_on(birth_date: datetime.date) -> datetime.date:
    """The first day someone born on ``birth_date`` may be recruited."""
    return add_months(birth_date, MINIMUM_AGE * 12)


# --- Retirement age (Bộ luật Lao động 2019, Nghị định 135/2020/NĐ-CP) -------------------------

ROADMAP_START = 2021
NOTICE_MONTHS = 6
DECISION_MONTHS = 3


class Sex:
    MALE = "male"
    FEMALE = "female"


def retirement_age(sex: str, year: int) -> tuple[int, int]:
    """(years, months) of the normal retirement age for someone retiring in ``year``."""
    if sex == Sex.MALE:
        base, step, ceiling = 60 * 12, 3, 62 * 12
    elif sex == Sex.FEMALE:
        base, step, ceiling = 55 * 12, 4, 60 * 12
    else:
        raise ValueError(_("The sex must be male or female to compute the retirement age."))
    if year < ROADMAP_START:
        return divmod(base, 12)
    return divmod(min(base + step * (year - ROADMAP_START + 1), ceiling), 12)


@dataclass(frozen=True)
class Retirement:
    age_years: int
    age_months: int
    reaches_on: datetime.date  # the day the age is reached (month precision is what counts)
    retires_on: datetime.date  # the last day of that month: retirement takes effect at its end
    pension_from: datetime.date  # the first day of the next month

    @property
    def notice_on(self) -> datetime.date:
        """The written notice of the retirement is due by this day."""
        return add_months(self.retires_on, -NOTICE_MONTHS)

    @property
    def decision_on(self) -> datetime.date:
        """The retirement decision is due by this day."""
        return add_months(self.retires_on, -DECISION_MONTHS)


def retirement(sex: str, birth_date: datetime.date, *, year_only: bool = False) -> Retirement:
    """When someone born on ``birth_date`` reaches the normal retirement age: the first year
    whose age they reach within that year."""
    if year_only:
        birth_date = datetime.date(birth_date.year, 1, 1)
    year = birth_date.year + 55
    while True:
        years, months = retirement_age(sex, year)
        reaches = add_months(birth_date, years * 12 + months)
        if reaches.year <= year:
            retires = end_of_month(reaches)
            return Retirement(years, months, reaches, retires, retires + datetime.timedelta(days=1))
        year += 1


# --- Age bands of the staffing reports ----------------------------------------------------------

AGE_BANDS = [  # (label, lowest age, highest age) in whole years on the report date
    (_("30 or under"), 0, 30),
    (_("31 to 40"), 31, 40),
    (_("41 to 50"), 41, 50),
    (_("51 to 60"), 51, 60),
    (_("Over 60"), 61, 200),
]


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def born_between(
    day: datetime.date, lowest: int, highest: int
) -> tuple[datetime.date, datetime.date]:
    """The birth dates (first, last) of those aged ``lowest`` to ``highest`` on ``day``."""

    def years_before(years: int) -> datetime.date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February in a year without one
            return day.replace(year=day.year - years, day=28)

    first = years_before(highest + 1) + datetime.timedelta(days=1)
    last = years_before(lowest)
    return first, last
