"""Read-only questions on the stored current state: the search, the due lists, the staffing
report. Each takes a :class:`~egov.personnel.access.Scope`, so nothing outside it is counted."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.core.text import normalize_search_text
from egov.organizations.models import Agency
from egov.personnel import rules, staffing_counts
from egov.personnel.access import Scope
from egov.personnel.models import (
    ACTIVE_STATUSES,
    CivilServant,
    CurrentState,
    EducationLevel,
    EmploymentKind,
    PoliticalTheory,
    Sex,
    StaffingCount,
    StaffingQuota,
)
from egov.personnel.rules import add_months


def search(scope: Scope, text: str = "", *, agency_id=None, status: str = "") -> QuerySet:
    """The current states (with their people) in scope whose name (without accents) or record
    number matches ``text``. Read from the state's side: a list of everyone in service is then
    counted on the narrow state table alone."""
    rows = scope.filter(CurrentState.objects.all(), "agency").select_related(
        "person", "agency", "rank"
    )
    text = (text or "").strip()
    if text:
        needle = normalize_search_text(text)
        rows = rows.filter(Q(name_search__contains=needle) | Q(record_code=text.upper()))
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    if status == "active":
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    # A name's matches are read once, with their sort keys, for both the count and the page
    # (CappedPaginator, in the view): the narrow table is scanned once, not once for the count
    # and once for the page.
    return rows.order_by("name_search", "record_code")


# --- Due lists ----------------------------------------------------------------------------------


@dataclass
class RaiseRow:
    person: CivilServant
    state: CurrentState
    due_on: datetime.date
    seniority: bool
    next_step: int | None
    next_coefficient: object
    next_percent: int | None
    overdue: bool


def raises_due(
    scope: Scope, today: datetime.date, months: int, *, agency_id=None
) -> list[RaiseRow]:
    """Who reaches the next step (or the allowance beyond the frame) by ``months`` from today,
    including those whose date passed without a decision."""
    rows = _due(scope, agency_id).filter(next_raise_on__lte=add_months(today, months))
    found = []
    for row in rows.order_by("next_raise_on", "person__name_search"):
        seniority = row.next_raise_kind == rules.RaiseKind.SENIORITY
        next_step = next_coefficient = next_percent = None
        if seniority:
            next_percent = row.seniority_percent + 1 if row.seniority_percent else 5
        elif row.step:
            next_step = row.step + 1
            next_coefficient = rules.coefficient(row.salary_group, next_step)
        found.append(
            RaiseRow(
                row.person,
                row,
                row.next_raise_on,
                seniority,
                next_step,
                next_coefficient,
                next_percent,
                row.next_raise_on < today,
            )
        )
    return found


@dataclass
class RetirementRow:
    person: CivilServant
    state: CurrentState
    retirement: rules.Retirement
    notice_on: datetime.date
    decision_on: datetime.date
    overdue: bool


def retirements_due(
    scope: Scope, today: datetime.date, months: int, *, agency_id=None
) -> list[RetirementRow]:
    """Who reaches the retirement age by ``months`` from today (and who passed it still in
    service), with the dates the notice and the decision are due."""
    rows = _due(scope, agency_id).filter(retires_on__lte=add_months(today, months))
    found = []
    for row in rows.order_by("retires_on", "person__name_search"):
        retirement = row.person.retirement
        found.append(
            RetirementRow(
                row.person,
                row,
                retirement,
                retirement.notice_on,
                retirement.decision_on,
                retirement.retires_on < today,
            )
        )
    return found


def _due(scope: Scope, agency_id) -> QuerySet:
    rows = scope.filter(
        CurrentState.objects.filter(status__in=ACTIVE_STATUSES), "agency"
    ).select_related("person", "agency", "rank")
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows


def salary_list(scope: Scope, *, agency_id=None) -> QuerySet:
    """Everyone in service in scope with their rank, step and allowances (danh sách và tiền
    lương), by agency then name."""
    rows = _due(scope, agency_id)
    return rows.order_by("agency__path", "agency__code", "person__name_search", "person__code")


# --- Staffing against the approved headcount ----------------------------------------------------

GROUP_TYPES = ["A3", "A2", "A1", "A0", "B", "C"]


@dataclass
class Column:
    key: str
    label: str | Promise  # a lazy translation, or an ethnic group's name as recorded
    condition: Q | None = None  # counted among the active people; None: computed


@dataclass
class Section:
    title: str | Promise
    columns: list[Column]


RANK_CLASSES = {  # the rank classes of the standard report, by the type of their salary group
    "A3": _("A3: senior experts and equivalent"),
    "A2": _("A2: principal experts and equivalent"),
    "A1": _("A1: experts and equivalent"),
    "A0": _("A0: assistant experts (cán sự) and equivalent"),
    "B": _("B: staff (nhân viên) and equivalent"),
    "C": _("C: service staff"),
}


def _group_key(ethnicity: str) -> str:
    return "ethnicity_" + normalize_search_text(ethnicity).replace(" ", "_")


def _sections(day: datetime.date) -> list[Section]:
    ages = []
    for index, (label, lowest, highest) in enumerate(rules.AGE_BANDS):
        first, last = rules.born_between(day, lowest, min(highest, 150))
        ages.append(Column(f"age_{index}", label, Q(born_on__range=(first, last))))
    cadre = Q(employment_kind__in=[EmploymentKind.CADRE, EmploymentKind.CIVIL_SERVANT])
    return [
        Section(
            _("Against the approved headcount"),
            [
                Column("quota_cs", _("Approved: civil servants")),
                Column("civil_servants", _("Cadres and civil servants"), cadre),
                Column("gap_cs", _("Difference")),
                Column("quota_pe", _("Approved: public employees")),
                Column(
                    "public_employees",
                    _("Public employees"),
                    Q(employment_kind=EmploymentKind.PUBLIC_EMPLOYEE),
                ),
                Column("gap_pe", _("Difference")),
                Column(
                    "contract", _("Contract workers"), Q(employment_kind=EmploymentKind.CONTRACT)
                ),
                Column("total", _("Total in service"), Q()),
            ],
        ),
        Section(
            _("By rank (salary type)"),
            [
                *[
                    Column(f"group_{t}", RANK_CLASSES[t], Q(salary_group__startswith=t))
                    for t in GROUP_TYPES
                ],
                Column("group_none", _("No rank"), Q(salary_group="")),
            ],
        ),
        Section(
            _("By sex and age"),
            [
                Column("women", _("Women"), Q(sex=Sex.FEMALE)),
                *ages,
            ],
        ),
        Section(
            _("By education"),
            [
                *[
                    Column(f"edu_{level.value}", level.label, Q(education_level=level))
                    for level in EducationLevel
                ],
                *[
                    Column(
                        f"pol_{level.value}",
                        _("Political theory: %(level)s") % {"level": level.label},
                        Q(political_theory=level),
                    )
                    for level in PoliticalTheory
                    if level != PoliticalTheory.NONE
                ],
            ],
        ),
        Section(
            _("By ethnicity and religion"),
            [
                Column("minority", _("Ethnic minorities"), Q(minority=True)),
                Column("religious", _("With a religion"), Q(religious=True)),
                Column(
                    "party",
                    _("Party members"),
                    Q(party_member=True),
                ),
            ],
        ),
    ]


@dataclass
class StaffingRow:
    agency: Agency | None  # None: the total
    values: dict = field(default_factory=dict)


@dataclass
class Staffing:
    day: datetime.date
    year: int
    sections: list[Section]
    rows: list[StaffingRow]
    total: StaffingRow


def staffing(scope: Scope, day: datetime.date, *, agency_id=None) -> Staffing:
    """One row per agency in scope that has people in service or an approved headcount for the
    year, then the total. The columns are fixed but for the ethnic groups: one per minority
    group present in the scope (Khmer and Hoa in Cần Thơ), from the kept counts."""
    sections = _sections(day)
    counted = [c for s in sections for c in s.columns if c.condition is not None]
    counts = scope.filter(StaffingCount.objects.all(), "agency")
    quotas = scope.filter(StaffingQuota.objects.filter(year=day.year), "agency")
    if agency_id:
        counts = counts.filter(agency_id=agency_id)
        quotas = quotas.filter(agency_id=agency_id)
    by_agency = staffing_counts.counts_by_agency(counts, day, counted)
    minorities = sorted(
        {
            key.removeprefix(staffing_counts.GROUP)
            for found in by_agency.values()
            for key in found
            if key.startswith(staffing_counts.GROUP)
        }
    )
    ethnicity = next(s.columns for s in sections if s.columns[0].key == "minority")
    ethnicity[1:1] = [Column(_group_key(name), name) for name in minorities]
    quota_by_agency = {q.agency_id: q for q in quotas}
    agencies = Agency.objects.filter(pk__in=set(by_agency) | set(quota_by_agency)).order_by(
        "path", "code"
    )
    rows = []
    total = StaffingRow(None, {c.key: 0 for s in sections for c in s.columns})
    for agency in agencies:
        found = by_agency.get(agency.pk, {})
        values: dict[str, int | None] = {c.key: found.get(c.key, 0) for c in counted}
        values |= {_group_key(name): found.get(staffing_counts.GROUP + name, 0)
                   for name in minorities}  # fmt: skip
        quota = quota_by_agency.get(agency.pk)
        values["quota_cs"] = quota.civil_servants if quota else None
        values["quota_pe"] = quota.public_employees if quota else None
        values["gap_cs"] = (values["civil_servants"] or 0) - quota.civil_servants if quota else None
        values["gap_pe"] = (
            (values["public_employees"] or 0) - quota.public_employees if quota else None
        )
        rows.append(StaffingRow(agency, values))
        for key, value in values.items():
            total.values[key] += value or 0
    return Staffing(day, day.year, sections, rows, total)


def flat_columns(report: Staffing) -> list[Column]:
    return [c for s in report.sections for c in s.columns]


def quotas(scope: Scope, year: int) -> QuerySet:
    return (
        scope.filter(StaffingQuota.objects.filter(year=year), "agency")
        .select_related("agency")
        .order_by(F("agency__path").asc(), "agency__code")
    )
