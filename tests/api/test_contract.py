"""The error half of the API's contract (egov.api_contract) and the translated field errors."""

import pytest

from egov.api import api
from egov.core.problems import MEDIA_TYPE
from egov.dossiers.models import Dossier
from egov.personnel.models import Status as PersonStatus

UPLOADS = [
    ("/api/v1/dossiers/{dossier_id}/attachments", "post"),
    ("/api/v1/signatures/verify", "post"),
]


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_error_answer_is_a_problem_document(schema):
    for path, method, operation in _operations(schema):
        for code, answer in operation["responses"].items():
            if int(code) >= 400:
                assert list(answer["content"]) == [MEDIA_TYPE], (method, path, code)


def test_every_operation_may_be_briefly_unavailable_and_says_when_to_retry(schema):
    for path, method, operation in _operations(schema):
        unavailable = operation["responses"]["503"]
        assert "Retry-After" in unavailable["headers"], (method, path)


def test_what_an_operation_takes_decides_the_errors_it_documents(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        if "{" in path:
            assert "404" in codes, (method, path)
        if operation.get("requestBody"):
            assert {"400", "413", "422"} <= codes, (method, path)
        if operation.get("security") and {} not in operation["security"]:
            assert "401" in codes, (method, path)
    for path, method in UPLOADS:
        assert "415" in schema["paths"][path][method]["responses"]


def _parameter(schema, path, name):
    operation = schema["paths"][path]["get"]
    found = next(p for p in operation["parameters"] if p["name"] == name)
    variants = found["schema"].get("anyOf", [found["schema"]])
    return next(v for v in variants if v.get("type") != "null")


def test_each_apps_status_values_are_its_own(schema):
    # Both enums are called Status; one component would show one app's values for the other.
    dossier_status = _parameter(schema, "/api/v1/staff/dossiers", "status")
    assert dossier_status["enum"] == list(Dossier.Status.values)
    person = schema["components"]["schemas"]["PersonSummary"]["properties"]["status"]
    assert person["enum"] == list(PersonStatus.values)


def test_constraints_the_handlers_enforce_are_in_the_schema(schema):
    assert _parameter(schema, "/api/v1/documents", "direction")["enum"] == ["in", "out", ""]
    assert _parameter(schema, "/api/v1/reports/yearly", "year")["minimum"] == 2015
    assert _parameter(schema, "/api/v1/documents", "q")["pattern"] == "^[^\\x00]*$"
    # A gateway's notice takes whatever it is sent and answers in its own protocol.
    assert "pattern" not in _parameter(schema, "/api/v1/payments/vnpay/ipn", "vnp_TxnRef")


@pytest.mark.django_db
def test_a_date_is_only_written_yyyy_mm_dd(client):
    # pydantic alone reads "0" as 1 January 1970.
    response = client.get("/api/v1/units", {"as_of": "0"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "as_of",
            "message": "Hãy ghi ngày theo dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2026-12-07.",
        }
    ]
    assert client.get("/api/v1/units", {"as_of": "2026-01-01"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "query", "message"),
    [
        ("vi", {"year": 2014}, "Nhập giá trị tối thiểu là 2015."),
        ("en", {"year": 2014}, "Give a value of at least 2015."),
        ("vi", {"quarter": "a"}, "Nhập một số nguyên."),
        ("vi", {"month": 13}, "Nhập giá trị tối đa là 12."),
    ],
)
def test_field_errors_are_worded_in_the_request_language(client, language, query, message):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get("/api/v1/reports/yearly", query)
    assert response.status_code == 422
    assert [error["message"] for error in response.json()["errors"]] == [message]


@pytest.mark.django_db
def test_a_choice_error_lists_the_values(staff_client):
    client, _officer = staff_client()
    response = client.get(
        "/api/v1/staff/dossiers", {"status": "not_started"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert message.startswith("Chọn một trong các giá trị: “draft”, “submitted”")
