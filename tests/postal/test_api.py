import pytest

from egov.accounts import services as accounts
from egov.dossiers import services as dossier_services
from tests.conftest import PASSWORD


@pytest.fixture
def api(client, citizen, units):
    client.force_login(citizen)
    return client


def test_a_quote_lists_each_leg_and_the_total(api):
    body = api.get(
        "/api/v1/postal/quote",
        {
            "province_code": "86",
            "pick_up": "true",
            "deliver_result": "true",
            "weight_class": "500g",
        },
    ).json()
    assert body["area"] == "same_region"
    assert [(line["direction"], line["amount"]) for line in body["lines"]] == [
        ("pick_up", 34000),
        ("delivery", 28000),
    ]
    assert body["total"] == 62000 and body["currency"] == "VND"
    assert "Demo data" in body["tariff_source"]


def test_a_quote_for_an_unknown_province_is_a_problem(api):
    response = api.get("/api/v1/postal/quote", {"province_code": "99", "pick_up": "true"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Không có tỉnh, thành phố nào mang mã này."


def test_a_quote_needs_a_citizen(client, units):
    assert client.get("/api/v1/postal/quote", {"province_code": "92"}).status_code == 401


def test_the_postal_request_is_set_through_the_api(api, complete_draft):
    url = f"/api/v1/dossiers/{complete_draft.public_id}/postal"
    bad = api.put(
        url,
        {
            "result_delivery": "post",
            "address": {
                "recipient_name": "Nguyễn Thị Công Dân",
                "phone": "0912345678",
                "street": "Số 12",
                "province_code": "92",
                "commune_code": "00070",
            },
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "Thành phố Cần Thơ" in bad.json()["title"]
    good = api.put(
        url,
        {
            "result_delivery": "post",
            "pick_up": True,
            "address": {
                "recipient_name": "Nguyễn Thị Công Dân",
                "phone": "0912345678",
                "street": "Số 12",
                "province_code": "92",
                "commune_code": "31135",
            },
        },
        content_type="application/json",
    )
    assert good.status_code == 200
    assert good.json()["address"] == "Số 12, Phường Ninh Kiều, Thành phố Cần Thơ"
    assert (good.json()["pick_up_fee"], good.json()["delivery_fee"]) == (22000, 22000)
    none = api.put(url, {"result_delivery": "online"}, content_type="application/json")
    assert none.status_code == 200 and none.json() is None


def test_the_citizen_reads_the_shipments_and_nobody_else_does(api, client, by_post, citizen):
    dossier = dossier_services.submit(by_post, applicant=citizen)
    url = f"/api/v1/dossiers/{dossier.public_id}/shipments"
    body = api.get(url).json()
    assert [(s["direction"], s["status"], s["fee"]) for s in body] == [
        ("pick_up", "requested", 26000)
    ]
    assert body[0]["history"][0]["status_label"] == "Chờ bưu điện xác nhận"
    other = accounts.create_user(
        actor=None, username="khac", password=PASSWORD, kind="citizen", email="k@example.vn"
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
