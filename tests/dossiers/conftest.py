import datetime
from zoneinfo import ZoneInfo

import pytest

from egov.accounts.models import Role
from egov.dossiers import reception, services
from tests.catalog_fixtures import make_procedure
from tests.signatures.fixtures import (  # noqa: F401 - signing a result needs the dev PKI
    agency_issued,
    dev_pki,
    import_agency_certificate,
    pki_settings,
)

# A blank A4 page, as pikepdf writes it: uploads are opened and inspected, so it must be whole.
PDF = (
    b"%PDF-1.3\n%\xbf\xf7\xa2\xfe\n1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n"
    b"2 0 obj\n<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>\nendobj\n3 0 obj\n<< /Contents 4 0 R "
    b"/MediaBox [ 0 0 595 842 ] /Parent 2 0 R /Resources << >> /Type /Page >>\nendobj\n"
    b"4 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n"
    b"0000000015 00000 n \n0000000064 00000 n \n0000000123 00000 n \n0000000229 00000 n \n"
    b"trailer << /Root 1 0 R /Size 5 >>\nstartxref\n278\n%%EOF\n"
)
MONDAY = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


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


@pytest.fixture
def people(make_staff, agencies):
    city, justice, health = agencies["city"], agencies["justice"], agencies["health"]
    return {
        "desk": make_staff("motcua", city, Role.DESK_OFFICER, full_name="Lê Thị Một Cửa"),
        "specialist": make_staff("chuyenvien", justice, Role.SPECIALIST, full_name="Trần Chuyên"),
        "colleague": make_staff("dongnghiep", justice, Role.SPECIALIST),
        "head": make_staff("truongphong", justice, Role.APPROVER),
        "leader": make_staff("giamdoc", justice, Role.LEADER, full_name="Phạm Giám Đốc"),
        "health": make_staff("yte", health, Role.SPECIALIST),
        "city_specialist": make_staff("cvthanhpho", city, Role.SPECIALIST),
    }


@pytest.fixture
def consulted_version(agencies):
    """Received by the city, processed and approved by Justice, consulting Health: 8 days."""
    return make_procedure(
        "2.000999",
        "Thủ tục có lấy ý kiến",
        owner=agencies["justice"],
        level="province",
        time_limit=8,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        workflow=[
            {"code": "nhan", "action": "receive", "role": "desk_officer", "duration": "0.5"},
            {"code": "xu-ly", "action": "process", "role": "specialist", "duration": "4"},
            {
                "code": "y-kien",
                "action": "consult",
                "role": "specialist",
                "agency_role": "other",
                "agency": agencies["health"].code,
                "duration": "2",
            },
            {"code": "duyet", "action": "approve", "role": "leader", "duration": "1"},
            {"code": "tra", "action": "return", "role": "desk_officer", "duration": "0.5"},
        ],
    )


def submitted_dossier(version, citizen, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    services.save_answers(
        dossier,
        applicant=citizen,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    requirement = version.requirements.get()
    services.attach(
        dossier, applicant=citizen, requirement_id=requirement.pk, name="a.pdf", data=PDF
    )
    return services.submit(dossier, applicant=citizen)


@pytest.fixture
def received(consulted_version, citizen, settings, people, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    dossier = submitted_dossier(consulted_version, citizen, settings)
    return reception.receive(dossier, officer=people["desk"])
