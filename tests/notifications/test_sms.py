"""SMS length rules, unaccented text, and the eSMS.vn adapter against its local stand-in."""

import pytest
from django.conf import settings
from django.db import transaction

from egov.notifications import delivery, events, services, sms
from egov.notifications.models import Notification

RECEIVED = events.DOSSIER_RECEIVED.sample


def test_gsm7_and_ucs2_lengths():
    assert sms.measure("a" * 160) == sms.SmsLength("GSM-7", 160, 1)
    assert sms.measure("a" * 161) == sms.SmsLength("GSM-7", 161, 2)
    assert sms.measure("a" * 306).segments == 2 and sms.measure("a" * 307).segments == 3
    # The extension table costs two septets a character.
    assert sms.measure("€" * 80) == sms.SmsLength("GSM-7", 160, 1)
    # One Vietnamese letter outside GSM-7 makes the whole text UCS-2.
    assert sms.measure("Hồ sơ") == sms.SmsLength("UCS-2", 5, 1)
    assert sms.measure("ư" * 70).segments == 1 and sms.measure("ư" * 71).segments == 2
    assert sms.measure("ư" * 134).segments == 2 and sms.measure("ư" * 135).segments == 3


def test_diacritics_are_stripped_into_gsm7():
    text = sms.strip_diacritics("Đặng Thị Ửng – “Hồ sơ đã được tiếp nhận”")
    assert text == 'Dang Thi Ung - "Ho so da duoc tiep nhan"'
    assert sms.is_gsm7(text)


def test_long_text_is_cut_at_a_word_to_the_segment_limit():
    text = "Ho so can bo sung giay to " * 20
    cut = sms.fit(text, 2)
    assert cut.endswith("...") and sms.measure(cut).segments == 2
    assert cut[:-3].endswith(("so", "sung", "giay", "to", "can", "bo", "Ho"))
    assert sms.fit("Ngắn", 1) == "Ngắn"


pytestmark = pytest.mark.django_db


def _queue(recipient, event="dossier.received", context=RECEIVED):
    with transaction.atomic():
        return services.notify(event, recipient=recipient, context=context, channels=["sms"])


def test_esms_receives_the_documented_request(person, providers, templates):
    [row] = _queue(person(phone="+84912345678"))
    assert delivery.deliver_pending().sent == 1
    [request] = providers.esms.requests
    assert request["path"] == "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    payload = request["payload"]
    assert payload == {
        "ApiKey": "esms-test-api-key",
        "SecretKey": "esms-test-secret-key",
        "Phone": "0912345678",
        "Content": row.body,
        "Brandname": "UBND-CANTHO",
        "SmsType": "2",
        "IsUnicode": "0",
        "Sandbox": "0",
        "RequestId": row.uuid.hex,
        # Where eSMS reports delivery, with the shared secret that proves the report is its own.
        "CallbackUrl": "http://testserver/notifications/callbacks/esms/"
        "?secret=esms-callback-test-secret",
    }
    assert payload["Content"].startswith("DVC Can Tho: Ho so 000.00.03.H13-260115-0042")
    assert providers.esms.garbled == 0
    row.refresh_from_db()
    assert row.status == "sent" and len(row.provider_message_id) == 32


def test_without_stripping_the_text_goes_as_unicode(person, providers, templates):
    settings.EGOV_NOTIFICATIONS = {**settings.EGOV_NOTIFICATIONS, "SMS_STRIP_DIACRITICS": False}
    [row] = _queue(person())
    assert "Hồ sơ" in row.body
    delivery.deliver_pending()
    assert providers.esms.accepted[0]["IsUnicode"] == "1"
    assert providers.esms.garbled == 0


def test_a_bad_number_fails_and_wrong_credentials_wait_for_the_operator(
    person, providers, templates
):
    [bad_number] = _queue(person(username="sai-so", email=None, phone="0212345678"))
    delivery.deliver_pending()
    bad_number.refresh_from_db()
    assert bad_number.status == "failed" and bad_number.last_error.startswith("eSMS 108")

    settings.EGOV_NOTIFICATIONS["ESMS"] = {**settings.EGOV_NOTIFICATIONS["ESMS"], "API_KEY": "x"}
    [row] = _queue(person())
    delivery.deliver_due()
    row.refresh_from_db()
    assert row.status == "queued" and row.last_error == "eSMS 101: Authorize Failed"


def test_a_timeout_is_retried_and_the_request_id_prevents_a_second_sms(
    person, providers, templates
):
    settings.EGOV_NOTIFICATIONS = {**settings.EGOV_NOTIFICATIONS, "HTTP_TIMEOUT_SECONDS": 0.3}
    [row] = _queue(person())
    providers.esms.delay = 0.6  # eSMS takes the message but answers too late
    assert delivery.deliver_due().retried == 1
    row.refresh_from_db()
    assert row.status == "queued" and row.delivery_attempts.get().code == "timeout"
    providers.esms.delay = 0
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    assert delivery.deliver_due().sent == 1
    # The second request carried the same RequestId: eSMS answered 124, nothing sent twice.
    assert [r["payload"]["RequestId"] for r in providers.esms.requests] == [row.uuid.hex] * 2
    assert len(providers.esms.delivered) == 1


def test_server_errors_are_retried(person, providers, templates):
    [row] = _queue(person())
    providers.esms.answer_next(503, "<html>Service Unavailable</html>")
    assert delivery.deliver_due().retried == 1
    row.refresh_from_db()
    assert row.last_error == "HTTP 503 from the provider"
