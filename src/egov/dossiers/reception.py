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
from egov.dossiers import forms, gates, outcomes, processing, receipts, signals, transitions
from egov.dossiers.models import Attachment, Dossier, SupplementRequest
from egov.dossiers.services import due_at

DESK_ROLES = [Role.DESK_OFFICER]


def at_desk(officer):
    """The dossiers received (or to be received) by the desks where ``officer`` works."""
    return scoping.scoped(
        Dossier.objects.exclude(status=Dossier.Status.DRAFT),
        officer,
        roles=DESK_ROLES,
        agency_field="receiving_agency",
    )


def may_receive(user, dossier: Dossier) -> bool:
    return transitions.allowed(dossier, "receive") and scoping.has_role(
        user, Role.DESK_OFFICER, dossier.receiving_agency
    )


def _locked(dossier: Dossier, officer, revision: int | None, transition: str) -> Dossier:
    locked = transitions.locked(
        Dossier.objects, dossier, revision, "receiving_agency", "procedure_version", "applicant"
    )
    if not scoping.has_role(officer, Role.DESK_OFFICER, locked.receiving_agency):
        raise PermissionDenied
    transitions.check(locked, transition)
    return locked


@transaction.atomic
def receive(dossier: Dossier, *, officer, revision: int | None = None) -> Dossier:
    dossier = _locked(dossier, officer, revision, "receive")
    gates.check(dossier, "receive")
    accept(dossier, officer=officer, now=timezone.now())
    return dossier


def accept(dossier: Dossier, *, officer, now) -> None:
    """Receipt of a complete dossier, online or at the counter: the time limit starts, the
    workflow starts, the receipt (form 01) is issued. Runs in the caller's transaction."""
    dossier.received_at = now
    dossier.due_at = due_at(dossier.procedure_version, now)
    moved_on = processing.start_workflow(dossier, officer=officer, now=now)
    pdf = receipts.receipt_pdf(dossier, officer=officer)
    receipt = forms.store_pdf(dossier, Attachment.Kind.RECEIPT, f"{dossier.code}-01.pdf", pdf)
    transitions.apply(
        dossier,
        "receive",
        actor=officer,
        to=Dossier.Status.IN_PROGRESS if moved_on else Dossier.Status.RECEIVED,
        note=_("Received by the one-stop desk."),
        history_status=Dossier.Status.RECEIVED,
    )
    if moved_on:
        transitions.history(dossier, _("Now at: %(step)s.") % {"step": dossier.current_step.name})
    signals.dossier_received.send(Dossier, dossier=dossier, receipt=receipt)


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, officer, items: list[str], note: str = "", revision: int | None = None
) -> SupplementRequest:
    items = outcomes.items_asked(items)
    dossier = _locked(dossier, officer, revision, "desk_supplement")
    return outcomes.ask_for_supplement(
        dossier, actor=officer, items=items, note=note, transition="desk_supplement"
    )


@transaction.atomic
def refuse(dossier: Dossier, *, officer, reason: str, revision: int | None = None) -> Dossier:
    reason = outcomes.reason_given(reason)
    dossier = _locked(dossier, officer, revision, "desk_refuse")
    forms.store_refusal_form(dossier, reason=reason, officer=officer)
    return outcomes.refuse(dossier, actor=officer, reason=reason, transition="desk_refuse")


@transaction.atomic
def answer_supplement(dossier: Dossier, *, applicant) -> Dossier:
    """The citizen sends the supplement (files attached beforehand); the desk checks it again,
    or, when the processing department asked, the step that asked gets it back."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk, applicant=applicant)
    if not transitions.allowed(dossier, "answer_supplement"):
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
    transitions.apply(
        dossier,
        "answer_supplement",
        actor=applicant,
        to=Dossier.Status.IN_PROGRESS if request.during_step_id else Dossier.Status.SUBMITTED,
        note=_("Supplement sent."),
    )
    return dossier
