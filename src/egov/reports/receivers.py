"""Keeps the statistics' aggregates up to date from the other apps' domain events, in the
transaction that makes the change."""

from django.dispatch import receiver

from egov.digitization import signals as digitization_signals
from egov.dossiers import signals as dossier_signals
from egov.dossiers.models import Dossier, Rating
from egov.national_portal import signals as portal_signals
from egov.payments import signals as payment_signals
from egov.postal import signals as postal_signals
from egov.reports import satisfaction, tallies


@receiver(dossier_signals.dossier_changed, dispatch_uid="reports.dossier_changed")
def _on_dossier_changed(sender, dossier, action="", **kwargs):
    if action == "dossiers.rated":
        satisfaction.add(Rating.objects.get(dossier_id=dossier.pk))
        # A rating under "Yếu" makes the dossier count as not satisfied (QĐ 766, 5.3).
        tallies.refresh(dossier.pk)
        return
    # Before its receipt a dossier counts nowhere unless refused or withdrawn, and these are
    # final: most changes of a draft or a submission need no look at the tallies at all.
    if dossier.received_at is None and dossier.status not in (
        Dossier.Status.REFUSED,
        Dossier.Status.WITHDRAWN,
    ):
        return
    tallies.refresh(dossier.pk)


# Fees are assessed on receipt, after the change that made the dossier count.
@receiver(payment_signals.fees_assessed, dispatch_uid="reports.fees_assessed")
@receiver(payment_signals.payment_settled, dispatch_uid="reports.payment_settled")
def _on_payment(sender, order, **kwargs):
    tallies.refresh(order.dossier_id)


@receiver(postal_signals.shipment_requested, dispatch_uid="reports.shipment_requested")
def _on_shipment_requested(sender, shipment, **kwargs):
    tallies.refresh(shipment.dossier_id)


# Papers joining the store or taken from it (QĐ 766, 4.2-4.4): a desk digitises papers after
# the receipt; a reuse on a draft counts nowhere until the dossier is received.
@receiver(digitization_signals.papers_changed, dispatch_uid="reports.papers_changed")
def _on_papers_changed(sender, dossier, **kwargs):
    if dossier.received_at is None:
        return
    tallies.refresh(dossier.pk)


# The national portal acknowledged a dossier's record for the first time (QĐ 766, 1.4). The
# dossier's row is locked first, as its own changes do, so that a change of the dossier at the
# same moment moves its fact after this one (or this one after it), never both from the same.
@receiver(portal_signals.record_acknowledged, dispatch_uid="reports.record_acknowledged")
def _on_record_acknowledged(sender, dossier_id, **kwargs):
    found = Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("received_at")
    row = found.first()
    if row is None or row[0] is None:
        return
    tallies.refresh(dossier_id)
