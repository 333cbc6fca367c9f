"""The operator's pages to add members, client systems, services and event subscriptions:
system administrators only, every change audited, bad input says what to fix."""

import pytest
from django.urls import reverse

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.exchange import webhooks
from egov.exchange.forms import EVENT_LABELS
from egov.exchange.models import ClientSystem, Member, Service, Subscription
from tests.exchange.conftest import pem_of

PAGES = ["members", "clients", "services", "subscriptions"]


@pytest.fixture
def operator(client, make_staff, agencies):
    user = make_staff("vanhanh", agencies["city"], role=Role.SYSTEM_ADMIN)
    client.force_login(user)
    return client


def test_the_staff_menu_links_the_platform_for_administrators_only(client, make_staff, agencies):
    link = f'href="{reverse("exchange_staff:overview")}"'
    client.force_login(make_staff("vanhanh", agencies["city"], role=Role.SYSTEM_ADMIN))
    assert link in client.get("/staff/").content.decode()
    client.force_login(make_staff("quantri", agencies["justice"], role=Role.AGENCY_ADMIN))
    assert link not in client.get("/staff/").content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_others_are_refused_and_change_nothing(client, make_staff, agencies, name):
    client.force_login(make_staff("quantri", agencies["justice"], role=Role.AGENCY_ADMIN))
    url = reverse(f"exchange_staff:{name}")
    assert client.get(url).status_code == 403
    post = {"code": "x", "name": "X", "url": "https://x.example/h", "events": ["dossier.received"]}
    assert client.post(url, post).status_code == 403
    assert not Member.objects.exists() and not Subscription.objects.exists()


@pytest.mark.parametrize("name", ["suspend", "withdraw"])
def test_suspend_and_withdraw_are_refused_to_others(client, make_staff, agencies, caller, name):
    client.force_login(make_staff("quantri", agencies["justice"], role=Role.AGENCY_ADMIN))
    pk = caller.client.pk if name == "suspend" else caller.service.pk
    assert client.post(reverse(f"exchange_staff:{name}", args=[pk])).status_code == 403
    caller.client.refresh_from_db()
    caller.service.refresh_from_db()
    assert caller.client.suspended_at is None and caller.service.withdrawn_at is None


def test_adding_a_member_of_the_city_and_an_outside_one(operator, agencies):
    url = reverse("exchange_staff:members")
    answer = operator.post(
        url, {"code": "so-tu-phap", "name": "Sở Tư pháp", "agency": agencies["justice"].code}
    )
    assert answer.status_code == 302
    member = Member.objects.get(code="so-tu-phap")
    assert member.kind == Member.Kind.AGENCY and member.agency == agencies["justice"]
    operator.post(url, {"code": "bo-tai-chinh", "name": "Bộ Tài chính"})
    assert Member.objects.get(code="bo-tai-chinh").kind == Member.Kind.OUTSIDE
    event = AuditEvent.objects.filter(action="exchange.member_saved").first()
    assert "vanhanh" in event.actor_label
    page = operator.get(url).content.decode()
    assert "Bộ Tài chính" in page and "Tổ chức bên ngoài" in page


def test_a_member_with_an_unknown_agency_says_what_to_fix(operator):
    answer = operator.post(
        reverse("exchange_staff:members"), {"code": "so-x", "name": "Sở X", "agency": "000.99"}
    )
    assert answer.status_code == 400
    assert "Không có cơ quan nào mang mã này" in answer.content.decode()
    assert not Member.objects.exists()


def test_registering_a_client_system_with_its_certificate(operator, caller, dev_pki):
    issued = dev_pki.issue("Cổng dịch vụ công", key_type="ec-p256")
    answer = operator.post(
        reverse("exchange_staff:clients"),
        {
            "member": caller.client.member.pk,
            "code": "cong-dvc",
            "name": "Cổng dịch vụ công",
            "certificate_pem": pem_of(issued),
            "rate_per_minute": 60,
            "daily_quota": 1000,
        },
    )
    assert answer.status_code == 302
    client = ClientSystem.objects.get(code="cong-dvc")
    assert client.rate_per_minute == 60
    assert AuditEvent.objects.filter(action="exchange.client_registered").exists()


def test_a_certificate_outside_the_trust_store_is_refused(operator, caller, foreign_pki):
    issued = foreign_pki.issue("Hệ thống lạ", organization="Ngoài", key_type="ec-p256")
    answer = operator.post(
        reverse("exchange_staff:clients"),
        {
            "member": caller.client.member.pk,
            "code": "la",
            "name": "Hệ thống lạ",
            "certificate_pem": pem_of(issued),
            "rate_per_minute": 60,
            "daily_quota": 1000,
        },
    )
    assert answer.status_code == 400
    assert not ClientSystem.objects.filter(code="la").exists()


def test_suspending_a_client_and_withdrawing_a_service(operator, caller):
    operator.post(reverse("exchange_staff:suspend", args=[caller.client.pk]))
    caller.client.refresh_from_db()
    assert caller.client.suspended_at is not None
    operator.post(reverse("exchange_staff:withdraw", args=[caller.service.pk]))
    caller.service.refresh_from_db()
    assert caller.service.withdrawn_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"exchange.client_suspended", "exchange.service_withdrawn"} <= actions


def test_publishing_a_service(operator, caller):
    url = reverse("exchange_staff:services")
    data = {
        "provider": caller.service.provider.pk,
        "code": "doanh-nghiep",
        "name": "Tra cứu doanh nghiệp",
        "base_url": "http://127.0.0.1:8793",
    }
    answer = operator.post(url, data)
    assert answer.status_code == 400  # no OpenAPI description
    assert "OpenAPI" in answer.content.decode()
    answer = operator.post(url, {**data, "openapi_document": '{"openapi": "3.1.0"}'})
    assert answer.status_code == 302
    service = Service.objects.get(code="doanh-nghiep")
    assert service.openapi_document == {"openapi": "3.1.0"} and not service.keep_bodies
    assert AuditEvent.objects.filter(action="exchange.service_published").exists()


def test_subscribing_shows_the_secret_once(operator, caller):
    url = reverse("exchange_staff:subscriptions")
    answer = operator.post(
        url,
        {
            "client": caller.client.pk,
            "url": "https://he-thong.example.vn/su-kien",
            "events": ["dossier.received", "dossier.result_issued"],
        },
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "chỉ hiển thị một lần" in page
    subscription = Subscription.objects.get()
    assert subscription.events == ["dossier.received", "dossier.result_issued"]
    assert webhooks._secret(subscription).decode() in page
    assert AuditEvent.objects.filter(action="exchange.subscription_saved").exists()
    again = operator.get(url).content.decode()
    assert webhooks._secret(subscription).decode() not in again  # never shown again
    assert "Hồ sơ đã được tiếp nhận" in again


def test_a_subscription_without_events_says_what_to_fix(operator, caller):
    answer = operator.post(
        reverse("exchange_staff:subscriptions"),
        {"client": caller.client.pk, "url": "https://he-thong.example.vn/su-kien"},
    )
    assert answer.status_code == 400
    assert not Subscription.objects.exists()


def test_every_published_event_has_a_label():
    assert set(EVENT_LABELS) == set(webhooks.EVENTS)
