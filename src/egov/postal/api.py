"""Postal API: fee quotes and shipment status for citizens, status webhooks for the operator."""

import datetime
import logging
import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.core.schemas import Problem
from egov.dossiers import services as dossier_services
from egov.dossiers.models import Channel
from egov.organizations.models import AdministrativeUnit
from egov.postal import services, tariff
from egov.postal.models import Shipment, WeightClass
from egov.postal.operators import WebhookInvalid, WebhookRefused, operator, signing

logger = logging.getLogger(__name__)

citizen_router = Router(tags=["postal"], auth=[TokenAuth(), django_auth])
operator_router = Router(tags=["postal operator"])

NO_CONTROL = r"^[^\x00-\x1f]*$"


def _citizen(request):
    if request.auth.kind != "citizen":
        raise HttpError(403, _("Only citizens' accounts have dossiers."))
    return request.auth


def _mine(request, dossier_id):
    return get_object_or_404(dossier_services.visible_to(_citizen(request)), public_id=dossier_id)


class QuoteQuery(Schema):
    province_code: str = Field(
        ..., max_length=3, pattern=r"^\d{2}$", description="Statistical code of the province"
    )
    pick_up: bool = Field(False, description="The post picks up the papers")
    deliver_result: bool = Field(False, description="The post delivers the result")
    weight_class: WeightClass = WeightClass.UP_TO_250G


class QuoteLineOut(Schema):
    direction: str
    weight_class: str
    amount: int = Field(description="VND")


class QuoteOut(Schema):
    area: str
    area_label: str
    lines: list[QuoteLineOut]
    total: int = Field(description="VND, paid to the postal operator")
    currency: str = "VND"
    tariff_source: str


@citizen_router.get(
    "/postal/quote",
    response={200: QuoteOut, 403: Problem, 422: Problem},
    summary="Postal fees for picking up the papers and/or delivering the result",
)
def quote(request, query: Query[QuoteQuery]):
    _citizen(request)
    known = (
        AdministrativeUnit.objects.as_of(timezone.localdate())
        .filter(code=query.province_code, level=AdministrativeUnit.Level.PROVINCE)
        .exists()
    )
    if not known:
        raise HttpError(422, _("No province or centrally run city has this code today."))
    result = tariff.quote(
        destination_province=query.province_code,
        pick_up=query.pick_up,
        deliver_result=query.deliver_result,
        weight_class=query.weight_class,
    )
    return {
        "area": result.area,
        "area_label": str(result.area_label),
        "lines": result.lines,
        "total": result.total,
        "tariff_source": tariff.current().source,
    }


class AddressIn(Schema):
    recipient_name: str = Field(..., min_length=1, max_length=200, pattern=NO_CONTROL)
    phone: str = Field(..., max_length=20, pattern=NO_CONTROL)
    street: str = Field(..., max_length=300, pattern=NO_CONTROL)
    province_code: str = Field(..., max_length=3, pattern=r"^\d{2}$")
    commune_code: str = Field(..., max_length=10, pattern=r"^\d{5}$")


class PostalRequestIn(Schema):
    result_delivery: Channel
    pick_up: bool = False
    address: AddressIn | None = None
    weight_class: WeightClass = WeightClass.UP_TO_250G


class PostalRequestOut(Schema):
    pick_up: bool
    deliver_result: bool
    recipient_name: str
    phone: str
    address: str
    province_code: str
    commune_code: str
    weight_class: str
    pick_up_fee: int
    delivery_fee: int


