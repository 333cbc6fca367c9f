"""The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, form 01 of Thông tư 01/2018/TT-VPCP) as a
PDF drawn by WeasyPrint from an HTML template, with a QR code to the public tracking page."""

import base64
import io

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from egov.core import fonts


def tracking_url(dossier) -> str:
    return f"{settings.EGOV_PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?ma={dossier.code}"


def _qr_png(data: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(data, box_size=4, border=1).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def receipt_pdf(dossier, *, officer) -> bytes:
    """Always in Vietnamese: it is an administrative paper."""
    with translation.override("vi"):
        html = render_to_string(
            "dossiers/receipt.html",
            {
                "dossier": dossier,
                "officer": officer,
                "requirements": dossier.procedure_version.requirements.all(),
                "attached": set(dossier.attachments.values_list("requirement_id", flat=True)),
                "qr": _qr_png(tracking_url(dossier)),
                "tracking_url": tracking_url(dossier),
                "site_name": settings.EGOV_SITE_NAME,
            },
        )
    return HTML(string=html).write_pdf(**fonts.pdf_options())
