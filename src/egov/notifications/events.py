"""The events a citizen is told about, with the variables their templates may use.

An app that adds an event registers it (``register(EventType(...))`` in its ``AppConfig.ready``)
and ships its templates (see ``defaults.py`` and ``load_notification_templates``).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise
    # Variable name -> what it holds; the template editor lists them.
    variables: dict[str, str | Promise]
    # A realistic, long-ish context for previews and for the SMS length check.
    sample: dict = field(default_factory=dict)
    # The message holds a secret (a one-time code): hidden in the delivery log, erased once sent.
    sensitive: bool = False
    # Higher first when workers pick what to send.
    priority: int = 0
    # Give up after this instead of the retry horizon (a code is useless after it expires).
    expires_after: datetime.timedelta | None = None


_REGISTRY: dict[str, EventType] = {}


def register(event: EventType) -> EventType:
    _REGISTRY[event.code] = event
    return event


def get(code: str) -> EventType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ValueError(f"unknown notification event {code!r}; register it first") from None


def all_events() -> list[EventType]:
    return sorted(_REGISTRY.values(), key=lambda event: event.code)


def choices() -> list[tuple[str, str | Promise]]:
    return [(event.code, event.label) for event in all_events()]


_DOSSIER = {
    "citizen_name": _("the citizen's full name"),
    "dossier_code": _("the dossier code printed on the receipt"),
    "procedure_name": _("the name of the administrative procedure"),
    "agency_name": _("the agency that handles the dossier"),
    "tracking_url": _("the address where the dossier can be followed"),
}
_SAMPLE = {
    "citizen_name": "Nguyễn Thị Công Dân",
    "dossier_code": "000.00.03.H13-260115-0042",
    "procedure_name": "Đăng ký khai sinh",
    "agency_name": "Ủy ban nhân dân phường Ninh Kiều",
    "tracking_url": "https://dichvucong.cantho.gov.vn/tra-cuu/000.00.03.H13-260115-0042",
}

DOSSIER_RECEIVED = register(
    EventType(
        "dossier.received",
        _("Dossier received"),
        {
            **_DOSSIER,
            "received_at": _("when the dossier was received (date and time)"),
            "appointment_date": _("the date the result is promised"),
        },
        {
            **_SAMPLE,
            "received_at": datetime.datetime(2026, 1, 15, 9, 30),
            "appointment_date": datetime.date(2026, 1, 22),
        },
    )
)
DOSSIER_SUBMITTED = register(
    EventType(
        "dossier.submitted",
        _("Dossier submitted online"),
        {
            **_DOSSIER,
            "submitted_at": _("when the citizen submitted the dossier (date and time)"),
        },
        {**_SAMPLE, "submitted_at": datetime.datetime(2026, 1, 15, 21, 5)},
    )
)
SUPPLEMENT_REQUESTED = register(
    EventType(
        "dossier.supplement_requested",
        _("Supplement requested"),
        {
            **_DOSSIER,
            "items": _("the list of papers or corrections asked for"),
            "note": _("the officer's explanation"),
            "deadline": _("the date by which to supplement (may be empty)"),
        },
        {
            **_SAMPLE,
            "items": [
                "Bản sao Giấy chứng nhận kết hôn của cha mẹ",
                "Giấy chứng sinh bản chính (bản đã nộp bị mờ số)",
            ],
            "note": "Vui lòng bổ sung trực tiếp tại Bộ phận Một cửa hoặc nộp trực tuyến.",
            "deadline": datetime.date(2026, 1, 29),
        },
    )
)
DOSSIER_REFUSED = register(
    EventType(
        "dossier.refused",
        _("Dossier refused"),
        {**_DOSSIER, "reason": _("why the dossier was refused")},
        {
            **_SAMPLE,
            "reason": "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường.",
        },
    )
)
RESULT_READY = register(
    EventType(
        "dossier.result_ready",
        _("Result ready"),
        {
            **_DOSSIER,
            "how_to_get": _("how to receive the result (desk, post or online)"),
            "pickup_address": _("the desk's address when collected in person (may be empty)"),
        },
        {
            **_SAMPLE,
            "how_to_get": "Nhận trực tiếp tại Bộ phận Một cửa, mang theo phiếu hẹn và CCCD.",
            "pickup_address": "Số 02 Hòa Bình, phường Ninh Kiều, thành phố Cần Thơ",
        },
    )
)
APOLOGY = register(
    EventType(
        "dossier.apology",
        _("Apology and new date"),
        {
            **_DOSSIER,
            "reason": _("why the result is late"),
            "old_date": _("the date first promised"),
            "new_date": _("the new date"),
        },
        {
            **_SAMPLE,
            "reason": "Cần xác minh thêm với cơ quan đăng ký hộ tịch nơi cư trú trước đây.",
            "old_date": datetime.date(2026, 1, 22),
            "new_date": datetime.date(2026, 1, 27),
        },
    )
)
DEADLINE_NEAR = register(
    EventType(
        "dossier.deadline_near",
        _("Appointment near (to the agency)"),
        {
            **_DOSSIER,
            "appointment": _("the appointment date and time"),
            "apology_by": _("the latest moment to send an apology letter"),
        },
        {
            **_SAMPLE,
            "citizen_name": "Trần Văn Lãnh Đạo",
            "appointment": datetime.datetime(2026, 1, 22, 17, 0),
            "apology_by": datetime.datetime(2026, 1, 21, 17, 0),
        },
    )
)
CONSULTATION_REQUESTED = register(
    EventType(
        "dossier.consultation_requested",
        _("Opinion asked of another agency (to its staff)"),
        {
            **_DOSSIER,
            "citizen_name": _("the staff member's full name"),
            "agency_name": _("the agency whose opinion is asked"),
            "asking_agency": _("the agency that asks"),
            "step_name": _("the workflow step that asks"),
            "answer_due": _("when the answer is due"),
        },
        {
            **_SAMPLE,
            "citizen_name": "Lê Văn Chuyên Viên",
            "agency_name": "Sở Y tế",
            "asking_agency": "Sở Tư pháp",
            "step_name": "Lấy ý kiến các sở liên quan",
            "answer_due": datetime.datetime(2026, 1, 22, 17, 0),
        },
    )
)
PAYMENT_DUE = register(
    EventType(
        "payment.due",
        _("Payment due"),
        {
            **_DOSSIER,
            "amount": _("the amount in đồng"),
            "due_date": _("the date by which to pay (may be empty)"),
            "payment_url": _("the address where to pay online"),
        },
        {
            **_SAMPLE,
            "amount": 1500000,
            "due_date": datetime.date(2026, 1, 20),
            "payment_url": "https://dichvucong.cantho.gov.vn/thanh-toan/000.00.03.H13-260115-0042",
        },
    )
)
PAYMENT_RECEIVED = register(
    EventType(
        "payment.received",
        _("Payment received"),
        {
            **_DOSSIER,
            "amount": _("the amount in đồng"),
            "paid_at": _("when the payment was received"),
            "receipt_number": _("the e-receipt number"),
        },
        {
            **_SAMPLE,
            "amount": 1500000,
            "paid_at": datetime.datetime(2026, 1, 16, 14, 5),
            "receipt_number": "BL-2026-0001234",
        },
    )
)
PAYMENT_REFUNDED = register(
    EventType(
        "payment.refunded",
        _("Payment refunded"),
        {
            **_DOSSIER,
            "amount": _("the amount given back, in đồng"),
            "reason": _("why the money is given back"),
            "paid_at": _("when the payment was received"),
            "receipt_number": _("the e-receipt number of the payment"),
        },
        {
            **_SAMPLE,
            "amount": 1500000,
            "reason": "Thanh toán trên một giao dịch đã được thay bằng giao dịch mới: "
            "phí không phải nộp hai lần.",
            "paid_at": datetime.datetime(2026, 1, 16, 14, 5),
            "receipt_number": "BL26-000.00.03.H13-0001235",
        },
    )
)
SHIPMENT_UPDATED = register(
    EventType(
        "postal.shipment_updated",
        _("Postal shipment update"),
        {
            **_DOSSIER,
            "tracking_number": _("the postal item number"),
            "status": _("what happened to the item"),
            "carrier": _("the postal company"),
        },
        {
            **_SAMPLE,
            "tracking_number": "EB123456789VN",
            "status": "Đã giao cho bưu tá, dự kiến phát trong ngày",
            "carrier": "Bưu điện Việt Nam (VNPost)",
        },
    )
)
VERIFICATION_CODE = register(
    EventType(
        "accounts.verification_code",
        _("One-time verification code"),
        {
            "code": _("the one-time code"),
            "minutes": _("how many minutes the code is valid"),
        },
        {"code": "482913", "minutes": 5},
        sensitive=True,
        priority=10,
        expires_after=datetime.timedelta(minutes=10),
    )
)
