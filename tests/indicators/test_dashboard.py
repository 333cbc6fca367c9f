"""The operations dashboard on a small hand-counted day: four dossiers received (one returned,
three open: one overdue, one due within a working day, one on time), queue numbers, payments,
failing notifications, citizen reports and documents awaiting direction; scoped to the
leader's department; a page without JavaScript and the fragment its script fetches."""

import datetime

import pytest
from django.utils import timezone

from egov.accounts import tokens
from egov.accounts.models import Role
from egov.documents.models import OfficialDocument
from egov.dossiers.models import Dossier
from egov.feedback.models import Report
from egov.indicators import dashboard
from egov.notifications.models import Notification
from egov.organizations.models import OneStopDesk
from egov.payments.models import Payment, PaymentOrder
from egov.queueing.models import Ticket
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY
from tests.feedback.conftest import boundaries, categories, communes  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(make_staff, agencies):
    return {
        "justice": make_staff("gdtuphap", agencies["justice"], Role.LEADER, include_subtree=True),
        "health": make_staff("gdyte", agencies["health"], Role.LEADER),
        "city": make_staff("ctthanhpho", agencies["city"], Role.LEADER, include_subtree=True),
    }


@pytest.fixture
def day(record_version, citizen, people, time_machine, communes, categories):  # noqa: F811
    """Monday at 10:00: the counts each test below expects."""
    time_machine.move_to(MONDAY, tick=False)
    closing.returned(record_version, citizen, people)
    late, soon, fine = (closing.received(record_version, citizen, people) for _ in range(3))
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - datetime.timedelta(hours=1))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + datetime.timedelta(hours=2))
    Dossier.objects.filter(pk=fine.pk).update(due_at=now + datetime.timedelta(days=10))
    # Two of the open ones are at Ninh Kiều's committee now (a commune's agency).
    committee = communes["ninh_kieu_committee"]
    for moved in (late, soon):
        seen = [*Dossier.objects.get(pk=moved.pk).visible_agencies, committee.pk]
        Dossier.objects.filter(pk=moved.pk).update(current_agency=committee, visible_agencies=seen)
    return {"late": late, "soon": soon, "fine": fine, "now": now}


def test_the_day_counted_by_hand(day, agencies, communes):  # noqa: F811
    board = dashboard.board(None)
    assert (board.total.received, board.total.returned) == (4, 1)
    assert (board.total.open, board.total.overdue, board.total.due_soon) == (3, 1, 1)
    assert board.total.on_time == 1
    lines = {line.name: line for line in board.agencies}
    justice = lines["Sở Tư pháp"]
    assert (justice.received, justice.returned, justice.open, justice.on_time) == (4, 1, 1, 1)
    committee = lines["Ủy ban nhân dân Phường Ninh Kiều"]
    assert (committee.open, committee.overdue, committee.due_soon) == (2, 1, 1)
    (ninh_kieu,) = board.communes
    assert ninh_kieu.name == "Phường Ninh Kiều" and ninh_kieu.overdue_share == 50


def test_queues_payments_notifications_reports_and_documents(day, agencies, categories):  # noqa: F811
    now, desk = day["now"], OneStopDesk.objects.create(agency=agencies["city"], name="Một cửa TP")
    today = timezone.localdate(now)
    for number, (status, waited) in enumerate(
        [("waiting", None), ("waiting", None), ("served", 10), ("called", 20)], start=1
    ):
        issued = now - datetime.timedelta(minutes=30)
        called = issued + datetime.timedelta(minutes=waited) if waited else None
        Ticket.objects.create(
            desk=desk,
            day=today,
            number=number,
            label=f"A{number}",
            status=status,
            issued_at=issued,
            called_at=called,
        )
    # Yesterday's waiting ticket does not count.
    Ticket.objects.create(
        desk=desk,
        day=today - datetime.timedelta(days=1),
        number=1,
        label="A1",
        status="waiting",
        issued_at=now - datetime.timedelta(days=1),
    )
    for dossier, amount, method, agency in [
        (day["late"], 50_000, Payment.Method.ONLINE, agencies["justice"]),
        (day["soon"], 20_000, Payment.Method.CASH, agencies["justice"]),
        (day["fine"], 70_000, Payment.Method.ONLINE, agencies["health"]),
    ]:
        # The procedure's fee was assessed at reception: that order is paid now.
        order, _ = PaymentOrder.objects.update_or_create(
            dossier=dossier,
            defaults={"agency": agency, "amount": amount, "status": PaymentOrder.Status.PAID},
        )
        Payment.objects.create(
            order=order, method=method, status=Payment.Status.PAID, amount=amount, paid_at=now
        )
    for agency, status, age in [
        (agencies["justice"], "failed", 1),
        (agencies["justice"], "failed", 30),  # more than a day ago
        (agencies["health"], "failed", 2),
        (agencies["justice"], "sent", 1),
    ]:
        Notification.objects.create(
            event="dossier.received",
            channel="email",
            language="vi",
            address="a@example.vn",
            agency=agency,
            province_code="92",
            status=status,
            created_at=now - datetime.timedelta(hours=age),
            deadline=now,
        )
    for number, (status, due) in enumerate([("new", -1), ("in_progress", 5), ("answered", 5)]):
        Report.objects.create(
            code=f"PA{number}",
            category=categories["light"],
            description="Đèn hỏng",
            agency=agencies["justice"],
            status=status,
            received_at=now,
            due_at=now + datetime.timedelta(days=due),
        )
    for state in ("registered", "registered", "in_progress"):
        OfficialDocument.objects.create(
            agency=agencies["justice"], direction="in", state=state, subject="Công văn đến"
        )
    board = dashboard.board(None)
    (queue,) = board.queues
    assert (queue.waiting, queue.served, queue.average_wait_minutes) == (2, 1, 15)
    assert board.payments == {"count": 3, "amount": 140_000, "online": 2}
    assert board.notifications_failing == 2
    assert board.reports == {"open": 2, "overdue": 1}
    assert board.documents_awaiting == 2
    justice = dashboard.board([agencies["justice"].pk])
    assert justice.queues == [] and justice.payments["count"] == 2
    assert justice.notifications_failing == 1 and justice.documents_awaiting == 2


