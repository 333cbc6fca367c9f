"""The report tables, built once and rendered three ways: as accessible HTML tables, as Excel
sheets (merged header cells, the exact share in each percentage cell with the table's number
format) and as JSON rows. Shares are exact decimals (egov.core.shares), rounded half up to the
precision of the table (two decimals, as the city's published tables have them) only when shown."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core import shares
from egov.dossiers.models import RATING_SCORES
from egov.dossiers.ratings import INDICATORS
from egov.reports.figures import Report


@dataclass
class Head:
    text: str
    colspan: int = 1
    rowspan: int = 1


PERCENT_PLACES = 2  # the published tables' precision for shares


@dataclass
class Cell:
    value: int | float | Decimal | str | None
    kind: str = "int"  # int, percent (a value from 0 to 100), decimal (one decimal), text
    places: int = PERCENT_PLACES  # decimals shown for a percentage


@dataclass
class Table:
    slug: str
    title: str
    heads: list[list[Head]]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    @property
    def width(self) -> int:
        return sum(head.colspan for head in self.heads[0])


def number(value: int) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def percent(value: Decimal | float | None, places: int = PERCENT_PLACES) -> str:
    if value is None:
        return "—"
    return formats.number_format(shares.rounded(value, places), places, use_l10n=True) + "%"


def show(cell: Cell) -> str:
    if cell.value is None:
        return "—"
    if cell.kind == "int":
        return number(int(cell.value))
    if cell.kind == "percent" and not isinstance(cell.value, str):
        return percent(cell.value, cell.places)
    if cell.kind == "decimal":
        return formats.number_format(cell.value, 1, use_l10n=True)
    return str(cell.value)


def period_label(start: datetime.date, end: datetime.date) -> str:
    if (start.month, start.day) == (1, 1) and end.year == start.year:
        if (end.month, end.day) == (12, 31):
            return _("Year %(year)s") % {"year": start.year}
        return _("Year %(year)s, up to %(end)s") % {
            "year": start.year,
            "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
        }
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }


def online_services_cells(report: Report) -> list[str]:
    """The six cells of the city's yearly table, written as in its published reports (their
    shares have one decimal)."""
    p, levels = report.procedures, report.by_level
    places = 1
    cells = []
    for services, dossiers in (
        (p["levels_3_4"], levels["levels_3_4"]),
        (p["level_3"], levels["level_3"]),
        (p["level_4"], levels["level_4"]),
    ):
        cells.append(f"{number(services['count'])} ({percent(services['share'], places)})")
        cells.append(
            f"{number(dossiers['online'])} / {number(dossiers['received'])} "
            f"({percent(dossiers['share'], places)})"
        )
    return cells


def _services_and_dossiers(
    slug: str,
    title: str,
    groups,
    rows: list[tuple[str, Report]],
    kind: str,
    places: int = PERCENT_PLACES,
) -> Table:
    heads = [
        [Head(_("Period"), rowspan=3)] + [Head(label, colspan=5) for _key, label in groups],
        [Head(_("Services"), colspan=2), Head(_("Dossiers"), colspan=3)] * len(groups),
        [
            Head(_("Number")),
            Head(_("Share of all procedures")),
            Head(_("Received online")),
            Head(_("All received")),
            Head(_("Online share")),
        ]
        * len(groups),
    ]
    table = Table(slug, title, heads)
    for label, report in rows:
        row = [Cell(label, "text")]
        for key, _label in groups:
            services = report.procedures[key]
            dossiers = getattr(report, kind)[key]
            row += [
                Cell(services["count"]),
                Cell(services["share"], "percent", places),
                Cell(dossiers["online"]),
                Cell(dossiers["received"]),
                Cell(dossiers["share"], "percent", places),
            ]
        table.rows.append(row)
    return table


def online_services(rows: list[tuple[str, Report]]) -> Table:
    """Online services at levels 3 and 4 (Nghị định 43/2011), in the layout of the Cần Thơ
    reports: for each group the services and their share of all procedures, then the dossiers
    received online out of all received."""
    groups = (
        ("levels_3_4", _("Online services, levels 3 and 4")),
        ("level_3", _("Level 3")),
        ("level_4", _("Level 4")),
    )
    title = _("Online public services and online dossiers")
    # The layout of the city's 2018 report, with its one decimal (online_services_cells).
    return _services_and_dossiers("online-services", title, groups, rows, "by_level", places=1)


def online_modes(rows: list[tuple[str, Report]]) -> Table:
    """The same layout by today's online modes (Nghị định 42/2022): full-process and partial."""
    groups = (
        ("full", _("Full-process online")),
        ("partial", _("Partly online")),
    )
    title = _("Online services by mode")
    return _services_and_dossiers("online-modes", title, groups, rows, "by_mode")


