"""The papers of Thông tư 01/2018/TT-VPCP the one-stop desk issues, drawn as PDFs by WeasyPrint:
supplement request (form 02), refusal (form 03), apology (form 04) and the processing control
sheet (form 05) on A5, the dossier register (form 06) on A4 and as an Excel file. The receipt
(form 01) is in ``receipts``. They are administrative papers, so always in Vietnamese."""

import hashlib
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from egov.catalog import eforms, result_templates
from egov.catalog.models import ResultTemplate
from egov.core import files, fonts
from egov.dossiers.models import Attachment


def render_pdf(template: str, context: dict) -> bytes:
    with translation.override("vi"):
        html = render_to_string(
            template, {"site_name": settings.EGOV_SITE_NAME, "now": timezone.now(), **context}
        )
    return HTML(string=html).write_pdf(**fonts.pdf_options())


def store_pdf(dossier, kind: str, name: str, data: bytes) -> Attachment:
    """Keeps an issued paper with the dossier; the file goes if the transaction rolls back."""
    attachment = Attachment(
        dossier=dossier,
        province_code=dossier.province_code,
        kind=kind,
        original_name=name,
        extension="pdf",
        mime="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    files.save(attachment.file, name, data)
    attachment.save()
    return attachment


def store_supplement_form(dossier, request, *, officer) -> Attachment:
    pdf = render_pdf(
        "dossiers/forms/02_supplement.html",
        {"dossier": dossier, "request": request, "officer": officer},
    )
    return store_pdf(dossier, Attachment.Kind.FORM, f"{dossier.code}-02.pdf", pdf)


def store_refusal_form(dossier, *, reason: str, officer) -> Attachment:
    pdf = render_pdf(
        "dossiers/forms/03_refusal.html",
        {"dossier": dossier, "reason": reason, "officer": officer},
    )
    return store_pdf(dossier, Attachment.Kind.FORM, f"{dossier.code}-03.pdf", pdf)


def refusal_notice_pdf(dossier, *, reason: str, officer) -> bytes:
    """A refusal during processing is the dossier's result: the notice gives the reason."""
    return render_pdf(
        "dossiers/forms/refusal_notice.html",
        {"dossier": dossier, "reason": reason, "officer": officer},
    )


def result_pdf(dossier, *, officer, decision_number: str = "") -> bytes:
    """The result in the layout of the version's result template when it has one; otherwise a
    result drafted from the procedure's declared results and the applicant's declaration."""
    version = dossier.procedure_version
    template = ResultTemplate.objects.filter(version=version).first()
    if template is not None:
        return templated_result_pdf(dossier, template, officer=officer, number=decision_number)
    return render_pdf(
        "dossiers/forms/result.html",
        {
            "dossier": dossier,
            "officer": officer,
            "results": [line for line in version.results.splitlines() if line.strip()],
            "answers": eforms.answer_rows(version.form_schema, version.form_ui, dossier.form_data),
        },
    )


def templated_result_pdf(dossier, template, *, officer, number: str) -> bytes:
    version = dossier.procedure_version
    agency = dossier.deciding_agency or dossier.receiving_agency
    day = timezone.localdate()
    values = result_templates.answer_values(version, dossier.form_data) | (
        result_templates.decision_values(
            template,
            code=dossier.code,
            applicant=dossier.applicant_name,
            received=timezone.localtime(dossier.received_at) if dossier.received_at else None,
            agency=agency.name,
            number=number,
            day=day,
            signer=officer.full_name or officer.username,
            procedure=version.name,
        )
    )
    return result_templates.render_pdf(template, values, agency_name=agency.name, day=day)


def store_apology_form(letter) -> Attachment:
    dossier = letter.dossier
    pdf = render_pdf("dossiers/forms/04_apology.html", {"dossier": dossier, "letter": letter})
    return store_pdf(dossier, Attachment.Kind.FORM, f"{dossier.code}-04.pdf", pdf)


def control_sheet_pdf(dossier) -> bytes:
    """Form 05 as it stands now: every hand-over with its times."""
    rows = dossier.steps.select_related("step", "agency", "assignee", "finished_by")
    return render_pdf("dossiers/forms/05_control_sheet.html", {"dossier": dossier, "rows": rows})


def register_pdf(dossiers, *, agency, start, end) -> bytes:
    return render_pdf(
        "dossiers/forms/06_register.html",
        {"dossiers": dossiers, "agency": agency, "start": start, "end": end},
    )


REGISTER_COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Tên TTHC",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (giờ, ngày, tháng, năm)",
    "Hẹn trả kết quả (giờ, ngày, tháng, năm)",
    "Chuyển hồ sơ đến cơ quan giải quyết (giờ, ngày, tháng, năm)",
    "Nhận kết quả từ cơ quan giải quyết (giờ, ngày, tháng, năm)",
    "Trả kết quả (giờ, ngày, tháng, năm)",
    "Ghi chú",
]


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def register_rows(dossiers):
    """Form 06's columns for each dossier, in the order of receipt."""
    for number, dossier in enumerate(dossiers, start=1):
        handed_over = next(
            (row.finished_at for row in dossier.steps.all() if row.step.action == "receive"),
            None,
        )
        applicant = dossier.applicant
        contact = ", ".join(part for part in [applicant.address, applicant.phone or ""] if part)
        yield [
            number,
            dossier.code,
            dossier.procedure_version.name,
            1,
            dossier.applicant_name,
            contact,
            (dossier.deciding_agency or dossier.receiving_agency).name,
            _moment(dossier.received_at),
            _moment(dossier.due_at),
            _moment(handed_over),
            _moment(dossier.decided_at),
            _moment(dossier.returned_at),
            dossier.get_status_display(),
        ]


def register_xlsx(dossiers, *, agency, start, end) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi"
    with translation.override("vi"):
        sheet.append([f"SỔ THEO DÕI HỒ SƠ — {agency.name}"])
        sheet.append([f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_COLUMNS))
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(REGISTER_COLUMNS))
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(REGISTER_COLUMNS)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in register_rows(dossiers):
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
