"""Zalo ZNS: approved templates filled with the event's values; no Zalo account -> SMS instead."""

import pytest
from django.db import transaction

from egov.notifications import delivery, events, services
from egov.notifications.models import Notification, NotificationTemplate, ZaloToken

pytestmark = pytest.mark.django_db

RECEIVED = events.DOSSIER_RECEIVED.sample


def _queue(recipient, channels=("zalo",)):
    with transaction.atomic():
        return services.notify(
            "dossier.received", recipient=recipient, context=RECEIVED, channels=list(channels)
        )


def test_zns_receives_the_documented_request(person, providers, templates):
    [row] = _queue(person(phone="0912345678"))
    assert delivery.deliver_pending().sent == 1
    [request] = providers.zns.requests
    assert request["path"] == "/message/template"
    assert request["headers"]["access_token"] == "zalo-oa-test-access-token"
    assert request["payload"] == {
        "phone": "84912345678",
        "template_id": "231001",
        "template_data": {
            "customer_name": "Nguyễn Thị Công Dân",
            "dossier_code": "000.00.03.H13-260115-0042",
            "procedure": "Đăng ký khai sinh",
            "received_date": "15/01/2026",
            "appointment_date": "22/01/2026",
        },
        "tracking_id": row.uuid.hex,
    }
    row.refresh_from_db()
    assert row.status == "sent" and row.provider_message_id


def test_a_number_without_zalo_gets_the_sms_instead(person, providers, templates):
    providers.zns.without_zalo.add("84987654321")
    [zalo] = _queue(person(phone="0987654321"))
    assert zalo.data["fallback_sms"].startswith("DVC Can Tho: Ho so 000.00.03.H13")
    delivery.deliver_pending()
    zalo.refresh_from_db()
    assert zalo.status == "failed" and zalo.last_error.startswith("ZNS -118")
    sms = Notification.objects.get(resent_from=zalo)
    assert (sms.channel, sms.status) == ("sms", "sent")
    assert providers.esms.delivered[0]["Content"] == zalo.data["fallback_sms"]


def test_no_fallback_when_the_sms_was_sent_anyway(person, providers, templates):
    providers.zns.without_zalo.add("84987654321")
    rows = _queue(person(phone="0987654321"), channels=("sms", "zalo"))
    assert "fallback_sms" not in rows[1].data
    delivery.deliver_pending()
    assert Notification.objects.count() == 2 and len(providers.esms.delivered) == 1


def test_an_expired_access_token_is_retried(person, providers, templates):
    providers.zns.answer_next(200, {"error": -124, "message": "Access token invalid"})
    [row] = _queue(person())
    assert delivery.deliver_due().retried == 1
    row.refresh_from_db()
    assert row.status == "queued" and row.last_error == "ZNS -124: Access token invalid"


def test_parameters_that_do_not_match_the_approved_template_fail(person, providers, templates):
    NotificationTemplate.objects.filter(event="dossier.received", channel="zalo").update(
        body="dossier_code: {{ dossier_code }}"
    )
    [row] = _queue(person())
    delivery.deliver_pending()
    row.refresh_from_db()
    assert row.status == "failed" and row.last_error.startswith("ZNS -112")


def test_without_an_approved_template_zalo_is_not_used(person, providers, templates):
    NotificationTemplate.objects.filter(channel="zalo").update(zns_template_id="")
    rows = _queue(person())
    assert [row.channel for row in rows] == ["email"]


def test_the_oa_token_is_renewed_with_the_single_use_refresh_token(
    person, providers, templates, settings
):
    settings.EGOV_NOTIFICATIONS = {
        **settings.EGOV_NOTIFICATIONS,
        "ZNS": providers.zns.renewing_settings("refresh-first"),
    }
    providers.zns.access_tokens.clear()  # the fixed token does not count here
    _queue(person())
    assert delivery.deliver_pending().sent == 1
    token = ZaloToken.objects.get()
    assert token.access_token in providers.zns.access_tokens
    assert token.refresh_token in providers.zns.refresh_tokens
    assert "refresh-first" not in providers.zns.refresh_tokens  # spent
    assert providers.zns.requests[0]["headers"]["secret_key"] == "zalo-app-test-secret"
    assert providers.zns.requests[0]["payload"]["grant_type"] == "refresh_token"

    _queue(person(username="nguoi-thu-hai", email=None, phone="0987654321"))
    assert delivery.deliver_pending().sent == 1
    assert providers.zns.renewals == 1  # still valid: used as is

    # Zalo revokes the token before its time: renewed once, and the message goes.
    providers.zns.access_tokens.clear()
    _queue(person(username="nguoi-thu-ba", email=None, phone="0977654321"))
    assert delivery.deliver_pending().sent == 1
    assert providers.zns.renewals == 2


def test_a_refused_renewal_keeps_the_message_waiting(person, providers, templates, settings):
    settings.EGOV_NOTIFICATIONS = {
        **settings.EGOV_NOTIFICATIONS,
        "ZNS": {**providers.zns.renewing_settings("refresh-first"), "APP_SECRET": "wrong"},
    }
    [row] = _queue(person())
    assert delivery.deliver_due().retried == 1
    row.refresh_from_db()
    assert row.status == "queued" and "Invalid secret key" in row.last_error
