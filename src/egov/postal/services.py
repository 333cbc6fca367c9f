"""Operations of the public postal service: the only code that changes postal records.

Each runs in one transaction with its audit record. Talking to the postal operator happens
outside any transaction: a shipment is written first (status "requested"), booked after the
commit by a task that retries while the operator cannot be reached.
"""

import dataclasses
import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit, events
from egov.dossiers import services as dossier_services
from egov.dossiers.models import Channel, Dossier
from egov.organizations.models import AdministrativeUnit
from egov.postal import signals, tariff
from egov.postal.models import PostalRequest, Shipment, ShipmentEvent, WeightClass
from egov.postal.operators import Order, Party, StatusReport, operator

logger = logging.getLogger(__name__)

S = Shipment.Status
# What may follow what. Reports may be lost, so a status may be skipped, never undone; a report
# older than the current status changes nothing either. Repeated "in transit" or "failed"
# reports are scans at successive post offices or successive attempts.
TRANSITIONS = {
    S.REQUESTED: set(),
    S.BOOKED: {S.PICKED_UP, S.IN_TRANSIT, S.FAILED, S.DELIVERED},
    S.PICKED_UP: {S.IN_TRANSIT, S.FAILED, S.DELIVERED, S.RETURNED},
    S.IN_TRANSIT: {S.IN_TRANSIT, S.FAILED, S.DELIVERED, S.RETURNED},
    S.FAILED: {S.IN_TRANSIT, S.FAILED, S.DELIVERED, S.RETURNED},
    S.DELIVERED: set(),
    S.RETURNED: set(),
}
# What the citizen is told about (the scans in between are on the dossier page).
NOTIFIED = {S.BOOKED, S.PICKED_UP, S.DELIVERED, S.FAILED, S.RETURNED}
# The result has been issued: it can go to the post (the desk's return records the rest).
RESULT_STATUSES = {Dossier.Status.RESULT_READY, Dossier.Status.RETURNED}
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")
SHIPMENT_AUDIT_FIELDS = ["direction", "status", "tracking_number", "fee"]
OPERATOR = "postal operator"  # the audit trail's actor for what the operator reports


class UnknownShipment(Exception):
    """No shipment has the tracking number a webhook names."""


@dataclasses.dataclass(frozen=True)
class Address:
    recipient_name: str
    phone: str
    street: str
    province_code: str
    commune_code: str


def clean_address(address: Address) -> tuple[Address, AdministrativeUnit, AdministrativeUnit]:
    """Checks every part at once; the commune must be one in force today in that province."""
    errors = {}
    name = " ".join(address.recipient_name.split())
    phone = re.sub(r"[\s.()-]", "", address.phone)
    street = " ".join(address.street.split())
    if not name:
        errors["recipient_name"] = _("Give the name of the person who hands over or receives.")
    if not PHONE.match(phone):
        errors["phone"] = _("Give a Vietnamese phone number, e.g. 0912345678.")
    if len(street) < 3:
        errors["street"] = _("Give the house number and street, or the hamlet or quarter.")
    if any(ord(ch) < 32 for ch in name + street):
        errors["street"] = _("The address contains invisible control characters; type it again.")
    today = timezone.localdate()
    province = (
        AdministrativeUnit.objects.as_of(today)
        .filter(code=address.province_code, level=AdministrativeUnit.Level.PROVINCE)
        .first()
    )
    commune = None
    if province is None:
        errors["province"] = _("Choose a province or centrally run city.")
    else:
        commune = (
            AdministrativeUnit.objects.as_of(today)
            .filter(
                code=address.commune_code,
                level=AdministrativeUnit.Level.COMMUNE,
                parent=province,
            )
            .first()
        )
        if commune is None:
            errors["commune"] = _(
                "Choose a commune, ward or special zone of %(province)s as they are today."
            ) % {"province": province.name}
    if errors:
        raise ValidationError(errors)
    clean = Address(name[:200], phone, street[:300], province.code, commune.code)
    return clean, province, commune


