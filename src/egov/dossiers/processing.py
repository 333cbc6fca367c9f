"""The dossier's way through its procedure version's workflow after the desk received it.

Each step is done in an agency by a role: the receiving desk receives and returns, the competent
(deciding) agency processes and approves, another agency is consulted or takes the dossier over
(liên thông). Every operation here locks the dossier row, checks the revision the officer saw,
checks the actor's role in the acting agency and the transition against the workflow, writes a
processing control sheet row (form 05) and the audit trail, all in one transaction.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.catalog.models import ResultTemplate, TimeUnit, WorkflowStep, WorkflowTransition
from egov.core import audit, calendar, uploads
from egov.dossiers import consultations, forms, gates, outcomes, signals, transitions
from egov.dossiers.models import Attachment, Dossier, DossierStep, SupplementRequest
from egov.dossiers.services import due_at
from egov.signatures import services as signatures

Action = WorkflowStep.Action
Kind = WorkflowTransition.Kind

# Roles that may step in for whoever a step is assigned to in their agency.
SUPERVISORS = (Role.APPROVER, Role.LEADER)
# Steps at which a result document may be drafted, replaced or signed.
RESULT_STEPS = {Action.PROCESS, Action.REVIEW, Action.APPROVE, Action.SIGN}
OPEN_STATUSES = transitions.OPEN
# A paused dossier still counts as late when its appointment has passed.
OVERDUE_STATUSES = [*sorted(OPEN_STATUSES), Dossier.Status.PAUSED]
STAFF_ROLES = [Role.DESK_OFFICER, Role.SPECIALIST, Role.APPROVER, Role.LEADER]


# -- where a step acts and until when -------------------------------------------------------


def acting_agency(dossier: Dossier, step: WorkflowStep):
    """The one-stop desk that received the dossier also returns it, unless the applicant chose
    another desk to collect the result at; the others act where the workflow says."""
    if step.action == Action.RETURN and dossier.return_agency_id:
        return dossier.return_agency
    if step.action in {Action.RECEIVE, Action.RETURN}:
        return dossier.receiving_agency
    if step.agency_role == WorkflowStep.AgencyRole.RECEIVING:
        return dossier.receiving_agency
    if step.agency_role == WorkflowStep.AgencyRole.OTHER:
        return step.agency
    return dossier.deciding_agency or dossier.receiving_agency


def step_due(dossier: Dossier, step: WorkflowStep, start: datetime.datetime):
    """The step's own sub-deadline: its share of the time limit, counted in working time. A step
    with no share of its own (an instant hand-over) must be done by the dossier's appointment."""
    if step.duration <= 0:
        return max(dossier.due_at or start, start)
    if dossier.procedure_version.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_time(start, hours=step.duration)
    return calendar.add_working_time(start, days=step.duration)


def transfer_deadline(received: datetime.datetime) -> datetime.datetime:
    """When a paper dossier must reach the processing department: the same working day, or the
    next one when it was received after 15:00 (or outside a working day)."""
    local = timezone.localtime(received)
    day = local.date()
    if not calendar.is_working_day(day) or local.time() >= datetime.time(15, 0):
        day += datetime.timedelta(days=1)
        while not calendar.is_working_day(day):
            day += datetime.timedelta(days=1)
    closing = calendar.office_periods()[-1][1]
    return timezone.make_aware(datetime.datetime.combine(day, closing))


DUE_SOON_HOURS = Decimal(8)


def due_soon_limit(now: datetime.datetime) -> datetime.datetime:
    """Appointments up to this moment are due soon: at most one working day from ``now``
    (an appointment in the evening or weekend right after that day still is)."""
    today = timezone.localdate(now)
    days = calendar.WorkingCalendar(today, today + datetime.timedelta(days=60))  # one read
    soon = calendar.add_working_time(now, hours=DUE_SOON_HOURS, calendar=days)
    return calendar.next_working_moment(soon, days)


def deadline_state(
    due: datetime.datetime | None,
    now: datetime.datetime | None = None,
    soon: datetime.datetime | None = None,
) -> str:
    """``overdue``, ``due_soon`` (within one working day) or ``on_time``. A list passes the
    same ``now`` and ``soon`` (:func:`due_soon_limit`) for every row: one calendar read."""
    if due is None:
        return "on_time"
    now = now or timezone.now()
    if due < now:
        return "overdue"
    if due <= (soon or due_soon_limit(now)):
        return "due_soon"
    return "on_time"


# -- who may act ------------------------------------------------------------------------------


