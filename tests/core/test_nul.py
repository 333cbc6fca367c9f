"""A NUL character (U+0000) in the address is refused with a 400 that says what to fix.

PostgreSQL text cannot hold one: before the refusal a report filter carrying it failed with a
server error on PostgreSQL (found by the API's property-based test).
"""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_an_api_query_is_a_400_problem_not_a_server_error(client):
    response = client.get("/api/v1/reports/yearly", {"agency": "H13\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and "%00" in body["detail"]
    assert body["title"] == "Địa chỉ không hợp lệ"


def test_a_nul_in_a_page_query_is_a_translated_400_page(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh\x00"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Địa chỉ không hợp lệ" in text and "%00" in text
    client.cookies["django_language"] = "en"
    english = client.get("/thu-tuc/?q=%00").content.decode()
    assert "The address is not valid" in english


def test_a_nul_in_the_path_is_refused(client):
    response = client.get("/api/v1/tracking/H13%00X")
    assert response.status_code == 400 and response.json()["status"] == 400


def test_ordinary_queries_pass(client):
    unknown = client.get("/api/v1/reports/yearly", {"agency": "H13"})
    assert unknown.status_code == 422  # answered by the report: no agency has that code
    assert client.get("/thu-tuc/", {"q": "khai sinh 100%"}).status_code == 200
