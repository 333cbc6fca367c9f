"""The citizen's dossier page once it is closed: the result to download, the rating form."""

import re

import pytest

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.dossiers.models import Attachment, Rating
from tests.dossiers import closing

pytestmark = pytest.mark.django_db

ANSWERS = {name: "2" for name in Rating.SCORES}


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def record_version(catalogue):
    return catalogue["record"]


@pytest.fixture
def people(make_staff, agencies):
    return closing.staff(make_staff, agencies)


@pytest.fixture
def returned(record_version, citizen, people):
    return closing.returned(record_version, citizen, people)


@pytest.fixture
def neighbour(db):
    return accounts.create_user(
        actor=None,
        username="hangxom",
        password=None,
        kind=User.Kind.CITIZEN,
        email="hangxom@example.vn",
    )


def test_the_dossier_page_offers_the_result_and_the_rating(client, citizen, returned):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{returned.public_id}/").content.decode()
    result = returned.attachments.get(kind=Attachment.Kind.RESULT)
    assert "Kết quả của bạn" in page
    assert f'href="/ho-so/{returned.public_id}/tep/{result.pk}/"' in page
    assert f'href="/ho-so/{returned.public_id}/danh-gia/"' in page
    download = client.get(f"/ho-so/{returned.public_id}/tep/{result.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{result.original_name}"'
    assert b"".join(download.streaming_content) == closing.RESULT_PDF


def test_others_cannot_download_and_a_result_waits_for_its_return(
    client, citizen, neighbour, returned, make_staff, agencies, record_version, people
):
    result = returned.attachments.get(kind=Attachment.Kind.RESULT)
    url = f"/ho-so/{returned.public_id}/tep/{result.pk}/"
    client.force_login(neighbour)
    assert client.get(url).status_code == 404
    client.force_login(make_staff("nhanvien", agencies["city"], Role.DESK_OFFICER))
    assert client.get(url).status_code == 404  # staff use the back office, not the portal
    ready = closing.result_ready(record_version, citizen, people)
    result = ready.attachments.get(kind=Attachment.Kind.RESULT)
    client.force_login(citizen)
    assert client.get(f"/ho-so/{ready.public_id}/tep/{result.pk}/").status_code == 404
    assert "Kết quả của bạn" not in client.get(f"/ho-so/{ready.public_id}/").content.decode()


def test_the_rating_form_is_nine_labelled_radio_groups(client, citizen, returned):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{returned.public_id}/danh-gia/").content.decode()
    assert page.count("<fieldset") == 9 and page.count("<legend>") == 9
    assert page.count('type="radio"') == 27
    assert "Thái độ của cán bộ, công chức, viên chức" in page
    # The dossier was returned before its appointment and without a supplement: pre-selected.
    assert re.search(r'name="total_time" value="2"[^>]*checked', page)
    assert re.search(r'name="desk_contacts" value="2"[^>]*checked', page)
    assert not re.search(r'name="staff_attitude" value="\d"[^>]*checked', page)


def test_rating_through_the_page(client, citizen, returned):
    client.force_login(citizen)
    url = f"/ho-so/{returned.public_id}/danh-gia/"
    incomplete = client.post(url, {"total_time": "2"}).content.decode()
    assert "Hãy chọn câu trả lời cho “Thái độ của cán bộ" in incomplete
    assert 'aria-describedby="id_staff_attitude-error"' in incomplete
    assert not Rating.objects.exists()
    out_of_range = client.post(url, ANSWERS | {"feedback": "5"}).content.decode()
    assert "error-summary" in out_of_range and not Rating.objects.exists()
    done = client.post(url, ANSWERS | {"comment": "Rất hài lòng"}, follow=True)
    page = done.content.decode()
    assert "Đánh giá của bạn đã được ghi nhận" in page
    assert "18/18 điểm (Xuất sắc)" in page
    again = client.post(url, ANSWERS | {"staff_attitude": "0"})  # a second try
    assert again["Location"] == f"/ho-so/{returned.public_id}/"
    assert Rating.objects.get().staff_attitude == 2


def test_the_rating_page_refuses_what_cannot_be_rated(
    client, citizen, neighbour, record_version, people, returned
):
    client.force_login(neighbour)
    assert client.get(f"/ho-so/{returned.public_id}/danh-gia/").status_code == 404
    client.force_login(citizen)
    in_progress = closing.received(record_version, citizen, people)
    response = client.post(f"/ho-so/{in_progress.public_id}/danh-gia/", ANSWERS, follow=True)
    assert "Chỉ đánh giá được hồ sơ đã trả kết quả" in response.content.decode()
    assert "/danh-gia/" not in client.get(f"/ho-so/{in_progress.public_id}/").content.decode()
    assert not Rating.objects.exists()
