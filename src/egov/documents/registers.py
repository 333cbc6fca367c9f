"""The registers as papers (Nghị định 30/2020/NĐ-CP, Phụ lục IV: sổ đăng ký văn bản đi, sổ đăng
ký văn bản đến) in PDF and Excel for any period, and the monthly counts of documents sent and
received electronically per agency, the share the city reports."""

import datetime
import io

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from weasyprint import HTML

from egov.core import fonts
from egov.documents.models import DocumentRegister, OfficialDocument

OUTGOING_COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ghi chú",
]
INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ký nhận",
    "Ghi chú",
]


def _moment(day: datetime.date, end=False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment)


def entries(register: DocumentRegister, start: datetime.date, end: datetime.date):
    documents = OfficialDocument.objects.filter(register=register, number__isnull=False)
    field = "issued_at" if register.direction == "out" else "registered_at"
    return (
        documents.filter(**{f"{field}__gte": _moment(start), f"{field}__lte": _moment(end, True)})
        .prefetch_related("recipients", "assignments__user")
        .select_related("lead_unit", "drafting_unit")
        .order_by("year", "number")
    )


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def rows(register, start, end) -> list[list[str]]:
    result = []
    for d in entries(register, start, end):
        kind = d.get_document_type_display()
        if register.direction == "out":
            result.append(
                [
                    d.reference,
                    _date(d.document_date),
                    f"{kind}: {d.subject}",
                    d.signer_name,
                    "; ".join(r.name for r in d.recipients.all()),
                    f"VT{', ' + d.drafting_unit.name if d.drafting_unit_id else ''}",
                    "1",
                    d.get_state_display() if d.state != "issued" else "",
                ]
            )
        else:
            handlers = [a.user.full_name or a.user.username for a in d.assignments.all()]
            unit = d.lead_unit.name if d.lead_unit_id else ""
            result.append(
                [
                    _date(d.registered_at),
                    f"{d.number:02d}",
                    d.sender_name,
                    d.reference,
                    _date(d.document_date),
                    f"{kind}: {d.subject}",
                    "; ".join(x for x in [unit, *handlers] if x),
                    "",
                    d.get_channel_display(),
                ]
            )
    return result


def _title(register) -> str:
    return "SỔ ĐĂNG KÝ VĂN BẢN ĐI" if register.direction == "out" else "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"


def register_pdf(register, start, end) -> bytes:
    with translation.override("vi"):
        columns = OUTGOING_COLUMNS if register.direction == "out" else INCOMING_COLUMNS
        html = render_to_string(
            "documents/pdf/register.html",
            {
                "register": register,
                "title": _title(register),
                "columns": columns,
                "rows": rows(register, start, end),
                "start": start,
                "end": end,
            },
        )
    return HTML(string=html).write_pdf(**fonts.pdf_options())


def register_xlsx(register, start, end) -> bytes:
    with translation.override("vi"):
        columns = OUTGOING_COLUMNS if register.direction == "out" else INCOMING_COLUMNS
        data = rows(register, start, end)
    book = Workbook()
    sheet = book.active
    sheet.title = "So van ban"
    sheet.append([register.agency.name.upper()])
    sheet.append([f"{_title(register)} – {register.name}"])
    sheet.append([f"Từ ngày {_date(start)} đến ngày {_date(end)}"])
    sheet.append([])
    sheet.append(columns)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in data:
        sheet.append(row)
    for index, width in enumerate([16, 12, 50, 22, 40, 24, 10, 16, 16][: len(columns)], 1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet["A1"].font = sheet["A2"].font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ELECTRONIC = [OfficialDocument.Channel.PLATFORM, OfficialDocument.Channel.EXCHANGE]


def monthly_counts(agency, year: int) -> list[dict]:
    """For each month: documents issued (all electronic, signed on the platform) and received,
    and how many of those came electronically rather than on paper."""
    issued = (
        OfficialDocument.objects.filter(
            agency=agency, direction="out", issued_at__isnull=False, year=year
        )
        .annotate(month=ExtractMonth("issued_at"))
        .values("month")
        .annotate(total=Count("id"))
    )
    received = (
        OfficialDocument.objects.filter(agency=agency, direction="in", arrived_at__year=year)
        .annotate(month=ExtractMonth("arrived_at"))
        .values("month")
        .annotate(total=Count("id"), electronic=Count("id", filter=Q(channel__in=ELECTRONIC)))
    )
    sent_by_month = {row["month"]: row["total"] for row in issued}
    received_by_month = {row["month"]: row for row in received}
    table = []
    for month in range(1, 13):
        incoming = received_by_month.get(month, {"total": 0, "electronic": 0})
        sent = sent_by_month.get(month, 0)
        total = sent + incoming["total"]
        electronic = sent + incoming["electronic"]
        table.append(
            {
                "month": month,
                "sent": sent,
                "received": incoming["total"],
                "received_electronic": incoming["electronic"],
                "share": round(100 * electronic / total, 1) if total else None,
            }
        )
    return table
