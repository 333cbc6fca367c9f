"""Public and staff pages: what each shows, what it refuses, and scoping (another agency's
report answers 404)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.feedback import links, services
from egov.feedback.models import ApiClient, Category, Report
from tests.conftest import PASSWORD
from tests.feedback.conftest import CAI_RANG_POINT, draft, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(categories, boundaries):
    return services.submit(
        draft(
            categories["rubbish"],
            attributes={"kind": "household"},
            contact_email="nguoi.gui@example.vn",
            contact_phone="0912345678",
            files=[services.Upload("a.jpg", jpeg())],
        )
    )


def test_index_lists_and_maps_reports_with_filters(client, report, categories):
    other = services.submit(
        draft(categories["light"], latitude=CAI_RANG_POINT[0], longitude=CAI_RANG_POINT[1])
    )
    page = client.get("/phan-anh/")
    html = page.content.decode()
    assert page.status_code == 200
    assert report.code in html and other.code in html
    assert html.count("<circle") >= 2 and "<path d=" in html  # the pins and the communes
    assert "nguoi.gui" not in html and "0912345678" not in html
    only_light = client.get("/phan-anh/", {"loai": "street-light"}).content.decode()
    assert other.code in only_light and report.code not in only_light
    in_commune = client.get("/phan-anh/", {"xa": "31186"}).content.decode()
    assert other.code in in_commune and report.code not in in_commune
    near = client.get(
        "/phan-anh/", {"lat": CAI_RANG_POINT[0], "lon": CAI_RANG_POINT[1], "ban_kinh": 200}
    ).content.decode()
    assert other.code in near and report.code not in near
    assert (
        client.get("/phan-anh/", {"trang_thai": "answered"}).content.decode().count("fb-item") == 0
    )
    assert client.get("/phan-anh/", {"lat": "10.03"}).status_code == 400


def test_submit_from_the_form_with_a_photo(client, categories, boundaries):
    assert "street-light" in client.get("/phan-anh/gui/").content.decode()
    form = client.get("/phan-anh/gui/", {"loai": "rubbish"})
    assert form.status_code == 200 and "Loại rác" in form.content.decode()
    key = form.context["form"].initial["submission_key"]
    data = {
        "loai": "rubbish",
        "description": "Bãi rác tự phát ở đầu hẻm, bốc mùi.",
        "attribute_kind": "household",
        "latitude": "",
        "longitude": "",
        "commune": "",
        "address": "",
        "submission_key": key,
        "media": SimpleUploadedFile(
            "IMG_1.jpg", jpeg(gps=CAI_RANG_POINT), content_type="image/jpeg"
        ),
    }
    response = client.post("/phan-anh/gui/", data)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == links.reporter_path(report)
    assert report.place_source == Report.PlaceSource.PHOTO and report.commune.code == "31186"
    # The same form sent again (a double tap) makes no second report.
    data["media"] = SimpleUploadedFile(
        "IMG_1.jpg", jpeg(gps=CAI_RANG_POINT), content_type="image/jpeg"
    )
    client.post("/phan-anh/gui/", data)
    assert Report.objects.count() == 1


def test_submit_errors_are_shown_next_to_the_fields(client, categories):
    response = client.post(
        "/phan-anh/gui/",
        {"loai": "rubbish", "description": "ngắn", "submission_key": "k1", "contact_email": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and "#place" in html and "id_contact_email" in html
    assert Report.objects.count() == 0


def test_public_page_shows_no_contact_and_no_exif(client, report):
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert report.shown_description in page
    assert "nguoi.gui" not in page and "0912345678" not in page
    media = report.media.get()
    photo = client.get(f"/phan-anh/tep/{media.public_id}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(photo.streaming_content)


def test_reporter_link_rates_and_reopens(client, report, communes, make_staff):
    officer = make_staff("canbo.cr2", report.agency, Role.SPECIALIST)
    services.answer(report, actor=officer, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    url = links.reporter_path(report)
    page = client.get(url).content.decode()
    assert "Đã thu gom rác" in page and 'value="rate"' in page and 'value="reopen"' in page
    assert client.post(url, {"action": "rate", "rating": "3"}).status_code == 302
    assert client.post(url, {"action": "reopen", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "reopen", "reason": "Rác lại đầy."}).status_code == 302
    report.refresh_from_db()
    assert report.reopen_count == 1 and report.rating == 3
    assert 'value="reopen"' not in client.get(url).content.decode()
    bad = links.reporter_path(report)[:-3] + "xyz/"
    assert client.get(bad).status_code == 404


def test_hidden_report_and_hidden_photo_leave_the_public_pages(client, report, make_staff):
    officer = make_staff("canbo.x", report.agency, Role.SPECIALIST)
    media = report.media.get()
    services.hide_media(media, actor=officer, reason="Có biển số xe")
    assert client.get(f"/phan-anh/tep/{media.public_id}/").status_code == 404
    services.hide(report, actor=officer, reason="Lạm dụng")
    page = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert report.description not in page
    assert report.code not in client.get("/phan-anh/").content.decode()
    # The reporter still sees their report.
    assert report.description in client.get(links.reporter_path(report)).content.decode()


def test_signed_in_reporter_lists_their_reports(client, citizen, categories):
    mine = services.submit(draft(categories["light"], reporter=citizen))
    client.force_login(citizen)
    page = client.get("/phan-anh/cua-toi/").content.decode()
    assert mine.code in page
    assert client.get(f"/phan-anh/{mine.code}/")["Location"] == links.reporter_path(mine)


def test_staff_queue_tabs_and_actions(client, report, communes, make_staff):
    officer = make_staff("canbo.q", report.agency, Role.SPECIALIST)
    client.force_login(officer)
    queue = client.get("/staff/feedback/").content.decode()
    assert report.code in queue
    assert report.code not in client.get("/staff/feedback/?tab=overdue").content.decode()
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    assert report.code in client.get("/staff/feedback/?tab=overdue").content.decode()
    Report.objects.filter(pk=report.pk).update(due_at=timezone.now() + datetime.timedelta(hours=2))
    assert report.code in client.get("/staff/feedback/?tab=due_soon").content.decode()
    assert report.code not in client.get("/staff/feedback/?tab=answered").content.decode()
    detail = client.get(f"/staff/feedback/{report.code}/").content.decode()
    assert "nguoi.gui@example.vn" in detail  # staff see the contact
    act = f"/staff/feedback/{report.code}/xu-ly/"
    assert client.post(act, {"action": "take"}).status_code == 302
    assert client.post(act, {"action": "answer", "text": ""}).status_code == 400
    answered = client.post(
        act,
        {
            "action": "answer",
            "text": "Đã thu gom rác và nhắc nhở các hộ dân.",
            "media": SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg"),
        },
    )
    assert answered.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.ANSWERED and report.media.filter(role="answer").exists()
    assert report.code in client.get("/staff/feedback/?tab=answered").content.decode()
    labelled = client.get(f"/staff/feedback/{report.code}/").content.decode()
    assert "Trả lời phản ánh" in labelled  # the audit action's name, not its code


def test_another_agency_gets_404(client, report, neighbour, handler):
    # The report is Ninh Kiều's; Cái Răng's officer is the neighbour.
    client.force_login(neighbour)
    assert client.get(f"/staff/feedback/{report.code}/").status_code == 404
    assert (
        client.post(f"/staff/feedback/{report.code}/xu-ly/", {"action": "take"}).status_code == 404
    )
    media = report.media.get()
    assert client.get(f"/staff/feedback/tep/{media.public_id}/").status_code == 404
    assert report.code not in client.get("/staff/feedback/").content.decode()
    client.force_login(handler)
    assert client.get(f"/staff/feedback/{report.code}/").status_code == 200


def test_citizens_and_visitors_stay_out_of_staff_pages(client, citizen, report):
    assert client.get("/staff/feedback/").status_code == 302
    client.force_login(citizen)
    assert client.get("/staff/feedback/").status_code == 403


def test_categories_and_keys_are_for_administrators(client, handler, make_staff, agencies):
    client.force_login(handler)
    assert client.get("/staff/feedback/linh-vuc/").status_code == 403
    assert client.get("/staff/feedback/open311/").status_code == 403
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    client.force_login(admin)
    created = client.post(
        "/staff/feedback/linh-vuc/moi/",
        {
            "code": "pavement",
            "name": "Lấn chiếm vỉa hè",
            "routing": "commune",
            "agency": agencies["city"].pk,
            "deadline_days": "7",
            "is_active": "on",
            "position": "3",
            # The page's form set of questions, with none added.
            "q-TOTAL_FORMS": "0",
            "q-INITIAL_FORMS": "0",
        },
    )
    assert created.status_code == 302 and Category.objects.filter(code="pavement").exists()
    bad = client.post("/staff/feedback/linh-vuc/moi/", {"code": "Có Dấu", "name": "x"})
    assert bad.status_code == 400
    issued = client.post(
        "/staff/feedback/open311/",
        {"name": "Ứng dụng", "contact_email": "dev@example.vn", "requests_per_minute": "30"},
    )
    key = issued.context["issued_key"]
    assert key.startswith("o311_") and key in issued.content.decode()
    assert key not in client.get("/staff/feedback/open311/").content.decode()
    app = ApiClient.objects.get()
    client.post(f"/staff/feedback/open311/{app.pk}/thu-hoi/")
    assert services.client_for_key(key) is None


def test_login_then_back_to_the_form(client, citizen, categories):
    client.post("/accounts/login/", {"username": "congdan", "password": PASSWORD})
    page = client.get("/phan-anh/gui/", {"loai": "street-light"}).content.decode()
    assert "You are signed in" in page or "Ông/Bà đã đăng nhập" in page


def test_the_form_draws_no_empty_map_without_boundaries(client, categories):
    page = client.get("/phan-anh/gui/", {"loai": "street-light"}).content.decode()
    assert 'id="fb-picker"' not in page
    assert 'id="id_latitude"' in page and 'id="id_commune"' in page


def test_videos_are_served_in_byte_ranges(client, categories):
    from tests.feedback.conftest import mp4_with_location

    video = mp4_with_location()
    report = services.submit(draft(categories["light"], files=[services.Upload("v.mp4", video)]))
    url = f"/phan-anh/tep/{report.media.get().public_id}/"
    whole = client.get(url)
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and len(part.content) == 100
    assert part["Content-Range"] == f"bytes 0-99/{len(video)}"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.content == video[-10:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(video) + 5}-").status_code == 416


def test_a_person_of_two_agencies_opens_one_queue_at_a_time(
    client, report, categories, communes, make_staff
):
    east = services.submit(
        draft(
            categories["rubbish"],
            latitude=CAI_RANG_POINT[0],
            longitude=CAI_RANG_POINT[1],
            attributes={"kind": "household"},
        )
    )
    assert (report.agency, east.agency) == (
        communes["ninh_kieu_committee"],
        communes["cai_rang_committee"],
    )
    person = make_staff("canbo.hai", communes["ninh_kieu_committee"], Role.SPECIALIST)
    accounts.grant_role(
        actor=None, user=person, role=Role.SPECIALIST, agency=communes["cai_rang_committee"]
    )
    client.force_login(person)
    both = client.get("/staff/feedback/").content.decode()
    assert report.code in both and east.code in both
    assert 'id="fb-agency"' in both and "Tất cả cơ quan của tôi" in both
    chosen = communes["cai_rang_committee"].pk
    only_east = client.get("/staff/feedback/", {"co_quan": chosen}).content.decode()
    assert east.code in only_east and report.code not in only_east
    assert f"tab=overdue&amp;co_quan={chosen}" in only_east  # the tabs keep the agency
    # An agency outside the person's roles is no filter at all, never a way in.
    outside = client.get("/staff/feedback/", {"co_quan": categories["works"].pk}).content.decode()
    assert report.code in outside and east.code in outside
    # One agency: nothing to choose.
    single = make_staff("canbo.mot", communes["ninh_kieu_committee"], Role.SPECIALIST)
    client.force_login(single)
    assert 'id="fb-agency"' not in client.get("/staff/feedback/").content.decode()


def _category_post(agency, **questions) -> dict:
    data = {
        "code": "flooding",
        "name": "Ngập nước",
        "routing": "commune",
        "agency": agency.pk,
        "deadline_days": "3",
        "is_active": "on",
        "position": "1",
        "q-TOTAL_FORMS": "1",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
    }
    data.update({f"q-0-{name}": value for name, value in questions.items()})
    return data


def test_administrators_set_a_category_s_questions_on_its_page(
    client, make_staff, agencies, categories
):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    client.force_login(admin)
    assert 'name="q-0-code"' in client.get("/staff/feedback/linh-vuc/moi/").content.decode()
    # A list question without choices is refused, and nothing is saved.
    bad = client.post(
        "/staff/feedback/linh-vuc/moi/",
        _category_post(
            agencies["city"],
            position="1",
            code="depth",
            description="Nước ngập sâu bao nhiêu?",
            datatype="singlevaluelist",
            values="",
        ),
    )
    assert bad.status_code == 400 and not Category.objects.filter(code="flooding").exists()
    good = client.post(
        "/staff/feedback/linh-vuc/moi/",
        _category_post(
            agencies["city"],
            position="1",
            code="depth",
            description="Nước ngập sâu bao nhiêu?",
            datatype="singlevaluelist",
            required="on",
            values="ankle: Đến mắt cá chân\nknee: Đến đầu gối\n\nwaist",
        ),
    )
    assert good.status_code == 302
    category = Category.objects.get(code="flooding")
    question = category.attributes.get()
    assert question.required and question.values == [
        {"key": "ankle", "name": "Đến mắt cá chân"},
        {"key": "knee", "name": "Đến đầu gối"},
        {"key": "waist", "name": "waist"},
    ]
    record = AuditEvent.objects.get(action="feedback.questions_saved")
    assert record.before == {"questions": {}} and "depth" in record.after["questions"]
    # The portal's form and the Open311 definition ask it at once.
    form = client.get("/phan-anh/gui/", {"loai": "flooding"}).content.decode()
    assert "Đến đầu gối" in form
    definition = client.get("/open311/v2/services/flooding.json").json()
    assert [v["key"] for v in definition["attributes"][0]["values"]] == ["ankle", "knee", "waist"]
    # The page shows the choices as lines again.
    page = client.get(f"/staff/feedback/linh-vuc/{category.pk}/").content.decode()
    assert "knee: Đến đầu gối" in page
