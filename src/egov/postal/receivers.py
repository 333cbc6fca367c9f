"""Dossier events → postal work. Runs inside the dossier service's transaction."""

from django.dispatch import receiver

from egov.dossiers import signals
from egov.postal import services


@receiver(signals.dossier_submitted)
def on_submitted(sender, *, dossier, **kwargs):
    services.request_pick_up(dossier)
