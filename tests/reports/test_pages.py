"""The public disclosure page, the leaders' dashboard and their Excel exports."""

import io

import pytest
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from egov.accounts.models import Role
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(record_version, citizen, people, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    closing.returned(record_version, citizen, people)
    closing.received(record_version, citizen, people)


def test_the_public_page_needs_no_sign_in_and_shows_figures_charts_and_tables(client, data):
    response = client.get("/thong-ke/", {"year": 2026}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert 'scope="colgroup"' in page and 'scope="row"' in page
    assert "Sở Tư pháp" in page  # the per-agency row of the deciding agency
    report = response.context["report"]
    assert report.received["total"] == 2 and report.resolved["total"] == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": 1999}, "Chọn năm"),
        ({"year": "hai nghìn"}, "dạng số"),
        ({"quarter": "5"}, "Quý là 1, 2, 3 hoặc 4"),
        ({"agency": "000.00.99.H13"}, "000.00.99.H13"),
    ],
)
def test_bad_filters_get_a_translated_message_not_an_error_page(client, data, query, message):
    response = client.get("/thong-ke/", query, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<form" in response.content.decode()  # the filters stay, to correct them


def test_the_excel_export_has_merged_headers_and_exact_shares_shown_with_two_decimals(client, data):
    response = client.get("/thong-ke/excel/", {"year": 2026})
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    # Six tables of dossiers (the city's desk received for Justice: the table by receiving
    # desk), four of citizen reports (egov.reports.feedback_tables).
    assert len(book.sheetnames) == 10
    with override("vi"):
        sheet = book[gettext("Dossiers received and resolved")[:31]]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert merged  # group headers span their columns
    values = [row for row in sheet.iter_rows(values_only=True)]
    with override("vi"):
        label = gettext("Total")
    total = next(row for row in values if row[0] == label)
    assert total[1] == 2 and total[6] == 1
    percents = [cell for row in sheet.iter_rows() for cell in row if cell.number_format == "0.00%"]
    assert percents and all(cell.value is None or 0 <= cell.value <= 1 for cell in percents)


def test_a_leader_sees_their_agency_only(client, make_staff, agencies, data):
    leader = make_staff("lanhdao", agencies["health"], Role.LEADER)
    client.force_login(leader)
    response = client.get("/staff/reports/", {"year": 2026})
    assert response.status_code == 200
    assert response.context["scope"].agency == agencies["health"]
    assert response.context["report"].received["total"] == 0
    other = client.get("/staff/reports/", {"agency": agencies["justice"].code})
    assert other.status_code == 400


def test_a_leader_of_the_deciding_agency_sees_scores_per_staff_member(
    client, agencies, people, data
):
    client.force_login(people["leader"])
    response = client.get("/staff/reports/", {"year": 2026})
    assert response.status_code == 200
    assert response.context["report"].received["total"] == 2
    slugs = [table.slug for table in response.context["tables"]]
    assert "staff-satisfaction" in slugs
    excel = client.get("/staff/reports/excel/", {"year": 2026})
    # Six tables of dossiers and staff, four of citizen reports (egov.reports.feedback_tables).
    assert (
        excel.status_code == 200 and len(load_workbook(io.BytesIO(excel.content)).sheetnames) == 10
    )


def test_a_citizen_cannot_open_the_dashboard(client, citizen):
    client.force_login(citizen)
    assert client.get("/staff/reports/").status_code == 403
