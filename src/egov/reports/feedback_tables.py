"""Citizen reports (phản ánh, kiến nghị) in the statistics: received, answered on time and late,
still waiting, by month, category, agency and the commune where it happened; the figures come
from the feedback app (egov.feedback.stats), the layout is the other tables'."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from egov.feedback import stats
from egov.reports.figures import Scope
from egov.reports.tables import Cell, Head, Table


def _heads(first: str) -> list[list[Head]]:
    return [
        [
            Head(first, rowspan=2),
            Head(_("Received")),
            Head(_("Answered"), colspan=4),
            Head(_("Not answered yet"), rowspan=2),
        ],
        [
            Head(_("Reports")),
            Head(_("Total")),
            Head(_("On time")),
            Head(_("Late")),
            Head(_("On-time share")),
        ],
    ]


def _row(label: str, counts: stats.Counts) -> list[Cell]:
    return [
        Cell(label, "text"),
        Cell(counts.received),
        Cell(counts.answered),
        Cell(counts.on_time),
        Cell(counts.late),
        Cell(counts.on_time_rate, "percent"),
        Cell(counts.waiting),
    ]


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def tables(start: datetime.date, end: datetime.date, scope: Scope) -> list[Table]:
    """The four tables, or none when the scope is a field of procedures (reports have none)."""
    if scope.field is not None:
        return []
    figures = stats.figures(
        start,
        end,
        agency_ids=scope.agency_ids(start, end) if scope.agency is not None else None,
        commune=scope.commune,
    )
    built = []
    months = Table("feedback-months", _("Citizen reports by month"), _heads(_("Month")))
    for month in sorted(figures.by_month):
        months.rows.append(_row(_month_label(month), figures.by_month[month]))
    if months.rows:
        months.rows.append(_row(_("Total"), figures.total))
    months.note = _(
        "Reports (phản ánh, kiến nghị) count as received in the month they arrived and as answered "
        "in the month of the answer; a duplicate merged into another report is answered there."
    )
    built.append(months)
    for dimension, slug, title, first in (
        ("by_category", "feedback-categories", _("Citizen reports by category"), _("Category")),
        ("by_agency", "feedback-agencies", _("Citizen reports by agency"), _("Agency")),
        ("by_commune", "feedback-communes", _("Citizen reports by commune"), _("Commune")),
    ):
        table = Table(slug, title, _heads(first))
        rows = getattr(figures, dimension)
        named = [
            (figures.names.get((dimension, key)) if key is not None else _("Not known"), counts)
            for key, counts in rows.items()
        ]
        for label, counts in sorted(named, key=lambda item: (-item[1].received, str(item[0]))):
            table.rows.append(_row(str(label), counts))
        built.append(table)
    return built
