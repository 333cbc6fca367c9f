"""Payments in the API: the citizen's fees and online payment, the desk's counter payment."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from egov.accounts import tokens
from egov.accounts.models import Role
from egov.payments.models import Payment

pytestmark = pytest.mark.django_db


def _bearer(user):
    _record, token = tokens.create(user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_fees_before_and_after_reception(client, citizen, submitted, desk_officer):
    from egov.dossiers import reception

    auth = _bearer(citizen)
    url = f"/api/v1/dossiers/{submitted.public_id}/fees"
    before = client.get(url, **auth).json()
    assert (before["status"], before["outstanding"], before["payments"]) == (
        "not_assessed",
        200_000,
        [],
    )
    reception.receive(submitted, officer=desk_officer)
    after = client.get(url, **auth).json()
    assert after["status"] == "due"
    assert after["lines"][0]["amount"] == 200_000
    assert after["payment_first"] is False


def test_a_citizen_starts_a_payment(client, citizen, received):
    response = client.post(
        f"/api/v1/dossiers/{received.public_id}/payments",
        {"gateway": "vnpay"},
        content_type="application/json",
        **_bearer(citizen),
    )
    assert response.status_code == 201
    body = response.json()
    payment = Payment.objects.get()
    assert body["payment"]["status"] == "pending"
    assert dict(parse_qsl(urlsplit(body["pay_url"]).query))["vnp_TxnRef"] == payment.txn_ref


def test_refusals_are_problems(client, citizen, submitted):
    response = client.post(
        f"/api/v1/dossiers/{submitted.public_id}/payments",
        {},
        content_type="application/json",
        **_bearer(citizen),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "khi Bộ phận Một cửa tiếp nhận" in response.json()["title"]
    unknown = client.post(
        f"/api/v1/dossiers/{submitted.public_id}/payments",
        {"gateway": "napas"},
        content_type="application/json",
        **_bearer(citizen),
    )
    assert unknown.status_code == 503
    assert unknown["Retry-After"] == "5"


def test_another_citizen_gets_404(client, received, make_staff, agencies):
    from egov.accounts import services as accounts

    other = accounts.create_user(
        actor=None, username="khac", password="x" * 12, kind="citizen", email="khac@example.vn"
    )
    assert (
        client.get(f"/api/v1/dossiers/{received.public_id}/fees", **_bearer(other)).status_code
        == 404
    )


def test_the_desk_records_a_counter_payment(client, received, desk_officer):
    url = f"/api/v1/staff/dossiers/{received.public_id}/counter-payments"
    response = client.post(
        url,
        {"method": "card", "amount": 200_000, "reference": "POS-7781"},
        content_type="application/json",
        **_bearer(desk_officer),
    )
    assert response.status_code == 201, response.content
    assert response.json()["receipt_number"].endswith("-0000001")
    again = client.post(
        url,
        {"method": "cash", "amount": 200_000},
        content_type="application/json",
        **_bearer(desk_officer),
    )
    assert again.status_code == 422


def test_counter_payments_are_scoped(client, received, make_staff, agencies, citizen):
    url = f"/api/v1/staff/dossiers/{received.public_id}/counter-payments"
    body = {"method": "cash", "amount": 200_000}
    neighbour = make_staff("motcua.syt", agencies["health"], Role.DESK_OFFICER)
    assert (
        client.post(url, body, content_type="application/json", **_bearer(neighbour)).status_code
        == 404
    )
    assert (
        client.post(url, body, content_type="application/json", **_bearer(citizen)).status_code
        == 403
    )
    assert not Payment.objects.exists()
