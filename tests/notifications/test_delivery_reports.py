"""Delivery reports: eSMS's callback, Zalo's signed webhook and e-mail bounces mark a sent message
delivered or not; forged and unknown reports change nothing; an undelivered SMS goes by another
channel."""

import logging

import pytest
from django.conf import settings
from django.db import transaction

from egov.accounts.models import Role
from egov.notifications import delivery, events, services
from egov.notifications.models import Notification
from tests.notifications.providers import bounce

pytestmark = pytest.mark.django_db

RECEIVED = events.DOSSIER_RECEIVED.sample
BOUNCE_SECRET = "bounce-relay-test-secret"
ZALO_URL = "/notifications/callbacks/zalo/"
BOUNCE_URL = "/notifications/callbacks/email-bounce/"


@pytest.fixture
def reports(providers):
    settings.EGOV_NOTIFICATIONS = {
        **settings.EGOV_NOTIFICATIONS,
        "EMAIL_BOUNCE_SECRET": BOUNCE_SECRET,
    }
    return providers


def _sent(recipient, channels, event="dossier.received", context=RECEIVED):
    with transaction.atomic():
        rows = services.notify(
            event,
            recipient=recipient,
            context=context,
            channels=list(channels),
            about=("dossiers.dossier", "STP-1"),
        )
    delivery.deliver_pending()
    for row in rows:
        row.refresh_from_db()
        assert row.status == "sent"
    return rows


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "egov.security"]


# --- SMS (eSMS) ----------------------------------------------------------------------------------


def test_an_esms_report_marks_the_sms_delivered_once(client, person, reports, templates):
    [sms] = _sent(person(), ["sms"])
    url = reports.esms.callback(sms.uuid.hex, delivered=True)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.json() == {"result": "recorded"}
    sms.refresh_from_db()
    assert (sms.status, sms.delivery, sms.delivery_detail) == ("sent", "delivered", "")
    reported_at = sms.delivery_reported_at
    assert reported_at is not None
    # eSMS retries its callback: the repeat answers 200 and changes nothing.
    assert client.get(url).json() == {"result": "repeated"}
    # A later, contradicting report does not overwrite the first either.
    assert client.get(reports.esms.callback(sms.uuid.hex, delivered=False)).status_code == 200
    sms.refresh_from_db()
    assert (sms.delivery, sms.delivery_reported_at) == ("delivered", reported_at)
    assert Notification.objects.count() == 1


def test_a_report_still_pending_changes_nothing(client, person, reports, templates):
    [sms] = _sent(person(), ["sms"])
    answer = client.get(reports.esms.callback(sms.uuid.hex, status="1"))
    assert answer.json() == {"result": "pending"}
    sms.refresh_from_db()
    assert sms.delivery == ""


def test_forged_and_unknown_esms_reports_are_refused(client, caplog, person, reports, templates):
    [sms] = _sent(person(), ["sms"])
    url = reports.esms.callback(sms.uuid.hex, delivered=False)
    caplog.set_level(logging.WARNING, logger="egov.security")
    forged = url.replace("secret=esms-callback-test-secret", "secret=guessed")
    assert client.get(forged).status_code == 403
    assert client.get(url.replace("secret=esms-callback-test-secret&", "")).status_code == 403
    unknown = url.replace(reports.esms.sms_ids[sms.uuid.hex], "0" * 32).replace(
        f"RequestId={sms.uuid.hex}", "RequestId=" + "1" * 32
    )
    assert client.get(unknown).status_code == 404
    sms.refresh_from_db()
    assert sms.delivery == "" and sms.delivery_reported_at is None
    assert Notification.objects.count() == 1  # no fallback either
    lines = _security_lines(caplog)
    assert len(lines) == 3 and "wrong secret" in lines[0] and "unknown sms" in lines[2]