def may_act(user, dossier: Dossier) -> bool:
    if dossier.current_step_id is None or dossier.status not in OPEN_STATUSES:
        return False
    if not scoping.has_role(user, dossier.current_role, dossier.current_agency):
        return False
    if dossier.assignee_id in (None, user.pk):
        return True
    return any(scoping.has_role(user, role, dossier.current_agency) for role in SUPERVISORS)


def may_resume(user, dossier: Dossier) -> bool:
    return transitions.allowed(dossier, "resume") and scoping.has_role(
        user, dossier.current_role, dossier.current_agency
    )


def result_certificates(user, dossier: Dossier) -> list:
    """The certificates ``user`` may sign the dossier's result with at its current step (none
    where no result is drafted)."""
    if dossier.current_step is None or dossier.current_step.action not in RESULT_STEPS:
        return []
    return signatures.certificates_for(user, dossier.current_agency)


def may_assign(user, dossier: Dossier) -> bool:
    if dossier.current_step_id is None or dossier.status not in OPEN_STATUSES:
        return False
    if dossier.current_step.action == Action.ASSIGN and may_act(user, dossier):
        return True
    return any(scoping.has_role(user, role, dossier.current_agency) for role in SUPERVISORS)


class StaffScope:
    """The agencies where one official holds each dossier role, read once per page (None: every
    agency). Lists of ids make the dossier queries compare indexed columns with constants (a
    sub-select there made PostgreSQL scan the whole table at a million rows)."""

    def __init__(self, user):
        self.user = user
        # Every role, not only the dossier roles: the page's menu is drawn from the same read.
        self.assignments = scoping.all_assignments(user)
        self.by_role = scoping.agency_ids_by_role_or_all(user, STAFF_ROLES, self.assignments)

    def ids(self, roles) -> list[int] | None:
        if self.by_role is None:
            return None
        return sorted({pk for role in roles for pk in self.by_role.get(role, ())})


def within(field: str, ids: list[int] | None) -> Q:
    """``field`` among ``ids`` (no condition for None: every agency)."""
    return Q() if ids is None else Q(**{f"{field}__in": ids})


def visible_to_staff(user, scope: StaffScope | None = None):
    """Dossiers an official may open: those received, decided or being handled in an agency
    where they hold a dossier role, and those their agency was consulted on or took over
    (``Dossier.visible_agencies``)."""
    ids = (scope or StaffScope(user)).ids(STAFF_ROLES)
    submitted = Dossier.objects.exclude(status=Dossier.Status.DRAFT)
    if ids is None:
        return submitted
    return submitted.filter(visible_agencies__overlap=ids) if ids else Dossier.objects.none()


def work_condition(user, scope: StaffScope | None = None) -> Q:
    """The dossiers waiting for ``user`` now: at a step of a role they hold in its agency, and
    either unassigned or assigned to them (plain dossier columns, so it combines with other
    conditions into one indexed query)."""
    scope = scope or StaffScope(user)
    condition = Q(pk__in=[])
    for role in STAFF_ROLES:
        ids = scope.ids([role])
        if ids is None or ids:
            condition |= Q(current_role=role) & within("current_agency", ids)
    return condition & (Q(assignee__isnull=True) | Q(assignee=user)) & Q(status__in=OPEN_STATUSES)


def work_queue(user, scope: StaffScope | None = None):
    return Dossier.objects.filter(work_condition(user, scope))


def to_assign_condition(user, scope: StaffScope | None = None) -> Q:
    """Unassigned dossiers at a specialist's step in an agency where ``user`` supervises."""
    ids = (scope or StaffScope(user)).ids(SUPERVISORS)
    return within("current_agency", ids) & Q(
        status__in=OPEN_STATUSES, current_role=Role.SPECIALIST, assignee__isnull=True
    )


def to_assign(user):
    return Dossier.objects.filter(to_assign_condition(user))


# -- the operations ---------------------------------------------------------------------------


def _locked(dossier: Dossier, revision: int | None) -> Dossier:
    return transitions.locked(
        Dossier.objects,
        dossier,
        revision,
        "receiving_agency",
        "deciding_agency",
        "current_agency",
        "current_step",
        "procedure_version",
        "applicant",
    )


def _require_turn(dossier: Dossier, actor) -> None:
    if dossier.status == Dossier.Status.PAUSED:
        raise ValidationError(_("The dossier is paused; resume it first."))
    if dossier.status not in OPEN_STATUSES or dossier.current_step_id is None:
        raise ValidationError(
            _("This dossier is “%(status)s”: that action no longer applies.")
            % {"status": dossier.get_status_display()}
        )
    if not may_act(actor, dossier):
        raise PermissionDenied


