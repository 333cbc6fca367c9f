"""Public tracking by code. Only what the receipt already shows: no name, no address, no file."""

import re

from egov.dossiers.models import Dossier

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,6}$")


def lookup(code: str) -> dict | None:
    code = code.strip().upper()
    if not CODE.match(code):
        return None  # not a code: nothing to look up
    dossier = (
        Dossier.objects.exclude(status=Dossier.Status.DRAFT)
        .select_related("procedure_version", "receiving_agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        return None
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.receiving_agency.name,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.due_at,
        "history": [
            {"at": event.at, "status": event.status, "status_label": event.get_status_display()}
            for event in dossier.events.all()
        ],
    }
