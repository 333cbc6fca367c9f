"""The review page, the staff dossier page and the drafted result show an option's label,
never its code (issue 24)."""

import pytest

from egov.accounts.models import Role
from egov.dossiers import forms as dossier_forms
from egov.dossiers import services
from tests.catalog_fixtures import make_procedure
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db

RECORD_FORM = [
    {"name": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "string", "required": True},
    {
        "name": "loai_phieu",
        "label": "Loại Phiếu",
        "type": "enum",
        "required": True,
        "choices": ["phieu_so_1", "phieu_so_2"],
        "choice_labels": ["Phiếu lý lịch tư pháp số 1", "Phiếu lý lịch tư pháp số 2"],
    },
    {"name": "can_xac_nhan", "label": "Cần xác nhận", "type": "boolean"},
]


@pytest.fixture
def submitted(agencies, citizen, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    version = make_procedure(
        "3.000333",
        "Cấp Phiếu Lý lịch tư pháp",
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        form=RECORD_FORM,
    )
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    services.save_answers(
        dossier, applicant=citizen, answers={"ho_ten": "Lê Văn Bình", "loai_phieu": "phieu_so_2"}
    )
    requirement = version.requirements.get()
    services.attach(
        dossier, applicant=citizen, requirement_id=requirement.pk, name="to-khai.pdf", data=PDF
    )
    return dossier


def test_the_form_offers_labels(client, citizen, submitted):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{submitted.public_id}/to-khai/").content.decode()
    assert 'value="phieu_so_1"' in page
    assert "Phiếu lý lịch tư pháp số 1" in page
    assert ">phieu_so_1<" not in page


def test_the_review_page_shows_the_label(client, citizen, submitted):
    client.force_login(citizen)
    page = client.get(f"/ho-so/{submitted.public_id}/kiem-tra/").content.decode()
    assert "Phiếu lý lịch tư pháp số 2" in page
    assert "phieu_so_2" not in page


def test_the_staff_page_and_the_drafted_result_show_the_label(
    client, citizen, submitted, make_staff, agencies, monkeypatch
):
    dossier = services.submit(submitted, applicant=citizen)
    client.force_login(make_staff("motcua", agencies["city"], Role.DESK_OFFICER))
    page = client.get(f"/staff/dossiers/{dossier.public_id}/").content.decode()
    assert "Phiếu lý lịch tư pháp số 2" in page
    assert "phieu_so_2" not in page

    seen = {}
    monkeypatch.setattr(
        dossier_forms, "render_pdf", lambda template, context: seen.update(context) or b"%PDF"
    )
    dossier_forms.result_pdf(dossier, officer=None)
    assert ("Loại Phiếu", "Phiếu lý lịch tư pháp số 2") in seen["answers"]
    assert ("Cần xác nhận", None) in seen["answers"]
