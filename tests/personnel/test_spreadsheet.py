"""The provincial spreadsheet: import all or nothing with a report per row, export the same."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from egov.core.models import AuditEvent
from egov.personnel import spreadsheet
from egov.personnel.access import Scope
from egov.personnel.models import CareerEvent, CivilServant, CurrentState, ImportBatch

D = datetime.date
pytestmark = pytest.mark.django_db

PEOPLE_HEAD = ["Số hiệu", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số CCCD"]
EVENTS_HEAD = [
    "Số hiệu",
    "Diễn biến",
    "Ngày hiệu lực",
    "Ngày kết thúc",
    "Số quyết định",
    "Ngày ký",
    "Người ký",
    "Mã cơ quan",
    "Loại cán bộ",
    "Mã ngạch",
    "Bậc",
    "Hình thức, lý do",
    "Nội dung",
]


def workbook(people, events, people_head=PEOPLE_HEAD) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("Cán bộ")
    sheet.append(people_head)
    for row in people:
        sheet.append(row)
    sheet = book.create_sheet("Diễn biến")
    sheet.append(EVENTS_HEAD)
    for row in events:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PEOPLE = [
    ["CT0001", "Nguyễn Văn Một", "Nam", D(1980, 5, 2), "Kinh", "092080001111"],
    ["CT0002", "Trần Thị Hai", "Nữ", "1975", "Khmer", ""],
]
EVENTS = [
    [
        "CT0001",
        "Tuyển dụng",
        D(2005, 1, 1),
        None,
        "1/QĐ-UBND",
        D(2004, 12, 20),
        "Lê Văn Ký",
        "000.00.03.H13",
        "Công chức",
        "01.003",
        1,
        "",
        "",
    ],
    [
        "CT0001",
        "Nâng bậc lương",
        "01/01/2008",
        None,
        "9/QĐ-STP",
        "20/12/2007",
        "Võ Thị Giám",
        "",
        "",
        "",
        2,
        "Nâng bậc lương thường xuyên",
        "",
    ],
    [
        "CT0002",
        "Tuyển dụng",
        D(2000, 3, 1),
        None,
        "2/QĐ-UBND",
        D(2000, 2, 1),
        "Lê Văn Ký",
        "000.00.10.H13",
        "Viên chức",
        "V.08.01.03",
        3,
        "",
        "",
    ],
    [
        "CT0002",
        "Khen thưởng",
        D(2010, 1, 1),
        None,
        "5/QĐ-UBND",
        D(2010, 1, 1),
        "Lê Văn Ký",
        "",
        "",
        "",
        None,
        "",
        "Bằng khen của Chủ tịch UBND thành phố",
    ],
]


def test_a_good_file_is_imported_whole(agencies, officers):
    result = spreadsheet.import_workbook(
        workbook(PEOPLE, EVENTS), actor=officers["home"], filename="cb.xlsx"
    )
    assert result.ok, result.report.errors
    assert (result.people_created, result.events_created) == (2, 4)
    one = CivilServant.objects.get(code="CT0001")
    two = CivilServant.objects.get(code="CT0002")
    assert two.birth_year_only and two.date_of_birth == D(1975, 1, 1) and two.ethnicity == "Khmer"
    assert one.name_search == "nguyen van mot"
    assert (one.state.agency, one.state.step, one.state.salary_group) == (
        agencies["justice"],
        2,
        "A1",
    )
    assert two.state.employment_kind == "public_employee"
    batch = ImportBatch.objects.get()
    assert batch.events.count() == 4 and batch.file.read().startswith(b"PK")
    audit = AuditEvent.objects.get(action="personnel.imported")
    assert audit.after["people_created"] == 2 and audit.after["sha256"] == batch.sha256
    # the same file again changes nothing
    again = spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["home"])
    assert again.ok and (again.people_created, again.people_updated, again.events_created) == (
        0,
        0,
        0,
    )


def test_any_wrong_row_imports_nothing_and_each_is_reported(agencies, officers):
    people = [
        *PEOPLE,
        ["CT0003", "Lê Văn Ba", "Không rõ", D(1990, 1, 1), "Kinh", ""],
        ["CT0004", "Phạm Văn Bốn", "Nam", "32/13/1990", "Kinh", "12345"],
        ["CT0001", "Trùng Số", "Nam", D(1981, 1, 1), "Kinh", ""],
        ["CT0005", "Không Tuyển", "Nam", D(1991, 1, 1), "Kinh", ""],
    ]
    events = [
        *EVENTS,
        [
            "CT0001",
            "Nâng bậc lương",
            D(2011, 1, 1),
            None,
            "7/QĐ-STP",
            D(2010, 12, 1),
            "Võ Thị Giám",
            "",
            "",
            "",
            12,
            "",
            "",
        ],
        [
            "CT0001",
            "Điều động",
            D(2012, 1, 1),
            None,
            "8/QĐ-UBND",
            D(2011, 12, 1),
            "Lê Văn Ký",
            "999.99.99.H13",
            "",
            "",
            None,
            "",
            "",
        ],
        [
            "CT0009",
            "Khen thưởng",
            D(2012, 1, 1),
            None,
            "8/QĐ-UBND",
            D(2011, 12, 1),
            "Lê Văn Ký",
            "",
            "",
            "",
            None,
            "",
            "Giấy khen",
        ],
        [
            "CT0002",
            "Bay lên",
            D(2012, 1, 1),
            None,
            "8/QĐ-UBND",
            D(2011, 12, 1),
            "Lê Văn Ký",
            "",
            "",
            "",
            None,
            "",
            "",
        ],
    ]
    result = spreadsheet.import_workbook(workbook(people, events), actor=officers["home"])
    assert not result.ok
    found = {(e.row, e.column) for e in result.report.errors}
    assert (4, "Cán bộ: Giới tính") in found
    assert (5, "Cán bộ: Ngày sinh") in found
    assert (6, "Cán bộ: Số hiệu") in found  # the same number twice
    assert (7, "Cán bộ: Số hiệu") in found  # a new record without its recruitment
    assert (6, "Diễn biến: Bậc") in found  # step 12 of group A1
    assert (7, "Diễn biến: Mã cơ quan") in found
    assert (8, "Diễn biến: Số hiệu") in found
    assert (9, "Diễn biến: Diễn biến") in found
    messages = " ".join(e.message for e in result.report.errors)
    assert "Nhóm A1 có các bậc từ 1 đến 9" in messages
    assert not CivilServant.objects.exists() and not CareerEvent.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_file_that_is_not_the_layout_is_refused_whole(officers):
    assert not spreadsheet.import_workbook(b"not excel", actor=officers["home"]).ok
    book = Workbook()
    out = io.BytesIO()
    book.save(out)
    result = spreadsheet.import_workbook(out.getvalue(), actor=officers["home"])
    assert "Cán bộ" in result.report.errors[0].message
    result = spreadsheet.import_workbook(
        workbook([], [], people_head=["Họ và tên"]), actor=officers["home"]
    )
    assert "Số hiệu" in result.report.errors[0].message


def test_an_officer_imports_only_into_their_agencies(agencies, officers):
    result = spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["justice"])
    assert not result.ok
    assert [(e.row, e.column) for e in result.report.errors] == [(4, "Diễn biến: Mã cơ quan")]
    assert not CivilServant.objects.exists()


def test_export_writes_the_layout_the_import_reads(agencies, officers):
    assert spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["home"]).ok
    scope = Scope(officers["justice"])
    data = spreadsheet.export_workbook(scope.people(), actor=officers["justice"], what="Sở Tư pháp")
    book = load_workbook(io.BytesIO(data))
    people = list(book["Cán bộ"].iter_rows(values_only=True))
    assert people[0][:4] == ("Số hiệu", "Họ và tên", "Tên gọi khác", "Giới tính")
    assert [row[0] for row in people[1:]] == ["CT0001"]  # only the justice department's
    assert people[1][3] == "Nam" and people[1][4].date() == D(1980, 5, 2)
    events = list(book["Diễn biến"].iter_rows(values_only=True))
    assert [row[1] for row in events[1:]] == ["Tuyển dụng", "Xếp lương, nâng bậc lương"]
    assert AuditEvent.objects.get(action="personnel.exported").after == {"people": 1}
    # and it imports again without a change
    again = spreadsheet.import_workbook(data, actor=officers["justice"])
    assert again.ok, again.report.errors
    assert (again.people_created, again.people_updated, again.events_created) == (0, 0, 0)
    assert CurrentState.objects.count() == 2


def test_the_personal_history_goes_out_and_comes_back(agencies, officers):
    assert spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["home"]).ok
    history = "Không bị bắt, không bị tù; không làm việc trong chế độ cũ."
    CivilServant.objects.filter(code="CT0001").update(personal_history=history)
    scope = Scope(officers["home"])
    data = spreadsheet.export_workbook(scope.people(), actor=officers["home"])
    people = list(load_workbook(io.BytesIO(data))["Cán bộ"].iter_rows(values_only=True))
    column = people[0].index("Đặc điểm lịch sử bản thân")
    assert people[1][column] == history
    CivilServant.objects.filter(code="CT0001").update(personal_history="")
    again = spreadsheet.import_workbook(data, actor=officers["home"])
    assert again.ok and again.people_updated == 1
    assert CivilServant.objects.get(code="CT0001").personal_history == history
