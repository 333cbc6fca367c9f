# ruff: noqa: E501 - a paragraph of a message is one line; mail clients wrap it.
"""Citizen reports → messages to their reporter (the feedback app publishes
``feedback.report_updated``; neither app imports the other).

The reporter is the account that sent the report, or the contact details an anonymous reporter
left; one who left none is not told (the report's page shows everything).
"""

from django.utils.translation import gettext_lazy as _

from egov.core import events
from egov.notifications import defaults
from egov.notifications.events import EventType, register
from egov.notifications.services import Contact, notify

_REPORT = {
    "citizen_name": _("the reporter's name (may be empty)"),
    "report_code": _("the report's code"),
    "category_name": _("what the report is about"),
    "agency_name": _("the agency responsible for it"),
    "report_url": _("the address where the reporter follows, rates or reopens the report"),
}
_SAMPLE = {
    "citizen_name": "Nguyễn Thị Công Dân",
    "report_code": "PA-2601-K7X3Q",
    "category_name": "Đèn chiếu sáng công cộng bị hỏng",
    "agency_name": "Ủy ban nhân dân phường Ninh Kiều",
    "report_url": "https://dichvucong.cantho.gov.vn/phan-anh/PA-2601-K7X3Q/nguoi-gui/abc/",
}

RECEIVED = register(
    EventType(
        "feedback.received",
        _("Citizen report received"),
        {**_REPORT, "due_date": _("the date by which the agency answers")},
        {**_SAMPLE, "due_date": "22/01/2026"},
    )
)
ANSWERED = register(
    EventType(
        "feedback.answered",
        _("Citizen report answered"),
        {**_REPORT, "answer": _("the agency's answer")},
        {
            **_SAMPLE,
            "answer": "Đơn vị quản lý đã thay bóng đèn và kiểm tra lại tuyến chiếu sáng trên đường 30/4 ngày 20/01/2026.",
        },
    )
)
UPDATED = register(
    EventType(
        "feedback.updated",
        _("Citizen report update"),
        {**_REPORT, "status": _("what happened"), "note": _("the explanation (may be empty)")},
        {
            **_SAMPLE,
            "status": "Chuyển đến cơ quan khác",
            "note": "Sở Xây dựng: tuyến đường do thành phố quản lý.",
        },
    )
)

_FOOTER_VI = "Đây là thư tự động, vui lòng không trả lời.\nCổng dịch vụ công {{ site_name }}"
_FOOTER_EN = "This message was sent automatically; please do not reply.\nPublic service portal of {{ site_name }}"
_DEAR_VI = 'Kính gửi {{ citizen_name|default:"Ông/Bà" }},'
_DEAR_EN = 'Dear {{ citizen_name|default:"citizen" }},'
_ZALO = "customer_name: {{ citizen_name }}\nreport_code: {{ report_code }}\ncategory: {{ category_name|truncatechars:100 }}\n"