@citizen_router.put(
    "/dossiers/{dossier_id}/postal",
    response={200: PostalRequestOut | None, 403: Problem, 404: Problem, 422: Problem},
    summary="Choose how the result comes back and what the post does, with the address "
    "(a draft only); null when nothing goes by post",
)
def put_postal_request(request, dossier_id: uuid.UUID, data: PostalRequestIn):
    dossier = _mine(request, dossier_id)
    address = services.Address(**data.address.dict()) if data.address else None
    try:
        saved = services.save_request(
            dossier,
            applicant=request.auth,
            result_delivery=data.result_delivery,
            pick_up=data.pick_up,
            address=address,
            weight_class=data.weight_class,
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    if saved is None:
        return None
    return {
        "pick_up": saved.pick_up,
        "deliver_result": saved.deliver_result,
        "recipient_name": saved.recipient_name,
        "phone": saved.phone,
        "address": saved.formatted_address,
        "province_code": saved.address_province.code,
        "commune_code": saved.address_commune.code,
        "weight_class": saved.weight_class,
        "pick_up_fee": saved.pick_up_fee,
        "delivery_fee": saved.delivery_fee,
    }


class ShipmentEventOut(Schema):
    status: str
    status_label: str
    occurred_at: datetime.datetime
    note: str


class ShipmentOut(Schema):
    direction: str
    direction_label: str
    tracking_number: str | None
    status: str
    status_label: str
    fee: int = Field(description="VND")
    history: list[ShipmentEventOut]


@citizen_router.get(
    "/dossiers/{dossier_id}/shipments",
    response={200: list[ShipmentOut], 403: Problem, 404: Problem},
    summary="The postal shipments of one of my dossiers, with their status history",
)
def list_shipments(request, dossier_id: uuid.UUID):
    dossier = _mine(request, dossier_id)
    shipments = Shipment.objects.filter(dossier=dossier).prefetch_related("events")
    return [
        {
            "direction": s.direction,
            "direction_label": s.get_direction_display(),
            "tracking_number": s.tracking_number,
            "status": s.status,
            "status_label": s.get_status_display(),
            "fee": s.fee,
            "history": [
                {
                    "status": e.status,
                    "status_label": e.get_status_display(),
                    "occurred_at": e.occurred_at,
                    "note": e.note,
                }
                for e in s.events.all()
                if e.applied
            ],
        }
        for s in shipments
    ]


class WebhookIn(Schema):
    event_id: str = Field(..., max_length=100, description="Unique per event: repeats are ignored")
    tracking_number: str = Field(..., max_length=40)
    status: str = Field(
        ..., description="booked, picked_up, in_transit, delivered, failed or returned"
    )
    occurred_at: datetime.datetime = Field(..., description="With its UTC offset")
    note: str = Field("", max_length=300)


class WebhookOut(Schema):
    result: str = Field(description="applied, ignored (out of order) or duplicate")


WEBHOOK_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": WebhookIn.json_schema()}},
    },
    "parameters": [
        {
            "in": "header",
            "name": signing.TIMESTAMP_HEADER,
            "required": True,
            "schema": {"type": "string"},
            "description": "Unix time of sending; refused when more than "
            "EGOV_POSTAL_WEBHOOK_TOLERANCE_SECONDS away from ours",
        },
        {
            "in": "header",
            "name": signing.SIGNATURE_HEADER,
            "required": True,
            "schema": {"type": "string"},
            "description": "v1=<hex HMAC-SHA256 of '<timestamp>.<body>' with the shared secret>",
        },
    ],
}


@operator_router.post(
    "/postal/webhook",
    response={200: WebhookOut, 400: Problem, 401: Problem, 404: Problem},
    summary="Shipment status reported by the postal operator (signed with the shared secret)",
    url_name="postal_webhook",
    openapi_extra=WEBHOOK_DOC,
)
def webhook(request):
    try:
        report = operator().read_webhook(request.body, request.headers)
    except WebhookRefused as exc:
        logger.warning("postal webhook refused: %s", exc)
        raise HttpError(401, _("The signature of this report is not valid.")) from exc
    except WebhookInvalid as exc:
        logger.warning("postal webhook not understood: %s", exc)
        raise HttpError(400, _("This is not a shipment status report.")) from exc
    try:
        result = services.apply_report(report)
    except services.UnknownShipment as exc:
        raise HttpError(404, _("No shipment has this tracking number.")) from exc
    return {"result": result}
