"""Fills the outbox from the dossiers app's domain event, in the transaction of the change."""

from typing import Any

from django.dispatch import receiver

from egov.dossiers import signals as dossier_signals
from egov.dossiers.models import Dossier
from egov.national_portal import outbox


@receiver(dossier_signals.dossier_changed, dispatch_uid="national_portal.dossier_changed")
def _on_dossier_changed(
    sender: object, dossier: Dossier, action: str = "", transition: str = "", **kwargs: Any
) -> None:
    if outbox.enabled():
        outbox.enqueue(dossier, transition=transition, action=action)
