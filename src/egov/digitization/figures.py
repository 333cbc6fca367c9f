"""Digitisation figures per agency and period (chỉ số số hoá, QĐ 766/QĐ-TTg).

Three shares, each counted at the receiving agency (the one-stop desk that digitises):

- dossiers digitised: of the dossiers received in the period, those with at least one paper in
  the store made from them (digitised at the desk, or uploaded online);
- results digitised: of the dossiers whose result was issued in the period, those whose result
  is in the applicant's store;
- papers reused: of the papers attached to dossiers submitted in the period, those taken from the
  citizen's store instead of a new upload;
- dossiers reusing: of the dossiers received in the period, those with at least one paper taken
  from the store (QĐ 766 indicator 4.4).
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from egov.digitization.models import Paper, Reuse
from egov.dossiers.models import Attachment, Dossier
from egov.organizations.models import Agency


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four decimals; None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


@dataclass
class Figures:
    agency_id: int | None
    agency_name: str
    dossiers: int = 0
    dossiers_digitised: int = 0
    dossiers_reusing: int = 0
    results: int = 0
    results_digitised: int = 0
    papers: int = 0
    papers_reused: int = 0
    shares: dict[str, Decimal | None] = field(default_factory=dict)

    def settle(self) -> "Figures":
        self.shares = {
            "dossiers_digitised": share(self.dossiers_digitised, self.dossiers),
            "results_digitised": share(self.results_digitised, self.results),
            "papers_reused": share(self.papers_reused, self.papers),
            "dossiers_reusing": share(self.dossiers_reusing, self.dossiers),
        }
        return self


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    return first, after


def _scoped(rows: QuerySet[Any], field_name: str, agency_ids: list[int] | None) -> QuerySet[Any]:
    return rows if agency_ids is None else rows.filter(**{f"{field_name}__in": agency_ids})


def by_agency(
    start: datetime.date, end: datetime.date, agency_ids: list[int] | None = None
) -> list[Figures]:
    """The figures of each receiving agency (of ``agency_ids``; None: every agency)."""
    first, after = _bounds(start, end)
    rows: dict[int, Figures] = {}

    def row(agency_id: int) -> Figures:
        return rows.setdefault(agency_id, Figures(agency_id, ""))

    digitised = Paper.objects.filter(
        dossier=OuterRef("pk"), source__in=[Paper.Source.DESK, Paper.Source.ONLINE]
    )
    received = _scoped(
        Dossier.objects.filter(received_at__gte=first, received_at__lt=after),
        "receiving_agency",
        agency_ids,
    )
    for item in (
        received.annotate(
            done=Exists(digitised), reusing=Exists(Reuse.objects.filter(dossier=OuterRef("pk")))
        )
        .values("receiving_agency")
        .annotate(
            n=Count("id"),
            done_n=Count("id", filter=Q(done=True)),
            reusing_n=Count("id", filter=Q(reusing=True)),
        )
        .order_by()
    ):
        figures = row(item["receiving_agency"])
        figures.dossiers, figures.dossiers_digitised = item["n"], item["done_n"]
        figures.dossiers_reusing = item["reusing_n"]
    results = Paper.objects.filter(dossier=OuterRef("pk"), source=Paper.Source.RESULT)
    decided = _scoped(
        Dossier.objects.filter(decided_at__gte=first, decided_at__lt=after),
        "receiving_agency",
        agency_ids,
    )
    for item in (
        decided.annotate(done=Exists(results))
        .values("receiving_agency")
        .annotate(n=Count("id"), done_n=Count("id", filter=Q(done=True)))
        .order_by()
    ):
        figures = row(item["receiving_agency"])
        figures.results, figures.results_digitised = item["n"], item["done_n"]
    attached = _scoped(
        Attachment.objects.filter(
            kind=Attachment.Kind.SUBMISSION,
            dossier__submitted_at__gte=first,
            dossier__submitted_at__lt=after,
            requirement__isnull=False,
        ),
        "dossier__receiving_agency",
        agency_ids,
    )
    for item in (
        attached.annotate(reused=Exists(Reuse.objects.filter(attachment=OuterRef("pk"))))
        .values("dossier__receiving_agency")
        .annotate(n=Count("id"), done_n=Count("id", filter=Q(reused=True)))
        .order_by()
    ):
        figures = row(item["dossier__receiving_agency"])
        figures.papers, figures.papers_reused = item["n"], item["done_n"]
    names = dict(Agency.objects.filter(pk__in=rows).values_list("pk", "name"))
    for agency_id, figures in rows.items():
        figures.agency_name = names.get(agency_id, "")
    return sorted((f.settle() for f in rows.values()), key=lambda f: f.agency_name)


def totals(
    start: datetime.date, end: datetime.date, agency_ids: list[int] | None = None
) -> Figures:
    """The figures of ``agency_ids`` together (None: the whole city): what the QĐ 766
    digitisation indicators read."""
    total = Figures(None, _("Total"))
    for figures in by_agency(start, end, agency_ids):
        for name in (
            "dossiers",
            "dossiers_digitised",
            "dossiers_reusing",
            "results",
            "results_digitised",
            "papers",
            "papers_reused",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    return total.settle()


def columns() -> list[tuple[str, str]]:
    return [
        ("dossiers", _("Dossiers received")),
        ("dossiers_digitised", _("of which digitised")),
        ("share:dossiers_digitised", _("Share of dossiers digitised")),
        ("dossiers_reusing", _("of which reusing a paper")),
        ("share:dossiers_reusing", _("Share of dossiers reusing a paper")),
        ("results", _("Results issued")),
        ("results_digitised", _("of which digitised")),
        ("share:results_digitised", _("Share of results digitised")),
        ("papers", _("Papers attached")),
        ("papers_reused", _("of which reused")),
        ("share:papers_reused", _("Share of papers reused")),
    ]


def value(figures: Figures, key: str) -> Any:
    if key.startswith("share:"):
        return figures.shares[key.removeprefix("share:")]
    return getattr(figures, key)


def workbook(rows: list[Figures], total: Figures, heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Digitisation")[:31]
    sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=12)
    header = [_("Agency"), *(label for _key, label in columns())]
    for column, text in enumerate(header, start=1):
        sheet.cell(row=3, column=column, value=str(text)).font = Font(bold=True)
    for line, figures in enumerate([*rows, total], start=4):
        sheet.cell(row=line, column=1, value=figures.agency_name)
        for column, (key, _label) in enumerate(columns(), start=2):
            cell = sheet.cell(row=line, column=column, value=value(figures, key))
            cell.number_format = "0.00%" if key.startswith("share:") else "#,##0"
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def certifying_agencies(
    start: datetime.date, end: datetime.date, agency_ids: list[int] | None = None
) -> set[int]:
    """The agencies whose desk signed at least one electronic copy (bản sao điện tử) in the
    period: what QĐ 766 indicator 4.3 counts among the communes."""
    first, after = _bounds(start, end)
    copies = _scoped(
        Paper.objects.filter(
            source=Paper.Source.DESK, signed=True, created_at__gte=first, created_at__lt=after
        ),
        "agency",
        agency_ids,
    )
    return set(copies.values_list("agency_id", flat=True).distinct())
