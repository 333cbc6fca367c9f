"""The declaration the e-form stands for is not asked for again as a file (issue 24)."""

import json
from importlib.resources import files

import pytest
from django.template.loader import render_to_string

from egov.accounts.models import Role
from egov.catalog.models import DocumentRequirement
from egov.demo.catalog import version_data
from egov.dossiers import services

pytestmark = pytest.mark.django_db

ANSWERS = {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}


@pytest.fixture
def draft(catalogue, citizen):
    version = catalogue["record"]
    return services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )


@pytest.fixture
def answered(draft, citizen, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    services.save_answers(draft, applicant=citizen, answers=ANSWERS)
    draft.refresh_from_db()
    return draft


def _declaration_is_the_eform(dossier):
    DocumentRequirement.objects.filter(version=dossier.procedure_version).update(
        filled_by_eform=True
    )


def test_without_the_mark_the_declaration_file_is_asked_for(answered):
    assert [r.name for r in services.papers_to_attach(answered)] == ["Tờ khai"]
    assert any("Tờ khai" in problem for problem in services.missing_items(answered))


def test_the_filled_eform_stands_for_the_declaration(answered, citizen, client):
    _declaration_is_the_eform(answered)
    assert services.missing_items(answered) == []
    assert services.papers_to_attach(answered) == []
    client.force_login(citizen)
    page = client.get(f"/ho-so/{answered.public_id}/giay-to/").content.decode()
    assert 'type="file"' not in page  # nothing to upload for it
    assert f"/ho-so/{answered.public_id}/to-khai/" in page
    dossier = services.submit(answered, applicant=citizen)
    assert dossier.code


def test_an_unfilled_eform_does_not_count_as_provided(draft):
    _declaration_is_the_eform(draft)
    assert services.provided_by_eform(draft) == []
    assert any("tờ khai" in problem.lower() for problem in services.missing_items(draft))


def test_the_staff_sees_the_declaration_as_provided(
    answered, citizen, client, make_staff, agencies
):
    _declaration_is_the_eform(answered)
    dossier = services.submit(answered, applicant=citizen)
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    client.force_login(officer)
    page = client.get(f"/staff/dossiers/{dossier.public_id}/").content.decode()
    assert "Tờ khai: đã có, là tờ khai điện tử đã điền (ở trên)." in page
    assert "Chưa có tệp đính kèm" not in page

    receipt = render_to_string(
        "dossiers/receipt.html",
        {
            "dossier": dossier,
            "requirements": dossier.procedure_version.requirements.all(),
            "attached": set(),
            "officer": officer,
        },
    )
    assert "Tờ khai điện tử" in receipt


def test_the_demo_marks_the_first_template_of_an_online_procedure():
    items = json.loads(files("egov.catalog").joinpath("data/demo_catalog.json").read_text())
    by_code = {item["code"]: item for item in items}
    birth = version_data(by_code["1.001193"])["requirements"]
    assert [r["name"] for r in birth if r["filled_by_eform"]] == ["Tờ khai đăng ký khai sinh"]
    counter_only = version_data(by_code["2.000815"])["requirements"]
    assert not any(r["filled_by_eform"] for r in counter_only)
    for item in items:
        marked = [r for r in version_data(item)["requirements"] if r["filled_by_eform"]]
        assert len(marked) <= 1, item["code"]
