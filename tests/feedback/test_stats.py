"""Statistics of citizen reports: the figures, and their tables on the public statistics page
and in its Excel export."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook

from egov.feedback import services, stats
from tests.feedback.conftest import CAI_RANG_POINT, draft

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int = 3, hour: int = 9):
    return time_machine.travel(datetime.datetime(2026, month, day, hour, tzinfo=HCM), tick=False)


@pytest.fixture
def march(categories, handler, boundaries, make_staff):
    """March 2026: four reports; one answered on time, one late, one waiting, one merged."""
    with at(2):
        on_time = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
        late = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
        waiting = services.submit(
            draft(
                categories["light"],
                latitude=CAI_RANG_POINT[0],
                longitude=CAI_RANG_POINT[1],
            )
        )
        twin = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
    with at(3):
        services.answer(on_time, actor=handler, text="Đã thu gom xong toàn bộ rác.")
        services.merge(twin, actor=handler, into=on_time)
    with at(20):  # three working days were due on 5 March
        services.answer(late, actor=handler, text="Đã thu gom, xin lỗi vì chậm trễ.")
    return {"on_time": on_time, "late": late, "waiting": waiting, "twin": twin}


def test_figures_by_month_category_agency_commune(march, categories, communes):
    with at(31, hour=18):
        figures = stats.figures(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    total = figures.total
    assert (total.received, total.on_time, total.late, total.waiting) == (4, 1, 1, 1)
    assert total.on_time_rate == 50.0
    assert figures.by_month[datetime.date(2026, 3, 1)].received == 4
    rubbish = figures.by_category[categories["rubbish"].pk]
    assert (rubbish.received, rubbish.answered, rubbish.waiting) == (3, 2, 0)
    works = figures.by_agency[categories["works"].pk]
    assert (works.received, works.waiting) == (1, 1)
    east = figures.by_commune[communes["cai_rang"].pk]
    assert east.received == 1
    assert figures.names[("by_commune", communes["ninh_kieu"].pk)] == "Phường Ninh Kiều"


def test_a_commune_or_agency_alone(march, communes, categories):
    figures = stats.figures(
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), commune=communes["cai_rang"]
    )
    assert figures.total.received == 1
    figures = stats.figures(
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
        agency_ids=[communes["ninh_kieu_committee"].pk],
    )
    assert figures.total.received == 3


def test_an_answer_counts_in_its_own_month(categories, handler, boundaries):
    with at(30):
        report = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
    with at(2, month=4):
        services.answer(report, actor=handler, text="Đã thu gom xong toàn bộ rác.")
    march = stats.figures(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    april = stats.figures(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert (march.total.received, march.total.answered) == (1, 0)
    assert (april.total.received, april.total.answered) == (0, 1)


def test_public_statistics_page_and_excel(client, march):
    with at(31, hour=18):
        page = client.get("/thong-ke/", {"year": 2026, "month": 3})
        book = load_workbook(
            io.BytesIO(client.get("/thong-ke/excel/", {"year": 2026, "month": 3}).content)
        )
    html = page.content.decode()
    assert 'id="t-feedback-months"' in html and 'id="t-feedback-communes"' in html
    assert "Phường Ninh Kiều" in html
    sheet = next(
        book[name] for name in book.sheetnames if "xã" in name.lower() or "commune" in name.lower()
    )
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert any(row[0] == "Phường Ninh Kiều" and row[1] == 3 for row in values)
