"""The personnel pages: scope (another agency's record answers 404), the audit of every
opening, forms that refuse bad input, the lists, the report, import and export, the person's
own record and their correction requests."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.personnel import services
from egov.personnel.models import CareerEvent, CivilServant, CorrectionRequest, StaffingQuota
from tests.personnel.conftest import event
from tests.personnel.test_spreadsheet import EVENTS, PEOPLE, workbook

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(recruit, agencies):
    return {
        "an": recruit(agency="justice", full_name="Trần Văn An"),
        "binh": recruit(agency="legal_aid", full_name="Lê Thị Bình", sex="female"),
        "cuc": recruit(agency="health", full_name="Phạm Thị Cúc", sex="female"),
    }


def test_an_officer_sees_the_people_of_their_agencies_only(client, officers, people):
    client.force_login(officers["justice"])
    html = client.get("/staff/personnel/").content.decode()
    assert "Trần Văn An" in html and "Lê Thị Bình" in html and "Phạm Thị Cúc" not in html
    html = client.get("/staff/personnel/?q=tran+van").content.decode()
    assert "Trần Văn An" in html and "Lê Thị Bình" not in html
    assert client.get(f"/staff/personnel/{people['cuc'].public_id}/").status_code == 404
    assert client.get(f"/staff/personnel/{people['cuc'].public_id}/edit/").status_code == 404
    assert client.get(f"/staff/personnel/{people['cuc'].public_id}/events/new/").status_code == 404
    client.force_login(officers["home"])
    assert "Phạm Thị Cúc" in client.get("/staff/personnel/").content.decode()


def test_a_name_is_looked_for_once_and_counted_up_to_the_cap(
    client, officers, people, recruit, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recruit(agency="justice", full_name="Lê Thị Bích")
    client.force_login(officers["home"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/staff/personnel/?q=thi").content.decode()
    assert "3 người" in html
    assert html.index("Lê Thị Bích") < html.index("Lê Thị Bình") < html.index("Phạm Thị Cúc")
    assert len([q for q in queries.captured_queries if "LIKE" in q["sql"]]) == 1
    monkeypatch.setattr("egov.core.paging.SEARCH_CAP", 2)
    html = client.get("/staff/personnel/?q=thi").content.decode()
    assert "Hơn 2 người khớp" in html and "Lê Thị Bích" in html
    assert "2 người" in client.get("/staff/personnel/?q=le+thi").content.decode()
    justice = people["an"].state.agency
    html = client.get(f"/staff/personnel/?q=thi&agency={justice.pk}").content.decode()
    assert f'<option value="{justice.pk}" selected>{justice.name}</option>' in html
    assert '<select id="id_agency" name="agency"><option value="">Tất cả</option>' in html


def test_other_staff_and_citizens_have_no_access(client, make_staff, agencies, citizen, people):
    for user in [
        make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST),
        make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True),
        citizen,
    ]:
        client.force_login(user)
        index = client.get("/staff/personnel/")
        if user == citizen:
            assert index.status_code == 403
        else:  # their own record, which they do not have
            assert index["Location"] == "/staff/personnel/me/"
            assert client.get("/staff/personnel/me/").status_code == 404
        assert client.get(f"/staff/personnel/{people['an'].public_id}/").status_code == 403
        assert client.get("/staff/personnel/staffing/").status_code == 403


def test_opening_a_record_is_audited_and_the_history_shows_any_date(
    client, officers, people, agencies
):
    services.record_event(
        people["an"], event("transfer", D(2020, 1, 1), agency=agencies["legal_aid"]), actor=None
    )
    client.force_login(officers["justice"])
    html = client.get(f"/staff/personnel/{people['an'].public_id}/").content.decode()
    assert "Trung tâm Trợ giúp pháp lý" in html and "Điều động, chuyển công tác" in html
    opened = AuditEvent.objects.filter(action="personnel.record_viewed").get()
    assert opened.actor_id == officers["justice"].pk and opened.object_id == str(people["an"].pk)
    html = client.get(
        f"/staff/personnel/{people['an'].public_id}/?as_of=2019-12-31"
    ).content.decode()
    assert "Tại ngày 31/12/2019" in html
    assert html.index("Sở Tư pháp") < html.index("Sơ yếu lý lịch")
    assert "Điều động, chuyển công tác" not in html  # not yet on that date
    assert AuditEvent.objects.filter(action="personnel.state_viewed").count() == 1
    # the edit form shows the whole record too
    client.get(f"/staff/personnel/{people['an'].public_id}/edit/")
    assert AuditEvent.objects.filter(action="personnel.record_viewed").count() == 2
    # the audit trail shows the action in words
    auditor = officers["home"]
    from egov.accounts import services as accounts

    accounts.grant_role(
        actor=None, user=auditor, role=Role.AUDITOR, agency=agencies["city"], include_subtree=True
    )
    client.force_login(auditor)
    assert "Xem hồ sơ cán bộ, công chức" in client.get("/staff/audit/").content.decode()


def test_a_new_record_with_its_recruitment(client, officers, agencies, ranks):
    client.force_login(officers["justice"])
    form = {
        "person-full_name": "Hồ Văn Mới",
        "person-sex": "male",
        "person-date_of_birth": "1998-09-09",
        "person-ethnicity": "Kinh",
        "person-religion": "Không",
        "person-education_level": "university",
        "person-political_theory": "none",
        "person-state_management": "none",
        "event-effective_on": "2024-03-01",
        "event-agency": agencies["legal_aid"].pk,
        "event-employment_kind": "civil_servant",
        "event-rank": ranks["01.003"].pk,
        "event-step": "1",
        "event-decision_number": "12/QĐ-STP",
        "event-decision_signed_on": "2024-02-20",
        "event-decision_signer": "Võ Minh Lãnh",
    }
    bad = client.post("/staff/personnel/new/", {**form, "event-agency": agencies["health"].pk})
    assert bad.status_code == 400 and not CivilServant.objects.exists()
    answer = client.post("/staff/personnel/new/", form)
    person = CivilServant.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{person.public_id}/")
    assert person.state.agency == agencies["legal_aid"] and str(person.state.coefficient) == "2.34"
    too_young = client.post(
        "/staff/personnel/new/",
        {**form, "person-date_of_birth": "2010-01-01", "person-full_name": "Nhỏ"},
    )
    assert too_young.status_code == 400
    assert "Người được tuyển dụng phải đủ 18 tuổi trở lên." in too_young.content.decode()


def test_recording_and_voiding_events_through_the_forms(client, officers, people, agencies):
    client.force_login(officers["home"])
    url = f"/staff/personnel/{people['an'].public_id}/events/new/"
    assert "Xếp lương, nâng bậc lương" in client.get(url).content.decode()
    page = client.get(url + "?kind=salary").content.decode()
    assert 'name="step"' in page and 'name="agency"' not in page
    decision = {
        "decision_number": "77/QĐ-STP",
        "decision_signed_on": "2018-02-20",
        "decision_signer": "Võ Minh Lãnh",
    }
    bad = client.post(
        url,
        {
            "kind": "salary",
            "effective_on": "2018-03-01",
            "step": "2",
            "coefficient": "2.50",
            **decision,
        },
    )
    assert bad.status_code == 400
    assert "Bậc 2 của nhóm A1 có hệ số 2,67, không phải 2,50." in bad.content.decode()
    good = client.post(
        url, {"kind": "salary", "effective_on": "2018-03-01", "step": "2", **decision}
    )
    assert good.status_code == 302
    moved = client.post(
        url,
        {
            "kind": "transfer",
            "effective_on": "2021-01-01",
            "agency": agencies["health"].pk,
            **decision,
            "decision_number": "5/QĐ-UBND",
            "decision_signed_on": "2020-12-20",
        },
    )
    assert moved.status_code == 302
    people["an"].state.refresh_from_db()
    assert people["an"].state.agency == agencies["health"]
    transfer = CareerEvent.objects.get(kind="transfer")
    void_url = f"/staff/personnel/{people['an'].public_id}/events/{transfer.pk}/void/"
    assert client.post(void_url, {"reason": ""}).status_code == 400
    assert client.post(void_url, {"reason": "Quyết định bị thu hồi"}).status_code == 302
    people["an"].state.refresh_from_db()
    assert people["an"].state.agency == agencies["justice"]
    html = client.get(f"/staff/personnel/{people['an'].public_id}/").content.decode()
    assert "Quyết định bị thu hồi" in html and "<del>" in html


def test_due_lists_and_their_excel(client, officers, recruit, agencies):
    today = datetime.date.today()
    old = recruit(
        full_name="Nguyễn Văn Già",
        date_of_birth=D(today.year - 62, today.month, 1),
        on=D(2000, 1, 1),
    )
    recruit(
        full_name="Nguyễn Văn Trẻ",
        date_of_birth=D(1995, 1, 1),
        on=D(today.year - 3, today.month, 1),
    )
    client.force_login(officers["justice"])
    html = client.get("/staff/personnel/due/retirements/?months=6").content.decode()
    assert "Nguyễn Văn Già" in html and "Nguyễn Văn Trẻ" not in html
    html = client.get("/staff/personnel/due/raises/?months=2").content.decode()
    assert "Nguyễn Văn Trẻ" in html
    assert client.get("/staff/personnel/due/raises/?months=abc").status_code == 400
    assert client.get("/staff/personnel/due/other/").status_code == 404
    download = client.get("/staff/personnel/due/retirements/?months=6&format=xlsx")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [row[1] for row in sheet.iter_rows(values_only=True)][5:] == ["Nguyễn Văn Già"]
    # the list names people: its download is in the audit trail, the page itself is not
    downloaded = AuditEvent.objects.get(action="personnel.list_exported")
    assert downloaded.actor_id == officers["justice"].pk
    assert downloaded.after == {"list": "retirements", "people": 1}
    client.force_login(officers["health"])
    assert (
        "Nguyễn Văn Già"
        not in client.get("/staff/personnel/due/retirements/?months=6").content.decode()
    )
    assert old.code


def test_the_staffing_report_against_the_headcount(client, officers, people, agencies):
    client.force_login(officers["justice"])
    answer = client.post(
        "/staff/personnel/quotas/",
        {
            "agency": agencies["justice"].pk,
            "year": datetime.date.today().year,
            "civil_servants": 40,
            "public_employees": 0,
        },
    )
    assert answer.status_code == 400 and not StaffingQuota.objects.exists()
    assert "Biên chế do cán bộ tổ chức của cơ quan cấp trên giao." in answer.content.decode()
    assert (
        client.post(
            "/staff/personnel/quotas/",
            {
                "agency": agencies["legal_aid"].pk,
                "year": datetime.date.today().year,
                "civil_servants": 5,
                "public_employees": 3,
            },
        ).status_code
        == 302
    )
    client.force_login(officers["home"])
    assert (
        client.post(
            "/staff/personnel/quotas/",
            {
                "agency": agencies["justice"].pk,
                "year": datetime.date.today().year,
                "civil_servants": 40,
                "public_employees": 0,
                "decision": "9/QĐ-UBND",
            },
        ).status_code
        == 302
    )
    client.force_login(officers["justice"])
    html = client.get("/staff/personnel/staffing/").content.decode()
    assert "Sở Tư pháp" in html and "Sở Y tế" not in html
    assert ">40<" in html and ">-39<" in html  # one civil servant of forty
    book = load_workbook(io.BytesIO(client.get("/staff/personnel/staffing/?format=xlsx").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    justice = next(row for row in rows if row[0] == "Sở Tư pháp")
    assert justice[1:4] == (40, 1, -39)
    assert AuditEvent.objects.filter(action="personnel.report_exported").exists()


def test_the_staffing_report_counts_each_minority_and_names_the_rank_classes(
    client, officers, recruit, agencies
):
    recruit(full_name="Thạch Thị Sa Ry", ethnicity="Khmer", sex="female")
    recruit(full_name="Lâm Văn Phát", ethnicity="Hoa")
    recruit(full_name="Trần Văn Kinh")
    recruit(agency="health", full_name="Danh Sơn", ethnicity="Khmer")
    client.force_login(officers["justice"])
    html = client.get("/staff/personnel/staffing/").content.decode()
    assert "A1: chuyên viên và tương đương" in html
    book = load_workbook(io.BytesIO(client.get("/staff/personnel/staffing/?format=xlsx").content))
    sheet = book.worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(row for row in rows if row[0] == "Cơ quan")
    total = rows[-1]
    counts = dict(zip(head[1:], total[1:], strict=True))
    assert counts["Dân tộc thiểu số"] == 2
    assert (counts["Hoa"], counts["Khmer"]) == (1, 1)  # the health department's not counted


def test_the_salary_list_in_excel_is_scoped_and_audited(client, officers, people, agencies):
    client.force_login(officers["justice"])
    answer = client.get("/staff/personnel/salaries.xlsx")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    names = [row[2] for row in rows[5:]]
    assert sorted(names) == ["Lê Thị Bình", "Trần Văn An"]  # not the health department's
    first = rows[5]
    assert first[8:13] == ("01.003", "Chuyên viên", "A1", 1, 2.34)
    audited = AuditEvent.objects.get(action="personnel.list_exported")
    assert audited.after == {"list": "salaries", "people": 2}
    one = client.get(f"/staff/personnel/salaries.xlsx?agency={agencies['legal_aid'].pk}")
    rows = list(load_workbook(io.BytesIO(one.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[5:]] == ["Lê Thị Bình"]
    assert (
        client.get(f"/staff/personnel/salaries.xlsx?agency={agencies['health'].pk}").status_code
        == 404
    )
    client.force_login(officers["health"])
    rows = list(
        load_workbook(
            io.BytesIO(client.get("/staff/personnel/salaries.xlsx").content)
        ).active.iter_rows(values_only=True)
    )
    assert [row[2] for row in rows[5:]] == ["Phạm Thị Cúc"]


def test_import_and_export_pages(client, officers, agencies):
    client.force_login(officers["home"])
    bad = client.post("/staff/personnel/import/", {"file": io.BytesIO(b"%PDF-1.4 not a workbook")})
    assert bad.status_code == 400
    upload = io.BytesIO(workbook(PEOPLE, [*EVENTS[:3]]))
    upload.name = "can-bo.xlsx"
    answer = client.post("/staff/personnel/import/", {"file": upload})
    assert answer.status_code == 302 and CivilServant.objects.count() == 2
    wrong = io.BytesIO(workbook([["CT0009", "Sai", "Nam", "x", "Kinh", ""]], []))
    wrong.name = "sai.xlsx"
    answer = client.post("/staff/personnel/import/", {"file": wrong})
    assert answer.status_code == 400 and "Cán bộ: Ngày sinh" in answer.content.decode()
    export = client.get("/staff/personnel/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(export.content))["Cán bộ"].max_row == 3
    assert (
        client.get(f"/staff/personnel/export.xlsx?agency={agencies['health'].pk}").status_code
        == 200
    )
    client.force_login(officers["justice"])
    assert (
        client.get(f"/staff/personnel/export.xlsx?agency={agencies['health'].pk}").status_code
        == 404
    )


def test_the_person_reads_their_record_and_asks_for_a_correction(
    client, officers, people, make_staff, agencies
):
    own = make_staff("an.tv", agencies["justice"], full_name="Trần Văn An")
    client.force_login(own)
    assert client.get("/staff/personnel/me/").status_code == 404
    services.link_account(people["an"], own, actor=officers["justice"])
    assert client.get("/staff/personnel/").status_code == 302
    client.force_login(officers["justice"])
    client.get(f"/staff/personnel/{people['an'].public_id}/")
    client.force_login(own)
    html = client.get("/staff/personnel/me/").content.decode()
    assert "Trần Văn An" in html and "Tochuc.Stp" not in html and "tochuc.stp" in html
    assert client.get(f"/staff/personnel/{people['an'].public_id}/").status_code == 403
    assert client.post("/staff/personnel/me/", {"text": "sai"}).status_code == 400
    answer = client.post(
        "/staff/personnel/me/",
        {"text": "Ngày vào Đảng của tôi là 03/02/2010, không phải để trống."},
    )
    assert answer.status_code == 302
    request = CorrectionRequest.objects.get()
    client.force_login(officers["health"])
    assert client.get(f"/staff/personnel/corrections/{request.public_id}/").status_code == 404
    client.force_login(officers["justice"])
    assert "Ngày vào Đảng" in client.get("/staff/personnel/corrections/").content.decode()
    url = f"/staff/personnel/corrections/{request.public_id}/"
    assert client.post(url, {"outcome": "declined", "answer": ""}).status_code == 400
    assert client.post(url, {"outcome": "corrected", "answer": "Đã sửa."}).status_code == 302
    request.refresh_from_db()
    assert request.state == "corrected" and request.answered_by == officers["justice"]
    client.force_login(own)
    assert "Đã đính chính" in client.get("/staff/personnel/me/").content.decode()


def test_the_person_is_told_by_email_when_their_request_is_answered(
    officers, people, make_staff, agencies
):
    from egov.notifications.models import Notification

    own = make_staff("an.tv", agencies["justice"], full_name="Trần Văn An", email="an@example.vn")
    person = services.link_account(people["an"], own, actor=officers["justice"])
    request = services.request_correction(person, "Quê quán sai: là Cờ Đỏ.", user=own)
    services.answer_correction(
        request, outcome="corrected", answer="Đã sửa quê quán.", actor=officers["justice"]
    )
    [message] = Notification.objects.filter(event="personnel.correction_answered")
    assert message.recipient == own and message.channel == "email"
    assert "Đã đính chính" in message.body and "Đã sửa quê quán." in message.body


def test_the_nearest_personnel_officers_are_told_of_a_correction_request(
    officers, people, make_staff, agencies
):
    from egov.notifications.models import Notification

    for officer in officers.values():
        officer.email = f"{officer.username}@cantho.gov.vn"
        officer.save(update_fields=["email"])
    own = make_staff("binh.lt", agencies["legal_aid"], full_name="Lê Thị Bình")
    person = services.link_account(people["binh"], own, actor=officers["justice"])
    request = services.request_correction(person, "Năm sinh của mẹ tôi là 1950.", user=own)
    # the legal aid centre has no officer of its own: the justice department's answers for it,
    # not Home Affairs, which covers the whole city
    [message] = Notification.objects.filter(event="personnel.correction_requested")
    assert message.recipient == officers["justice"] and message.channel == "email"
    assert "Lê Thị Bình" in message.body and people["binh"].code in message.body
    assert "Năm sinh" not in message.body  # what the person wrote is read on the staff site
    assert request.state == "open"
    cuc = make_staff("cuc.pt", agencies["health"], full_name="Phạm Thị Cúc")
    services.request_correction(
        services.link_account(people["cuc"], cuc, actor=officers["health"]),
        "Số CCCD của tôi bị thiếu.",
        user=cuc,
    )
    recipients = {
        n.recipient for n in Notification.objects.filter(event="personnel.correction_requested")
    }
    assert recipients == {officers["justice"], officers["health"]}
