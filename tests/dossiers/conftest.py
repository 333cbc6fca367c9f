import pytest

from egov.dossiers import services

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def record_version(catalogue):
    """The judicial record procedure: received by the city, 10 working days, a 200,000 đ fee."""
    return catalogue["record"]


@pytest.fixture
def draft(record_version, citizen):
    agency = services.receiving_agency_for(record_version)
    return services.start(applicant=citizen, version=record_version, agency=agency)


@pytest.fixture
def complete_draft(draft, citizen, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    services.save_answers(
        draft,
        applicant=citizen,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    requirement = draft.procedure_version.requirements.get()
    services.attach(
        draft, applicant=citizen, requirement_id=requirement.pk, name="to-khai.pdf", data=PDF
    )
    return draft