# What the consultation module (``dossiers.consultations``) shares of this one's operations.
def lock(dossier: Dossier, revision: int | None) -> Dossier:
    return _locked(dossier, revision)


def require_turn(dossier: Dossier, actor) -> None:
    _require_turn(dossier, actor)


def _open_step(dossier: Dossier, step: WorkflowStep, start, *, assignee=None) -> DossierStep:
    agency = acting_agency(dossier, step)
    row = DossierStep.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        step=step,
        agency=agency,
        role=step.role,
        assignee=assignee,
        started_at=start,
        due_at=step_due(dossier, step, start),
    )
    dossier.current_step = step
    dossier.current_agency = agency
    dossier.current_role = step.role
    dossier.assignee = assignee
    dossier.step_due_at = row.due_at
    return row


def open_row(dossier: Dossier) -> DossierStep | None:
    """The control sheet's row of the step the dossier is at."""
    return dossier.steps.filter(finished_at__isnull=True).order_by("-started_at", "-id").first()


_open_row = open_row


def _finish(dossier: Dossier, actor, outcome: str, note: str, now) -> DossierStep | None:
    row = _open_row(dossier)
    if row is not None:
        row.finished_at = now
        row.finished_by = actor
        row.outcome = outcome
        row.note = note[:1000]
        row.save(update_fields=["finished_at", "finished_by", "outcome", "note"])
    return row


def _clear_position(dossier: Dossier) -> None:
    dossier.current_step = None
    dossier.current_agency = None
    dossier.current_role = ""
    dossier.assignee = None
    dossier.step_due_at = None


def _transition(dossier: Dossier, kind: str) -> WorkflowTransition | None:
    return (
        WorkflowTransition.objects.filter(
            version=dossier.procedure_version, source=dossier.current_step, kind=kind
        )
        .select_related("target")
        .first()
    )


def _check_assignee(assignee, dossier: Dossier, step: WorkflowStep) -> None:
    agency = acting_agency(dossier, step)
    if assignee is not None and not scoping.has_role(assignee, step.role, agency):
        raise ValidationError(
            _("%(person)s cannot do “%(step)s” in %(agency)s.")
            % {"person": assignee, "step": step.name, "agency": agency.name}
        )


def start_workflow(dossier: Dossier, *, officer, now) -> bool:
    """Called by the desk's receipt, in its transaction. An online dossier moves on to the
    processing department at once (True); a paper one waits at the desk until it is handed
    over, by its transfer deadline (the 15:00 rule)."""
    if dossier.deciding_agency_id is None:
        dossier.deciding_agency = (
            dossier.procedure_version.deciding_agency or dossier.receiving_agency
        )
    steps = list(dossier.procedure_version.workflow_steps.order_by("position"))
    if not steps:
        return False
    first = steps[0]
    row = _open_step(dossier, first, now, assignee=officer)
    if dossier.channel != "online":
        row.due_at = dossier.step_due_at = transfer_deadline(now)
        row.save(update_fields=["due_at"])
        return False
    dossier.current_step = first
    _finish(dossier, officer, DossierStep.Outcome.NEXT, "", now)
    following = next_step(dossier)
    opened = _open_step(dossier, following, now)
    consultations.on_arrival(dossier, opened, actor=officer, now=now)
    return True


def targets(dossier: Dossier, kind: str) -> list[WorkflowStep]:
    """Where the current step's moves of ``kind`` lead, the usual one first (an editor may
    have added others: a move on that skips a step, a send-back further back)."""
    return [
        t.target
        for t in WorkflowTransition.objects.filter(
            version=dossier.procedure_version, source=dossier.current_step, kind=kind
        )
        .select_related("target")
        .order_by("id")
        if t.target is not None
    ]


def move_kinds(dossier: Dossier) -> set[str]:
    """The kinds of move the workflow allows from the dossier's current step."""
    if dossier.current_step_id is None:
        return set()
    return set(
        WorkflowTransition.objects.filter(
            version=dossier.procedure_version_id, source=dossier.current_step_id
        ).values_list("kind", flat=True)
    )


def _chosen(dossier: Dossier, kind: str, to) -> WorkflowStep | None:
    """The target the officer chose among the moves of ``kind`` (the first when none)."""
    found = targets(dossier, kind)
    if to is None:
        return found[0] if found else None
    chosen = next((step for step in found if step.pk == getattr(to, "pk", to)), None)
    if chosen is None:
        raise ValidationError(_("The workflow does not lead from this step to the step chosen."))
    return chosen


