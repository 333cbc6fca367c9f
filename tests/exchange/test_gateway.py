"""The gateway forwards a signed call that has a right, logs it, and refuses everything else."""

import json
import time
from unittest import mock

import pytest
from django.utils import timezone

from egov.exchange import gateway, messagelog, services
from egov.exchange.models import AccessRight, MessageRecord
from tests.exchange.conftest import pem_of


def test_a_signed_call_with_a_right_is_forwarded_and_logged(client, caller):
    response = caller.call(client, "cong-dan/001203004567?fields=ho_ten", method="GET")
    assert response.status_code == 200
    echoed = json.loads(response.content)
    assert echoed["path"] == "/cong-dan/001203004567"
    assert echoed["query"] == "fields=ho_ten"
    assert echoed["client"] == "so-tu-phap/mot-cua"
    record = MessageRecord.objects.get()
    assert str(record.message_id) == echoed["message_id"] == response["X-Exchange-Message-Id"]
    assert record.purpose == "Giải quyết thủ tục hành chính"
    assert record.request_body is None  # personal data: only hashes kept
    assert record.response_hash == messagelog.sha256(response.content)
    assert list(messagelog.verify(check_timestamps=False)) == []


def test_bodies_are_kept_when_the_service_says_so(client, caller):
    caller.service.keep_bodies = True
    caller.service.save()
    caller.call(client, "echo", body=b'{"a": 1}', method="POST")
    record = MessageRecord.objects.get()
    assert bytes(record.request_body) == b'{"a": 1}'


def test_a_call_without_a_token_is_refused(client, caller):
    response = client.get(f"/exchange/gateway/{caller.service.code}/x")
    assert response.status_code == 401
    assert "X-Exchange-Token" in response.json()["detail"]
    assert not MessageRecord.objects.exists()


def test_a_token_signed_by_another_key_is_refused(client, caller, dev_pki):
    stranger = dev_pki.issue("Kẻ giả mạo", key_type="ec-p256")
    token = caller.token("x")
    forged_caller = type(caller)(caller.client, stranger, caller.service)
    forged = forged_caller.token("x")
    assert token != forged
    response = caller.call(client, "x", token=forged)
    assert response.status_code == 401
    assert "không khớp với chứng thư số" in response.json()["detail"]


def test_a_token_for_another_call_is_refused(client, caller):
    token = caller.token("cong-dan/1")
    response = caller.call(client, "cong-dan/2", token=token)
    assert response.status_code == 401
    assert "htu" in response.json()["detail"]
    tampered_body = caller.token("x", body=b"{}", method="POST")
    response = caller.call(client, "x", body=b'{"more": 1}', method="POST", token=tampered_body)
    assert response.status_code == 401
    assert "bh" in response.json()["detail"]


def test_a_replayed_call_is_refused(client, caller):
    token = caller.token("x")
    assert caller.call(client, "x", token=token).status_code == 200
    again = caller.call(client, "x", token=token)
    assert again.status_code == 409
    assert MessageRecord.objects.count() == 1


def test_an_old_token_is_refused(client, caller, settings):
    settings.EGOV_EXCHANGE_CLOCK_WINDOW = 60
    response = caller.call(client, "x", iat=int(time.time()) - 3600)
    assert response.status_code == 401


def test_a_client_without_a_right_is_refused(client, caller):
    right = AccessRight.objects.get()
    services.revoke_right(actor=None, right=right, reason="Hết thời hạn thỏa thuận")
    response = caller.call(client, "x")
    assert response.status_code == 403
    assert not MessageRecord.objects.exists()


def test_a_suspended_client_is_refused(client, caller):
    services.suspend_client(actor=None, client=caller.client)
    assert caller.call(client, "x").status_code == 403


def test_an_unregistered_certificate_is_refused(client, caller, dev_pki):
    stranger = dev_pki.issue("Hệ thống lạ", key_type="ec-p256")
    from egov.exchange import jws

    token = jws.sign(stranger.key, {"iss": "mot-cua"}, "ab" * 32)
    response = caller.call(client, "x", token=token)
    assert response.status_code == 401
    assert "kid" in response.json()["detail"]


