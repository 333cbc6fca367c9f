"""The ranking follows the organisation tree of the period (a commune merged during the year
ranks for what its agencies did before the merger, the new commune for what came after), with
the change against the previous period; and the Excel export carries the same figures."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from egov.accounts.models import Role
from egov.indicators import index
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency, UnitSuccession
from egov.reports.figures import Scope
from tests.indicators.conftest import OCTOBER, tally

pytestmark = pytest.mark.django_db
MERGER = datetime.date(2025, 7, 1)
JUNE = (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
JULY = (datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))


@pytest.fixture
def merged(province, agencies):
    """Xã An Bình and Xã Mỹ Khánh became Phường An Bình on 1 July 2025 (two-tier reform)."""

    def unit(code, name, kind, **validity):
        return AdministrativeUnit.objects.create(
            code=code, name=name, level=3, kind=kind, parent=province, **validity
        )

    def committee(code, name, place, **validity):
        return organizations.save_agency(
            Agency(code=code, name=name, kind="ubnd", parent=agencies["city"], unit=place,
                   **validity),
            actor=None,
        )  # fmt: skip

    old = unit("31147", "Xã An Bình", "xa", valid_to=MERGER - datetime.timedelta(days=1))
    other = unit("31150", "Xã Mỹ Khánh", "xa", valid_to=MERGER - datetime.timedelta(days=1))
    new = unit("31149", "Phường An Bình", "phuong", valid_from=MERGER)
    for predecessor in (old, other):
        UnitSuccession.objects.create(predecessor=predecessor, successor=new, effective_date=MERGER)
    return {
        "old": old,
        "other": other,
        "new": new,
        "old_committee": committee("000.47.51.H13", "UBND xã An Bình", old,
                                   valid_to=MERGER - datetime.timedelta(days=1)),
        "new_committee": committee("000.49.51.H13", "UBND phường An Bình", new,
                                   valid_from=MERGER),
    }  # fmt: skip


def _on_time(start, end, scope):
    computed = index.compute(start, end, scope)
    return next(r for r in computed.results if r.indicator.code == "ON_TIME")


def test_a_merged_commune_in_the_tree_of_the_period(today, merged):
    tally(merged["old_committee"], month=JUNE[0], resolved_on_time=4, opened=4, closed=4)
    tally(merged["new_committee"], month=JULY[0], resolved_on_time=1, resolved_late=1,
          opened=2, closed=2)  # fmt: skip

    june = index.ranking(*JUNE)["communes"]
    assert [row.name for row in june] == ["Xã An Bình", "Xã Mỹ Khánh"]
    july = index.ranking(*JULY, before=JUNE)["communes"]
    assert [row.name for row in july] == ["Phường An Bình"]
    # The old commune answers for June (4 of 4 on time), the new ward for July (1 of 2).
    assert _on_time(*JUNE, Scope(commune=merged["old"])).rate == 100
    assert _on_time(*JULY, Scope(commune=merged["new"])).rate == 50
    # The year's tree holds the three of them.
    year = index.ranking(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))["communes"]
    assert {row.name for row in year} == {"Xã An Bình", "Xã Mỹ Khánh", "Phường An Bình"}


def test_the_change_against_the_previous_period(today, agencies):
    september = datetime.date(2026, 9, 1)
    tally(agencies["justice"], month=september, resolved_on_time=1, resolved_late=1,
          opened=2, closed=2)  # fmt: skip
    tally(agencies["justice"], resolved_on_time=4, opened=4, closed=4)
    before = (september, datetime.date(2026, 9, 30))
    (row, _health) = index.ranking(OCTOBER, datetime.date(2026, 10, 31), before=before)["agencies"]
    # 2.1 went from 10 to 20 points; nothing else changed between the two months.
    assert row.name == "Sở Tư pháp" and row.change == 10
    assert index.previous(2026, None, 1) == {"year": 2025, "quarter": None, "month": 12}
    assert index.previous(2026, 1, None) == {"year": 2025, "quarter": 4, "month": None}


def test_the_excel_export(today, client, agencies, make_staff):
    tally(agencies["justice"], resolved_early=3, resolved_late=1, opened=4, closed=4)
    client.force_login(make_staff("ctthanhpho", agencies["city"], Role.LEADER, True))
    answer = client.get(
        "/staff/indicators/excel/",
        {"year": 2026, "month": 10, "agency": agencies["justice"].code},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith('chi-so-766-20261001-20261031.xlsx"')
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Bộ chỉ số phục vụ"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    on_time = rows["2.1"]
    assert on_time[1] == "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"
    assert on_time[2] == 0.75  # 3 of 4, the exact share in the cell
    assert on_time[3] == 15.0 and on_time[4] == 20.0
    assert "Giải quyết quá hạn: 1" in on_time[5]
    assert on_time[6] == "Nền tảng tự đo"
    sync = rows["1.4"]
    assert sync[3] is None and sync[6] == "Chưa đo được"
    assert "766/QĐ-TTg" in sync[7]
    ranking = book["Xếp hạng cơ quan"]
    names = [row[1] for row in ranking.iter_rows(values_only=True)]
    assert "Sở Tư pháp" in names and "Sở Y tế" in names
    assert Decimal(str(on_time[3])) == Decimal(15)
