"""The store follows the dossiers: submitted papers and issued results join it."""

from typing import Any

from django.dispatch import receiver

from egov.digitization import services
from egov.dossiers import signals
from egov.dossiers.models import Attachment, Dossier


@receiver(signals.result_issued)
def on_result_issued(
    sender: Any, *, dossier: Dossier, result: Attachment | None = None, **kwargs: Any
) -> None:
    services.record_result(dossier, result)


@receiver(signals.dossier_submitted)
def on_dossier_submitted(sender: Any, *, dossier: Dossier, **kwargs: Any) -> None:
    services.record_submission(dossier)