def dossiers(rows: list[dict], total: Report) -> Table:
    """Dossiers received, resolved and in progress per agency, with the unit's total."""
    heads = [
        [
            Head(_("Agency"), rowspan=2),
            Head(_("Received"), colspan=5),
            Head(_("Resolved"), colspan=5),
            Head(_("In progress at the end"), colspan=2),
            Head(_("Refused"), rowspan=2),
            Head(_("Withdrawn"), rowspan=2),
            Head(_("Apology letters"), rowspan=2),
        ],
        [
            Head(_("Total")),
            Head(_("Online")),
            Head(_("At the desk")),
            Head(_("By post")),
            Head(_("From the previous period")),
            Head(_("Total")),
            Head(_("Early")),
            Head(_("On time")),
            Head(_("Late")),
            Head(_("On time or early")),
            Head(_("Total")),
            Head(_("Overdue")),
        ],
    ]
    table = Table("dossiers", _("Dossiers received and resolved"), heads)
    for row in [*rows, {"name": _("Total"), **total.totals}]:
        table.rows.append(
            [
                Cell(row["name"], "text"),
                *(Cell(row[name]) for name in DOSSIER_COLUMNS[:9]),
                Cell(row["on_time_rate"], "percent"),
                *(Cell(row[name]) for name in DOSSIER_COLUMNS[9:]),
            ]
        )
    return table


DOSSIER_COLUMNS = (
    "received", "online", "desk", "post", "carried_over", "resolved", "early", "on_time", "late",
    # the on-time rate goes here, as a percentage
    "in_progress", "overdue", "refused", "withdrawn", "apologies",
)  # fmt: skip


def services(report: Report) -> Table:
    """Payments, post and digitisation for the unit."""
    heads = [
        [
            Head(_("Online payment"), colspan=3),
            Head(_("Public postal service"), colspan=3),
            Head(_("Digitisation"), colspan=2),
        ],
        [
            Head(_("Dossiers with fees")),
            Head(_("Paid online")),
            Head(_("Rate")),
            Head(_("Papers received by post")),
            Head(_("Results sent by post")),
            Head(_("Both ways")),
            Head(_("Digitised dossiers")),
            Head(_("Rate")),
        ],
    ]
    table = Table("services", _("Online payment, post and digitisation"), heads)
    p, post, d = report.payments, report.postal, report.digitisation
    table.rows.append(
        [
            Cell(p["fees_due"]),
            Cell(p["paid_online"]),
            Cell(p["online_rate"], "percent"),
            Cell(post["received_by_post"]),
            Cell(post["returned_by_post"]),
            Cell(post["both_ways"]),
            Cell(d["digitised"]),
            Cell(d["rate"], "percent"),
        ]
    )
    return table


def receiving_desks(rows: list[dict]) -> Table:
    """What each receiving desk received, and for other agencies (tiếp nhận không phụ thuộc
    địa giới hành chính, Nghị định 118/2025/NĐ-CP)."""
    heads = [
        [
            Head(_("Receiving desk"), rowspan=2),
            Head(_("Received"), rowspan=2),
            Head(_("Received for other agencies"), colspan=5),
        ],
        [
            Head(_("Total")),
            Head(_("Agencies")),
            Head(_("Online")),
            Head(_("At the desk")),
            Head(_("By post")),
        ],
    ]
    table = Table(
        "receiving-desks",
        _("Received by each desk, for other agencies"),
        heads,
        note=_(
            "Receipt regardless of administrative boundary (tiếp nhận không phụ thuộc địa giới "
            "hành chính, Nghị định 118/2025/NĐ-CP): a Public Administration Service Centre "
            "receives dossiers for agencies of the whole province. The other tables count "
            "each dossier for its competent agency."
        ),
    )
    for row in rows:
        table.rows.append(
            [
                Cell(row["name"], "text"),
                Cell(row["received"]),
                Cell(row["for_others"]),
                Cell(row["agencies_served"]),
                Cell(row["online"]),
                Cell(row["desk"]),
                Cell(row["post"]),
            ]
        )
    return table


GRADE_NOTE = gettext_lazy(
    "Average of the total score (0 to 18): 15 or more excellent, 12 to under 15 good, 9 to "
    "under 12 fair, 6 to under 9 average, under 6 weak."
)


def satisfaction(scores: list, names: dict[int, str], first_head: str) -> Table:
    heads = [
        [
            Head(first_head, rowspan=2),
            Head(_("Ratings"), rowspan=2),
            Head(_("Average score of each indicator (0 to 2)"), colspan=len(RATING_SCORES)),
            Head(_("Average total"), rowspan=2),
            Head(_("Grade"), rowspan=2),
        ],
        [Head(str(indicator.label)) for indicator in INDICATORS],
    ]
    table = Table("satisfaction", _("Citizens' satisfaction"), heads, note=str(GRADE_NOTE))
    for score in scores:
        table.rows.append(
            [
                Cell(names.get(score.id, str(score.id)), "text"),
                Cell(score.ratings),
                *(Cell(score.indicators[name], "decimal") for name in RATING_SCORES),
                Cell(score.average, "decimal"),
                Cell(score.grade, "text"),
            ]
        )
    return table