@transaction.atomic
def save_request(
    dossier: Dossier,
    *,
    applicant,
    result_delivery: str,
    pick_up: bool,
    address: Address | None,
    weight_class: str = WeightClass.UP_TO_250G,
    return_agency=None,
) -> PostalRequest | None:
    """The citizen's choice of delivery on a draft, with the postal address and quoted fees.

    The dossier keeps the formatted address in ``delivery_address`` for the code that reads it.
    """
    by_post = result_delivery == Channel.POST
    existing = PostalRequest.objects.filter(dossier=dossier).first()
    if not (by_post or pick_up):
        dossier_services.set_delivery(
            dossier,
            applicant=applicant,
            result_delivery=result_delivery,
            return_agency=return_agency,
        )
        if existing is not None:
            _audit_request(applicant, dossier, existing, removed=True)
            existing.delete()
        return None
    if address is None:
        raise ValidationError(_("Give the postal address."))
    if weight_class not in WeightClass.values:
        raise ValidationError({"weight_class": _("Choose the weight of the papers.")})
    clean, province, commune = clean_address(address)
    fees = tariff.quote(
        origin_province=dossier.province_code,
        destination_province=province.code,
        pick_up=pick_up,
        deliver_result=by_post,
        weight_class=weight_class,
    )
    request = existing or PostalRequest(dossier=dossier, province_code=dossier.province_code)
    request.pick_up = pick_up
    request.deliver_result = by_post
    request.recipient_name = clean.recipient_name
    request.phone = clean.phone
    request.street = clean.street
    request.address_province = province
    request.address_commune = commune
    request.weight_class = weight_class if pick_up else WeightClass.UP_TO_250G
    request.pick_up_fee = fees.amount(Shipment.Direction.PICK_UP)
    request.delivery_fee = fees.amount(Shipment.Direction.DELIVERY)
    # Refuses a dossier that is no longer a draft before anything is written.
    dossier_services.set_delivery(
        dossier,
        applicant=applicant,
        result_delivery=result_delivery,
        address=request.formatted_address if by_post else "",
        return_agency=return_agency,
    )
    request.save()
    _audit_request(applicant, dossier, request)
    return request


def _audit_request(actor, dossier, request: PostalRequest, removed: bool = False) -> None:
    # Unit codes and fees only: the street and phone stay out of the audit summary.
    summary = {
        "pick_up": request.pick_up,
        "deliver_result": request.deliver_result,
        "commune": request.address_commune.code,
        "weight_class": request.weight_class,
        "fees": [request.pick_up_fee, request.delivery_fee],
    }
    audit.record(
        actor=actor,
        action="postal.request_removed" if removed else "postal.request_saved",
        obj=dossier,
        agency_id=dossier.receiving_agency_id,
        before=summary if removed else None,
        after=None if removed else summary,
    )


def _open_shipment(dossier: Dossier, direction: str) -> Shipment | None:
    return (
        Shipment.objects.filter(dossier=dossier, direction=direction)
        .exclude(status=S.RETURNED)
        .first()
    )


def _create_shipment(dossier: Dossier, request: PostalRequest, direction: str, actor) -> Shipment:
    pick_up = direction == Shipment.Direction.PICK_UP
    shipment = Shipment.objects.create(
        province_code=dossier.province_code,
        dossier=dossier,
        agency=dossier.receiving_agency,
        direction=direction,
        fee=request.pick_up_fee if pick_up else request.delivery_fee,
        recipient_name=request.recipient_name,
        phone=request.phone,
        address=request.formatted_address,
        commune_code=request.address_commune.code,
        address_province_code=request.address_province.code,
        weight_class=request.weight_class if pick_up else tariff.RESULT_WEIGHT,
        requested_by=actor,
    )
    ShipmentEvent.objects.create(
        shipment=shipment,
        province_code=shipment.province_code,
        status=S.REQUESTED,
        occurred_at=shipment.created_at,
    )
    audit.record(
        actor=actor,
        action="postal.shipment_requested",
        obj=shipment,
        object_repr=f"{dossier.code} {direction}",
        agency_id=shipment.agency_id,
        after=audit.snapshot(shipment, SHIPMENT_AUDIT_FIELDS),
    )
    signals.shipment_requested.send(Shipment, shipment=shipment)
    transaction.on_commit(lambda: _schedule_booking(shipment.pk), robust=True)
    return shipment


