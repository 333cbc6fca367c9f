"""The dossier events other systems may subscribe to on the data sharing platform
(egov.exchange.webhooks). Dossiers publish them; the platform knows nothing of dossiers. The
payload names the dossier and its agencies, never the applicant (personal data stays here)."""

from collections.abc import Callable
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from egov.dossiers import signals
from egov.exchange import webhooks


def _payload(dossier: Any) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "status": dossier.status,
        "receiving_agency": dossier.receiving_agency.code if dossier.receiving_agency else None,
        "province_code": dossier.province_code,
        "at": timezone.now().isoformat(),
    }


def _publisher(event: str) -> Callable[..., None]:
    def publish(sender: Any, dossier: Any, **kwargs: Any) -> None:
        webhooks.publish(event, _payload(dossier))

    return publish


for _signal, _event in (
    (signals.dossier_submitted, "dossier.submitted"),
    (signals.dossier_received, "dossier.received"),
    (signals.supplement_requested, "dossier.supplement_requested"),
    (signals.dossier_refused, "dossier.refused"),
    (signals.result_issued, "dossier.result_issued"),
    (signals.result_returned, "dossier.result_returned"),
    (signals.dossier_withdrawn, "dossier.withdrawn"),
):
    receiver(_signal, weak=False, dispatch_uid=f"exchange:{_event}")(_publisher(_event))
