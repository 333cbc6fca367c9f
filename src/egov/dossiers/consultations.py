"""Consultation of several agencies at once (lấy ý kiến phối hợp).

When a dossier reaches a workflow step of kind *consultation*, a request goes at once to each
agency the step lists (or, where the step says so, to those its handler picks among them), each
with its own sub-deadline counted on the working-day calendar from the moment it is sent. The
consulted agencies' staff find the requests in their list (scoped to their agencies: another
agency's request is a 404) and answer: agree or disagree, with the opinion in words and
optionally a file, checked like any upload. When the last one answers, the dossier moves on to
the next step by itself. An answer after its sub-deadline is marked late; the dossier's own
appointment does not move for it. Every request, answer and the completion are in the audit
trail, in the transaction that makes them.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role, User
from egov.catalog.models import TimeUnit, WorkflowStep
from egov.core import calendar, uploads
from egov.dossiers import processing, signals, transitions
from egov.dossiers.models import Consultation, Dossier, DossierStep

# Who answers for a consulted agency.
ANSWER_ROLES = [Role.SPECIALIST, Role.APPROVER, Role.LEADER]
ACCEPTED = ["pdf", "jpg", "png", "docx"]
TEXT_MAX = 4000


def is_consultation(step: WorkflowStep | None) -> bool:
    return step is not None and step.action == WorkflowStep.Action.CONSULTATION


def answer_due(dossier: Dossier, duration, start: datetime.datetime) -> datetime.datetime:
    """A consulted agency's sub-deadline: its time to answer, in the procedure's unit, counted
    in working time (Tết, holidays and the city's days off skipped) from the request."""
    if dossier.procedure_version.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_time(start, hours=duration)
    return calendar.add_working_time(start, days=duration)


def of_passage(row: DossierStep):
    return Consultation.objects.filter(dossier_step=row).select_related("agency")


def _send(dossier: Dossier, row: DossierStep, *, actor, agencies: list | None, now) -> list:
    consulted = list(row.step.consulted.select_related("agency"))
    if agencies is not None:
        chosen = {agency.pk for agency in agencies}
        consulted = [c for c in consulted if c.agency_id in chosen]
    if not consulted:
        raise ValidationError(_("Choose at least one of the agencies this step consults."))
    requests = [
        Consultation.objects.create(
            dossier=dossier,
            province_code=dossier.province_code,
            dossier_step=row,
            agency=c.agency,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            requested_at=now,
            due_at=answer_due(dossier, c.duration, now),
        )
        for c in consulted
    ]
    # The consulted agencies may open the dossier to read its papers, and keep finding it.
    dossier.visible_agencies = [*dossier.visible_agencies, *(c.agency_id for c in consulted)]
    dossier.save(update_fields=["visible_agencies"])
    transitions.history(dossier, _("Opinions asked of the agencies concerned."))
    transitions.record(
        actor,
        "dossiers.consultation_requested",
        dossier,
        {
            "step": row.step.code,
            "consulted": [
                {"agency": r.agency.code, "due_at": r.due_at.isoformat()} for r in requests
            ],
        },
    )
    for request in requests:
        signals.consultation_requested.send(Dossier, dossier=dossier, consultation=request)
    return requests


def on_arrival(dossier: Dossier, row: DossierStep, *, actor, now) -> None:
    """Called when the dossier reaches a step (in the transaction that moved it): a
    consultation that asks every listed agency sends its requests at once."""
    if is_consultation(row.step) and not row.step.consult_pick:
        _send(dossier, row, actor=actor, agencies=None, now=now)


def _open_passage(dossier: Dossier) -> DossierStep | None:
    if not is_consultation(dossier.current_step):
        return None
    return processing.open_row(dossier)


def waiting(dossier: Dossier) -> bool:
    """Whether the dossier's consultation step still waits: nothing asked yet, or an agency has
    not answered."""
    row = _open_passage(dossier)
    if row is None:
        return False
    requests = of_passage(row)
    return not requests.exists() or requests.filter(answered_at__isnull=True).exists()


def may_request(user, dossier: Dossier) -> bool:
    """The handler may choose whom to ask at a step that lets them, once per passage."""
    row = _open_passage(dossier)
    return (
        row is not None
        and row.step.consult_pick
        and not of_passage(row).exists()
        and processing.may_act(user, dossier)
    )


@transaction.atomic
def request(dossier: Dossier, *, actor, agencies: list, revision=None) -> list:
    """The handler sends the requests to the agencies they picked among the step's."""
    dossier = processing.lock(dossier, revision)
    processing.require_turn(dossier, actor)
    row = _open_passage(dossier)
    if row is None or not row.step.consult_pick:
        raise ValidationError(_("This step does not let you choose whom to consult."))
    if of_passage(row).exists():
        raise ValidationError(_("The opinions were already asked at this step."))
    return _send(dossier, row, actor=actor, agencies=agencies, now=timezone.now())


# -- the consulted agency's side ----------------------------------------------------------------


def for_staff(user):
    """The requests of the agencies where ``user`` answers for their agency."""
    ids = processing.StaffScope(user).ids(ANSWER_ROLES)
    requests = Consultation.objects.select_related(
        "dossier", "dossier__procedure_version", "agency", "dossier_step__step"
    )
    return requests if ids is None else requests.filter(agency_id__in=ids)


def get_for_staff(user, pk: int) -> Consultation:
    found = for_staff(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def may_answer(user, consultation: Consultation) -> bool:
    return consultation.answered_at is None and any(
        scoping.has_role(user, role, consultation.agency) for role in ANSWER_ROLES
    )


def answerers(agency):
    """The active officials who may answer for ``agency`` in the agency itself (those told of
    a new request)."""
    return (
        User.objects.filter(
            role_assignments__agency=agency,
            role_assignments__role__in=ANSWER_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def state(consultation: Consultation, now=None, soon=None) -> str:
    """``answered``, ``answered_late``, or the open request's ``overdue``, ``due_soon`` or
    ``on_time`` (a list passes one ``now`` and ``soon`` for all its rows)."""
    if consultation.answered_at is not None:
        return "answered_late" if consultation.late else "answered"
    return processing.deadline_state(consultation.due_at, now, soon)


@transaction.atomic
def answer(
    consultation: Consultation,
    *,
    actor,
    opinion: str,
    text: str = "",
    file_name: str = "",
    data: bytes | None = None,
) -> Consultation:
    """Records the agency's opinion; the last one to answer moves the dossier on."""
    text = (text or "").strip()
    if opinion not in Consultation.Opinion.values:
        raise ValidationError(_("Say whether the agency agrees or disagrees."))
    if opinion == Consultation.Opinion.DISAGREE and not text:
        raise ValidationError(_("Say in words why the agency disagrees."))
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("The opinion is longer than %(n)s characters; attach it as a file.") % {"n": TEXT_MAX}
        )
    checked = None
    if data:
        try:
            checked = uploads.check(data, accepted=ACCEPTED)
        except uploads.UploadRejected as exc:
            raise ValidationError(str(exc)) from exc
    dossier = processing.lock(consultation.dossier, None)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not any(scoping.has_role(actor, role, consultation.agency) for role in ANSWER_ROLES):
        raise PermissionDenied
    if consultation.answered_at is not None:
        raise ValidationError(_("Your agency has already answered this request."))
    if processing.open_row(dossier) != consultation.dossier_step:
        raise ValidationError(_("The dossier no longer waits for this opinion."))
    now = timezone.now()
    consultation.answered_at = now
    consultation.answered_by = actor
    consultation.opinion = opinion
    consultation.text = text
    if checked is not None:
        consultation.extension = checked.extension
        consultation.original_name = (file_name or f"y-kien.{checked.extension}")[:255]
        consultation.file.save(f"y-kien.{checked.extension}", ContentFile(data), save=False)
    consultation.save()
    transitions.record(
        actor,
        "dossiers.consultation_answered",
        dossier,
        {
            "agency": consultation.agency.code,
            "opinion": opinion,
            "late": consultation.late,
            "due_at": consultation.due_at.isoformat(),
        },
    )
    if not of_passage(consultation.dossier_step).filter(answered_at__isnull=True).exists():
        _complete(dossier, consultation.dossier_step, actor)
    return consultation


def _complete(dossier: Dossier, row: DossierStep, actor) -> None:
    requests = list(of_passage(row))
    transitions.record(
        actor,
        "dossiers.consultation_completed",
        dossier,
        {
            "step": row.step.code,
            "answers": [
                {"agency": r.agency.code, "opinion": r.opinion, "late": r.late} for r in requests
            ],
        },
    )
    processing.advance_after_consultation(
        dossier, actor, _("All the agencies consulted have answered.")
    )
