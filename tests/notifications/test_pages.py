"""The staff delivery log (scoped, masked, resend) and template editor; the citizen's settings."""

import pytest
from django.db import transaction

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.notifications import delivery, events, services
from egov.notifications.models import Notification, NotificationPreference, NotificationTemplate
from egov.notifications.services import Contact

pytestmark = pytest.mark.django_db


def _notify(recipient, agency, dossier="000.00.03.H13-260115-0042", **context):
    with transaction.atomic():
        return services.notify(
            "dossier.supplement_requested",
            recipient=recipient,
            context={**events.SUPPLEMENT_REQUESTED.sample, "dossier_code": dossier, **context},
            about=("dossiers.dossier", dossier),
            agency_id=agency.pk if agency else None,
            channels=["email", "sms"],
        )


# --- The delivery log ----------------------------------------------------------------------------


def test_staff_see_their_agencys_log_and_a_neighbours_is_not_found(
    staff_client, agencies, person, providers, templates
):
    client, _user = staff_client(Role.DESK_OFFICER, "justice")
    citizen = person()
    mine = _notify(citizen, agencies["justice"], "STP-1")
    theirs = _notify(citizen, agencies["health"], "SYT-1")
    listing = client.get("/staff/notifications/").content.decode()
    assert f"/staff/notifications/{mine[0].pk}/" in listing
    assert f"/staff/notifications/{theirs[0].pk}/" not in listing
    assert client.get("/staff/notifications/about/dossiers.dossier/STP-1/").status_code == 200
    assert client.get("/staff/notifications/about/dossiers.dossier/SYT-1/").status_code == 404
    assert client.get(f"/staff/notifications/{mine[0].pk}/").status_code == 200
    assert client.get(f"/staff/notifications/{theirs[0].pk}/").status_code == 404


def test_messages_without_an_agency_are_for_city_wide_staff_only(
    staff_client, agencies, providers, templates
):
    with transaction.atomic():
        [code] = services.notify(
            "accounts.verification_code",
            recipient=Contact(phone="0912345678"),
            context={"code": "482913", "minutes": 5},
        )
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice", include_subtree=True)
    assert client.get(f"/staff/notifications/{code.pk}/").status_code == 404
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city", username="quantri")
    page = client.get(f"/staff/notifications/{code.pk}/").content.decode()
    assert "482913" not in page and "••••••" in page
    assert "0912345678" not in page and "091****678" in page


def test_the_log_masks_addresses_and_identifiers_in_the_text(
    staff_client, agencies, person, providers, templates
):
    client, _user = staff_client(Role.SPECIALIST, "justice")
    citizen = person(email="tran.thi.binh@example.vn", phone="0912345678")
    rows = _notify(citizen, agencies["justice"], note="Gọi 0987654321 hoặc CCCD 092190012345.")
    listing = client.get("/staff/notifications/").content.decode()
    assert "tran.thi.binh@" not in listing and "t***@example.vn" in listing
    assert "0912345678" not in listing and "091****678" in listing
    detail = client.get(f"/staff/notifications/{rows[0].pk}/").content.decode()
    assert "0987654321" not in detail and "098****321" in detail
    assert "092190012345" not in detail and "********2345" in detail


def test_failed_messages_are_listed_and_an_administrator_resends_them(
    staff_client, agencies, person, providers, templates
):
    citizen = person()
    [email, sms] = _notify(citizen, agencies["justice"])
    Notification.objects.filter(pk=email.pk).update(
        status="failed", next_attempt_at=None, last_error="550 5.1.1 mailbox unavailable"
    )
    desk, _user = staff_client(Role.DESK_OFFICER, "justice")
    failed = desk.get("/staff/notifications/", {"status": "failed"}).content.decode()
    assert f"/staff/notifications/{email.pk}/" in failed
    assert f"/staff/notifications/{sms.pk}/" not in failed
    assert "/resend/" not in desk.get(f"/staff/notifications/{email.pk}/").content.decode()
    assert desk.post(f"/staff/notifications/{email.pk}/resend/").status_code == 403

    desk.logout()
    admin, user = staff_client(Role.AGENCY_ADMIN, "justice", username="quantri-stp")
    assert "Thử lại" in admin.get(f"/staff/notifications/{email.pk}/").content.decode()
    response = admin.post(f"/staff/notifications/{email.pk}/resend/")
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == "queued" and email.deadline > email.created_at
    event = AuditEvent.objects.get(action="notifications.resent")
    assert (event.actor_id, event.agency_id) == (user.pk, agencies["justice"].pk)
    assert delivery.deliver_pending().sent == 2


def test_a_sent_message_is_sent_again_as_a_copy(staff_client, agencies, person, providers):
    [email, _sms] = _notify(person(), agencies["justice"])
    delivery.deliver_pending()
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice")
    response = client.post(f"/staff/notifications/{email.pk}/resend/")
    copy = Notification.objects.get(resent_from=email)
    assert response["Location"] == f"/staff/notifications/{copy.pk}/"
    delivery.deliver_pending()
    assert len(providers.mail.messages) == 2
    assert providers.mail.message_ids[0] != providers.mail.message_ids[1]


