import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import Role
from egov.dossiers import services
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(complete_draft, citizen):
    return services.submit(complete_draft, applicant=citizen)


def test_desk_receives_and_the_citizen_downloads_the_receipt(
    client, submitted, citizen, make_staff, agencies
):
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    client.force_login(officer)
    queue = client.get("/staff/dossiers/").content.decode()
    assert submitted.code in queue
    page = client.get(f"/staff/dossiers/{submitted.public_id}/").content.decode()
    assert "Nguyễn Văn An" in page  # the answers
    client.post(f"/staff/dossiers/{submitted.public_id}/receive/", {"revision": submitted.revision})
    submitted.refresh_from_db()
    assert submitted.status == "in_progress"
    receipt = submitted.attachments.get(kind="receipt")
    file = client.get(f"/staff/dossiers/{submitted.public_id}/files/{receipt.pk}/")
    assert b"".join(file.streaming_content).startswith(b"%PDF")

    client.force_login(citizen)
    detail = client.get(f"/ho-so/{submitted.public_id}/").content.decode()
    assert f"/ho-so/{submitted.public_id}/tep/{receipt.pk}/" in detail
    mine = client.get(f"/ho-so/{submitted.public_id}/tep/{receipt.pk}/")
    assert b"".join(mine.streaming_content).startswith(b"%PDF")


def test_stale_page_gets_a_clear_message(client, submitted, make_staff, agencies):
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    client.force_login(officer)
    old = submitted.revision
    client.post(f"/staff/dossiers/{submitted.public_id}/receive/", {"revision": old})
    answer = client.post(
        f"/staff/dossiers/{submitted.public_id}/refuse/",
        {"revision": old, "reason": "x"},
        follow=True,
    ).content.decode()
    assert "người khác" in answer


def test_neighbour_desk_and_citizens_get_404(client, submitted, make_staff, agencies, citizen):
    client.force_login(make_staff("khac", agencies["health"], Role.DESK_OFFICER))
    assert submitted.code not in client.get("/staff/dossiers/").content.decode()
    assert client.get(f"/staff/dossiers/{submitted.public_id}/").status_code == 404
    assert (
        client.post(
            f"/staff/dossiers/{submitted.public_id}/receive/", {"revision": submitted.revision}
        ).status_code
        == 404
    )
    client.force_login(citizen)
    assert client.get(f"/staff/dossiers/{submitted.public_id}/").status_code == 403


def test_supplement_through_the_pages(client, submitted, citizen, make_staff, agencies):
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    client.force_login(officer)
    client.post(
        f"/staff/dossiers/{submitted.public_id}/supplement/",
        {"revision": submitted.revision, "items": "Giấy chứng sinh\nTờ khai có chữ ký", "note": ""},
    )
    client.force_login(citizen)
    page = client.get(f"/ho-so/{submitted.public_id}/").content.decode()
    assert "Giấy chứng sinh" in page and "Tờ khai có chữ ký" in page
    requirement = submitted.procedure_version.requirements.get()
    client.post(
        f"/ho-so/{submitted.public_id}/giay-to/",
        {"requirement": requirement.pk, "file": SimpleUploadedFile("bo-sung.pdf", PDF)},
    )
    client.post(f"/ho-so/{submitted.public_id}/bo-sung/")
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
