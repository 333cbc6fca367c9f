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
    ids = {step.pk for step in steps}
    for transition in version.workflow_transitions.all():
        if transition.source_id not in ids or (
            transition.target_id is not None and transition.target_id not in ids
        ):
            found.append(_("A transition links a step of another version."))
        if transition.kind != WorkflowTransition.Kind.REFUSE and transition.target_id is None:
            found.append(_("Only a refusal may end without a target step."))
    return found


PROCESS = WorkflowStep.Action.PROCESS
CHECKING = {WorkflowStep.Action.REVIEW, WorkflowStep.Action.APPROVE, WorkflowStep.Action.SIGN}


def default_transitions(version: ProcedureVersion) -> None:
    """Next-step links, plus supplement and refusal from receiving and processing steps."""
    steps = list(version.workflow_steps.order_by("position"))
    links = []
    for current, following in itertools.pairwise(steps):
        links.append(
            WorkflowTransition(
                version=version, source=current, target=following, kind=WorkflowTransition.Kind.NEXT
            )
        )
    first = steps[0] if steps else None
    for step in steps:
        if step.action in {WorkflowStep.Action.RECEIVE, WorkflowStep.Action.PROCESS}:
            links.append(
                WorkflowTransition(
                    version=version,
                    source=step,
                    target=first,
                    kind=WorkflowTransition.Kind.SUPPLEMENT,
                )
            )
            links.append(
                WorkflowTransition(
                    version=version, source=step, target=None, kind=WorkflowTransition.Kind.REFUSE
                )
            )
        if step.action == WorkflowStep.Action.PROCESS:
            links.append(
                WorkflowTransition(
                    version=version, source=step, target=step, kind=WorkflowTransition.Kind.PAUSE
                )
            )
        if step.action in CHECKING:
            # A reviewer or approver may send a draft back to whoever processed it.
            processing = [s for s in steps if s.position < step.position and s.action == PROCESS]
            if processing:
                links.append(
                    WorkflowTransition(
                        version=version,
                        source=step,
                        target=processing[-1],
                        kind=WorkflowTransition.Kind.SEND_BACK,
                    )
                )
    WorkflowTransition.objects.bulk_create(links)
