"""Work queues, search and the processing pages of the staff site."""

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from egov.accounts.models import Role
from egov.core import calendar
from egov.core.models import CalendarDay
from egov.core.paging import page_rows
from egov.core.text import normalize_search_text
from egov.dossiers import counter, models, processing, reception, worklists
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import MONDAY, PDF, submitted_dossier

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_each_role_sees_its_queue(received, people):
    assert codes(worklists.queue(people["specialist"], "process")) == {received.code}
    assert codes(worklists.queue(people["head"], "assign")) == {received.code}
    assert not codes(worklists.queue(people["desk"], "process"))
    assert not codes(worklists.queue(people["health"], "process"))  # not consulted yet
    assert {t.code for t in worklists.tabs_for(people["specialist"])} == {"process", "overdue"}
    assert {t.code for t in worklists.tabs_for(people["desk"])} == {"receive", "return", "overdue"}
    processing.take(received, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=received.pk), actor=people["specialist"])
    assert codes(worklists.queue(people["health"], "process")) == {dossier.code}
    assert not codes(worklists.queue(people["specialist"], "process"))


def test_overdue_and_sorting(received, people, time_machine, citizen, settings):
    time_machine.move_to(received.due_at + datetime.timedelta(hours=1), tick=False)
    assert codes(worklists.queue(people["specialist"], "overdue")) == {received.code}
    assert codes(worklists.queue(people["desk"], "overdue")) == {received.code}  # received there


def test_search_by_code_name_citizen_id_and_phone(received, people, citizen):
    citizen.citizen_id, citizen.phone = "092190012345", "0912345678"
    citizen.save()
    desk = people["desk"]
    for query in [
        received.code,
        received.code[:-2],
        "cong dan",
        "CÔNG DÂN",
        "092190012345",
        "0912 345 678",
        "+84912345678",
    ]:
        assert codes(worklists.search(desk, query)) == {received.code}, query
    assert not codes(worklists.search(desk, "Trần Văn Khác"))
    # Somebody with no role where the dossier is finds nothing.
    assert not codes(worklists.search(people["city_specialist"], received.code)) or (
        people["city_specialist"].role_assignments.filter(agency=received.receiving_agency)
    )
    assert codes(worklists.search(desk, "", status="in_progress")) == {received.code}
    assert codes(worklists.search(desk, "", procedure=received.procedure.code)) == {received.code}
    assert not codes(worklists.search(desk, "", procedure="1.001193"))
    assert not codes(worklists.search(desk, "", status="returned"))
    later = MONDAY.date() + datetime.timedelta(days=1)
    assert not codes(worklists.search(desk, "", start=later))


def test_queue_and_search_pages(client, received, people, citizen):
    citizen.citizen_id = "092190012345"
    citizen.save()
    client.force_login(people["specialist"])
    page = client.get("/staff/dossiers/?tab=process").content.decode()
    assert received.code in page and "Sở Tư pháp" in page
    page = client.get("/staff/dossiers/", {"q": "cong dan"}).content.decode()
    assert received.code in page
    page = client.get("/staff/dossiers/", {"procedure": "1.001193"}).content.decode()
    assert received.code not in page
    detail = client.get(f"/staff/dossiers/{received.public_id}/").content.decode()
    assert "Phiếu kiểm soát" in detail or "control" in detail
    # A specialist sees the CCCD masked; the desk sees it whole.
    assert "092190012345" not in detail
    client.force_login(people["desk"])
    assert "092190012345" in client.get(f"/staff/dossiers/{received.public_id}/").content.decode()
    bad = client.get("/staff/dossiers/", {"q": "x", "start": "2026-12-10", "end": "2026-12-01"})
    assert bad.status_code == 200 and "không được trước ngày bắt đầu" in bad.content.decode()


def test_processing_through_the_pages(client, received, people):
    url = f"/staff/dossiers/{received.public_id}/"
    client.force_login(people["specialist"])
    client.post(url + "take/", {"revision": received.revision})
    dossier = Dossier.objects.get(pk=received.pk)
    assert dossier.assignee == people["specialist"]
    # A stale form: the clear message, nothing changed.
    answer = client.post(url + "advance/", {"revision": received.revision}, follow=True)
    assert "người khác" in answer.content.decode()
    client.post(url + "advance/", {"revision": dossier.revision, "note": "Xong"})
    assert Dossier.objects.get(pk=received.pk).current_step.code == "y-kien"
    # Health's specialist consults; Justice's leader attaches the result and approves.
    client.force_login(people["health"])
    dossier = Dossier.objects.get(pk=received.pk)
    client.post(url + "advance/", {"revision": dossier.revision})
    client.force_login(people["leader"])
    dossier = Dossier.objects.get(pk=received.pk)
    upload = io.BytesIO(PDF)
    upload.name = "quyet-dinh.pdf"
    client.post(url + "result/", {"revision": dossier.revision, "result": upload})
    dossier = Dossier.objects.get(pk=received.pk)
    assert dossier.attachments.filter(kind="result").exists()
    client.post(url + "advance/", {"revision": dossier.revision})
    client.force_login(people["desk"])
    dossier = Dossier.objects.get(pk=received.pk)
    assert dossier.status == "result_ready"
    client.post(url + "return/", {"revision": dossier.revision, "note": "Nhận trực tuyến"})
    assert Dossier.objects.get(pk=received.pk).status == "returned"
    sheet = client.get(url + "control-sheet.pdf")
    assert sheet["Content-Type"] == "application/pdf" and sheet.content.startswith(b"%PDF")


