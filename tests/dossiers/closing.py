"""A dossier brought to its end for tests of what follows (downloads, ratings).

Submission and receipt go through the services. The result and its return are put in place the
way the back office leaves them (a result file, status returned, the officer assigned) until the
processing services replace these lines (issue 5).
"""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from egov.dossiers import reception, services
from egov.dossiers.models import Attachment, Dossier, DossierEvent
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


def received(version, applicant, officer):
    return reception.receive(submitted(version, applicant), officer=officer)


def returned(version, applicant, officer, *, when=None):
    dossier = received(version, applicant, officer)
    when = when or timezone.now()
    result = Attachment(
        dossier=dossier,
        province_code=dossier.province_code,
        kind=Attachment.Kind.RESULT,
        original_name=f"{dossier.code}-ket-qua.pdf",
        extension="pdf",
        mime="application/pdf",
        size=len(RESULT_PDF),
        sha256=hashlib.sha256(RESULT_PDF).hexdigest(),
    )
    result.file.save("result.pdf", ContentFile(RESULT_PDF), save=False)
    result.save()
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RETURNED, decided_at=when, returned_at=when, assignee=officer
    )
    DossierEvent.objects.create(dossier=dossier, status=Dossier.Status.RETURNED)
    dossier.refresh_from_db()
    return dossier