def _schedule_booking(shipment_id: int) -> None:
    from egov.postal.tasks import book_shipment

    try:
        book_shipment.enqueue(shipment_id)
    except Exception:
        logger.exception("could not enqueue the booking of shipment %s", shipment_id)


@transaction.atomic
def request_pick_up(dossier: Dossier) -> Shipment | None:
    """On submission: the post comes for the papers when the applicant asked for it."""
    request = PostalRequest.objects.filter(dossier=dossier, pick_up=True).first()
    if request is None or _open_shipment(dossier, Shipment.Direction.PICK_UP):
        return None
    return _create_shipment(dossier, request, Shipment.Direction.PICK_UP, dossier.applicant)


def why_not_hand_over(
    dossier: Dossier, request: PostalRequest | None, open_delivery: Shipment | None
) -> str | None:
    """Why the desk cannot hand the dossier's result to the post now (None: it can)."""
    if dossier.result_delivery != Channel.POST:
        return _("The applicant did not ask for the result by post.")
    if dossier.status not in RESULT_STATUSES:
        return _("The result is not issued yet: hand it to the post once it is ready.")
    if request is None:
        return _(
            "The applicant gave no structured postal address; ask them to add it on the portal."
        )
    if open_delivery is not None:
        return _("The result was already handed to the post (%(number)s).") % {
            "number": open_delivery.tracking_number or _("waiting for the tracking number")
        }
    return None


@transaction.atomic
def hand_over_result(dossier: Dossier, officer) -> Shipment:
    """The desk hands the issued result to the post; the shipment is booked after the commit."""
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_agency")
        .get(pk=dossier.pk)
    )
    if not scoping.has_role(officer, Role.DESK_OFFICER, locked.receiving_agency):
        raise PermissionDenied
    request = PostalRequest.objects.filter(dossier=locked).first()
    problem = why_not_hand_over(
        locked, request, _open_shipment(locked, Shipment.Direction.DELIVERY)
    )
    if problem:
        raise ValidationError(problem)
    return _create_shipment(locked, request, Shipment.Direction.DELIVERY, officer)


def callback_url() -> str:
    return settings.EGOV_PUBLIC_BASE_URL.rstrip("/") + reverse("api:postal_webhook")


def _order(shipment: Shipment) -> Order:
    agency = shipment.agency
    desk = agency.desks.filter(is_active=True).first()
    unit = agency.unit
    office = Party(
        name=desk.name if desk else agency.name,
        phone=(desk.phone if desk else "") or agency.phone,
        # Without a street address, the post finds a commune's People's Committee by name.
        address=(desk.address if desk else "")
        or agency.address
        or ", ".join(filter(None, [agency.name, unit.name if unit else ""])),
        commune_code=unit.code if unit and unit.level == AdministrativeUnit.Level.COMMUNE else "",
        province_code=shipment.province_code,
    )
    applicant = Party(
        name=shipment.recipient_name,
        phone=shipment.phone,
        address=shipment.address,
        commune_code=shipment.commune_code,
        province_code=shipment.address_province_code,
    )
    pick_up = shipment.direction == Shipment.Direction.PICK_UP
    return Order(
        reference=str(shipment.public_id),
        direction=shipment.direction,
        sender=applicant if pick_up else office,
        recipient=office if pick_up else applicant,
        weight_class=shipment.weight_class,
        dossier_code=shipment.dossier.code or "",
        callback_url=callback_url(),
    )


