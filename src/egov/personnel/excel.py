"""The staffing report and the due lists as Excel workbooks (openpyxl): the same tables as the
pages, numbers as numbers, dates as dates."""

import datetime
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from egov.personnel import queries
from egov.personnel.models import EmploymentKind, Sex

HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet, lines: list[str]) -> int:
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line).font = Font(bold=row == 1, size=12)
    return len(lines) + 2


def _head_row(sheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=str(title))
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def staffing_workbook(report: queries.Staffing, heading: list[str]) -> bytes:
    """One sheet per section of the report, one row per agency and the total."""
    book = Workbook()
    book.remove(book.active)
    for section in report.sections:
        title = "".join(c for c in str(section.title) if c not in "[]:*?/\\")[:31]
        sheet = book.create_sheet(title)
        row = _heading(sheet, [*heading, str(section.title)])
        _head_row(sheet, row, [_("Agency"), *[str(c.label) for c in section.columns]])
        for line in [*report.rows, report.total]:
            row += 1
            name = line.agency.name if line.agency else _("Total")
            sheet.cell(row=row, column=1, value=name).font = Font(bold=line.agency is None)
            for column, item in enumerate(section.columns, start=2):
                cell = sheet.cell(row=row, column=column, value=line.values.get(item.key))
                cell.number_format = "#,##0;-#,##0"
        sheet.column_dimensions["A"].width = 45
        for column in range(2, len(section.columns) + 2):
            sheet.column_dimensions[get_column_letter(column)].width = 14
        sheet.freeze_panes = sheet.cell(row=row - len(report.rows), column=2)
    return _save(book)


def raises_workbook(rows: list[queries.RaiseRow], heading: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Salary steps due")[:31]
    row = _heading(sheet, heading)
    _head_row(
        sheet,
        row,
        [
            _("Record number"),
            _("Full name"),
            _("Agency"),
            _("Rank"),
            _("Group"),
            pgettext("salary", "Step"),
            _("Coefficient"),
            _("Since"),
            _("Due on"),
            pgettext("salary", "Next"),
            _("Early before retirement"),
        ],
    )
    for item in rows:
        row += 1
        state = item.state
        following = (
            _("Seniority allowance %(n)d %%") % {"n": item.next_percent}
            if item.seniority
            else _("Step %(step)d (%(coefficient)s)")
            % {"step": item.next_step, "coefficient": item.next_coefficient}
        )
        values = [
            item.person.code,
            item.person.full_name,
            state.agency.name if state.agency_id else "",
            state.rank.code if state.rank_id else "",
            state.salary_group,
            state.step,
            float(state.coefficient) if state.coefficient is not None else None,
            state.step_since,
            item.due_on,
            following,
            _("yes") if state.early_raise else "",
        ]
        _row(sheet, row, values)
    _widths(sheet, [12, 28, 36, 10, 8, 6, 10, 12, 12, 26, 12])
    return _save(book)


def retirements_workbook(rows: list[queries.RetirementRow], heading: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Retirements due")[:31]
    row = _heading(sheet, heading)
    _head_row(
        sheet,
        row,
        [
            _("Record number"),
            _("Full name"),
            _("Sex"),
            _("Date of birth"),
            _("Agency"),
            _("Retirement age"),
            _("Retires at the end of"),
            _("Pension from"),
            _("Notice due by"),
            _("Decision due by"),
        ],
    )
    for item in rows:
        row += 1
        retirement = item.retirement
        values = [
            item.person.code,
            item.person.full_name,
            item.person.get_sex_display(),
            item.person.date_of_birth,
            item.state.agency.name if item.state.agency_id else "",
            _("%(years)d years %(months)d months")
            % {"years": retirement.age_years, "months": retirement.age_months},
            retirement.retires_on,
            retirement.pension_from,
            item.notice_on,
            item.decision_on,
        ]
        _row(sheet, row, values)
    _widths(sheet, [12, 28, 8, 12, 36, 16, 14, 14, 14, 14])
    return _save(book)


def salaries_workbook(rows, heading: list[str]) -> bytes:
    """The list of people in service with their salary (danh sách và tiền lương): one row each,
    grouped by agency, coefficients and allowances as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Salaries")[:31]
    row = _heading(sheet, heading)
    _head_row(
        sheet,
        row,
        [
            pgettext("list", "No."),
            _("Record number"),
            _("Full name"),
            _("Date of birth"),
            _("Sex"),
            _("Agency"),
            _("Employment"),
            _("Position"),
            _("Rank code"),
            _("Rank"),
            _("Group"),
            pgettext("salary", "Step"),
            _("Coefficient"),
            _("Since"),
            _("Position allowance"),
            _("Seniority allowance (%)"),
        ],
    )
    employments = dict(EmploymentKind.choices)
    sexes = dict(Sex.choices)
    for number, state in enumerate(rows, start=1):
        row += 1
        person = state.person
        values = [
            number,
            person.code,
            person.full_name,
            str(person.date_of_birth.year) if person.birth_year_only else person.date_of_birth,
            str(sexes.get(person.sex, "")),
            state.agency.name if state.agency_id else "",
            str(employments.get(state.employment_kind, "")),
            state.position,
            state.rank.code if state.rank_id else "",
            state.rank.name if state.rank_id else "",
            state.salary_group,
            state.step,
            float(state.coefficient) if state.coefficient is not None else None,
            state.step_since,
            float(state.position_allowance) if state.position_allowance is not None else None,
            state.seniority_percent or None,
        ]
        _row(sheet, row, values)
    _widths(sheet, [6, 12, 28, 12, 8, 36, 18, 24, 10, 24, 8, 6, 10, 12, 12, 12])
    sheet.freeze_panes = sheet.cell(row=len(heading) + 3, column=4)
    return _save(book)


def _row(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"


def _widths(sheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
