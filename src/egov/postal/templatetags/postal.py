from dataclasses import dataclass

from django import template
from django.db.models import Prefetch

from egov.dossiers.models import Channel
from egov.postal.models import PostalRequest, Shipment, ShipmentEvent
from egov.postal.services import RESULT_STATUSES

register = template.Library()


@dataclass(frozen=True)
class PostalState:
    request: PostalRequest | None
    shipments: list[Shipment]
    can_hand_over: bool


@register.simple_tag
def postal_state(dossier) -> PostalState:
    """What the post does for a dossier, for the portal's and the back office's panels."""
    request = (
        PostalRequest.objects.filter(dossier=dossier)
        .select_related("address_province", "address_commune")
        .first()
    )
    shipments = list(
        Shipment.objects.filter(dossier=dossier).prefetch_related(
            Prefetch(
                "events", queryset=ShipmentEvent.objects.filter(applied=True), to_attr="history"
            )
        )
    )
    open_delivery = any(
        s.direction == Shipment.Direction.DELIVERY and s.status != Shipment.Status.RETURNED
        for s in shipments
    )
    can_hand_over = (
        request is not None
        and dossier.result_delivery == Channel.POST
        and dossier.status in RESULT_STATUSES
        and not open_delivery
    )
    return PostalState(request, shipments, can_hand_over)
