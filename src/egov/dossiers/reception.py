"""The one-stop desk's first decisions on a submitted dossier (Thông tư 01/2018/TT-VPCP):
accept it (receipt, form 01), ask for everything missing at once (form 02), or refuse it
(form 03). Each checks the officer's role in the receiving agency and the dossier's revision,
so two officers acting at once cannot both succeed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.dossiers import forms, gates, processing, receipts, signals
from egov.dossiers.models import Attachment, Dossier, SupplementRequest
from egov.dossiers.services import StaleDossier, _event, _record, due_at

DESK_ROLES = [Role.DESK_OFFICER]


def at_desk(officer):
    """The dossiers received (or to be received) by the desks where ``officer`` works."""
    return scoping.scoped(
        Dossier.objects.exclude(status=Dossier.Status.DRAFT),
        officer,
        roles=DESK_ROLES,
        agency_field="receiving_agency",
    )


def _locked(dossier: Dossier, officer, revision: int | None, allowed: set) -> Dossier:
    # Only the dossier's row is locked, not the agency's or the procedure's that come with it.
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_agency", "procedure_version", "applicant")
        .get(pk=dossier.pk)
    )
    if not scoping.has_role(officer, Role.DESK_OFFICER, locked.receiving_agency):
        raise PermissionDenied
    if revision is not None and locked.revision != revision:
        raise StaleDossier
    if locked.status not in allowed:
        raise ValidationError(
            _("This dossier is “%(status)s”: that action no longer applies.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def receive(dossier: Dossier, *, officer, revision: int | None = None) -> Dossier:
    dossier = _locked(dossier, officer, revision, {Dossier.Status.SUBMITTED})
    gates.check(dossier, "receive")
    accept(dossier, officer=officer, now=timezone.now())
    return dossier


def accept(dossier: Dossier, *, officer, now) -> None:
    """Receipt of a complete dossier, online or at the counter: the time limit starts, the
    workflow starts, the receipt (form 01) is issued. Runs in the caller's transaction."""
    before = {"status": dossier.status}
    dossier.status = Dossier.Status.RECEIVED
    dossier.received_at = now
    dossier.due_at = due_at(dossier.procedure_version, now)
    processing.start_workflow(dossier, officer=officer, now=now)
    dossier.revision += 1
    dossier.save()
    pdf = receipts.receipt_pdf(dossier, officer=officer)
    receipt = forms.store_pdf(dossier, Attachment.Kind.RECEIPT, f"{dossier.code}-01.pdf", pdf)
    _event(dossier, _("Received by the one-stop desk."), status=Dossier.Status.RECEIVED)
    if dossier.status == Dossier.Status.IN_PROGRESS:
        _event(dossier, _("Now at: %(step)s.") % {"step": dossier.current_step.name})
    _record(officer, "dossiers.received", dossier, before)
    signals.dossier_received.send(Dossier, dossier=dossier, receipt=receipt)


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, officer, items: list[str], note: str = "", revision: int | None = None
) -> SupplementRequest:
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ValidationError(_("List every missing paper or correction, one per line."))
    dossier = _locked(dossier, officer, revision, {Dossier.Status.SUBMITTED})
    before = {"status": dossier.status}
    request = SupplementRequest.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        items=items,
        note=note.strip()[:1000],
        requested_by=officer,
    )
    dossier.status = Dossier.Status.SUPPLEMENT_REQUESTED
    dossier.revision += 1
    dossier.save(update_fields=["status", "revision", "updated_at"])
    forms.store_supplement_form(dossier, request, officer=officer)
    _event(dossier, _("Supplement requested: %(items)s") % {"items": "; ".join(items)[:400]})
    _record(officer, "dossiers.supplement_requested", dossier, before)
    signals.supplement_requested.send(Dossier, dossier=dossier, request=request)
    return request


@transaction.atomic
def refuse(dossier: Dossier, *, officer, reason: str, revision: int | None = None) -> Dossier:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the refusal; it is sent to the citizen."))
    dossier = _locked(
        dossier, officer, revision, {Dossier.Status.SUBMITTED, Dossier.Status.SUPPLEMENT_REQUESTED}
    )
    before = {"status": dossier.status}
    dossier.status = Dossier.Status.REFUSED
    dossier.revision += 1
    dossier.save(update_fields=["status", "revision", "updated_at"])
    forms.store_refusal_form(dossier, reason=reason, officer=officer)
    _event(dossier, reason[:500])
    _record(officer, "dossiers.refused", dossier, before)
    signals.dossier_refused.send(Dossier, dossier=dossier, reason=reason)
    return dossier


@transaction.atomic
def answer_supplement(dossier: Dossier, *, applicant) -> Dossier:
    """The citizen sends the supplement (files attached beforehand); the desk checks it again."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
    if dossier.status != Dossier.Status.SUPPLEMENT_REQUESTED:
        raise ValidationError(_("No supplement is being asked for this dossier."))
    request = dossier.supplements.filter(answered_at__isnull=True).first()
    if not dossier.attachments.filter(
        kind=Attachment.Kind.SUPPLEMENT, uploaded_at__gte=request.requested_at
    ).exists():
        raise ValidationError(_("Attach the papers asked for before sending the supplement."))
    now = timezone.now()
    request.answered_at = now
    request.save(update_fields=["answered_at"])
    if request.during_step_id:
        processing.resume_after_supplement(dossier, request, applicant=applicant, now=now)
    else:
        dossier.status = Dossier.Status.SUBMITTED
    dossier.revision += 1
    dossier.save()
    _event(dossier, _("Supplement sent."))
    _record(
        applicant,
        "dossiers.supplement_answered",
        dossier,
        {"status": Dossier.Status.SUPPLEMENT_REQUESTED},
    )
    return dossier
