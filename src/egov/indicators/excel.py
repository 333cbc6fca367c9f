"""The index and the ranking as an Excel workbook, laid out by the statistics' workbook writer
(egov.reports.excel): points as numbers, rates as exact shares, each indicator's status and
source in words so that an entered figure is never mistaken for a measured one."""

from decimal import Decimal

from django.utils.translation import gettext as _

from egov.indicators.index import ENTERED, MEASURED, Index, RankRow, Result
from egov.reports import excel
from egov.reports.tables import Cell, Head, Table


def status_label(result: Result) -> str:
    if result.status == MEASURED:
        return _("Measured by the platform")
    if result.status == ENTERED:
        entry = result.entry
        assert entry is not None
        return _("Entered: %(source)s") % {"source": entry.source}
    return _("Not measured yet")


def _points(value: Decimal | None) -> Cell:
    return Cell(value, "decimal") if value is not None else Cell(None, "text")


def index_table(computed: Index) -> Table:
    table = Table(
        "index",
        _("Service index"),
        [
            [
                Head(_("No.")),
                Head(_("Indicator")),
                Head(_("Rate")),
                Head(_("Points")),
                Head(_("Out of")),
                Head(_("Inputs")),
                Head(_("Where the figure comes from")),
                Head(_("Legal source")),
            ]
        ],
    )
    for group in computed.groups:
        table.rows.append(
            [
                Cell("", "text"),
                Cell(str(group.group.name), "text"),
                Cell(None, "text"),
                _points(group.points),
                Cell(group.group.weight),
                Cell("", "text"),
                Cell("", "text"),
                Cell("", "text"),
            ]
        )
        for result in group.results:
            inputs = "; ".join(f"{label}: {value}" for label, value in result.inputs)
            table.rows.append(
                [
                    Cell(result.indicator.number, "text"),
                    Cell(str(result.indicator.name), "text"),
                    Cell(result.rate, "percent"),
                    _points(result.points),
                    Cell(result.indicator.weight, "decimal"),
                    Cell(inputs, "text"),
                    Cell(status_label(result), "text"),
                    Cell(result.indicator.source, "text"),
                ]
            )
    table.rows.append(
        [
            Cell("", "text"),
            Cell(_("Total"), "text"),
            Cell(None, "text"),
            _points(computed.points),
            Cell(computed.scored_weight, "decimal"),
            Cell("", "text"),
            Cell("", "text"),
            Cell("", "text"),
        ]
    )
    table.note = _(
        "“Out of” on the total line is the weight of the indicators that have points; an "
        "indicator not measured yet counts neither for nor against."
    )
    return table


def ranking_table(slug: str, title: str, rows: list[RankRow]) -> Table:
    table = Table(
        slug,
        title,
        [
            [
                Head(_("Rank")),
                Head(_("Unit")),
                Head(_("Points")),
                Head(_("Out of")),
                Head(_("Previous period")),
                Head(_("Change")),
            ]
        ],
    )
    for row in rows:
        table.rows.append(
            [
                Cell(row.rank or None),
                Cell(row.name, "text"),
                _points(row.points),
                Cell(row.scored_weight, "decimal"),
                _points(row.previous),
                _points(row.change),
            ]
        )
    return table


def workbook(computed: Index, ranking: dict[str, list[RankRow]], heading: list[str]) -> bytes:
    built = [index_table(computed)]
    if ranking["agencies"]:
        built.append(ranking_table("agencies", _("Ranking of agencies"), ranking["agencies"]))
    if ranking["communes"]:
        built.append(ranking_table("communes", _("Ranking of communes"), ranking["communes"]))
    return excel.workbook(built, heading)
