"""A dossier brought to its end through the services, for tests of what follows (downloads,
ratings): the judicial record procedure, received by the city's desk, processed by a specialist
of Justice, returned by the desk."""

from egov.accounts.models import Role
from egov.dossiers import processing, reception, services
from egov.dossiers.models import Dossier
from tests.dossiers.conftest import PDF

RESULT_PDF = PDF.replace(b"1 0 obj", b"1 0 obj % ket qua")


def submitted(version, applicant):
    agency = services.receiving_agency_for(version)
    dossier = services.start(applicant=applicant, version=version, agency=agency)
    services.save_answers(
        dossier,
        applicant=applicant,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    requirement = version.requirements.get()
    services.attach(
        dossier, applicant=applicant, requirement_id=requirement.pk, name="to-khai.pdf", data=PDF
    )
    return services.submit(dossier, applicant=applicant)


def received(version, applicant, people):
    return reception.receive(submitted(version, applicant), officer=people["desk"])


def result_ready(version, applicant, people):
    specialist = people["specialist"]
    dossier = processing.take(received(version, applicant, people), actor=specialist)
    processing.attach_result(dossier, actor=specialist, name="ket-qua.pdf", data=RESULT_PDF)
    return processing.advance(Dossier.objects.get(pk=dossier.pk), actor=specialist)


def returned(version, applicant, people):
    return processing.return_result(result_ready(version, applicant, people), actor=people["desk"])


def staff(make_staff, agencies) -> dict:
    """The desk officer and the specialist these dossiers need (for packages without
    tests/dossiers/conftest.py's ``people``)."""
    return {
        "desk": make_staff("motcua", agencies["city"], Role.DESK_OFFICER),
        "specialist": make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST),
    }
