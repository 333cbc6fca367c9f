"""Personnel events → messages: the person is told by e-mail when the personnel officers have
answered their request to correct their record (egov.personnel publishes the event)."""

from django.utils.translation import gettext_lazy as _

from egov.core import events
from egov.notifications import defaults
from egov.notifications.events import EventType, register
from egov.notifications.services import notify

CORRECTION_ANSWERED = register(
    EventType(
        "personnel.correction_answered",
        _("Answer to a request to correct a personnel record"),
        {
            "person_name": _("the person's full name"),
            "outcome": _("whether the record was corrected"),
            "answer": _("the personnel officer's answer"),
        },
        {
            "person_name": "Trần Văn An",
            "outcome": "Đã đính chính",
            "answer": "Ngày vào Đảng đã được sửa theo quyết định kết nạp.",
        },
    )
)

_BODY_VI = """Kính gửi {{ person_name }},

Cán bộ tổ chức đã trả lời đề nghị đính chính hồ sơ cán bộ của Ông/Bà: {{ outcome }}.
{% if answer %}
{{ answer }}
{% endif %}
Ông/Bà xem hồ sơ của mình trên trang cán bộ, mục “Hồ sơ cán bộ”.

Đây là thư tự động, vui lòng không trả lời."""
_BODY_EN = """Dear {{ person_name }},

The personnel officers answered your request to correct your personnel record: {{ outcome }}.
{% if answer %}
{{ answer }}
{% endif %}
You can read your record on the staff site, under “Personnel”.

This message was sent automatically; please do not reply."""

defaults.TEXTS.update(
    {
        ("personnel.correction_answered", "email", "vi"): {
            "subject": "Trả lời đề nghị đính chính hồ sơ cán bộ",
            "body": _BODY_VI,
        },
        ("personnel.correction_answered", "email", "en"): {
            "subject": "Answer to your request to correct your personnel record",
            "body": _BODY_EN,
        },
        ("personnel.correction_answered", "sms", "vi"): {
            "body": "{{ site_name }}: Đề nghị đính chính hồ sơ cán bộ của Ông/Bà đã được trả lời: "
            "{{ outcome }}.",
        },
        ("personnel.correction_answered", "sms", "en"): {
            "body": "{{ site_name }}: your request to correct your personnel record was "
            "answered: {{ outcome }}.",
        },
        ("personnel.correction_answered", "zalo", "vi"): {
            "body": "person_name: {{ person_name }}\noutcome: {{ outcome }}",
        },
        ("personnel.correction_answered", "zalo", "en"): {
            "body": "person_name: {{ person_name }}\noutcome: {{ outcome }}",
        },
    }
)


@events.subscribe("personnel.correction_answered")
def on_correction_answered(*, request, **kwargs):
    person = request.requested_by
    notify(
        "personnel.correction_answered",
        recipient=person,
        about=request,
        agency_id=person.agency_id,
        channels=["email"],
        context={
            "person_name": request.person.full_name,
            "outcome": request.get_state_display(),
            "answer": request.answer,
        },
    )
