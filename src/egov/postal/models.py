"""Public postal service (bưu chính công ích, Quyết định 45/2016/QĐ-TTg): the citizen's request
that the post picks up the dossier's papers and/or delivers the result, and the shipments that
carry them, with the status history the postal operator reports.

Dossier-side tables: every row carries the province code (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier
from egov.organizations.models import AdministrativeUnit, Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class WeightClass(models.TextChoices):
    """The weight steps of the tariff (postal/data/tariff_demo.json prices each one)."""

    UP_TO_250G = "250g", _("Up to 250 g (a few sheets)")
    UP_TO_500G = "500g", _("250 g to 500 g")
    UP_TO_1KG = "1kg", _("500 g to 1 kg")
    UP_TO_2KG = "2kg", _("1 kg to 2 kg")


class PostalRequest(models.Model):
    """What the citizen asked of the post for one dossier, and the address it concerns.

    The address is built on the administrative units in force when it was given (a province and
    one of its communes, wards or special zones since the two-tier reform) plus the street part.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="postal_request")
    province_code = models.CharField(max_length=3, default=_province)
    pick_up = models.BooleanField(_("papers picked up by post"), default=False)
    deliver_result = models.BooleanField(_("result delivered by post"), default=False)
    recipient_name = models.CharField(_("recipient's name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=15)
    street = models.CharField(_("house number, street, hamlet or quarter"), max_length=300)
    address_province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("province or centrally run city"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address_commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune, ward or special zone"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight_class = models.CharField(
        _("weight of the papers"),
        max_length=5,
        choices=WeightClass.choices,
        default=WeightClass.UP_TO_250G,
    )
    # The fees quoted to the citizen before submitting, in VND (the post collects them).
    pick_up_fee = models.PositiveIntegerField(default=0)
    delivery_fee = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("postal request")
        verbose_name_plural = _("postal requests")

    def __str__(self) -> str:
        return f"{self.dossier} {self.formatted_address}"

    @property
    def formatted_address(self) -> str:
        return f"{self.street}, {self.address_commune.name}, {self.address_province.name}"

    @property
    def total_fee(self) -> int:
        return self.pick_up_fee + self.delivery_fee


class Shipment(models.Model):
    """One parcel the postal operator carries for a dossier, in one direction."""

    class Direction(models.TextChoices):
        PICK_UP = "pick_up", _("Papers from the applicant to the agency")
        DELIVERY = "delivery", _("Result from the agency to the applicant")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the postal operator to confirm")
        BOOKED = "booked", _("Booked with the post")
        PICKED_UP = "picked_up", _("Picked up by the postman")
        IN_TRANSIT = "in_transit", _("On the way")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Pick-up or delivery attempt failed")
        RETURNED = "returned", _("Returned to the sender")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province, db_index=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="shipments")
    # The agency that receives the papers or sends the result: staff access is scoped on it.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=40, unique=True, null=True, blank=True
    )
    fee = models.PositiveIntegerField(_("postal fee (VND)"), default=0)
    # The applicant's side as given when the shipment was requested.
    recipient_name = models.CharField(max_length=200)
    phone = models.CharField(max_length=15)
    address = models.CharField(max_length=600)
    commune_code = models.CharField(max_length=10)
    address_province_code = models.CharField(max_length=3)
    weight_class = models.CharField(max_length=5, choices=WeightClass.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    # When the operator says the current status happened: older reports are ignored.
    status_at = models.DateTimeField(null=True, blank=True)
    booking_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            # A parcel returned to the sender may be sent again; otherwise one per direction.
            models.UniqueConstraint(
                fields=["dossier", "direction"],
                condition=~Q(status="returned"),
                name="shipment_one_open_per_direction",
            )
        ]
        indexes = [models.Index(fields=["agency", "direction", "created_at"])]

    def __str__(self) -> str:
        return self.tracking_number or str(self.public_id)

    def timeline(self):
        """The statuses that took effect, oldest first (what the citizen and the desk see)."""
        return self.events.filter(applied=True)


class ShipmentEvent(models.Model):
    """A status the operator reported (or the booking): applied, or kept and ignored when it
    arrived out of order. The operator's event id makes a replayed webhook change nothing."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    province_code = models.CharField(max_length=3, default=_province)
    status = models.CharField(max_length=12, choices=Shipment.Status.choices)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    event_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    applied = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("shipment event")
        verbose_name_plural = _("shipment events")

    def __str__(self) -> str:
        return f"{self.shipment} {self.status}"


class SimulatedOrder(models.Model):
    """An order held by the local postal operator simulator (development and tests only; the
    simulator's views answer 404 unless EGOV_POSTAL_SIMULATOR is on, never in production)."""

    tracking_number = models.CharField(max_length=13, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    reference = models.CharField(max_length=100)
    direction = models.CharField(max_length=10)
    status = models.CharField(max_length=12, default="booked")
    payload = models.JSONField()
    callback_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.tracking_number
