"""Fees are assessed when the desk receives a dossier, or at submission when its procedure asks
for payment first. Runs inside the dossier service's transaction."""

from django.dispatch import receiver

from egov.dossiers import signals
from egov.payments import services


@receiver(signals.dossier_submitted)
def on_submitted(sender, *, dossier, **kwargs):
    if dossier.procedure_version.payment_first:
        services.assess(dossier)


@receiver(signals.dossier_received)
def on_received(sender, *, dossier, **kwargs):
    services.assess(dossier)