def test_other_agencies_get_404(client, received, make_staff, agencies, citizen):
    legal_aid = make_staff("trogiup", agencies["legal_aid"], Role.SPECIALIST)
    client.force_login(legal_aid)
    assert client.get(f"/staff/dossiers/{received.public_id}/").status_code == 404
    assert client.post(f"/staff/dossiers/{received.public_id}/take/").status_code == 404
    client.force_login(citizen)
    assert client.get(f"/staff/dossiers/{received.public_id}/").status_code == 403


def test_counter_page_and_register(client, people, agencies, record_version, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    desk = people["desk"]
    client.force_login(desk)
    url = f"/staff/dossiers/counter/{record_version.pk}/{agencies['city'].pk}/"
    assert "Sở Tư pháp" in client.get(url).content.decode()
    requirement = record_version.requirements.get()
    upload = io.BytesIO(PDF)
    upload.name = "to-khai.pdf"
    form = {
        "a-full_name": "Võ Thị Quầy",
        "a-phone": "0987654321",
        "a-channel": "desk",
        "a-result_delivery": "desk",
        "deciding": agencies["justice"].pk,
        "ho_ten_tre": "Nguyễn Văn An",
        "ngay_sinh": "2026-01-05",
        "gioi_tinh": "Nam",
        f"scan-{requirement.pk}": upload,
    }
    answer = client.post(url, form, follow=True)
    dossier = Dossier.objects.get(applicant_name="Võ Thị Quầy")
    assert dossier.code in answer.content.decode() and dossier.channel == "desk"
    # Without the scan, the page says what is missing and nothing is received.
    del form[f"scan-{requirement.pk}"]
    answer = client.post(url, form)
    assert "Quét và đính kèm" in answer.content.decode()
    assert Dossier.objects.count() == 1
    today = timezone.localdate(dossier.received_at)
    query = {"agency": agencies["city"].pk, "start": today, "end": today}
    pdf = client.get("/staff/dossiers/register/", {**query, "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    sheet = client.get("/staff/dossiers/register/", {**query, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[2][1] == "Mã hồ sơ" and rows[3][1] == dossier.code and rows[3][4] == "Võ Thị Quầy"
    assert counter.competent_agencies(agencies["health"], record_version).count() == 0


def test_queues_are_one_query_on_dossier_columns(received, people):
    """A sub-select of dossier ids in a tab made PostgreSQL scan the whole table at a million
    rows, and a join OR-ed into a condition took it 20 ms to plan at 20 million: every tab must
    stay a condition on the dossier's own (indexed) columns."""
    for person in ("desk", "specialist", "head"):
        for tab in worklists.tabs_for(people[person]):
            sql = str(worklists.queue(people[person], tab.code).query).upper()
            # Only the small workflow-step table may be looked up inside the condition.
            where = sql.split("WHERE", 1)[1]
            assert 'FROM "DOSSIERS_' not in where, (person, tab.code)
            assert " JOIN " not in sql, (person, tab.code)


def test_queue_page_queries_do_not_grow_with_the_rows(
    client, received, people, citizen, settings, django_assert_max_num_queries
):
    client.force_login(people["head"])
    with django_assert_max_num_queries(8) as one:
        assert client.get("/staff/dossiers/?tab=assign").status_code == 200
    for _ in range(3):
        submitted = submitted_dossier(received.procedure_version, citizen, settings)
        reception.receive(submitted, officer=people["desk"])
    with django_assert_max_num_queries(len(one)) as four:
        response = client.get("/staff/dossiers/?tab=assign")
    assert response.content.count(b"/staff/dossiers/") > 4 and len(four) == len(one)


def test_a_queue_page_reads_its_ids_in_order_from_the_dossier_alone(
    client, received, people, citizen, settings
):
    """The page's ids come in the queue's order from the dossier's own columns, then its rows
    by id: joined first, PostgreSQL sorted 6,256 joined rows for a page of 50 at 20 million."""
    for _ in range(3):
        submitted = submitted_dossier(received.procedure_version, citizen, settings)
        reception.receive(submitted, officer=people["desk"])
    client.force_login(people["head"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/dossiers/?tab=assign")
    paged = [q["sql"] for q in queries if "LIMIT" in q["sql"] and "ORDER BY" in q["sql"]]
    assert paged and all(" JOIN " not in sql for sql in paged), paged
    # Then the rows by their ids alone: with the tab's conditions asked again, PostgreSQL
    # scanned the tab's index for 25 rows (13 ms at 20 million dossiers).
    (rows,) = [q["sql"] for q in queries if '"dossiers_dossier"."public_id"' in q["sql"]]
    where = rows.split(" WHERE ")[1]
    assert where.startswith('"dossiers_dossier"."id" IN (') and "current_agency" not in where
    expected = list(
        worklists.queue(people["head"], "assign")
        .order_by("due_at", "id")
        .values_list("code", flat=True)
    )
    html = response.content.decode()
    shown = sorted(expected, key=html.index)
    assert len(expected) == 4 and shown == expected


def test_page_rows_keep_the_order_and_the_related_rows(received, people, citizen, settings):
    for _ in range(2):
        submitted_dossier(received.procedure_version, citizen, settings)
    ordered = Dossier.objects.select_related("procedure_version").order_by("-created_at", "-id")
    everything = list(ordered)
    assert [d.pk for d in page_rows(ordered, 1, 3)] == [d.pk for d in everything[1:3]]
    with CaptureQueriesContext(connection) as queries:
        rows = page_rows(ordered, 0, 10)
        assert all(row.procedure_version.pk for row in rows)
    assert [d.pk for d in rows] == [d.pk for d in everything] and len(queries) == 2


def test_due_soon_reads_the_calendar_once_and_follows_declared_days():
    zone = timezone.get_current_timezone()
    thursday = datetime.datetime(2026, 11, 19, 16, 0, tzinfo=zone)
    with CaptureQueriesContext(connection) as queries:
        soon = processing.due_soon_limit(thursday)
    assert len(queries) == 1
    assert soon == datetime.datetime(2026, 11, 20, 16, 0, tzinfo=zone)
    # Friday declared off: one working day from Thursday afternoon runs into Monday.
    CalendarDay.objects.create(date=datetime.date(2026, 11, 20), kind="off", reason="Bão (typhoon)")
    assert processing.due_soon_limit(thursday) == datetime.datetime(
        2026, 11, 23, 16, 0, tzinfo=zone
    )
    # Outside office hours: the same as reading the calendar for each step.
    for moment in (thursday.replace(hour=20), thursday.replace(hour=12), thursday + WEEK):
        separately = calendar.next_working_moment(
            calendar.add_working_time(moment, hours=processing.DUE_SOON_HOURS)
        )
        assert processing.due_soon_limit(moment) == separately, moment


HEAVY_COLUMNS = ("form_data", "form_schema", "form_ui", "legal_bases", "search_text")


def test_lists_read_only_the_columns_they_show(client, received, people, time_machine):
    """A line of a list shows where the dossier is (step, agency, who has it) and its deadline,
    read without the dossier's answers or the procedure version's e-form and texts."""
    processing.take(received, actor=people["specialist"])
    client.force_login(people["specialist"])
    pages = {}
    with CaptureQueriesContext(connection) as queries:
        pages["page"] = client.get("/staff/dossiers/?tab=process").content.decode()
        pages["search"] = client.get("/staff/dossiers/", {"q": received.code}).content.decode()
        pages["api"] = client.get("/api/v1/staff/dossiers", {"tab": "process"}).json()
    rows = [q["sql"] for q in queries if "dossiers_dossier" in q["sql"] and " JOIN " in q["sql"]]
    assert len(rows) == 3
    for sql in rows:
        assert not [column for column in HEAVY_COLUMNS if f'."{column}"' in sql], sql
    step = received.current_step.name
    for page in (pages["page"], pages["search"]):
        assert f'href="/staff/dossiers/{received.public_id}/"' in page
        assert f"{step} — Sở Tư pháp (Trần Chuyên)" in page
        assert (
            received.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M")
            in page
        )
        assert '<span class="deadline deadline-on_time">trong hạn</span>' in page
    assert pages["api"]["items"][0]["assignee"] == "chuyenvien"
    # Close to the appointment the same line says it is due soon, then overdue.
    time_machine.move_to(received.due_at - datetime.timedelta(hours=2), tick=False)
    client.force_login(people["specialist"])  # the staff session ends when idle
    page = client.get("/staff/dossiers/?tab=process").content.decode()
    assert '<span class="deadline deadline-due_soon">sắp đến hạn</span>' in page
    time_machine.move_to(received.due_at + datetime.timedelta(minutes=1), tick=False)
    client.force_login(people["specialist"])
    page = client.get("/staff/dossiers/?tab=process").content.decode()
    assert '<span class="deadline deadline-overdue">quá hạn</span>' in page


def test_only_system_administrators_see_the_import_link(client, people, make_staff, agencies):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    link = 'href="/staff/organizations/import/"'
    for user, shown in [(admin, True), (people["desk"], False)]:
        client.force_login(user)
        for path in ("/staff/dossiers/", "/staff/"):
            assert (link in client.get(path).content.decode()) is shown, (user, path)


def test_due_soon_is_at_most_one_working_day_ahead(received):
    """One limit per list gives what counting the working hours to each appointment gives,
    including appointments in the evening or weekend right after that working day."""
    due = received.due_at
    assert processing.deadline_state(due, due + datetime.timedelta(minutes=1)) == "overdue"
    zone = timezone.get_current_timezone()
    friday = datetime.datetime(2026, 11, 20, 16, 0, tzinfo=zone)
    for now in [
        friday,
        friday.replace(hour=6, minute=23),  # before office hours
        friday.replace(hour=12),  # lunch
        friday.replace(hour=17),  # closing time
        friday + datetime.timedelta(days=1),  # Saturday
        datetime.datetime(2027, 2, 3, 9, 0, tzinfo=zone),  # the week before Tết 2027
    ]:
        soon = processing.due_soon_limit(now)
        for quarter in range(1, 4 * 24 * 5):
            appointment = now + datetime.timedelta(minutes=15 * quarter)
            hours = calendar.working_hours_between(now, appointment)
            expected = "due_soon" if hours <= processing.DUE_SOON_HOURS else "on_time"
            assert processing.deadline_state(appointment, now, soon) == expected, (now, quarter)


def test_a_consulted_agency_still_finds_the_dossier_afterwards(received, people, agencies):
    processing.take(received, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=received.pk), actor=people["specialist"])
    assert dossier.current_agency != dossier.deciding_agency  # at the consulted agency now
    processing.take(dossier, actor=people["health"])
    after = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["health"])
    assert after.current_agency != agencies["health"]  # moved on
    stored = Dossier.objects.get(pk=dossier.pk).visible_agencies
    assert stored == sorted(
        {received.receiving_agency_id, received.deciding_agency_id, dossier.current_agency_id}
    )
    assert codes(worklists.search(people["health"], received.code)) == {received.code}
    assert codes(worklists.search(people["health"], "cong dan")) == {received.code}
    assert not codes(worklists.queue(people["health"], "process"))
    # Not an agency that was never involved, even one under the same city.
    outsider = processing.StaffScope(people["health"])
    outsider.by_role = {Role.SPECIALIST: [received.receiving_agency_id + 1000]}
    assert not codes(worklists.search(people["health"], received.code, scope=outsider))


def test_visible_agencies_are_kept_by_every_save(received, people, agencies):
    """Written with the agency columns, also when a save names only those, and never shrunk."""
    dossier = Dossier.objects.get(pk=received.pk)
    dossier.current_agency = agencies["legal_aid"]
    dossier.save(update_fields=["current_agency"])
    stored = Dossier.objects.get(pk=received.pk)
    assert agencies["legal_aid"].pk in stored.visible_agencies
    stored.current_agency = agencies["justice"]
    stored.save()
    assert agencies["legal_aid"].pk in Dossier.objects.get(pk=received.pk).visible_agencies
    copy = Dossier.objects.get(pk=received.pk)
    copy.pk, copy.code, copy.public_id, copy.visible_agencies = None, "X-1", uuid.uuid4(), []
    copy.receiving_agency = agencies["health"]
    (made,) = Dossier.objects.bulk_create([copy])  # no save(): the field fills itself
    assert Dossier.objects.get(pk=made.pk).visible_agencies == sorted(
        {agencies["health"].pk, copy.deciding_agency_id, copy.current_agency_id}
    )


def test_a_row_missing_its_own_agencies_is_refused(received, agencies):
    if connection.vendor != "postgresql":
        pytest.skip("the constraint is PostgreSQL's (SQLite has no arrays)")
    from django.db import IntegrityError, transaction

    # Bulk SQL bypasses save(): the database itself refuses the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=received.pk).update(current_agency=agencies["legal_aid"])
    assert Dossier.objects.get(pk=received.pk).current_agency != agencies["legal_aid"]


def test_a_search_matching_too_many_asks_to_be_narrowed(
    client, received, people, citizen, settings, monkeypatch
):
    from egov.core import paging

    for _ in range(2):
        submitted = submitted_dossier(received.procedure_version, citizen, settings)
        reception.receive(submitted, officer=people["desk"])
    monkeypatch.setattr(paging, "SEARCH_CAP", 2)
    client.force_login(people["desk"])
    page = client.get("/staff/dossiers/", {"q": "cong dan"}).content.decode()
    assert "Có hơn 2 hồ sơ phù hợp" in page
    assert page.count('class="mono"><a href="/staff/dossiers/') == 3  # all still listed
    narrowed = client.get("/staff/dossiers/", {"q": received.code}).content.decode()
    assert "Có hơn" not in narrowed and "1 hồ sơ" in narrowed

    from egov.accounts import tokens

    token = tokens.create(people["desk"], name="t", days=1)[1]
    answer = client.get(
        "/api/v1/staff/dossiers", {"q": "cong dan"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert answer["more"] is True and answer["count"] == 3 and len(answer["items"]) == 3
    answer = client.get(
        "/api/v1/staff/dossiers", {"tab": "process"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert answer["more"] is False


def test_a_long_queue_is_counted_up_to_the_cap(
    client, received, people, citizen, settings, monkeypatch
):
    """Past the cap a queue says it has more, and the database stops counting there."""
    from egov.accounts import tokens
    from egov.core import paging

    for _ in range(3):
        submitted = submitted_dossier(received.procedure_version, citizen, settings)
        reception.receive(submitted, officer=people["desk"])
    queue = worklists.queue(people["head"], "assign")
    assert queue.count() == 4
    monkeypatch.setattr(paging, "SEARCH_CAP", 2)
    client.force_login(people["head"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/staff/dossiers/?tab=assign").content.decode()
    assert "Hàng đợi này có hơn 2 hồ sơ" in page and "phù hợp" not in page
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 3" in counts[0]
    # The page lists the first cap + 1 in the queue's order.
    expected = list(queue.order_by("due_at", "id").values_list("code", flat=True))
    assert [code in page for code in expected] == [True, True, True, False]
    token = tokens.create(people["head"], name="t", days=1)[1]
    answer = client.get(
        "/api/v1/staff/dossiers", {"tab": "assign"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert answer["more"] is True and answer["count"] == 3 and len(answer["items"]) == 4
    monkeypatch.setattr(paging, "SEARCH_CAP", 10)
    page = client.get("/staff/dossiers/?tab=assign").content.decode()
    assert "có hơn" not in page and "4 hồ sơ" in page
    answer = client.get(
        "/api/v1/staff/dossiers", {"tab": "assign"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert answer["more"] is False and answer["count"] == 4


@pytest.mark.parametrize("cap", [100, 3])
def test_search_pages_follow_the_ordering_with_or_without_the_cap(
    received, people, citizen, settings, cap
):
    from egov.core.paging import CappedPaginator

    for _ in range(4):
        submitted = submitted_dossier(received.procedure_version, citizen, settings)
        reception.receive(submitted, officer=people["desk"])
    first, *others = Dossier.objects.exclude(code=None).order_by("pk")
    Dossier.objects.filter(pk__in=[o.pk for o in others[:2]]).update(
        submitted_at=first.submitted_at  # ties, broken by id
    )
    found = worklists.search(people["desk"], "cong dan")
    expected = [d.pk for d in found]
    assert len(expected) == 5
    paginator = CappedPaginator(found, 2, cap=cap)
    listed = [d.pk for n in paginator.page_range for d in paginator.page(n)]
    assert listed == expected[: cap + 1]  # past the cap: the newest, and "narrow it"
    assert paginator.capped == (cap < 5) and paginator.count == min(5, cap + 1)


def test_a_name_is_found_by_its_words(received, people, citizen, agencies):
    """Each word of the query starts a word of the name, in any order; all but the last are
    whole words. The same answers on SQLite (LIKE) and PostgreSQL (the name keys)."""
    Dossier.objects.filter(pk=received.pk).update(applicant_search="nguyen van an")
    desk = people["desk"]
    found = ["Nguyễn Văn An", "nguyen van an", "Văn An", "nguyen van", "NGUYEN AN", "an nguyen"]
    found += ["nguyen v", "an", "ng", "  Nguyễn   Văn  An "]
    for query in found:
        assert codes(worklists.search(desk, query)) == {received.code}, query
    missed = ["Trần Văn An", "Nguyễn Văn Anh", "Nguyễn Thị An", "guyen", "nguy van", "van a x"]
    for query in missed:
        assert not codes(worklists.search(desk, query)), query
    # Another agency's staff, with the same words, find nothing of it.
    assert not codes(worklists.search(people["health"], "nguyen van an"))


def test_the_name_keys_query_quotes_each_word():
    """A name's apostrophe or backslash stays a character of the word, not tsquery syntax."""
    query = worklists.name_keys_query(["o'neil", "a\\b", "an"], [16, 17])
    assert query == (
        "('16.o''neil' & '16.a\\\\b' & '16.an':*) | ('17.o''neil' & '17.a\\\\b' & '17.an':*)"
    )
    assert worklists.name_keys_query(["an"], None) == "('an':*)"


def test_a_name_with_quotes_is_found(received, people):
    Dossier.objects.filter(pk=received.pk).update(applicant_search="cong ty o'neil & co")
    for query in ["O'Neil", "o'neil &", "& co"]:
        assert codes(worklists.search(people["desk"], query)) == {received.code}, query


def test_the_name_keys_are_the_words_alone_and_under_each_agency():
    if connection.vendor != "postgresql":
        pytest.skip("the name keys are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT egov_name_keys('{16,7}', 'tran  thi nga')::text")
        keys = cursor.fetchone()[0]
        cursor.execute("SELECT egov_name_keys('{}', '')::text")
        assert cursor.fetchone()[0] == ""
    assert sorted(keys.replace("'", "").split()) == sorted(
        ["tran", "thi", "nga", "16.tran", "16.thi", "16.nga", "7.tran", "7.thi", "7.nga"]
    )


def test_the_open_dossier_indexes_cover_what_the_queues_read():
    """The partial indexes' condition is spelled out in a migration: it must stay the set of
    statuses the queues and the overdue tab look at, or PostgreSQL stops using them."""
    assert set(models.WORKING_STATUSES) == set(processing.OVERDUE_STATUSES)
    conditions = {
        index.name: index.condition
        for index in Dossier._meta.indexes
        if index.name.startswith("dossier_open")
    }
    assert conditions == dict.fromkeys(
        ["dossier_open_current", "dossier_open_receiving"],
        Q(status__in=models.WORKING_STATUSES),
    )


def _copies(dossier, count, status, agency=None, name=None):
    """``count`` copies of ``dossier`` with ``status`` (and in ``agency``, under another
    applicant's ``name``) in one INSERT … SELECT, to give the planner a city's proportions."""
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    tag = status[0] + ("x" if name else "")
    replaced = {
        "code": f"d.code || '-{tag}' || n",
        "public_id": f"md5(d.code || '{tag}' || n)::uuid",
        "status": "%(status)s",
        "idempotency_key": "''",
    }
    if status not in models.WORKING_STATUSES:  # a closed dossier is at no step
        replaced |= dict.fromkeys(
            ["current_agency_id", "current_step_id", "assignee_id", "step_due_at"], "NULL"
        )
    if agency is not None:
        replaced |= dict.fromkeys(["receiving_agency_id", "deciding_agency_id"], "%(agency)s")
        replaced["visible_agencies"] = "ARRAY[%(agency)s]::bigint[]"
        if status in models.WORKING_STATUSES:
            replaced["current_agency_id"] = "%(agency)s"
    if name is not None:
        replaced["applicant_search"] = "%(name)s"
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(
        replaced.get(f.column, "d." + connection.ops.quote_name(f.column)) for f in fields
    )
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {values} "  # noqa: S608
            f"FROM {table} d, generate_series(1, %(count)s) n WHERE d.id = %(id)s",
            {"status": status, "agency": agency, "name": name, "count": count, "id": dossier.pk},
        )


def _make_late(agency):
    """The agency's open dossiers past their appointment: a city's other agencies are partly
    late, so "overdue" alone does not single out the user's few dossiers."""
    Dossier.objects.filter(current_agency=agency, status__in=models.WORKING_STATUSES).update(
        due_at=timezone.now() - datetime.timedelta(days=3)
    )


def _plan(query) -> str:
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The ORM's own SQL with its parameters kept apart.
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_name_search_reads_agency_and_name_in_one_index(received, people, agencies):
    """20,000 dossiers of the user's agency under other names, 20,000 of another agency under
    the same name: the search must look the name's words up under the user's agency in the name
    keys' GIN index, neither reading the agency's dossiers nor checking each namesake's
    agencies (47,380 heap rows for 260 visible ones at 20 million)."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes and EXPLAIN are PostgreSQL's")
    justice = agencies["justice"].pk  # the specialist's
    _copies(received, 20_000, Dossier.Status.RETURNED, agency=justice, name="tran van binh")
    _copies(received, 20_000, Dossier.Status.RETURNED, agency=agencies["health"].pk)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
    name = received.applicant_name
    found = worklists.search(people["specialist"], name)
    assert codes(found) == {received.code}
    assert len(worklists.search(people["health"], name)[:30]) == 30
    plan = _plan(found[:50])
    assert "on dossier_name_keys" in plan, plan
    condition = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "egov_name_keys(visible_agencies, (applicant_search)::text) @@" in condition, plan


def test_queue_counts_read_the_open_dossier_indexes(received, people, agencies):
    """Beside the agency's closed dossiers and other agencies' open ones (a city's proportions),
    each tab's count must read the partial index of open dossiers by its agency, not every
    dossier of the agency (the plan PostgreSQL chose at 20 million) nor every open one."""
    if connection.vendor != "postgresql":
        pytest.skip("partial covering indexes and EXPLAIN are PostgreSQL's")
    _copies(received, 20_000, Dossier.Status.RETURNED)
    _copies(received, 5_000, Dossier.Status.IN_PROGRESS, agency=agencies["health"].pk)
    _make_late(agencies["health"])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
        plans = {}
        for person, tab in (("specialist", "process"), ("leader", "approve"), ("desk", "overdue")):
            query = worklists.queue(people[person], tab).order_by()
            sql, params = query.values("pk").query.sql_with_params()
            # The ORM's own SQL with its parameters kept apart.
            cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS tab", params)  # noqa: S608
            plans[tab] = "\n".join(row[0] for row in cursor.fetchall())
    for tab in ("process", "approve"):
        assert "using dossier_open_current" in plans[tab], plans[tab]
        assert "Index Cond: ((current_agency_id = " in plans[tab], plans[tab]
    _assert_reads_open_dossiers_only(plans["overdue"])


def _assert_reads_open_dossiers_only(plan: str) -> None:
    """The plan enters a partial index of open dossiers and reads neither the whole table nor
    a status index (whose bitmap of every open dossier of the city PostgreSQL AND-ed into the
    overdue tab at 20 million). Which open-dossier index it enters (by agency, or by the
    appointment when few are late) is the planner's choice at this table's size."""
    assert "Seq Scan" not in plan, plan
    assert "dossier_open_" in plan or "dossier_live_due" in plan, plan
    assert not any(
        "Index Cond: ((status)" in line or "Index Cond: (status" in line
        for line in plan.splitlines()
    ), plan


def test_the_city_wide_lists_read_the_live_dossiers_index(received, people, agencies, make_staff):
    """Without a status index (the planner AND-ed it into each agency's overdue tab, a bitmap of
    every open dossier of the city), a system administrator's receive and overdue tabs and the
    late-dossier warnings read the partial index of the dossiers still waiting or open, not the
    city's closed ones."""
    if connection.vendor != "postgresql":
        pytest.skip("partial indexes and EXPLAIN are PostgreSQL's")
    from egov.dossiers import apologies

    _copies(received, 20_000, Dossier.Status.RETURNED)
    _copies(received, 2_000, Dossier.Status.IN_PROGRESS, agency=agencies["health"].pk)
    _copies(received, 200, Dossier.Status.SUBMITTED, agency=agencies["health"].pk)
    _make_late(agencies["health"])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    city_wide = {
        "receive": worklists.queue(admin, "receive").order_by(),
        "overdue": worklists.queue(admin, "overdue").order_by(),
        "warnings": apologies.about_to_be_late(),
    }
    for name, query in city_wide.items():
        plan = _plan(query.values("pk"))
        assert "dossier_live_due" in plan, (name, plan)
    agency_overdue = _plan(worklists.queue(people["desk"], "overdue").order_by().values("pk"))
    _assert_reads_open_dossiers_only(agency_overdue)


def test_the_agency_set_lookup(received, agencies):
    """``visible_agencies__overlap``: an array operator on PostgreSQL, json_each on SQLite."""
    own = received.visible_agencies
    assert own == sorted(set(own)) and received.receiving_agency_id in own
    found = Dossier.objects.filter(pk=received.pk)
    assert found.filter(visible_agencies__overlap=[agencies["legal_aid"].pk, own[-1]]).exists()
    assert not found.filter(visible_agencies__overlap=[agencies["legal_aid"].pk]).exists()
    assert not found.filter(visible_agencies__overlap=[]).exists()
    assert found.exclude(visible_agencies__overlap=[agencies["legal_aid"].pk]).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_agency_set_from_the_control_sheet(received, people, agencies):
    """Migration 0008 both ways: back, the consulted step is marked ``outside`` again; forward,
    the set is receiving, deciding and every agency the dossier was at (the old rule)."""
    from django.db.migrations.executor import MigrationExecutor

    processing.take(received, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=received.pk), actor=people["specialist"])
    processing.take(dossier, actor=people["health"])
    processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["health"])
    expected = Dossier.objects.get(pk=received.pk).visible_agencies
    assert agencies["health"].pk in expected

    def indexes():
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "dossiers_dossier")
        return {name: (c["columns"], c["unique"]) for name, c in constraints.items()}

    built = indexes()
    before = [("dossiers", "0007_drop_full_current_queue_index")]
    # Forward to every app's last migration: going back to 0007 also took back the apps whose
    # migrations depend on later dossiers ones (digitisation, the national portal...).
    after = MigrationExecutor(connection).loader.graph.leaf_nodes()
    MigrationExecutor(connection).migrate(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT agency_id FROM dossiers_dossierstep WHERE dossier_id = %s AND outside",
            [received.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == [agencies["health"].pk]
    MigrationExecutor(connection).migrate(after)
    assert Dossier.objects.get(pk=received.pk).visible_agencies == expected
    # 0010 filled the agencies' rows of the dossiers already there.
    assert _agency_rows() == _expected_agency_rows() and _agency_rows()
    # On PostgreSQL the indexes set aside for the rewrite are all built again.
    assert indexes() == built


def test_the_raw_sql_name_search_finds_what_the_platform_finds(received, people, agencies):
    """The benchmark's pgbench search (bench/raw_sql) is the platform's name search in SQL: the
    same tsquery against the same index expression, within the agency."""
    if connection.vendor != "postgresql":
        pytest.skip("the raw SQL scripts are PostgreSQL's")
    from bench import raw_sql

    _copies(received, 3, Dossier.Status.RETURNED, agency=agencies["health"].pk)
    justice = agencies["justice"].pk
    _copies(received, 2, Dossier.Status.RETURNED, agency=justice, name="tran van binh")
    select = raw_sql.search("name").strip().splitlines()[-1]
    for query in [received.applicant_name, "tran van b", "van"]:
        tsquery = worklists.name_keys_query(normalize_search_text(query).split(), [justice])
        sql = select.replace(":q", tsquery.replace("'", "''")).replace(":agency", str(justice))
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("%", "%%"))
            raw = {row[0] for row in cursor.fetchall()}
        platform = set(worklists.search(people["specialist"], query).values_list("pk", flat=True))
        assert raw == platform and platform, query


def _agency_rows() -> dict:
    rows = {}
    for agency, dossier, submitted, status in models.DossierAgency.objects.values_list(
        "agency_id", "dossier_id", "submitted_at", "status"
    ):
        rows.setdefault(dossier, {})[agency] = (submitted, status)
    return rows


def _expected_agency_rows() -> dict:
    submitted = Dossier.objects.exclude(status=Dossier.Status.DRAFT).exclude(submitted_at=None)
    return {
        d.pk: dict.fromkeys(d.visible_agencies, (d.submitted_at, d.status))
        for d in submitted.only("visible_agencies", "submitted_at", "status")
    }


def test_each_agency_of_the_set_has_its_row(received, people, agencies, citizen, settings):
    """The triggers keep one row per agency of the set with the submission time, whatever
    writes the dossier: the services, a save of some fields, bulk_create, a bulk update."""
    processing.take(received, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=received.pk), actor=people["specialist"])
    processing.take(dossier, actor=people["health"])
    processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["health"])
    draft = submitted_dossier(received.procedure_version, citizen, settings)
    copy = Dossier.objects.get(pk=received.pk)
    copy.pk, copy.code, copy.public_id = None, "X-1", uuid.uuid4()
    copy.receiving_agency = agencies["legal_aid"]
    Dossier.objects.bulk_create([copy])
    later = timezone.now() + datetime.timedelta(days=3)
    Dossier.objects.filter(pk=draft.pk).update(submitted_at=later)
    rows = _agency_rows()
    assert rows == _expected_agency_rows()
    assert agencies["health"].pk in rows[received.pk]  # consulted, and moved on
    assert rows[draft.pk][draft.receiving_agency_id] == (later, "submitted")
    assert len(rows) == Dossier.objects.count() == 3
    # A draft has none until it is submitted; a change of status moves the rows with it.
    unsent = Dossier.objects.get(pk=draft.pk)
    unsent.pk, unsent.code, unsent.public_id = None, "X-2", uuid.uuid4()
    unsent.submitted_at, unsent.status = None, Dossier.Status.DRAFT
    Dossier.objects.bulk_create([unsent])
    assert unsent.pk not in _agency_rows()
    Dossier.objects.filter(pk=unsent.pk).update(status="submitted", submitted_at=later)
    Dossier.objects.filter(pk=received.pk).update(status=Dossier.Status.RETURNED)
    assert _agency_rows() == _expected_agency_rows()
    assert _agency_rows()[unsent.pk][unsent.receiving_agency_id] == (later, "submitted")
    Dossier.objects.filter(pk=copy.pk).delete()  # the rows go with the dossier
    assert _agency_rows() == _expected_agency_rows() and copy.pk not in _agency_rows()


def test_the_agency_rows_triggers_are_installed():
    """A later migration that rebuilds the dossier table (SQLite does, to alter a column) drops
    its triggers with it: this fails until it creates them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'dossiers_dossier'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'dossiers_dossier'"
            )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"dossier_agency_insert", "dossier_agency_update"}


def test_the_search_without_a_query_lists_the_agency_newest_first(
    received, people, agencies, citizen, settings
):
    """Filters only, one agency: from the agency's own rows, in the same order and with the
    same dossiers as the set alone gives (a consulted dossier included, another's not)."""
    processing.take(received, actor=people["specialist"])
    dossier = processing.advance(Dossier.objects.get(pk=received.pk), actor=people["specialist"])
    processing.take(dossier, actor=people["health"])
    processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["health"])
    for _ in range(3):
        reception.receive(
            submitted_dossier(received.procedure_version, citizen, settings), officer=people["desk"]
        )
    others = []
    for n in range(4):  # another agency's, newer
        copy = Dossier.objects.get(pk=received.pk)
        copy.pk, copy.code, copy.public_id = None, f"X-{n}", uuid.uuid4()
        copy.receiving_agency = copy.deciding_agency = agencies["legal_aid"]
        copy.current_agency, copy.visible_agencies = None, []
        copy.submitted_at = timezone.now() + datetime.timedelta(hours=n + 1)
        others.append(copy)
    Dossier.objects.bulk_create(others)
    first = Dossier.objects.exclude(code=None).order_by("pk").first()
    Dossier.objects.filter(pk__in=list(Dossier.objects.values_list("pk", flat=True)[1:3])).update(
        submitted_at=first.submitted_at  # ties, broken by id
    )
    for user in (people["health"], people["desk"], people["specialist"]):
        found = worklists.search(user, "")
        assert "agency_rows" in str(found.query) or "dossieragency" in str(found.query).lower()
        listed = list(found.values_list("pk", flat=True))
        reference = processing.visible_to_staff(user).order_by("-submitted_at", "-id")
        assert listed == list(reference.values_list("pk", flat=True)) and listed, user
    assert codes(worklists.search(people["health"], "")) == {received.code}
    newest = processing.visible_to_staff(people["desk"]).order_by("-submitted_at", "-id")
    Dossier.objects.filter(pk=newest[1].pk).update(status=Dossier.Status.RETURNED)
    statuses = set(newest.values_list("status", flat=True))
    assert len(statuses) == 2
    for status in statuses:
        found = worklists.search(people["desk"], "", status=status)
        reference = processing.visible_to_staff(people["desk"]).filter(status=status)
        listed = list(found.values_list("pk", flat=True))
        newest = reference.order_by("-submitted_at", "-id")
        assert listed == list(newest.values_list("pk", flat=True)) and listed, status
        assert "dossieragency" in str(found.query).lower(), status
    assert not worklists.search(people["health"], "", status=Dossier.Status.RETURNED).exists()


def test_the_newest_of_an_agency_come_from_its_own_index(received, people, agencies):
    """Beside 20,000 newer dossiers of another agency, the agency's newest page reads its rows
    in order (dossier_agency_newest), not the city's submission order backwards."""
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN is PostgreSQL's")
    _copies(received, 20_000, Dossier.Status.RETURNED, agency=agencies["health"].pk)
    Dossier.objects.filter(receiving_agency=agencies["health"]).update(
        submitted_at=received.submitted_at + datetime.timedelta(days=1)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
        cursor.execute("ANALYZE dossiers_dossieragency")
    found = worklists.search(people["specialist"], "")
    assert codes(found) == {received.code}
    plan = _plan(found.values_list("pk", flat=True)[:25])
    assert "dossier_agency_newest" in plan, plan


def test_the_status_index_is_gone_and_the_agency_triggers_stay():
    """Migration 0012 drops the status index by name on both databases (on SQLite, altering the
    field would have rebuilt the table and lost migration 0010's dossier-agency triggers)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Dossier._meta.db_table)
    on_status = [name for name, c in indexes.items() if c["index"] and c["columns"] == ["status"]]
    assert on_status == [] and "dossier_live_due" in indexes
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {"dossier_agency_insert", "dossier_agency_update"} <= triggers
