from dataclasses import dataclass

from django import template
from django.db.models import Prefetch

from egov.postal import services
from egov.postal.models import PostalRequest, Shipment, ShipmentEvent

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
    open_delivery = next(
        (
            s
            for s in shipments
            if s.direction == Shipment.Direction.DELIVERY and s.status != Shipment.Status.RETURNED
        ),
        None,
    )
    can_hand_over = services.why_not_hand_over(dossier, request, open_delivery) is None
    return PostalState(request, shipments, can_hand_over)
