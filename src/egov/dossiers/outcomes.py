"""What the one-stop desk (before receipt) and the processing department (at a step) both
decide: asking for a supplement, all at once (form 02), and refusing the dossier. The parts that
differ (the step closed, the paper issued) stay with each; these are the parts they share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.dossiers import forms, signals, transitions
from egov.dossiers.models import Dossier, SupplementRequest


def items_asked(items: list[str]) -> list[str]:
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise ValidationError(_("List every missing paper or correction, one per line."))
    return items


def reason_given(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the refusal; it is sent to the citizen."))
    return reason


def ask_for_supplement(
    dossier: Dossier, *, actor, items: list[str], note: str, transition: str, during_step=None
) -> SupplementRequest:
    """Records the request, issues form 02 and stops the clock (the dossier waits for the
    citizen); in the caller's transaction, on a locked dossier."""
    transitions.check(dossier, transition)
    request = SupplementRequest.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        items=items,
        note=note.strip()[:1000],
        requested_by=actor,
        during_step=during_step,
    )
    forms.store_supplement_form(dossier, request, officer=actor)
    transitions.apply(
        dossier,
        transition,
        actor=actor,
        to=Dossier.Status.SUPPLEMENT_REQUESTED,
        note=_("Supplement requested: %(items)s") % {"items": "; ".join(items)[:400]},
    )
    signals.supplement_requested.send(Dossier, dossier=dossier, request=request)
    return request


def refuse(dossier: Dossier, *, actor, reason: str, transition: str) -> Dossier:
    """Closes the dossier as refused, with the reason in its history, once the caller issued
    its paper (form 03 at the desk, the refusal notice as the result during processing)."""
    transitions.apply(
        dossier, transition, actor=actor, to=Dossier.Status.REFUSED, note=reason[:500]
    )
    signals.dossier_refused.send(Dossier, dossier=dossier, reason=reason)
    return dossier
