"""The yearly self-assessment on hand-counted tallies: the measured criteria from the year's
figures, an entered one shown as entered with its source, the others "not measured yet"; only
the city's viewers read it and only a system administrator enters a figure."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.indicators import assessment, services
from tests.indicators.conftest import tally

pytestmark = pytest.mark.django_db


def test_the_measured_criteria_of_a_year(today, agencies):
    # 10 received (6 online), 8 resolved (5 early, 1 on time, 2 late), 4 with fees (3 online),
    # 9 digitised; two months of the year.
    tally(
        agencies["justice"],
        received_online=4,
        received_desk=2,
        resolved_early=5,
        resolved_late=2,
        fees_due=4,
        paid_online=3,
        digitised=7,
    )
    tally(
        agencies["health"],
        month=datetime.date(2026, 3, 1),
        received_online=2,
        received_post=2,
        resolved_on_time=1,
        digitised=2,
    )
    # The year before does not count.
    tally(agencies["health"], month=datetime.date(2025, 3, 1), received_online=100)
    rows = {row.criterion.code: row for row in assessment.assess(2026)}
    online = rows["SA_ONLINE_DOSSIERS"]
    assert (online.part, online.whole, online.rate) == (6, 10, Decimal(60))
    on_time = rows["SA_ON_TIME"]
    assert (on_time.part, on_time.whole) == (6, 8) and on_time.rate == Decimal(75)
    assert rows["SA_ONLINE_PAYMENT"].rate == Decimal(75)
    assert (rows["SA_DIGITISED"].part, rows["SA_DIGITISED"].whole) == (9, 10)
    assert rows["SA_FULL_ONLINE_PROCEDURES"].status == "measured"
    assert rows["SA_LGSP"].status == "not_measured" and rows["SA_LGSP"].rate is None


def test_an_entered_criterion_is_marked_and_audited(today, make_staff, agencies, client):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    services.enter_assessment_figure(
        actor=admin, criterion="SA_LGSP", year=2026, rate=Decimal("40"), source="Sổ LGSP 2026"
    )
    services.enter_assessment_figure(
        actor=admin, criterion="SA_LGSP", year=2026, rate=Decimal("45.5"), source="Sổ LGSP bản 2"
    )
    row = {row.criterion.code: row for row in assessment.assess(2026)}["SA_LGSP"]
    assert (row.status, row.rate, row.entry.source) == (
        "entered",
        Decimal("45.50"),
        "Sổ LGSP bản 2",
    )
    assert AuditEvent.objects.filter(action="indicators.assessment_figure_entered").count() == 2
    # 2025 has no figure.
    assert {r.criterion.code: r for r in assessment.assess(2025)}[
        "SA_LGSP"
    ].status == "not_measured"
    client.force_login(admin)
    html = client.get("/staff/indicators/assessment/", {"year": 2026}, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Sổ LGSP bản 2" in html.content.decode()
    book = client.get("/staff/indicators/assessment/excel/", {"year": 2026})
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Nhập tay: Sổ LGSP bản 2" in values and "Trên tổng số" in values


def test_a_measured_criterion_cannot_be_entered(today, make_staff, agencies):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    with pytest.raises(Exception, match="Nền tảng tự đo tiêu chí này"):
        services.enter_assessment_figure(
            actor=admin, criterion="SA_ON_TIME", year=2026, rate=Decimal(1), source="x"
        )


def test_who_reads_and_who_enters(today, client, make_staff, agencies):
    department = make_staff("gdtuphap", agencies["justice"], Role.LEADER, include_subtree=True)
    city = make_staff("ctthanhpho", agencies["city"], Role.LEADER, include_subtree=True)
    client.force_login(department)
    assert client.get("/staff/indicators/assessment/").status_code == 403
    assert client.get("/staff/indicators/assessment/excel/").status_code == 403
    client.force_login(city)
    assert client.get("/staff/indicators/assessment/").status_code == 200
    enter = "/staff/indicators/assessment/enter/SA_LGSP/?year=2026"
    assert client.post(enter, {"rate": "10", "source": "x"}).status_code == 403
    assert client.get("/staff/indicators/assessment/enter/SA_ON_TIME/").status_code == 404
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    client.force_login(admin)
    answer = client.post(enter, {"rate": "10", "source": "Danh sách TSLCD"})
    assert answer.status_code == 302
    missing = client.post(enter, {"rate": "10", "source": ""}, HTTP_ACCEPT_LANGUAGE="vi")
    assert missing.status_code == 200 and missing.context["form"].errors