def test_the_rate_limit_holds(client, caller):
    caller.client.rate_per_minute = 2
    caller.client.save()
    codes = [caller.call(client, "x").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_daily_quota_holds(client, caller):
    caller.client.daily_quota = 1
    caller.client.save()
    assert caller.call(client, "x").status_code == 200
    response = caller.call(client, "x")
    assert response.status_code == 429
    assert "mỗi ngày" in response.json()["detail"]


def test_an_unreachable_provider_is_logged_and_answered_502(client, caller):
    caller.service.base_url = "http://127.0.0.1:9"
    caller.service.save()
    response = caller.call(client, "x")
    assert response.status_code == 502
    assert MessageRecord.objects.get().outcome == "provider_unreachable"


def test_fails_closed_without_a_fresh_time_stamp(client, caller, settings):
    settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = 60
    assert caller.call(client, "x").status_code == 200
    MessageRecord.objects.update(occurred_at=timezone.now() - timezone.timedelta(seconds=61))
    messagelog.forget_freshness()  # this process saw the log fresh less than a second ago
    refused = caller.call(client, "x")
    assert refused.status_code == 503
    assert "dấu thời gian" in refused.json()["detail"]
    assert messagelog.stamp_pending() is not None
    assert caller.call(client, "x").status_code == 200


@pytest.mark.parametrize("rogue", ["not a certificate", ""])
def test_registering_a_client_needs_a_certificate(caller, rogue):
    with pytest.raises(services.ExchangeError):
        services.register_client(
            actor=None, member=caller.client.member, code="x", name="X", certificate_pem=rogue
        )


def test_a_certificate_already_registered_is_refused(caller):
    with pytest.raises(services.ExchangeError, match="đã dùng để xác định"):
        services.register_client(
            actor=None,
            member=caller.client.member,
            code="again",
            name="Again",
            certificate_pem=pem_of(caller.issued),
        )


def test_a_certificate_from_outside_the_trust_store_is_refused(caller, foreign_pki):
    outsider = foreign_pki.issue("Hệ thống ngoài", organization="Ngoài", key_type="ec-p256")
    with pytest.raises(services.ExchangeError, match="tin cậy"):
        services.register_client(
            actor=None,
            member=caller.client.member,
            code="outsider",
            name="Outsider",
            certificate_pem=pem_of(outsider),
        )


def test_the_catalogue_lists_published_services_without_their_addresses(client, caller):
    listed = client.get("/api/v1/exchange/services").json()
    assert listed == [
        {
            "code": "dan-cu",
            "name": "Cơ sở dữ liệu quốc gia về dân cư",
            "provider": "Bộ Công an",
            "openapi_url": "",
            "has_openapi_document": True,
        }
    ]
    services.withdraw_service(actor=None, service=caller.service)
    assert client.get("/api/v1/exchange/services").json() == []


def test_only_the_operator_grants_rights(caller, make_staff, agencies):
    from egov.accounts.models import Role

    agency_admin = make_staff("quantri", agencies["justice"], role=Role.AGENCY_ADMIN)
    with pytest.raises(services.ExchangeError, match="đơn vị vận hành"):
        services.grant_right(
            actor=agency_admin,
            client=caller.client,
            service=caller.service,
            purpose="x",
            legal_basis="y",
        )


def test_granting_and_revoking_are_audited(caller):
    from egov.core.models import AuditEvent

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"exchange.right_granted", "exchange.client_registered"} <= actions
    services.revoke_right(actor=None, right=AccessRight.objects.get(), reason="Hết hạn")
    assert AuditEvent.objects.filter(action="exchange.right_revoked").exists()


def test_only_nonces_older_than_twice_the_clock_window_are_purged(client, caller):
    from egov.exchange import gateway
    from egov.exchange.models import UsedNonce

    token = caller.token("x")
    assert caller.call(client, "x", token=token).status_code == 200
    assert gateway.purge_nonces() == 0
    later = timezone.now() + timezone.timedelta(hours=1)
    assert gateway.purge_nonces(now=later) == 1
    assert not UsedNonce.objects.exists()


def test_freshness_is_read_again_within_a_second(client, caller, settings):
    """Without the test forgetting it, a worker sees a stale log within FRESH_RECHECK."""
    settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE = 60
    assert caller.call(client, "x").status_code == 200
    MessageRecord.objects.update(occurred_at=timezone.now() - timezone.timedelta(seconds=61))
    later = timezone.now() + messagelog.FRESH_RECHECK + timezone.timedelta(milliseconds=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert caller.call(client, "x").status_code == 503


def test_a_suspension_is_seen_after_the_cache_time(client, caller, settings):
    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 30
    assert caller.call(client, "x").status_code == 200
    services.suspend_client(actor=None, client=caller.client)
    # Within the cache time this worker still knows the client as it was...
    assert caller.call(client, "x").status_code == 200
    # ...and once it has passed, it reads the row again and refuses.
    with mock.patch("egov.exchange.gateway.time.monotonic", return_value=time.monotonic() + 31):
        assert caller.call(client, "x").status_code == 403


def test_a_revoked_right_is_seen_after_the_cache_time(client, caller, settings):
    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 30
    assert caller.call(client, "x").status_code == 200
    AccessRight.objects.filter(client=caller.client).update(revoked_at=timezone.now())
    assert caller.call(client, "x").status_code == 200
    with mock.patch("egov.exchange.gateway.time.monotonic", return_value=time.monotonic() + 31):
        assert caller.call(client, "x").status_code == 403


def test_without_a_cache_time_every_call_reads_the_client(client, caller, settings):
    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 0
    assert caller.call(client, "x").status_code == 200
    services.suspend_client(actor=None, client=caller.client)
    assert caller.call(client, "x").status_code == 403


def test_the_certificate_is_parsed_once_per_client(client, caller, settings):
    settings.EGOV_EXCHANGE_CLIENT_CACHE_SECONDS = 0  # the row is read each time, not the key
    assert caller.call(client, "first").status_code == 200  # parses it (and loads the platform key)
    with mock.patch(
        "egov.exchange.gateway.x509.load_pem_x509_certificate",
        wraps=gateway.x509.load_pem_x509_certificate,
    ) as parse:
        for number in range(3):
            assert caller.call(client, f"x{number}").status_code == 200
    assert parse.call_count == 0


def test_a_new_platform_key_signs_at_once_in_its_process(client, caller, dev_pki):
    assert caller.call(client, "x").status_code == 200
    issued = dev_pki.issue("LGSP 2", key_type="ec-p256")
    row = messagelog.install_platform_key(issued.certificate, issued.key)
    assert caller.call(client, "y").status_code == 200
    assert MessageRecord.objects.order_by("-seq").first().key_fingerprint == row.fingerprint
    assert list(messagelog.verify(check_timestamps=False)) == []