def next_step(dossier: Dossier, to=None) -> WorkflowStep:
    chosen = _chosen(dossier, Kind.NEXT, to)
    if chosen is not None:
        return chosen
    following = (
        dossier.procedure_version.workflow_steps.filter(position__gt=dossier.current_step.position)
        .order_by("position")
        .first()
    )
    if following is None:
        raise ValidationError(
            _("The workflow has no step after “%(step)s”.") % {"step": dossier.current_step.name}
        )
    return following


def _save(dossier: Dossier) -> None:
    dossier.revision += 1
    dossier.save()


@transaction.atomic
def advance(
    dossier: Dossier, *, actor, note: str = "", assignee=None, revision=None, to=None
) -> Dossier:
    """Finishes the current step and hands the dossier to the next one (or to ``to``, another
    step the workflow moves on to from here)."""
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    return _advance(dossier, actor, note, assignee, to)


def _advance(dossier: Dossier, actor, note: str, assignee, to=None) -> Dossier:
    step = dossier.current_step
    if step.action == Action.RETURN:
        raise ValidationError(_("Return the result to the applicant to finish this dossier."))
    if consultations.waiting(dossier):
        raise ValidationError(
            _(
                "This step waits for the consulted agencies' answers; the dossier moves on by "
                "itself when all of them have answered."
            )
        )
    gates.check(dossier, "advance")
    following = next_step(dossier, to)
    if step.action == Action.ASSIGN and assignee is None and following.role == Role.SPECIALIST:
        raise ValidationError(_("Choose the specialist who will process the dossier."))
    _check_assignee(assignee, dossier, following)
    if following.action == Action.RETURN and not _results(dossier).exists():
        raise ValidationError(
            _("Attach the result document (the signed decision or paper) before handing it on.")
        )
    now = timezone.now()
    previous = _finish(dossier, actor, DossierStep.Outcome.NEXT, note, now)
    opened = _open_step(dossier, following, now, assignee=assignee)
    if following.action == Action.RETURN:
        dossier.decided_at = now
    transitions.apply(
        dossier,
        "advance",
        actor=actor,
        to=Dossier.Status.RESULT_READY
        if following.action == Action.RETURN
        else Dossier.Status.IN_PROGRESS,
        note=_("Now at: %(step)s.") % {"step": following.name},
        before={"step": step.code},
    )
    consultations.on_arrival(dossier, opened, actor=actor, now=now)
    signals.dossier_step_changed.send(Dossier, dossier=dossier, step=opened, previous=previous)
    if following.action == Action.RETURN:
        signals.result_issued.send(Dossier, dossier=dossier, result=_results(dossier).last())
    return dossier


def advance_after_consultation(dossier: Dossier, actor, note: str) -> Dossier:
    """The last consulted agency answered (``consultations.answer``, in its transaction, the
    dossier locked): the step is done and the dossier moves on by itself."""
    return _advance(dossier, actor, note, None)


@transaction.atomic
def send_back(dossier: Dossier, *, actor, note: str, revision=None, to=None) -> Dossier:
    """Hands the dossier back to an earlier step (an approver sends a draft back), as the
    workflow's send-back links allow (``to``: which, where there are several); the earlier
    step's person gets it again."""
    note = note.strip()
    if not note:
        raise ValidationError(_("Say what must be corrected."))
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    target = _chosen(dossier, Kind.SEND_BACK, to)
    if target is None:
        raise ValidationError(_("The workflow does not allow sending back from this step."))
    earlier = dossier.steps.filter(step=target).order_by("-started_at", "-id").first()
    before = {"step": dossier.current_step.code}
    now = timezone.now()
    previous = _finish(dossier, actor, DossierStep.Outcome.SEND_BACK, note, now)
    opened = _open_step(dossier, target, now, assignee=earlier.assignee if earlier else None)
    transitions.apply(
        dossier,
        "send_back",
        actor=actor,
        to=Dossier.Status.IN_PROGRESS,
        note=_("Sent back to: %(step)s.") % {"step": target.name},
        before=before,
    )
    consultations.on_arrival(dossier, opened, actor=actor, now=now)
    signals.dossier_step_changed.send(Dossier, dossier=dossier, step=opened, previous=previous)
    return dossier


