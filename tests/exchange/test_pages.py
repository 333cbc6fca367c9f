"""The operator's pages: only system administrators; grant and revoke audited; the log filters."""

import pytest
from django.urls import reverse

from egov.accounts.models import Role
from egov.exchange import health
from egov.exchange.models import AccessRight, MessageRecord


@pytest.fixture
def operator_client(client, make_staff, agencies):
    client.force_login(make_staff("vanhanh", agencies["city"], role=Role.SYSTEM_ADMIN))
    return client


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["overview", "rights", "log"])
def test_an_agency_administrator_is_refused(client, make_staff, agencies, name):
    admin = make_staff("quantri", agencies["justice"], role=Role.AGENCY_ADMIN)
    assert _login(client, admin).get(reverse(f"exchange_staff:{name}")).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("exchange_staff:overview"))
    assert response.status_code == 302


def test_the_overview_shows_services_health_and_clients(operator_client, caller):
    health.check(caller.service)
    page = operator_client.get(reverse("exchange_staff:overview")).content.decode()
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page
    assert "Hệ thống một cửa" in page
    caller.service.refresh_from_db()
    assert caller.service.healthy is True


def test_an_unreachable_provider_shows_as_down(operator_client, caller):
    caller.service.base_url = "http://127.0.0.1:9"
    caller.service.save()
    assert health.check(caller.service) is False


def test_granting_and_revoking_from_the_page(operator_client, caller):
    right = AccessRight.objects.get()
    response = operator_client.post(
        reverse("exchange_staff:revoke", args=[right.pk]), {"reason": "Hết hạn"}
    )
    assert response.status_code == 302
    right.refresh_from_db()
    assert right.revoked_by == "vanhanh"
    response = operator_client.post(
        reverse("exchange_staff:rights"),
        {
            "client": caller.client.pk,
            "service": caller.service.pk,
            "purpose": "Cấp phiếu lý lịch tư pháp",
            "legal_basis": "Luật Lý lịch tư pháp 2009",
        },
    )
    assert response.status_code == 302
    assert AccessRight.objects.filter(revoked_at__isnull=True).get().granted_by == "vanhanh"


def test_a_grant_without_a_legal_basis_says_what_to_fix(operator_client, caller):
    response = operator_client.post(
        reverse("exchange_staff:rights"),
        {"client": caller.client.pk, "service": caller.service.pk, "purpose": "x"},
    )
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()


def test_the_log_filters(operator_client, client, caller):
    caller.call(client, "cong-dan/1")
    caller.service.base_url = "http://127.0.0.1:9"
    caller.service.save()
    caller.call(client, "cong-dan/2")
    assert MessageRecord.objects.count() == 2
    page = operator_client.get(reverse("exchange_staff:log"), {"status": 502}).content.decode()
    assert "cong-dan/2" in page and "cong-dan/1" not in page
    log = reverse("exchange_staff:log")
    page = operator_client.get(log, {"client": "mot-cua"}).content.decode()
    assert "cong-dan/1" in page and "cong-dan/2" in page


def test_the_log_page_masks_identification_numbers(operator_client, client, caller):
    caller.call(client, "cong-dan/001203004567")
    page = operator_client.get(reverse("exchange_staff:log")).content.decode()
    assert "001203004567" not in page
    assert "********4567" in page
