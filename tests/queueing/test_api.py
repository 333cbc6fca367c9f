"""The queue API: take a number and read the display (public); call and close (desk officers
with a personal access token)."""

import pytest

from egov.accounts import tokens
from egov.queueing import services
from egov.queueing.models import Ticket


def bearer(user):
    _record, token = tokens.create(user, name="quầy")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client, path, data=None, **headers):
    return client.post(path, data or {}, content_type="application/json", **headers)


def test_take_a_number_over_the_api(client, desk, fields):
    answer = post(client, f"/api/v1/queue/desks/{desk.pk}/tickets", {"field": "dat_dai"})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["label"], body["number"], body["field"], body["status"]) == (
        "B001",
        1,
        "dat_dai",
        "waiting",
    )
    assert body["waiting_ahead"] == 0
    assert body["url"] == f"/so-thu-tu/{desk.pk}/phieu/{body['id']}/"
    second = post(client, f"/api/v1/queue/desks/{desk.pk}/tickets", {"field": "dat_dai"}).json()
    assert (second["label"], second["waiting_ahead"]) == ("B002", 1)


@pytest.mark.parametrize(
    ("body", "status"),
    [({"field": "y_te"}, 422), ({"field": "khong_co"}, 422), ({}, 422), ({"field": "a b"}, 422)],
)
def test_a_number_for_a_field_not_offered_is_refused(client, desk, fields, body, status):
    answer = post(client, f"/api/v1/queue/desks/{desk.pk}/tickets", body)
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    assert not Ticket.objects.exists()


def test_unknown_desk(client, desk):
    assert post(client, f"/api/v1/queue/desks/{desk.pk + 99}/tickets").status_code == 404
    assert client.get(f"/api/v1/queue/desks/{desk.pk + 99}/display").status_code == 404


def test_taking_numbers_is_rate_limited(client, other_desk, settings):
    settings.EGOV_QUEUE_ISSUE_RATE = "2/m"
    for _ in range(2):
        assert post(client, f"/api/v1/queue/desks/{other_desk.pk}/tickets").status_code == 201
    refused = post(client, f"/api/v1/queue/desks/{other_desk.pk}/tickets")
    assert refused.status_code == 429
    assert refused.json()["status"] == 429
    assert Ticket.objects.count() == 2


def test_the_display_state(client, desk, fields, officer):
    services.issue(desk, field=fields["ho_tich"])
    services.issue(desk, field=fields["ho_tich"])
    services.issue(desk, field=fields["dat_dai"])
    services.call_next(desk, officer=officer)
    body = client.get(f"/api/v1/queue/desks/{desk.pk}/display").json()
    assert body["desk_name"] == "Bộ phận Một cửa Sở Tư pháp"
    assert [(c["ticket"], c["counter"], c["field"], c["call_count"]) for c in body["calling"]] == [
        ("A001", "3", "Hộ tịch", 1)
    ]
    assert body["waiting"] == 2
    assert body["waiting_by_field"] == [
        {"field": "ho_tich", "name": "Hộ tịch", "letter": "A", "waiting": 1},
        {"field": "dat_dai", "name": "Đất đai", "letter": "B", "waiting": 1},
    ]


def test_an_officer_calls_and_closes_over_the_api(client, desk, fields, officer):
    auth = bearer(officer)
    call = f"/api/v1/queue/desks/{desk.pk}/call"
    assert post(client, call, **auth).status_code == 204  # nobody waits yet
    services.issue(desk, field=fields["ho_tich"])
    land = services.issue(desk, field=fields["dat_dai"])
    answer = post(client, call, {"counter": "7", "fields": ["dat_dai"]}, **auth)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["label"], body["status"], body["counter"]) == ("B002", "called", "7")
    assert services.counter_of(desk, officer).label == "3"  # the saved counter is unchanged

    busy = post(client, call, **auth)
    assert busy.status_code == 422 and "B002" in busy.json()["title"]
    ticket = f"/api/v1/queue/tickets/{land.public_id}"
    assert post(client, f"{ticket}/recall", **auth).json()["status"] == "called"
    assert post(client, f"{ticket}/serve", **auth).json()["status"] == "served"
    closed = post(client, f"{ticket}/no-show", **auth)
    assert closed.status_code == 422
    assert post(client, call, **auth).json()["label"] == "A001"  # with the saved counter: 3


def test_the_staff_api_refuses_others(client, desk, fields, officer, neighbour, citizen):
    services.issue(desk, field=fields["ho_tich"])
    call = f"/api/v1/queue/desks/{desk.pk}/call"
    assert post(client, call).status_code == 401
    assert post(client, call, HTTP_AUTHORIZATION="Bearer egov_wrong").status_code == 401
    assert post(client, call, **bearer(citizen)).status_code == 403
    assert post(client, call, {"counter": "1"}, **bearer(neighbour)).status_code == 404
    client.force_login(officer)  # a session is not enough: the API wants a token
    assert post(client, call).status_code == 401
    client.logout()

    ticket = services.call_next(desk, officer=officer)
    for action in ("recall", "serve", "no-show"):
        path = f"/api/v1/queue/tickets/{ticket.public_id}/{action}"
        assert post(client, path, **bearer(neighbour)).status_code == 404
        assert post(client, path, **bearer(citizen)).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED


def test_calling_fields_not_offered_is_refused(client, desk, fields, officer):
    answer = post(
        client, f"/api/v1/queue/desks/{desk.pk}/call", {"fields": ["y_te"]}, **bearer(officer)
    )
    assert answer.status_code == 422
    answer = post(
        client, f"/api/v1/queue/desks/{desk.pk}/call", {"fields": ["nope"]}, **bearer(officer)
    )
    assert answer.status_code == 422
    answer = post(client, f"/api/v1/queue/desks/{desk.pk}/call", {"counter": ""}, **bearer(officer))
    assert answer.status_code == 422


def test_a_display_poll_costs_a_few_queries(
    client, desk, fields, make_staff, agencies, django_assert_num_queries
):
    """Every display polls every few seconds: the cost must not grow with the calls shown."""
    for index in range(6):
        officer = make_staff(f"motcua{index}", agencies["justice"], "desk_officer")
        services.issue(desk, field=fields["ho_tich"])
        services.call_next(desk, officer=officer, counter=str(index + 1))
    with django_assert_num_queries(4):
        body = client.get(f"/api/v1/queue/desks/{desk.pk}/display").json()
    assert len(body["calling"]) == 6