@transaction.atomic
def assign(dossier: Dossier, *, actor, assignee, revision=None) -> Dossier:
    """A head of unit gives the current step to one official (or takes it from them)."""
    dossier = _locked(dossier, revision)
    if not may_assign(actor, dossier):
        raise PermissionDenied
    step = dossier.current_step
    if step.action == Action.ASSIGN:
        # The assigning step itself is done: the specialist's step opens, assigned.
        return _advance(dossier, actor, "", assignee)
    _check_assignee(assignee, dossier, step)
    before = {"assignee": dossier.assignee_id}
    row = _open_row(dossier)
    row.assignee = assignee
    row.save(update_fields=["assignee"])
    dossier.assignee = assignee
    _save(dossier)
    transitions.record(actor, "dossiers.assigned", dossier, before)
    return dossier


@transaction.atomic
def take(dossier: Dossier, *, actor, revision=None) -> Dossier:
    """A specialist takes an unassigned dossier from their agency's queue."""
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    if dossier.assignee_id is not None:
        raise ValidationError(_("Someone already has this dossier."))
    row = _open_row(dossier)
    row.assignee = actor
    row.save(update_fields=["assignee"])
    dossier.assignee = actor
    _save(dossier)
    transitions.record(actor, "dossiers.taken", dossier, {"assignee": None})
    return dossier


def _results(dossier: Dossier):
    return dossier.attachments.filter(kind=Attachment.Kind.RESULT).order_by("uploaded_at", "id")


@transaction.atomic
def attach_result(
    dossier: Dossier, *, actor, name: str, data: bytes, certificate=None, revision=None
) -> Attachment:
    """Stores the result document (a PDF), replacing a draft result not yet returned; with a
    certificate the actor may use, it is signed (PAdES) before it is stored."""
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    try:
        uploads.check(data, accepted=["pdf"])
    except uploads.UploadRejected as exc:
        raise ValidationError(str(exc)) from exc
    return _keep_result(dossier, actor, data, certificate, generated=False)


@transaction.atomic
def generate_result(
    dossier: Dossier, *, actor, certificate=None, revision=None, decision_number: str = ""
) -> Attachment:
    """Draws the result (a PDF the official checks, then signs): in the layout of the version's
    result template when it has one (with the decision's number), otherwise from the
    procedure's results and the declaration."""
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    decision_number = " ".join(decision_number.split())[:100]
    data = forms.result_pdf(dossier, officer=actor, decision_number=decision_number)
    return _keep_result(dossier, actor, data, certificate, generated=True)


def _keep_result(dossier: Dossier, actor, data: bytes, certificate, *, generated: bool):
    if dossier.current_step.action not in RESULT_STEPS:
        raise ValidationError(_("A result can only be attached while the dossier is processed."))
    if certificate is not None:
        data = signatures.sign_pdf(
            data,
            signer_certificate=certificate,
            actor=actor,
            reference=("dossiers.result", dossier.code),
            title=dossier.procedure_version.name[:200],
            reason=_("Result of dossier %(code)s") % {"code": dossier.code},
        ).data
    for old in _results(dossier):
        old.file.delete(save=False)
        old.delete()
    result = forms.store_pdf(dossier, Attachment.Kind.RESULT, f"{dossier.code}-ket-qua.pdf", data)
    _save(dossier)
    transitions.record(
        actor,
        "dossiers.result_attached",
        dossier,
        {"signed": certificate is not None, "generated": generated},
    )
    if not generated and has_result_template(dossier):
        # The version has an official layout: a file uploaded instead is an override, on record.
        audit.record(
            actor=actor,
            action="dossiers.result_template_overridden",
            obj=dossier,
            object_repr=str(dossier),
            agency_id=dossier.receiving_agency_id,
            after={"file": result.original_name, "sha256": result.sha256},
        )
    return result


def has_result_template(dossier: Dossier) -> bool:
    return ResultTemplate.objects.filter(version_id=dossier.procedure_version_id).exists()


@transaction.atomic
def request_supplement(dossier: Dossier, *, actor, items: list[str], note="", revision=None):
    """The processing department finds something missing: the citizen is asked for it all at
    once (form 02) and the clock stops until the supplement arrives."""
    items = outcomes.items_asked(items)
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    if _transition(dossier, Kind.SUPPLEMENT) is None:
        raise ValidationError(_("The workflow does not allow a supplement request at this step."))
    now = timezone.now()
    step = dossier.current_step
    _finish(dossier, actor, DossierStep.Outcome.SUPPLEMENT, "; ".join(items), now)
    dossier.paused_at = now
    return outcomes.ask_for_supplement(
        dossier, actor=actor, items=items, note=note, transition="supplement", during_step=step
    )


