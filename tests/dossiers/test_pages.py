"""The citizen's journey through the pages, and what others cannot see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.dossiers.models import Dossier
from tests.conftest import EICAR
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db


def _upload(name, data, kind="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=kind)


def test_citizen_submits_a_dossier_through_the_pages(
    client, citizen, record_version, settings, clamd_socket
):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    client.force_login(citizen)
    start = client.get("/thu-tuc/2.000488/nop-truc-tuyen/")
    token = start.context["form"].initial["token"]
    first = client.post("/thu-tuc/2.000488/nop-truc-tuyen/", {"token": token})
    again = client.post("/thu-tuc/2.000488/nop-truc-tuyen/", {"token": token})  # double click
    assert first["Location"] == again["Location"]
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    base = f"/ho-so/{dossier.public_id}"

    wrong = client.post(f"{base}/to-khai/", {"ho_ten_tre": "", "ngay_sinh": "05/01/2026"})
    assert "error-summary" in wrong.content.decode()
    saved = client.post(
        f"{base}/to-khai/",
        {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    assert saved["Location"] == f"{base}/giay-to/"

    requirement = record_version.requirements.get()
    refused = client.post(
        f"{base}/giay-to/",
        {"requirement": requirement.pk, "file": _upload("to-khai.pdf", PDF + EICAR)},
        follow=True,
    )
    assert "virus" in refused.content.decode()
    assert not dossier.attachments.exists()
    renamed = client.post(
        f"{base}/giay-to/",
        {"requirement": requirement.pk, "file": _upload("to-khai.pdf", b"MZ\x90 exe")},
        follow=True,
    )
    assert "pdf" in renamed.content.decode() and not dossier.attachments.exists()
    client.post(
        f"{base}/giay-to/", {"requirement": requirement.pk, "file": _upload("to-khai.pdf", PDF)}
    )
    assert dossier.attachments.count() == 1

    no_address = client.post(f"{base}/nhan-ket-qua/", {"result_delivery": "post"})
    assert "error-summary" in no_address.content.decode()
    client.post(f"{base}/nhan-ket-qua/", {"result_delivery": "online"})
    review = client.get(f"{base}/kiem-tra/").content.decode()
    assert "Nguyễn Văn An" in review and "200.000 đ" in review
    submitted = client.post(f"{base}/kiem-tra/")
    assert submitted["Location"] == f"{base}/"
    dossier.refresh_from_db()
    assert dossier.code.startswith("000.00.00.H13-")
    page = client.get(f"{base}/").content.decode()
    assert dossier.code in page
    assert dossier.code in client.get("/ho-so/").content.decode()


def test_other_people_get_404(client, complete_draft, make_staff, agencies):
    from egov.accounts import services as accounts

    other = accounts.create_user(
        actor=None, username="khac", password="x" * 12, kind="citizen", email="khac@example.vn"
    )
    client.force_login(other)
    base = f"/ho-so/{complete_draft.public_id}"
    for url in (f"{base}/", f"{base}/to-khai/", f"{base}/giay-to/", f"{base}/kiem-tra/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{base}/kiem-tra/").status_code == 404
    client.force_login(make_staff("canbo", agencies["justice"]))
    assert client.get(f"{base}/").status_code == 404


def test_public_tracking_shows_no_personal_data(client, complete_draft, citizen):
    from egov.dossiers import services

    dossier = services.submit(complete_draft, applicant=citizen)
    page = client.get("/tra-cuu/", {"ma": dossier.code}).content.decode()
    assert dossier.get_status_display() in page
    assert citizen.full_name not in page and "Nguyễn Văn An" not in page
    body = client.get(f"/api/v1/tracking/{dossier.code}").json()
    assert body["code"] == dossier.code and body["status"] == "submitted"
    assert "applicant" not in body and "form_data" not in body
    assert "Nguyễn" not in str(body)
    assert client.get("/api/v1/tracking/000.00.00.H13-000101-0001").status_code == 404
    bad = client.get("/tra-cuu/", {"ma": "abc"}).content.decode()
    assert "000.00.30.H13-261207-0001" in bad  # the error shows the expected form


def test_tracking_is_rate_limited(client, db, time_machine):
    # The limit counts per minute: the clock stands still so that the 31 requests cannot fall
    # on both sides of a minute's end (CI once saw the 31st answered).
    time_machine.move_to("2026-11-30T09:00:10+07:00", tick=False)
    for _ in range(30):
        client.get("/api/v1/tracking/000.00.00.H13-000101-0001")
    assert client.get("/api/v1/tracking/000.00.00.H13-000101-0001").status_code == 429
    # The page counts against the same limit: the API used it up, the page refuses too.
    refused = client.get("/tra-cuu/", {"ma": "000.00.00.H13-000101-0001"})
    assert refused.status_code == 429


def test_tracking_page_and_api_share_one_limit_per_address(client, db, time_machine, settings):
    time_machine.move_to("2026-11-30T09:00:10+07:00", tick=False)
    settings.EGOV_TRACKING_RATE = "6/m"
    code = "000.00.00.H13-000101-0001"
    for _ in range(3):
        assert client.get("/tra-cuu/", {"ma": code}).status_code == 200
        assert client.get(f"/api/v1/tracking/{code}").status_code == 404
    # Six look-ups through both doors: the seventh is refused whichever door it knocks on.
    assert client.get(f"/api/v1/tracking/{code}").status_code == 429
    assert client.get("/tra-cuu/", {"ma": code}).status_code == 429
    # Another address has its own count.
    other = client.get("/tra-cuu/", {"ma": code}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
    # The next minute starts a new count.
    time_machine.move_to("2026-11-30T09:01:10+07:00", tick=False)
    assert client.get("/tra-cuu/", {"ma": code}).status_code == 200


def test_withdraw_from_the_page(client, complete_draft, citizen):
    from egov.dossiers import services

    dossier = services.submit(complete_draft, applicant=citizen)
    client.force_login(citizen)
    page = client.get(f"/ho-so/{dossier.public_id}/").content.decode()
    assert f"/ho-so/{dossier.public_id}/rut/" in page
    client.post(f"/ho-so/{dossier.public_id}/rut/", {"reason": "Nộp nhầm"})
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert (
        f"/ho-so/{dossier.public_id}/rut/"
        not in client.get(f"/ho-so/{dossier.public_id}/").content.decode()
    )
