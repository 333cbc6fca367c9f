"""The yearly e-government self-assessment (tự đánh giá mức độ chính quyền điện tử), in the
manner of the Ministry of Information and Communications' criteria (Quyết định 2392/QĐ-BTTTT and
the provincial digital transformation index of Quyết định 922/QĐ-BTTTT): each criterion with its
legal source; those the platform can measure are filled from its data for the year, the others
are entered by a system administrator with their source (the index's entered figures, under the
criterion's code) and shown as entered. A criterion with neither says "not measured yet"."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.core import shares
from egov.indicators.index import ENTERED, MEASURED, NOT_MEASURED
from egov.indicators.models import EnteredFigure
from egov.indicators.readings import Unit
from egov.reports import figures
from egov.reports.figures import Scope

RECEIVED = ("received_online", "received_desk", "received_post")
# (part, whole): the rate is part of whole in percent; None when there is nothing to count.
Measure = Callable[[Unit], tuple[int, int]]


def _procedures(unit: Unit) -> tuple[int, int]:
    counted = figures.procedures(Scope(), unit.end, None)
    return counted["full"]["count"], counted["total"]


def _received_online(unit: Unit) -> tuple[int, int]:
    row = unit.totals
    return row["received_online"], sum(row[name] for name in RECEIVED)


def _paid_online(unit: Unit) -> tuple[int, int]:
    return unit.totals["paid_online"], unit.totals["fees_due"]


def _on_time(unit: Unit) -> tuple[int, int]:
    row = unit.totals
    resolved = row["resolved_early"] + row["resolved_on_time"] + row["resolved_late"]
    return row["resolved_early"] + row["resolved_on_time"], resolved


def _electronic_results(unit: Unit) -> tuple[int, int]:
    return unit.resolved["electronic"], unit.resolved["total"]


def _digitised(unit: Unit) -> tuple[int, int]:
    row = unit.totals
    return row["digitised"], sum(row[name] for name in RECEIVED)


@dataclass(frozen=True)
class Criterion:
    code: str
    number: str
    name: Promise
    formula: Promise
    source: str
    measure: Measure | None = None


CRITERIA = [
    Criterion(
        "SA_FULL_ONLINE_PROCEDURES",
        "1",
        _("Procedures provided online in full"),
        _(
            "Procedures in force at the end of the year offered as full-online public services, "
            "out of all procedures in force."
        ),
        "Nghị định 42/2022/NĐ-CP, Điều 11; Quyết định 2392/QĐ-BTTTT",
        _procedures,
    ),
    Criterion(
        "SA_ONLINE_DOSSIERS",
        "2",
        _("Dossiers received online"),
        _("Dossiers received online in the year, out of all dossiers received."),
        "Nghị quyết 01/NQ-CP (hằng năm); Quyết định 2392/QĐ-BTTTT",
        _received_online,
    ),
    Criterion(
        "SA_ELECTRONIC_RESULTS",
        "3",
        _("Results issued electronically"),
        _(
            "Dossiers resolved in the year whose result was issued as an electronic (signed) "
            "file, out of all resolved."
        ),
        "Nghị định 45/2020/NĐ-CP, Điều 19; Quyết định 2392/QĐ-BTTTT",
        _electronic_results,
    ),
    Criterion(
        "SA_ONLINE_PAYMENT",
        "4",
        _("Fees paid online"),
        _("Dossiers with fees to pay whose fees were paid online, out of all with fees."),
        "Quyết định 766/QĐ-TTg, Phụ lục; Quyết định 2392/QĐ-BTTTT",
        _paid_online,
    ),
    Criterion(
        "SA_ON_TIME",
        "5",
        _("Dossiers resolved on time"),
        _("Dossiers resolved early or on time in the year, out of all resolved."),
        "Nghị định 61/2018/NĐ-CP, Điều 33; Quyết định 766/QĐ-TTg",
        _on_time,
    ),
    Criterion(
        "SA_DIGITISED",
        "6",
        _("Dossiers digitised at reception"),
        _("Dossiers received in the year whose papers were digitised, out of all received."),
        "Nghị định 107/2021/NĐ-CP, Điều 1 (khoản 12); Quyết định 766/QĐ-TTg",
        _digitised,
    ),
    Criterion(
        "SA_DATA_NETWORK",
        "7",
        _("Agencies on the specialised data network"),
        _(
            "Agencies connected to the State's specialised data transmission network (mạng "
            "truyền số liệu chuyên dùng), out of all agencies. Entered from the network "
            "operator's list."
        ),
        "Quyết định 2392/QĐ-BTTTT; Thông tư 12/2019/TT-BTTTT",
    ),
    Criterion(
        "SA_LGSP",
        "8",
        _("Information systems connected to the data sharing platform"),
        _(
            "The city's information systems connected to its data integration and sharing "
            "platform (LGSP), out of all its information systems. Entered from the LGSP's "
            "register."
        ),
        "Nghị định 47/2020/NĐ-CP; Quyết định 2392/QĐ-BTTTT",
    ),
    Criterion(
        "SA_SECURITY_LEVEL",
        "9",
        _("Information systems with an approved security level"),
        _(
            "Information systems whose security level was approved, out of all. Entered from "
            "the approvals."
        ),
        "Nghị định 85/2016/NĐ-CP; Thông tư 12/2022/TT-BTTTT",
    ),
    Criterion(
        "SA_OFFICIALS_SIGNATURES",
        "10",
        _("Leaders and clerks with a digital signature"),
        _(
            "Leaders and clerks who hold a specialised digital signature certificate, out of "
            "all. Entered from the certification authority's list."
        ),
        "Nghị định 68/2024/NĐ-CP; Quyết định 2392/QĐ-BTTTT",
    ),
]
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


@dataclass
class Row:
    criterion: Criterion
    status: str
    rate: Decimal | None
    part: int | None = None
    whole: int | None = None
    entry: EnteredFigure | None = None


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def latest_entries(year: int) -> dict[str, EnteredFigure]:
    start, end = year_bounds(year)
    found: dict[str, EnteredFigure] = {}
    entries = EnteredFigure.objects.filter(
        indicator__in=list(BY_CODE),
        start=start,
        end=end,
        agency__isnull=True,
        commune__isnull=True,
    ).select_related("entered_by")
    for entry in entries.order_by("entered_at", "pk"):
        found[entry.indicator] = entry  # the newest wins
    return found


def assess(year: int) -> list[Row]:
    """The city's self-assessment of ``year`` (up to today when it is the current year)."""
    start, end = year_bounds(year)
    end = min(end, timezone.localdate())
    unit = Unit(start, end, Scope())
    entries = latest_entries(year)
    rows = []
    for criterion in CRITERIA:
        if criterion.measure is not None:
            part, whole = criterion.measure(unit)
            rows.append(Row(criterion, MEASURED, shares.share(part, whole), part, whole))
        elif criterion.code in entries:
            entry = entries[criterion.code]
            rows.append(Row(criterion, ENTERED, entry.rate, entry=entry))
        else:
            rows.append(Row(criterion, NOT_MEASURED, None))
    return rows
