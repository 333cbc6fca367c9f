"""Dossier events → messages to the citizen. Runs inside the dossier service's transaction, so a
message is queued exactly when the state change commits."""

from django.dispatch import receiver

from egov.dossiers import signals
from egov.dossiers.receipts import tracking_url
from egov.notifications.services import notify


def _common(dossier) -> dict:
    return {
        "citizen_name": dossier.applicant.full_name or dossier.applicant.username,
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure_version.name,
        "agency_name": dossier.receiving_agency.name,
        "tracking_url": tracking_url(dossier),
    }


@receiver(signals.dossier_received)
def on_received(sender, *, dossier, **kwargs):
    notify(
        "dossier.received",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "received_at": dossier.received_at,
            "appointment_date": dossier.due_at.date() if dossier.due_at else None,
        },
    )


@receiver(signals.supplement_requested)
def on_supplement(sender, *, dossier, request, **kwargs):
    notify(
        "dossier.supplement_requested",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "items": request.items,
            "note": request.note,
            "deadline": None,
        },
    )


@receiver(signals.dossier_refused)
def on_refused(sender, *, dossier, reason, **kwargs):
    notify(
        "dossier.refused",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={**_common(dossier), "reason": reason},
    )