def test_a_department_leader_sees_their_department_only(day, client, agencies, leaders):
    client.force_login(leaders["justice"])
    page = client.get("/staff/indicators/dashboard/")
    assert page.status_code == 200
    names = [line.name for line in page.context["board"].agencies]
    assert names == ["Sở Tư pháp"]  # not the commune's committee outside their department
    assert page.context["board"].total.returned == 1
    client.force_login(leaders["health"])
    board = client.get("/staff/indicators/dashboard/live/").context["board"]
    assert board.agencies == [] and board.total.received == 0


def test_city_leaders_see_everything(day, client, leaders, communes):  # noqa: F811
    client.force_login(leaders["city"])
    board = client.get("/staff/indicators/dashboard/").context["board"]
    assert len(board.agencies) == 2 and board.total.open == 3


def test_staff_without_a_leader_role_are_refused(day, client, make_staff, agencies, people):
    for user in (
        people["specialist"],
        make_staff("kiemtoan", agencies["city"], Role.AUDITOR, include_subtree=True),
    ):
        client.force_login(user)
        assert client.get("/staff/indicators/dashboard/").status_code == 403
        assert client.get("/staff/indicators/dashboard/live/").status_code == 403
    client.logout()
    assert client.get("/staff/indicators/dashboard/live/").status_code == 302


def test_the_page_works_without_javascript(day, client, leaders, boundaries):  # noqa: F811
    client.force_login(leaders["city"])
    html = client.get("/staff/indicators/dashboard/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<noscript><meta http-equiv="refresh"' in html
    assert 'id="returned-today">1<' in html
    assert "Hồ sơ tiếp nhận hôm nay" in html
    # The map: Ninh Kiều with half its open dossiers overdue, in the darkest shade.
    assert '<path class="share-3"' in html
    assert "Phường Ninh Kiều: 50,0%" in html
    assert 'href="/staff/indicators/dashboard/"' in html  # a plain reload link


def test_the_fragment_has_the_figures_and_no_page_around_them(day, client, leaders):
    client.force_login(leaders["city"])
    answer = client.get("/staff/indicators/dashboard/live/")
    html = answer.content.decode()
    assert answer.status_code == 200 and "no-cache" in answer["Cache-Control"]
    assert 'id="returned-today">1<' in html and "<html" not in html and "<nav" not in html


def test_the_wall_screen_has_no_navigation(day, client, leaders, settings):
    settings.EGOV_DASHBOARD_REFRESH_SECONDS = 7
    client.force_login(leaders["city"])
    html = client.get("/staff/indicators/dashboard/", {"wall": "1"}).content.decode()
    assert '<body class="wall">' in html and "site-nav" not in html
    assert 'data-interval="7"' in html


def test_the_dashboard_reads_a_few_grouped_queries(day, leaders, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        dashboard.board(None)


def test_the_json_answer_is_scoped_like_the_page(day, client, leaders, people):
    token = tokens.create(leaders["justice"], name="wall")[1]
    body = client.get("/api/v1/indicators/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [line["name"] for line in body["agencies"]] == ["Sở Tư pháp"]
    assert body["total"]["returned"] == 1 and body["total"]["open"] == 1
    client.force_login(leaders["city"])
    body = client.get("/api/v1/indicators/dashboard").json()
    assert body["communes"][0]["overdue_share"] == "50.0"
    client.force_login(people["specialist"])
    refused = client.get("/api/v1/indicators/dashboard", HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 403
    assert refused["Content-Type"].startswith("application/problem+json")


def test_the_wall_screen_lists_the_worst_first(day, client, leaders, monkeypatch):
    from egov.indicators import dashboard_views

    monkeypatch.setattr(dashboard_views, "WALL_ROWS", 1)
    client.force_login(leaders["city"])
    board = client.get("/staff/indicators/dashboard/live/", {"wall": "1"}).context["board"]
    # Ninh Kiều's committee holds the overdue dossier: it is the one line shown.
    assert [line.name for line in board.agencies] == ["Ủy ban nhân dân Phường Ninh Kiều"]
    assert board.total.open == 3  # the totals still count every agency