def test_without_a_configured_secret_every_esms_report_is_refused(
    client, person, reports, templates
):
    [sms] = _sent(person(), ["sms"])
    url = reports.esms.callback(sms.uuid.hex)
    settings.EGOV_NOTIFICATIONS["ESMS"] = {
        **settings.EGOV_NOTIFICATIONS["ESMS"],
        "CALLBACK_SECRET": "",
    }
    assert client.get(url).status_code == 403
    sms.refresh_from_db()
    assert sms.delivery == ""


def test_an_undelivered_sms_falls_back_to_e_mail(client, person, reports, templates):
    citizen = person(email="tran.thi.b@example.vn", phone="0912345678")
    [sms] = _sent(citizen, ["sms"])
    assert client.get(reports.esms.callback(sms.uuid.hex, delivered=False)).status_code == 200
    sms.refresh_from_db()
    assert sms.delivery == "undelivered" and "SendStatus 5" in sms.delivery_detail
    copy = Notification.objects.get(resent_from=sms)
    assert (copy.channel, copy.status, copy.address) == ("email", "queued", "tran.thi.b@example.vn")
    assert "000.00.03.H13-260115-0042" in copy.subject  # the e-mail's own text, not the SMS
    assert delivery.deliver_pending().sent == 1
    [mail] = reports.mail.to("tran.thi.b@example.vn")
    assert mail["Subject"].strip() == copy.subject
    # A repeated report does not send it a third time.
    client.get(reports.esms.callback(sms.uuid.hex, delivered=False))
    assert Notification.objects.count() == 2


def test_the_fallback_skips_a_channel_that_already_carried_the_message(
    client, person, reports, templates
):
    _email, sms = _sent(person(), ["email", "sms"])
    client.get(reports.esms.callback(sms.uuid.hex, delivered=False))
    # E-mail has it already: Zalo (an approved template and a phone number) is next.
    copy = Notification.objects.get(resent_from=sms)
    assert copy.channel == "zalo" and copy.data["template_id"] == "231001"
    delivery.deliver_pending()
    copy.refresh_from_db()
    assert copy.status == "sent" and len(reports.zns.delivered) == 1


def test_no_fallback_when_no_other_channel_is_left(client, person, reports, templates):
    sms, _zalo = _sent(person(email=None), ["sms", "zalo"])
    client.get(reports.esms.callback(sms.uuid.hex, delivered=False))
    assert not Notification.objects.filter(resent_from=sms).exists()


def test_a_one_time_code_is_not_sent_elsewhere(client, person, reports, templates):
    sample = events.get("accounts.verification_code").sample
    [code] = _sent(person(), ["sms"], event="accounts.verification_code", context=sample)
    assert code.body == delivery.ERASED
    client.get(reports.esms.callback(code.uuid.hex, delivered=False))
    code.refresh_from_db()
    assert code.delivery == "undelivered"
    assert Notification.objects.count() == 1


# --- Zalo ZNS ------------------------------------------------------------------------------------


def test_zalos_signed_webhook_marks_the_message_delivered(client, person, reports, templates):
    [zalo] = _sent(person(), ["zalo"])
    body, headers = reports.zns.received_webhook(zalo.uuid.hex)
    answer = client.post(ZALO_URL, body, content_type="application/json", **headers)
    assert answer.status_code == 200 and answer.json() == {"result": "recorded"}
    zalo.refresh_from_db()
    assert zalo.delivery == "delivered" and zalo.delivery_reported_at is not None
    again = client.post(ZALO_URL, body, content_type="application/json", **headers)
    assert again.json() == {"result": "repeated"}


