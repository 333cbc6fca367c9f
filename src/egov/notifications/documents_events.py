# ruff: noqa: E501 - a paragraph of a message is one line; mail clients wrap it.
"""Official documents (the documents app) → messages: the document e-mailed to a person named
among its recipients, an arrival for the receiving agency's clerks, an assignment for its
handlers, an approval asked of a leader. Subscribed by name (core.events): the documents app is
not imported."""

import datetime

from django.utils.translation import gettext_lazy as _

from egov.core import events as domain_events
from egov.notifications import defaults
from egov.notifications.events import EventType, register
from egov.notifications.services import Contact, notify

_DOCUMENT = {
    "reference": _("the number and notation of the document"),
    "subject": _("the subject of the document"),
    "agency_name": _("the agency that issued or received it"),
}
_SAMPLE = {
    "reference": "15/STP-VP",
    "subject": "Về việc cung cấp số liệu giám định pháp y năm 2025",
    "agency_name": "Sở Tư pháp thành phố Cần Thơ",
}

register(
    EventType(
        "documents.sent_by_email",
        _("Official document sent by e-mail"),
        {
            **_DOCUMENT,
            "link": _("the address of the signed PDF"),
            "recipient_name": _("the person's name"),
        },
        {
            **_SAMPLE,
            "link": "https://dichvucong.cantho.gov.vn/van-ban/abc/",
            "recipient_name": "Nguyễn Văn Dân",
        },
    )
)
register(
    EventType(
        "documents.to_handle",
        _("Official document to handle (to staff)"),
        {
            **_DOCUMENT,
            "task": _("what is asked of the person"),
            "due": _("the deadline (may be empty)"),
            "recipient_name": _("the person's name"),
        },
        {
            **_SAMPLE,
            "task": "Chủ trì xử lý",
            "due": datetime.datetime(2026, 1, 22, 17, 0),
            "recipient_name": "Ngô Thị Xử",
        },
    )
)

defaults.TEXTS.update(
    {
        ("documents.sent_by_email", "email", "vi"): {
            "subject": "Văn bản {{ reference }} của {{ agency_name }}",
            "body": 'Kính gửi {{ recipient_name|default:"Ông/Bà" }},\n\n{{ agency_name }} gửi Ông/Bà văn bản số {{ reference }} về việc: {{ subject }}.\n\nVăn bản điện tử đã ký số tại: {{ link }}\n\nĐây là thư tự động, vui lòng không trả lời.\nCổng dịch vụ công {{ site_name }}',
        },
        ("documents.sent_by_email", "email", "en"): {
            "subject": "Document {{ reference }} from {{ agency_name }}",
            "body": 'Dear {{ recipient_name|default:"Sir or Madam" }},\n\n{{ agency_name }} sends you document {{ reference }}: {{ subject }}.\n\nThe signed electronic document is at: {{ link }}\n\nThis message was sent automatically; please do not reply.\nPublic service portal of {{ site_name }}',
        },
        ("documents.sent_by_email", "sms", "vi"): {
            "body": "{{ agency_name }} gửi văn bản {{ reference }}: {{ subject|truncatechars:60 }}. Xem: {{ link }}",
        },
        ("documents.sent_by_email", "sms", "en"): {
            "body": "{{ agency_name }} sent document {{ reference }}: {{ subject|truncatechars:60 }}. See: {{ link }}",
        },
        ("documents.sent_by_email", "zalo", "vi"): {
            "body": "customer_name: {{ recipient_name }}\nreference: {{ reference }}\nsubject: {{ subject|truncatechars:100 }}\nagency: {{ agency_name }}\nlink: {{ link }}",
        },
        ("documents.sent_by_email", "zalo", "en"): {
            "body": "customer_name: {{ recipient_name }}\nreference: {{ reference }}\nsubject: {{ subject|truncatechars:100 }}\nagency: {{ agency_name }}\nlink: {{ link }}",
        },
        ("documents.to_handle", "sms", "vi"): {
            "body": "Văn bản {{ reference }}: {{ task }}{% if due %}, hạn {{ due|date:'H:i d/m/Y' }}{% endif %}.",
        },
        ("documents.to_handle", "sms", "en"): {
            "body": "Document {{ reference }}: {{ task }}{% if due %}, due {{ due|date:'H:i d/m/Y' }}{% endif %}.",
        },
        ("documents.to_handle", "zalo", "vi"): {
            "body": "customer_name: {{ recipient_name }}\nreference: {{ reference }}\ntask: {{ task }}\ndue: {{ due|date:'d/m/Y' }}",
        },
        ("documents.to_handle", "zalo", "en"): {
            "body": "customer_name: {{ recipient_name }}\nreference: {{ reference }}\ntask: {{ task }}\ndue: {{ due|date:'d/m/Y' }}",
        },
        ("documents.to_handle", "email", "vi"): {
            "subject": "[Văn bản] {{ task }}: {{ reference }}",
            "body": 'Kính gửi {{ recipient_name }},\n\n{{ task }}: văn bản {{ reference }} — {{ subject }} ({{ agency_name }}).{% if due %}\nHạn xử lý: {{ due|date:"H:i d/m/Y" }}.{% endif %}\n\nXem tại trang Văn bản của hệ thống.\n\nĐây là thư tự động, vui lòng không trả lời.',
        },
        ("documents.to_handle", "email", "en"): {
            "subject": "[Documents] {{ task }}: {{ reference }}",
            "body": 'Dear {{ recipient_name }},\n\n{{ task }}: document {{ reference }} — {{ subject }} ({{ agency_name }}).{% if due %}\nDue: {{ due|date:"H:i d/m/Y" }}.{% endif %}\n\nSee the Official documents page of the platform.\n\nThis message was sent automatically; please do not reply.',
        },
    }
)


def _common(document) -> dict:
    return {
        "reference": document.reference or "—",
        "subject": document.subject,
        "agency_name": document.agency.name,
    }


@domain_events.subscribe("documents.sent_by_email")
def on_sent_by_email(*, document, recipient, link, **kwargs):
    notify(
        "documents.sent_by_email",
        recipient=Contact(email=recipient.email),
        about=document,
        agency_id=document.agency_id,
        channels=["email"],
        context={**_common(document), "link": link, "recipient_name": recipient.name},
    )


def _tell(person, document, task: str, due=None) -> None:
    if not person.email:
        return
    notify(
        "documents.to_handle",
        recipient=person,
        about=document,
        agency_id=document.agency_id,
        channels=["email"],
        context={
            **_common(document),
            "task": task,
            "due": due,
            "recipient_name": person.full_name or person.username,
        },
    )


@domain_events.subscribe("documents.approval_requested")
def on_approval_requested(*, document, leader, **kwargs):
    _tell(leader, document, "Trình duyệt và ký")


@domain_events.subscribe("documents.assigned")
def on_assigned(*, document, handler, supporters, **kwargs):
    _tell(handler, document, "Chủ trì xử lý", document.handling_due)
    for person in supporters:
        _tell(person, document, "Phối hợp xử lý", document.handling_due)


@domain_events.subscribe("documents.arrived")
def on_arrived(*, document, **kwargs):
    """The receiving agency's clerks hear of a document waiting to be registered."""
    from egov.accounts.models import Role, User

    task = "Khẩn: văn bản đến chờ vào sổ" if document.urgency != "0" else "Văn bản đến chờ vào sổ"
    clerks = User.objects.filter(
        role_assignments__role=Role.CLERK,
        role_assignments__agency_id=document.agency_id,
        is_active=True,
    ).distinct()
    for clerk in clerks:
        _tell(clerk, document, task)