defaults.TEXTS.update(
    {
        ("feedback.received", "email", "vi"): {
            "subject": "Phản ánh {{ report_code }} đã được tiếp nhận",
            "body": f"""{_DEAR_VI}

Phản ánh, kiến nghị “{{{{ category_name }}}}” của Ông/Bà đã được tiếp nhận với mã {{{{ report_code }}}} và chuyển đến {{{{ agency_name }}}}.

Thời hạn trả lời: {{{{ due_date }}}}

Theo dõi, đánh giá phản ánh tại: {{{{ report_url }}}}

{_FOOTER_VI}""",
        },
        ("feedback.received", "email", "en"): {
            "subject": "Report {{ report_code }} received",
            "body": f"""{_DEAR_EN}

Your report “{{{{ category_name }}}}” was received as {{{{ report_code }}}} and sent to {{{{ agency_name }}}}.

Answer due by: {{{{ due_date }}}}

Follow and rate your report at: {{{{ report_url }}}}

{_FOOTER_EN}""",
        },
        ("feedback.received", "sms", "vi"): {
            "body": "DVC {{ site_name }}: Phản ánh {{ report_code }} đã được tiếp nhận, hạn trả lời {{ due_date }}. Theo dõi: {{ report_url }}"
        },
        ("feedback.received", "sms", "en"): {
            "body": "{{ site_name }} public services: report {{ report_code }} received, answer due {{ due_date }}. Follow: {{ report_url }}"
        },
        ("feedback.received", "zalo", "vi"): {"body": _ZALO + "due_date: {{ due_date }}"},
        ("feedback.received", "zalo", "en"): {"body": _ZALO + "due_date: {{ due_date }}"},
        ("feedback.answered", "email", "vi"): {
            "subject": "Phản ánh {{ report_code }} đã được trả lời",
            "body": f"""{_DEAR_VI}

{{{{ agency_name }}}} đã trả lời phản ánh “{{{{ category_name }}}}” (mã {{{{ report_code }}}}) của Ông/Bà:

{{{{ answer }}}}

Ông/Bà có thể đánh giá mức độ hài lòng, hoặc mở lại phản ánh một lần nếu chưa hài lòng, tại: {{{{ report_url }}}}

{_FOOTER_VI}""",
        },
        ("feedback.answered", "email", "en"): {
            "subject": "Report {{ report_code }} answered",
            "body": f"""{_DEAR_EN}

{{{{ agency_name }}}} answered your report “{{{{ category_name }}}}” (code {{{{ report_code }}}}):

{{{{ answer }}}}

You may rate the answer, or reopen the report once if you are not satisfied, at: {{{{ report_url }}}}

{_FOOTER_EN}""",
        },
        ("feedback.answered", "sms", "vi"): {
            "body": "DVC {{ site_name }}: Phản ánh {{ report_code }} đã được trả lời. Xem và đánh giá: {{ report_url }}"
        },
        ("feedback.answered", "sms", "en"): {
            "body": "{{ site_name }} public services: report {{ report_code }} was answered. Read and rate: {{ report_url }}"
        },
        ("feedback.answered", "zalo", "vi"): {
            "body": _ZALO + "answer: {{ answer|truncatechars:100 }}"
        },
        ("feedback.answered", "zalo", "en"): {
            "body": _ZALO + "answer: {{ answer|truncatechars:100 }}"
        },
        ("feedback.updated", "email", "vi"): {
            "subject": "Phản ánh {{ report_code }}: {{ status }}",
            "body": f"""{_DEAR_VI}

Phản ánh “{{{{ category_name }}}}” (mã {{{{ report_code }}}}) của Ông/Bà có cập nhật mới:

{{{{ status }}}}{{% if note %}}: {{{{ note }}}}{{% endif %}}

Cơ quan xử lý: {{{{ agency_name }}}}
Theo dõi phản ánh tại: {{{{ report_url }}}}

{_FOOTER_VI}""",
        },
        ("feedback.updated", "email", "en"): {
            "subject": "Report {{ report_code }}: {{ status }}",
            "body": f"""{_DEAR_EN}

Your report “{{{{ category_name }}}}” (code {{{{ report_code }}}}) has news:

{{{{ status }}}}{{% if note %}}: {{{{ note }}}}{{% endif %}}

Handled by: {{{{ agency_name }}}}
Follow your report at: {{{{ report_url }}}}

{_FOOTER_EN}""",
        },
        ("feedback.updated", "sms", "vi"): {
            "body": "DVC {{ site_name }}: Phản ánh {{ report_code }}: {{ status }}. Chi tiết: {{ report_url }}"
        },
        ("feedback.updated", "sms", "en"): {
            "body": "{{ site_name }} public services: report {{ report_code }}: {{ status }}. Details: {{ report_url }}"
        },
        ("feedback.updated", "zalo", "vi"): {
            "body": _ZALO + "status: {{ status|truncatechars:100 }}"
        },
        ("feedback.updated", "zalo", "en"): {
            "body": _ZALO + "status: {{ status|truncatechars:100 }}"
        },
    }
)


@events.subscribe("feedback.report_updated")
def on_report_updated(*, report, message: str, reporter, contact: dict, context: dict, **kwargs):
    """``message`` is one of the event types above; ``context`` their variables."""
    if reporter is not None:
        recipient = reporter
    elif contact.get("email") or contact.get("phone"):
        recipient = Contact(email=contact.get("email") or None, phone=contact.get("phone") or None)
    else:
        return
    notify(message, recipient=recipient, about=report, agency_id=report.agency_id, context=context)