def test_forged_or_unknown_zalo_webhooks_change_nothing(client, caplog, person, reports, templates):
    [zalo] = _sent(person(), ["zalo"])
    caplog.set_level(logging.WARNING, logger="egov.security")
    body, _headers = reports.zns.received_webhook(zalo.uuid.hex)
    _body, forged = reports.zns.received_webhook(zalo.uuid.hex, secret="not-the-oa-key")
    assert client.post(ZALO_URL, body, content_type="application/json", **forged).status_code == 403
    assert client.post(ZALO_URL, body, content_type="application/json").status_code == 403
    # A signed body altered afterwards no longer matches its signature.
    body, headers = reports.zns.received_webhook(zalo.uuid.hex)
    tampered = body.replace(reports.zns.msg_ids[zalo.uuid.hex].encode(), b"f" * 32)
    assert (
        client.post(ZALO_URL, tampered, content_type="application/json", **headers).status_code
        == 403
    )
    # Correctly signed, but about a message that is not ours.
    reports.zns.msg_ids["x"] = "e" * 32
    body, headers = reports.zns.received_webhook("x")
    assert (
        client.post(ZALO_URL, body, content_type="application/json", **headers).status_code == 404
    )
    zalo.refresh_from_db()
    assert zalo.delivery == ""
    assert len(_security_lines(caplog)) == 4


# --- E-mail bounces ------------------------------------------------------------------------------


def test_a_bounce_marks_the_e_mail_undelivered(client, person, reports, templates):
    [email] = _sent(person(), ["email"])
    [message] = reports.mail.messages
    assert message["Message-ID"] == email.provider_message_id
    body, headers = bounce(message, BOUNCE_SECRET)
    answer = client.post(BOUNCE_URL, body, content_type="application/json", **headers)
    assert answer.status_code == 200 and answer.json() == {"result": "recorded"}
    email.refresh_from_db()
    assert email.delivery == "undelivered" and email.delivery_detail.startswith("5.1.1 550")
    again = client.post(BOUNCE_URL, body, content_type="application/json", **headers)
    assert again.json() == {"result": "repeated"}
    assert Notification.objects.count() == 1  # only an SMS falls back


def test_soft_forged_and_unknown_bounces_change_nothing(client, caplog, person, reports, templates):
    [email] = _sent(person(), ["email"])
    [message] = reports.mail.messages
    caplog.set_level(logging.WARNING, logger="egov.security")
    body, headers = bounce(message, BOUNCE_SECRET, bounce_type="soft")
    answer = client.post(BOUNCE_URL, body, content_type="application/json", **headers)
    assert answer.json() == {"result": "ignored"}
    body, forged = bounce(message, "guessed")
    assert (
        client.post(BOUNCE_URL, body, content_type="application/json", **forged).status_code == 403
    )
    del message["Message-ID"]
    message["Message-ID"] = "<0123456789abcdef@dichvucong.cantho.gov.vn>"
    body, headers = bounce(message, BOUNCE_SECRET)
    assert (
        client.post(BOUNCE_URL, body, content_type="application/json", **headers).status_code == 404
    )
    email.refresh_from_db()
    assert email.delivery == ""
    assert len(_security_lines(caplog)) == 2


def test_a_delivered_event_from_the_relay_marks_the_e_mail_delivered(
    client, person, reports, templates
):
    [email] = _sent(person(), ["email"])
    body, headers = bounce(reports.mail.messages[0], BOUNCE_SECRET, event="delivered")
    assert (
        client.post(BOUNCE_URL, body, content_type="application/json", **headers).status_code == 200
    )
    email.refresh_from_db()
    assert email.delivery == "delivered"


# --- Staff pages ---------------------------------------------------------------------------------


def test_staff_pages_show_the_delivery_state_in_words(
    client, staff_client, agencies, person, reports, templates
):
    with transaction.atomic():
        email, sms = services.notify(
            "dossier.received",
            recipient=person(),
            context=RECEIVED,
            channels=["email", "sms"],
            agency_id=agencies["justice"].pk,
        )
    delivery.deliver_pending()
    client.get(reports.esms.callback(sms.uuid.hex, delivered=False))
    staff, _user = staff_client(Role.DESK_OFFICER, "justice")
    listing = staff.get("/staff/notifications/").content.decode()
    assert "Không đến được người nhận" in listing and ">undelivered<" not in listing
    detail = staff.get(f"/staff/notifications/{sms.pk}/").content.decode()
    assert "Không đến được người nhận" in detail and "SendStatus 5" in detail
    detail = staff.get(f"/staff/notifications/{email.pk}/").content.decode()
    assert "Nhà cung cấp chưa báo kết quả" in detail