# --- Templates -----------------------------------------------------------------------------------

EDIT = "/staff/notifications/templates/dossier.received/sms/vi/"


def test_only_system_administrators_edit_templates(staff_client, templates):
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice", include_subtree=True)
    assert client.get("/staff/notifications/templates/").status_code == 403
    assert client.get(EDIT).status_code == 403


def test_preview_shows_the_sms_as_sent_and_its_length(staff_client, templates, providers):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    listing = client.get("/staff/notifications/templates/").content.decode()
    assert EDIT in listing and "Hồ sơ đã tiếp nhận" in listing
    page = client.get(EDIT).content.decode()
    assert "Hẹn trả kết quả ngày" in page  # the current text in the form
    body = (
        "DVC {{ site_name }}: Hồ sơ {{ dossier_code }} đã tiếp nhận, "
        "hẹn {{ appointment_date|date:'d/m' }}."
    )
    preview = client.post(EDIT, {"body": body, "action": "preview"}).content.decode()
    assert "DVC Can Tho: Ho so 000.00.03.H13-260115-0042 da tiep nhan, hen 22/01." in preview
    assert "(GSM-7), 1" in preview
    unchanged = NotificationTemplate.objects.get(
        event="dossier.received", channel="sms", language="vi"
    )
    assert "Hẹn trả kết quả ngày" in unchanged.body


def test_bad_templates_are_refused_next_to_the_field(staff_client, templates, providers):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    for body, message in [
        ("Hồ sơ {% if dossier_code %}đã nhận", "Không đọc được mẫu"),
        ("Hồ sơ {{ ma_ho_so }}", "Biến không có: ma_ho_so"),
        ("Hồ sơ {{ dossier_code }} " + "rất dài " * 40, "cần 3 phần tin nhắn"),
    ]:
        page = client.post(EDIT, {"body": body, "action": "save"}).content.decode()
        assert message in page, message
        assert 'id="id_body-error"' in page
    assert not AuditEvent.objects.filter(action="notifications.template_changed").exists()


def test_a_saved_template_is_audited_and_used(staff_client, templates, person, providers):
    client, user = staff_client(Role.SYSTEM_ADMIN, "city")
    response = client.post(
        "/staff/notifications/templates/dossier.received/email/en/",
        {
            "subject": "We have your dossier {{ dossier_code }}",
            "body": "Hello {{ citizen_name }}, see {{ tracking_url }}",
            "action": "save",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="notifications.template_changed")
    assert event.actor_id == user.pk
    assert event.after["subject"] == "We have your dossier {{ dossier_code }}"
    assert event.before["subject"] == "Dossier {{ dossier_code }} received"
    citizen = person()
    services.set_preferences(user=citizen, channels=["email"], language="en")
    with transaction.atomic():
        [row] = services.notify(
            "dossier.received", recipient=citizen, context=events.DOSSIER_RECEIVED.sample
        )
    assert row.subject == "We have your dossier 000.00.03.H13-260115-0042"


def test_a_zalo_template_needs_parameter_lines(staff_client, templates, providers):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    url = "/staff/notifications/templates/dossier.refused/zalo/vi/"
    page = client.post(url, {"body": "Lý do {{ reason }}", "action": "preview"}).content.decode()
    assert "Dòng 1 phải có dạng" in page
    ok = client.post(
        url,
        {"body": "dossier_code: {{ dossier_code }}\nreason: {{ reason }}", "action": "preview"},
    ).content.decode()
    assert '<td class="mono">reason</td>' in ok


# --- The citizen's settings ----------------------------------------------------------------------

SETTINGS = "/thong-bao/cai-dat/"


def test_the_settings_page_needs_a_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_citizen_chooses_channels_and_language(client, person, providers):
    citizen = person(email="tran.thi.binh@example.vn", phone=None)
    client.force_login(citizen)
    page = client.get(SETTINGS).content.decode()
    assert '<html lang="vi">' in page and "Cài đặt thông báo" in page
    assert "t***@example.vn" in page and "tran.thi.binh@" not in page
    assert 'value="email" id="id_channels_0" checked' in page
    refused = client.post(SETTINGS, {"channels": ["email", "sms"], "language": "vi"})
    assert "chưa có số điện thoại" in refused.content.decode()
    assert not NotificationPreference.objects.exists()

    response = client.post(SETTINGS, {"channels": ["email"], "language": "en"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=citizen)
    assert (preference.channels, preference.language) == (["email"], "en")
    event = AuditEvent.objects.get(action="notifications.preferences_changed")
    assert event.after == {"channels": ["email"], "language": "en"}
    assert "Đã lưu" in client.get(SETTINGS).content.decode()


def test_choosing_nothing_says_what_to_do(client, person, providers):
    client.force_login(person())
    page = client.post(SETTINGS, {"language": "vi"}).content.decode()
    assert "Hãy chọn ít nhất một cách" in page
