"""Dossier and payment events → messages to the citizen. Runs inside the transaction of the
service that makes the change, so a message is queued exactly when the change commits."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.core import events
from egov.dossiers import apologies, consultations, signals
from egov.dossiers.models import Channel, Dossier
from egov.dossiers.receipts import tracking_url
from egov.notifications import feedback_events  # noqa: F401 - citizen reports subscribe there
from egov.notifications.services import Contact, notify


def _common(dossier) -> dict:
    return {
        "citizen_name": dossier.applicant.full_name or dossier.applicant.username,
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure_version.name,
        "agency_name": dossier.receiving_agency.name,
        "tracking_url": tracking_url(dossier),
    }


@receiver(signals.dossier_received)
def on_received(sender, *, dossier, **kwargs):
    notify(
        "dossier.received",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "received_at": dossier.received_at,
            "appointment_date": dossier.due_at.date() if dossier.due_at else None,
        },
    )


@receiver(signals.dossier_submitted)
def on_submitted(sender, *, dossier, **kwargs):
    """The citizen's acknowledgement of an online submission, before the desk's receipt. A paper
    or posted dossier is received at once, and the receipt's message says it all."""
    if dossier.channel != Channel.ONLINE:
        return
    notify(
        "dossier.submitted",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={**_common(dossier), "submitted_at": timezone.localtime(dossier.submitted_at)},
    )


@receiver(signals.supplement_requested)
def on_supplement(sender, *, dossier, request, **kwargs):
    notify(
        "dossier.supplement_requested",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "items": request.items,
            "note": request.note,
            "deadline": None,
        },
    )


@receiver(signals.dossier_refused)
def on_refused(sender, *, dossier, reason, **kwargs):
    notify(
        "dossier.refused",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={**_common(dossier), "reason": reason},
    )


def _how_to_get(dossier) -> str:
    # The message is rendered per recipient language, but this one phrase is chosen here.
    with translation.override(settings.LANGUAGE_CODE):
        if dossier.result_delivery == "post":
            return _("The result will be sent by post to %(address)s.") % {
                "address": dossier.delivery_address
            }
        if dossier.result_delivery == "desk":
            return _("Collect it at the one-stop desk; bring the receipt and your ID card.")
        return _("Download it from “My dossiers” on the public service portal.")


@receiver(signals.result_issued)
def on_result_issued(sender, *, dossier, **kwargs):
    notify(
        "dossier.result_ready",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "how_to_get": _how_to_get(dossier),
            "pickup_address": dossier.receiving_agency.address
            if dossier.result_delivery == "desk"
            else "",
        },
    )


@receiver(signals.apology_issued)
def on_apology(sender, *, dossier, letter, **kwargs):
    notify(
        "dossier.apology",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=dossier.receiving_agency_id,
        context={
            **_common(dossier),
            "reason": letter.reason,
            "old_date": timezone.localtime(letter.previous_due_at).date(),
            "new_date": timezone.localtime(letter.new_due_at).date(),
        },
    )


@receiver(signals.consultation_requested)
def on_consultation_requested(sender, *, dossier, consultation, **kwargs):
    """Each official who may answer for the consulted agency is told by e-mail."""
    asking = dossier.current_agency or dossier.deciding_agency or dossier.receiving_agency
    for person in consultations.answerers(consultation.agency):
        notify(
            "dossier.consultation_requested",
            recipient=person,
            about=dossier,
            agency_id=consultation.agency_id,
            channels=["email"],
            context={
                **_common(dossier),
                "citizen_name": person.full_name or person.username,
                "agency_name": consultation.agency.name,
                "asking_agency": asking.name,
                "step_name": consultation.dossier_step.step.name,
                "answer_due": timezone.localtime(consultation.due_at),
            },
        )


@receiver(signals.deadline_near)
def on_deadline_near(sender, *, dossier, recipients, **kwargs):
    for person in recipients:
        notify(
            "dossier.deadline_near",
            recipient=person,
            about=dossier,
            agency_id=dossier.receiving_agency_id,
            channels=["email"],
            context={
                **_common(dossier),
                "citizen_name": person.full_name or person.username,
                "appointment": timezone.localtime(dossier.due_at),
                "apology_by": timezone.localtime(dossier.due_at - apologies.NOTICE),
            },
        )


@events.subscribe("postal.shipment_updated")
def on_shipment_updated(*, shipment, status_label, carrier, **kwargs):
    dossier = (
        Dossier.objects.select_related("applicant", "procedure_version", "receiving_agency")
        .only("code", "applicant", "procedure_version__name", "receiving_agency__name")
        .get(pk=shipment.dossier_id)
    )
    notify(
        "postal.shipment_updated",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=shipment.agency_id,
        context={
            **_common(dossier),
            "tracking_number": shipment.tracking_number,
            "status": status_label,
            "carrier": carrier,
        },
    )


@events.subscribe("payments.fees_assessed")
def on_fees_assessed(*, order, dossier, **kwargs):
    if not order.amount:
        return  # nothing to pay, nothing to say
    notify(
        "payment.due",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=order.agency_id,
        context={
            **_common(dossier),
            "amount": order.amount,
            "due_date": None,
            "payment_url": settings.EGOV_PUBLIC_BASE_URL.rstrip("/")
            + reverse("portal:dossier", kwargs={"public_id": dossier.public_id}),
        },
    )


@events.subscribe("payments.settled")
def on_payment_settled(*, payment, order, dossier, **kwargs):
    notify(
        "payment.received",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=order.agency_id,
        context={
            **_common(dossier),
            "amount": payment.amount,
            "paid_at": timezone.localtime(payment.paid_at),
            "receipt_number": payment.receipt_number,
        },
    )


@events.subscribe("payments.refunded")
def on_payment_refunded(*, refund, payment, dossier, **kwargs):
    notify(
        "payment.refunded",
        recipient=dossier.applicant,
        about=dossier,
        agency_id=payment.order.agency_id,
        context={
            **_common(dossier),
            "amount": refund.amount,
            "reason": refund.reason,
            "paid_at": timezone.localtime(payment.paid_at),
            "receipt_number": payment.receipt_number,
        },
    )


@events.subscribe("accounts.verification_code")
def on_verification_code(*, channel, destination, language, code, minutes, **kwargs):
    contact = (
        Contact(email=destination, language=language)
        if channel == "email"
        else Contact(phone=destination, language=language)
    )
    notify(
        "accounts.verification_code",
        recipient=contact,
        context={"code": code, "minutes": minutes},
        channels=[channel],
    )