def resume_after_supplement(dossier: Dossier, request: SupplementRequest, *, applicant, now):
    """The citizen completed the dossier during processing: the time limit counts again from
    the beginning (Nghị định 118/2025/NĐ-CP), and the step that asked gets it back."""
    dossier.due_at = due_at(dossier.procedure_version, now)
    dossier.paused_at = None
    earlier = dossier.steps.filter(step=request.during_step).order_by("-started_at", "-id").first()
    _open_step(dossier, request.during_step, now, assignee=earlier.assignee if earlier else None)


@transaction.atomic
def pause(dossier: Dossier, *, actor, reason: str, revision=None) -> Dossier:
    """Stops the clock (waiting for an outside verification, a site visit the applicant asked to
    move, a financial obligation…) where the workflow allows a pause."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the dossier is paused; the applicant is told."))
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    if _transition(dossier, Kind.PAUSE) is None:
        raise ValidationError(_("The workflow does not allow a pause at this step."))
    dossier.paused_at = timezone.now()
    transitions.apply(dossier, "pause", actor=actor, to=Dossier.Status.PAUSED, note=reason[:500])
    return dossier


@transaction.atomic
def resume(dossier: Dossier, *, actor, revision=None) -> Dossier:
    """Restarts the clock: the appointment and the step's deadline move by the working time
    the dossier spent paused."""
    dossier = _locked(dossier, revision)
    if not transitions.allowed(dossier, "resume"):
        raise ValidationError(_("The dossier is not paused."))
    if not may_resume(actor, dossier):
        raise PermissionDenied
    now = timezone.now()
    stopped = calendar.working_hours_between(dossier.paused_at, now)
    before = {"due_at": dossier.due_at.isoformat()}
    dossier.due_at = calendar.add_working_time(dossier.due_at, hours=stopped)
    row = _open_row(dossier)
    row.due_at = calendar.add_working_time(row.due_at, hours=stopped)
    row.save(update_fields=["due_at"])
    dossier.step_due_at = row.due_at
    dossier.paused_at = None
    transitions.apply(
        dossier,
        "resume",
        actor=actor,
        to=Dossier.Status.RESULT_READY
        if dossier.current_step.action == Action.RETURN
        else Dossier.Status.IN_PROGRESS,
        note=_("Processing resumed."),
        before=before,
    )
    return dossier


@transaction.atomic
def refuse(dossier: Dossier, *, actor, reason: str, revision=None) -> Dossier:
    """Refusal during processing: the reason is written into the result (a refusal notice the
    applicant downloads or receives), and the dossier is closed."""
    reason = outcomes.reason_given(reason)
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    if _transition(dossier, Kind.REFUSE) is None:
        raise ValidationError(_("The workflow does not allow a refusal at this step."))
    now = timezone.now()
    _finish(dossier, actor, DossierStep.Outcome.REFUSE, reason, now)
    _clear_position(dossier)
    dossier.decided_at = now
    pdf = forms.refusal_notice_pdf(dossier, reason=reason, officer=actor)
    forms.store_pdf(dossier, Attachment.Kind.RESULT, f"{dossier.code}-tu-choi.pdf", pdf)
    return outcomes.refuse(dossier, actor=actor, reason=reason, transition="refuse")


@transaction.atomic
def return_result(dossier: Dossier, *, actor, note: str = "", revision=None) -> Dossier:
    """The desk hands the result over (at the desk, online, or to the post) and closes the
    dossier."""
    dossier = _locked(dossier, revision)
    _require_turn(dossier, actor)
    if dossier.current_step.action != Action.RETURN:
        raise ValidationError(_("The result is not ready to be returned yet."))
    now = timezone.now()
    _finish(dossier, actor, DossierStep.Outcome.RETURNED, note, now)
    _clear_position(dossier)
    dossier.returned_at = now
    transitions.apply(
        dossier, "return", actor=actor, to=Dossier.Status.RETURNED, note=_("Result returned.")
    )
    signals.result_returned.send(Dossier, dossier=dossier, channel=dossier.result_delivery)
    return dossier


def close_on_withdrawal(dossier: Dossier, *, applicant, reason: str, now) -> None:
    """Called by the citizen's withdrawal, in its transaction."""
    _finish(dossier, applicant, DossierStep.Outcome.WITHDRAWN, reason, now)
    _clear_position(dossier)
    dossier.paused_at = None