def book(shipment_id: int) -> Shipment:
    """Books a requested shipment with the operator (HTTP, outside any transaction).

    Raises OperatorUnavailable (try later) or OrderRefused; the attempt is recorded either way.
    Booking again is harmless: the shipment's id is the operator's idempotency key.
    """
    shipment = Shipment.objects.select_related("dossier", "agency").get(pk=shipment_id)
    if shipment.status != S.REQUESTED:
        return shipment
    try:
        booking = operator().book(_order(shipment))
    except Exception as exc:
        _record_attempt(shipment_id, str(exc))
        raise
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.status != S.REQUESTED:
            return shipment
        shipment.tracking_number = booking.tracking_number
        shipment.status = S.BOOKED
        shipment.booked_at = shipment.status_at = booking.booked_at
        shipment.booking_attempts += 1
        shipment.last_error = ""
        shipment.save()
        ShipmentEvent.objects.create(
            shipment=shipment,
            province_code=shipment.province_code,
            status=S.BOOKED,
            occurred_at=booking.booked_at,
        )
        audit.record(
            actor=OPERATOR,
            action="postal.shipment_booked",
            obj=shipment,
            agency_id=shipment.agency_id,
            before={"status": S.REQUESTED},
            after=audit.snapshot(shipment, SHIPMENT_AUDIT_FIELDS),
        )
        _tell_applicant(shipment)
    return shipment


@transaction.atomic
def _record_attempt(shipment_id: int, error: str) -> None:
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    shipment.booking_attempts += 1
    shipment.last_error = error[:500]
    shipment.save(update_fields=["booking_attempts", "last_error"])


APPLIED, IGNORED, DUPLICATE = "applied", "ignored", "duplicate"


@transaction.atomic
def apply_report(report: StatusReport) -> str:
    """A status the operator reported: applied when it may follow the current one and is not
    older; otherwise kept and ignored. The same event twice changes nothing the second time."""
    if ShipmentEvent.objects.filter(event_id=report.event_id).exists():
        return DUPLICATE
    shipment = (
        Shipment.objects.select_for_update().filter(tracking_number=report.tracking_number).first()
    )
    if shipment is None:
        raise UnknownShipment(report.tracking_number)
    in_order = shipment.status_at is None or report.occurred_at >= shipment.status_at
    applies = in_order and report.status in TRANSITIONS[shipment.status]
    try:
        with transaction.atomic():
            ShipmentEvent.objects.create(
                shipment=shipment,
                province_code=shipment.province_code,
                status=report.status,
                occurred_at=report.occurred_at,
                event_id=report.event_id,
                applied=applies,
                note=report.note,
            )
    except IntegrityError:
        return DUPLICATE  # the same event, delivered twice at once
    if not applies:
        logger.warning(
            "postal report %s ignored: %s after %s (%s)",
            report.event_id,
            report.status,
            shipment.status,
            "in order" if in_order else "older than the current status",
        )
        return IGNORED
    before = audit.snapshot(shipment, SHIPMENT_AUDIT_FIELDS)
    shipment.status = report.status
    shipment.status_at = report.occurred_at
    shipment.save(update_fields=["status", "status_at"])
    audit.record(
        actor=OPERATOR,
        action="postal.status_changed",
        obj=shipment,
        agency_id=shipment.agency_id,
        before=before,
        after=audit.snapshot(shipment, SHIPMENT_AUDIT_FIELDS),
    )
    if shipment.status in NOTIFIED:
        _tell_applicant(shipment)
    return APPLIED


def _tell_applicant(shipment: Shipment) -> None:
    events.publish(
        "postal.shipment_updated",
        shipment=shipment,
        # Lazy: rendered in the language of each message.
        status_label=format_lazy(
            "{}: {}", Shipment.Direction(shipment.direction).label, S(shipment.status).label
        ),
        carrier=settings.EGOV_POSTAL_CARRIER_NAME,
    )
