"""Checks that a version's workflow can be executed by the dossier engine."""

import itertools
from decimal import Decimal

from django.utils.translation import gettext as _

from egov.catalog.durations import working_time_text
from egov.catalog.models import ProcedureVersion, WorkflowStep, WorkflowTransition


def consultation_problems(step: WorkflowStep, unit: str) -> list[str]:
    """What stops a consultation step from working, in words placed beside the step: no agency
    to ask, a time to answer of nothing, or one longer than the step's own share (the dossier
    would wait past the step's sub-deadline for that agency)."""
    if step.action != WorkflowStep.Action.CONSULTATION:
        return []
    consulted = list(step.consulted.select_related("agency"))
    if not consulted:
        return [_("This consultation asks no agency: choose at least one.")]
    found = []
    for row in consulted:
        if row.duration <= 0:
            found.append(
                _("%(agency)s has no time to answer: give it a number of days.")
                % {"agency": row.agency.name}
            )
        elif row.duration > step.duration:
            found.append(
                _(
                    "%(agency)s has %(time)s to answer, longer than this step's share of the "
                    "time limit (%(share)s)."
                )
                % {
                    "agency": row.agency.name,
                    "time": working_time_text(row.duration, unit),
                    "share": working_time_text(step.duration, unit),
                }
            )
    return found


def problems(version: ProcedureVersion) -> list[str]:
    steps = list(version.workflow_steps.order_by("position"))
    found: list[str] = []
    if not steps:
        return [_("The workflow has no steps.")]
    if steps[0].action != WorkflowStep.Action.RECEIVE:
        found.append(_("The first step must receive the dossier."))
    if steps[-1].action != WorkflowStep.Action.RETURN:
        found.append(_("The last step must return the result."))
    total = sum((step.duration for step in steps), Decimal(0))
    if total != version.time_limit:
        found.append(
            _("The steps add up to %(total)s but the time limit is %(limit)s %(unit)s.")
            % {
                "total": total.normalize(),
                "limit": version.time_limit.normalize(),
                "unit": version.get_time_unit_display(),
            }
        )
    for step in steps:
        if step.agency_role == WorkflowStep.AgencyRole.OTHER and step.agency_id is None:
            found.append(
                _("Step “%(step)s” acts in another agency but names none.") % {"step": step.name}
            )
        found.extend(
            _("Step “%(step)s”: %(problem)s") % {"step": step.name, "problem": problem}
            for problem in consultation_problems(step, version.time_unit)
        )
    for move in custom_moves(version):
        problem = move_problem(move.source, move.target, move.kind)
        if problem:
            found.append(
                _("Move “%(move)s” from step “%(step)s”: %(problem)s")
                % {"move": move.get_kind_display(), "step": move.source.name, "problem": problem}
            )
    ids = {step.pk for step in steps}
    for transition in version.workflow_transitions.all():
        if transition.source_id not in ids or (
            transition.target_id is not None and transition.target_id not in ids
        ):
            found.append(_("A transition links a step of another version."))
        if transition.kind != WorkflowTransition.Kind.REFUSE and transition.target_id is None:
            found.append(_("Only a refusal may end without a target step."))
    return found


Kind = WorkflowTransition.Kind
PROCESS = WorkflowStep.Action.PROCESS
CHECKING = {WorkflowStep.Action.REVIEW, WorkflowStep.Action.APPROVE, WorkflowStep.Action.SIGN}


def default_links(steps: list[WorkflowStep]) -> list[tuple]:
    """The usual moves as (source, target, kind): next-step links, supplement and refusal from
    receiving and processing steps, pause while processing, send back from checking steps."""
    links: list[tuple] = [
        (current, following, Kind.NEXT) for current, following in itertools.pairwise(steps)
    ]
    first = steps[0] if steps else None
    for step in steps:
        if step.action in {WorkflowStep.Action.RECEIVE, WorkflowStep.Action.PROCESS}:
            links.append((step, first, Kind.SUPPLEMENT))
            links.append((step, None, Kind.REFUSE))
        if step.action == WorkflowStep.Action.PROCESS:
            links.append((step, step, Kind.PAUSE))
        if step.action in CHECKING:
            # A reviewer or approver may send a draft back to whoever processed it.
            processing = [s for s in steps if s.position < step.position and s.action == PROCESS]
            if processing:
                links.append((step, processing[-1], Kind.SEND_BACK))
    return links


def default_transitions(version: ProcedureVersion) -> None:
    steps = list(version.workflow_steps.order_by("position"))
    WorkflowTransition.objects.bulk_create(
        WorkflowTransition(version=version, source=source, target=target, kind=kind)
        for source, target, kind in default_links(steps)
    )


# Custom moves an editor may add beyond the usual ones, and where each may lead.
CUSTOM_KINDS = [Kind.NEXT, Kind.SEND_BACK, Kind.SUPPLEMENT, Kind.REFUSE, Kind.PAUSE]


def custom_moves(version: ProcedureVersion) -> list[WorkflowTransition]:
    """The version's moves that are not among the usual ones (an editor added them)."""
    steps = list(version.workflow_steps.order_by("position"))
    usual = {
        (source.pk, target.pk if target else None, kind)
        for source, target, kind in default_links(steps)
    }
    return [
        t
        for t in version.workflow_transitions.select_related("source", "target").order_by(
            "source__position", "id"
        )
        if (t.source_id, t.target_id, t.kind) not in usual
    ]


def move_problem(source: WorkflowStep, target: WorkflowStep | None, kind: str) -> str | None:
    """Why a custom move cannot be made, in words; None when it can."""
    if kind == Kind.REFUSE:
        return None if target is None else _("A refusal ends the dossier: choose no target step.")
    if target is None:
        return _("Choose the step this move leads to.")
    if kind == Kind.PAUSE and target.pk != source.pk:
        return _("A pause stays at the same step: choose that step as the target.")
    if kind == Kind.NEXT and target.position <= source.position:
        return _("A move on leads to a later step; to go back, choose “send back”.")
    if kind in {Kind.SEND_BACK, Kind.SUPPLEMENT} and target.position > source.position:
        return _("A send-back or supplement leads to an earlier step (or the same one).")
    if source.action == WorkflowStep.Action.RETURN:
        return _("The step that returns the result ends the dossier: it has no moves.")
    return None
