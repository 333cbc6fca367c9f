"""The e-receipt for fees and charges (biên lai thu phí, lệ phí điện tử) of one payment, drawn by
WeasyPrint from an HTML template like the dossier receipt."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from num2words import num2words
from weasyprint import HTML

from egov.core import fonts


def amount_in_words(amount: int) -> str:
    """'Hai trăm nghìn đồng': receipts state the amount in words as well."""
    words = num2words(amount, lang="vi")
    return f"{words[:1].upper()}{words[1:]} đồng"


def receipt_pdf(payment) -> bytes:
    """Always in Vietnamese: it is an administrative paper."""
    order = payment.order
    dossier = order.dossier
    with translation.override("vi"):
        html = render_to_string(
            "payments/e_receipt.html",
            {
                "payment": payment,
                "order": order,
                "dossier": dossier,
                "payer": dossier.applicant_name or str(dossier.applicant),
                "in_words": amount_in_words(payment.amount),
                "site_name": settings.EGOV_SITE_NAME,
            },
        )
    return HTML(string=html).write_pdf(**fonts.pdf_options())
