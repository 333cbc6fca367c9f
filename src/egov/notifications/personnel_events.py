"""Personnel events → messages: the personnel officers are told by e-mail that a person asked to
correct their record, and the person when the officers have answered (egov.personnel publishes
the events). The officers' message does not repeat what the person wrote: it is read on the
staff site, where reading it is scoped."""

from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role, RoleAssignment
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

CORRECTION_REQUESTED = register(
    EventType(
        "personnel.correction_requested",
        _("Request to correct a personnel record"),
        {
            "person_name": _("the full name of the person whose record it is"),
            "record_number": _("the personnel record number"),
            "agency_name": _("the person's agency"),
        },
        {
            "person_name": "Trần Văn An",
            "record_number": "HS000001",
            "agency_name": "Sở Y tế",
        },
    )
)

_REQUESTED_VI = """Ông/Bà {{ person_name }} (hồ sơ {{ record_number }}, {{ agency_name }}) đề nghị \
đính chính hồ sơ cán bộ của mình.

Xem và trả lời đề nghị trên trang cán bộ, mục “Hồ sơ cán bộ” → “Đề nghị đính chính”.

Đây là thư tự động, vui lòng không trả lời."""
_REQUESTED_EN = """{{ person_name }} (record {{ record_number }}, {{ agency_name }}) asked to \
correct their personnel record.

Read and answer the request on the staff site, under “Personnel” → “Correction requests”.

This message was sent automatically; please do not reply."""

defaults.TEXTS.update(
    {
        ("personnel.correction_requested", "email", "vi"): {
            "subject": "Đề nghị đính chính hồ sơ cán bộ",
            "body": _REQUESTED_VI,
        },
        ("personnel.correction_requested", "email", "en"): {
            "subject": "Request to correct a personnel record",
            "body": _REQUESTED_EN,
        },
        ("personnel.correction_requested", "sms", "vi"): {
            "body": "{{ site_name }}: {{ person_name }} ({{ record_number }}) đề nghị đính chính "
            "hồ sơ cán bộ.",
        },
        ("personnel.correction_requested", "sms", "en"): {
            "body": "{{ site_name }}: {{ person_name }} ({{ record_number }}) asked to correct "
            "their personnel record.",
        },
        ("personnel.correction_requested", "zalo", "vi"): {
            "body": "person_name: {{ person_name }}\nrecord_number: {{ record_number }}",
        },
        ("personnel.correction_requested", "zalo", "en"): {
            "body": "person_name: {{ person_name }}\nrecord_number: {{ record_number }}",
        },
    }
)


def nearest_officers(agency) -> list:
    """The personnel officers who answer for ``agency``: those of the agency itself, else those
    over the nearest body above it (a department's for its units, Home Affairs' at the top), so
    that a request reaches the people who handle it rather than everyone over the city."""
    ancestors = [int(part) for part in agency.path.strip("/").split("/") if part.isdigit()]
    ancestors = [pk for pk in ancestors if pk != agency.pk]
    assignments = RoleAssignment.objects.filter(
        role=Role.PERSONNEL_OFFICER, user__is_active=True, agency_id__in=[agency.pk, *ancestors]
    ).select_related("user")
    by_level: dict[int, list] = {}
    for assignment in assignments:
        if assignment.agency_id == agency.pk or assignment.include_subtree:
            by_level.setdefault(assignment.agency_id, []).append(assignment.user)
    for level in [agency.pk, *reversed(ancestors)]:
        if level in by_level:
            return sorted({u.pk: u for u in by_level[level]}.values(), key=lambda u: u.pk)
    return []


@events.subscribe("personnel.correction_requested")
def on_correction_requested(*, request, **kwargs):
    agency = request.person.state.agency
    if agency is None:
        return
    for officer in nearest_officers(agency):
        if officer.pk == request.requested_by_id:
            continue
        notify(
            "personnel.correction_requested",
            recipient=officer,
            about=request,
            agency_id=agency.pk,
            channels=["email"],
            context={
                "person_name": request.person.full_name,
                "record_number": request.person.code,
                "agency_name": agency.name,
            },
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
