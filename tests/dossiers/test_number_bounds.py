"""Every e-form number is bounded (the form's maximum, or the platform's ceiling), refused at
submission with the field named, and fees are checked before they reach the ledger: a number of
copies of 10^30 used to submit, then make every receipt a server error."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from egov.accounts import tokens
from egov.accounts.models import Role
from egov.catalog import fees
from egov.dossiers import reception, services
from egov.dossiers.models import Dossier
from egov.payments.models import PaymentOrder
from tests.catalog_fixtures import make_procedure
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db

COPIES_FORM = [
    {"name": "so_ban", "label": "Số bản sao", "type": "integer", "required": True},
]
PER_COPY = {
    "name": "Lệ phí cấp bản sao",
    "kind": "le_phi",
    "amount": 0,
    "rule": {"type": "per_unit", "field": "so_ban", "amount": 20000},
}


@pytest.fixture
def version(agencies, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    return make_procedure(
        "2.000900",
        "Cấp bản sao trích lục",
        owner=agencies["justice"],
        form=COPIES_FORM,
        fees=[PER_COPY],
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        level="province",
    )


@pytest.fixture
def api(client, citizen, version):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {tokens.create(citizen, name='t')[1]}"
    return client


def _draft(api, version, copies):
    created = api.post(
        "/api/v1/dossiers",
        {"procedure_code": version.procedure.code, "answers": {"so_ban": copies}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    dossier = created.json()["id"]
    requirement = version.requirements.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    attached = api.post(
        f"/api/v1/dossiers/{dossier}/attachments",
        {"requirement_id": requirement.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert attached.status_code == 201
    return created.json(), dossier


@pytest.mark.parametrize("copies", [10**30, 10**15, -5])
def test_a_number_out_of_bounds_is_refused_at_submission_naming_the_field(api, version, copies):
    created, dossier = _draft(api, version, copies)
    assert "so_ban" in created["answer_errors"]
    submitted = api.post(f"/api/v1/dossiers/{dossier}/submit")
    assert submitted.status_code == 422
    assert "Số bản sao" in submitted.json()["title"]
    assert Dossier.objects.get(public_id=dossier).status == Dossier.Status.DRAFT


def test_the_ceiling_applies_where_the_form_gives_no_maximum(settings):
    settings.EGOV_EFORM_NUMBER_MAX = 1000
    from egov.catalog import eforms

    schema, _ui = eforms.schema_from_fields(COPIES_FORM)
    assert eforms.validate_data(schema, {"so_ban": 1000}) == {}
    assert eforms.validate_data(schema, {"so_ban": 1001}) == {
        "so_ban": ["Vui lòng nhập giá trị không quá 1000."]
    }
    schema["properties"]["so_ban"]["maximum"] = 5000  # the form's own bound wins
    assert eforms.validate_data(schema, {"so_ban": 4000}) == {}


def test_a_fee_too_large_is_refused_at_submission_with_the_field_named(api, version):
    """10^11 copies is under the ceiling, but 20,000 đ each is 2 × 10^15 đ."""
    _created, dossier = _draft(api, version, 10**11)
    submitted = api.post(f"/api/v1/dossiers/{dossier}/submit")
    assert submitted.status_code == 422
    assert "Số bản sao" in submitted.json()["title"]
    assert "Lệ phí cấp bản sao" in submitted.json()["title"]


def test_the_form_check_names_the_field_of_a_fee_too_large(client, version):
    response = client.post(
        f"/api/v1/procedures/{version.procedure.code}/form-check",
        {"so_ban": 10**11},
        content_type="application/json",
    )
    body = response.json()
    assert body["valid"] is False and "Số bản sao" in body["errors"]["so_ban"][0]


def test_not_a_number_is_refused_and_not_stored(api, version):
    response = api.post(
        "/api/v1/dossiers",
        data=b'{"procedure_code": "2.000900", "answers": {"so_ban": NaN}}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Dossier.objects.count() == 0


def test_a_dossier_submitted_before_the_bounds_is_refused_at_receipt_not_a_crash(
    version, citizen, make_staff, agencies, settings
):
    """A dossier stuck in the desk's queue from before: receiving it says what is wrong and
    writes nothing, instead of a server error on every try."""
    agency = services.receiving_agency_for(version)
    draft = services.start(applicant=citizen, version=version, agency=agency)
    requirement = version.requirements.get()
    services.attach(draft, applicant=citizen, requirement_id=requirement.pk, name="a.pdf", data=PDF)
    Dossier.objects.filter(pk=draft.pk).update(
        form_data={"so_ban": 10**30}, status=Dossier.Status.SUBMITTED, code="X-1"
    )
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError) as refused:
        reception.receive(Dossier.objects.get(pk=draft.pk), officer=officer)
    assert isinstance(refused.value, fees.FeeTooLarge)
    assert Dossier.objects.get(pk=draft.pk).status == Dossier.Status.SUBMITTED
    assert not PaymentOrder.objects.exists()
    # The receipt (form 01, personal data) drawn before the failure is not left on disk.
    receipts = [path for path in Path(settings.MEDIA_ROOT).rglob("*-01.pdf")]
    assert receipts == []


def test_an_ordinary_number_of_copies_is_assessed(api, version):
    _created, dossier = _draft(api, version, 3)
    assert api.post(f"/api/v1/dossiers/{dossier}/submit").status_code == 200
    lines = fees.compute(version.fees.all(), {"so_ban": 3}, version.form_schema)
    assert [line.amount for line in lines] == [60000]
