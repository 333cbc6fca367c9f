"""A version's workflow drawn as SVG (server-side, no library), and its checks placed beside
the step they concern, in words.

Layout: the steps in one column, top to bottom, joined by their "next" arrows; a move back
(a supplement request, a send-back) is an arc on the right; a refusal ends on the left. A
consultation of several agencies forks below its step into one branch per agency (with its
time to answer), which join again before the next step: the step waits for all of them.
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from egov.catalog import workflow
from egov.catalog.models import ProcedureVersion, WorkflowStep, WorkflowTransition

BOX_W, BOX_H, GAP, LEFT, TOP = 300, 58, 40, 110, 20
# A consultation's branches: their boxes' height and the space above and below them.
BRANCH_H, BRANCH_GAP = 44, 22
BACK_KINDS = {WorkflowTransition.Kind.SUPPLEMENT, WorkflowTransition.Kind.SEND_BACK}


@dataclass
class StepNotes:
    step: WorkflowStep
    notes: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)


def step_notes(version: ProcedureVersion) -> tuple[list[StepNotes], list[str]]:
    """Each step with the checks that concern it, and the checks that concern the whole."""
    steps = list(version.workflow_steps.select_related("agency").order_by("position"))
    rows = [StepNotes(step) for step in steps]
    general: list[str] = []
    if not steps:
        return rows, [
            _("The workflow has no steps: add the first one, which receives the dossier.")
        ]
    if steps[0].action != WorkflowStep.Action.RECEIVE:
        rows[0].notes.append(_("The first step must receive the dossier."))
    if steps[-1].action != WorkflowStep.Action.RETURN:
        rows[-1].notes.append(_("The last step must return the result."))
    if not any(step.action == WorkflowStep.Action.SIGN for step in steps):
        general.append(
            _(
                "No step can sign the result: the result is then uploaded already signed. Add a "
                "“Sign” step for the leader if the agency signs it here."
            )
        )
    for row in rows:
        if row.step.agency_role == WorkflowStep.AgencyRole.OTHER and row.step.agency_id is None:
            row.notes.append(_("This step acts in another agency but names none."))
        row.notes.extend(workflow.consultation_problems(row.step, version.time_unit))
    total = sum((step.duration for step in steps), start=steps[0].duration * 0)
    if total != version.time_limit:
        general.append(
            _("The steps add up to %(total)s but the time limit is %(limit)s %(unit)s.")
            % {
                "total": total.normalize(),
                "limit": version.time_limit.normalize(),
                "unit": version.get_time_unit_display(),
            }
        )
    by_id = {row.step.pk: row for row in rows}
    for move in workflow.custom_moves(version):
        problem = workflow.move_problem(move.source, move.target, move.kind)
        if problem and move.source_id in by_id:
            by_id[move.source_id].notes.append(problem)
    for transition in version.workflow_transitions.select_related("target"):
        source_row = by_id.get(transition.source_id)
        if source_row is None:
            continue
        target = transition.target.name if transition.target else _("the dossier ends")
        source_row.moves.append(f"{transition.get_kind_display()} → {target}")
    return rows, general


def _branches(step: WorkflowStep) -> list:
    if step.action != WorkflowStep.Action.CONSULTATION:
        return []
    return list(step.consulted.select_related("agency"))


def _block_height(branches: list) -> int:
    """A step's box, and below it the fork of a consultation's branches and their join."""
    return BOX_H + (2 * BRANCH_GAP + BRANCH_H if branches else 0)


def _fork(x_mid: int, y: int, branches: list) -> list[str]:
    """The branches of a consultation below its box at ``y``: one box per agency, each with
    its time to answer, forked from the step and joined again for the next step."""
    count = len(branches)
    width = (BOX_W - 8 * (count - 1)) // count
    top = y + BOX_H + BRANCH_GAP
    join = top + BRANCH_H + BRANCH_GAP
    chars = max(6, width // 8)
    answers = _("answers in %(time)s")
    parts = [
        f'<line x1="{LEFT}" y1="{join}" x2="{LEFT + BOX_W}" y2="{join}" stroke="#1a1a1a" '
        'stroke-width="3"/>'
    ]
    for i, row in enumerate(branches):
        x = LEFT + i * (width + 8)
        mid = x + width // 2
        parts.append(
            f'<path d="M{x_mid},{y + BOX_H} L{mid},{top}" fill="none" stroke="#1a1a1a" '
            'marker-end="url(#arrow)"/>'
            f'<line x1="{mid}" y1="{top + BRANCH_H}" x2="{mid}" y2="{join}" stroke="#1a1a1a"/>'
            f'<rect x="{x}" y="{top}" width="{width}" height="{BRANCH_H}" rx="4" '
            'fill="#e8f5e9" stroke="#2e7d32"/>'
            f'<text x="{x + 6}" y="{top + 18}" font-size="11" fill="#1a1a1a">'
            f"{escape(row.agency.name[:chars])}</text>"
            f'<text x="{x + 6}" y="{top + 36}" font-size="11" fill="#4a4a4a">'
            f"{escape(answers % {'time': row.duration.normalize()})}</text>"
        )
    return parts


def svg(version: ProcedureVersion) -> str:
    """The diagram as an SVG document fragment with a title and a text equivalent per box."""
    steps = list(version.workflow_steps.order_by("position"))
    index = {step.pk: i for i, step in enumerate(steps)}
    branches = [_branches(step) for step in steps]
    tops = [TOP]
    for forks in branches:
        tops.append(tops[-1] + _block_height(forks) + GAP)
    height = tops[-1] + TOP
    width = LEFT + BOX_W + 170
    title = escape(_("Workflow diagram"))
    refuse = escape(_("refuse"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="workflow-diagram" role="img" aria-labelledby="wf-title">',
        f'<title id="wf-title">{title}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#1a1a1a"/></marker></defs>',
    ]
    for transition in version.workflow_transitions.all():
        source = index.get(transition.source_id)
        target = index.get(transition.target_id) if transition.target_id else None
        if source is None:
            continue
        if transition.kind == WorkflowTransition.Kind.REFUSE:
            y = tops[source] + BOX_H // 2
            parts.append(
                f'<line x1="{LEFT}" y1="{y}" x2="{LEFT - 40}" y2="{y}" stroke="#b00020" '
                'stroke-dasharray="4 3" marker-end="url(#arrow)"/>'
                f'<text x="4" y="{y + 4}" font-size="12" fill="#b00020">'
                f"{refuse}</text>"
            )
        elif transition.kind in BACK_KINDS and target is not None and target < source:
            y1, y2 = tops[source] + BOX_H // 2, tops[target] + BOX_H // 2
            x = LEFT + BOX_W
            bulge = x + 40 + 25 * (source - target)
            colour = (
                "#6a4c93" if transition.kind == WorkflowTransition.Kind.SUPPLEMENT else "#0b5394"
            )
            parts.append(
                f'<path d="M{x},{y1} C{bulge},{y1} {bulge},{y2} {x},{y2}" fill="none" '
                f'stroke="{colour}" stroke-dasharray="5 3" marker-end="url(#arrow)"/>'
            )
        elif (
            transition.kind == WorkflowTransition.Kind.NEXT
            and target is not None
            and (target > source + 1)
        ):
            # A move on that skips steps (an editor's own): an arc on the left.
            y1, y2 = tops[source] + BOX_H // 2, tops[target] + BOX_H // 2
            bulge = LEFT - 30 - 12 * (target - source)
            parts.append(
                f'<path d="M{LEFT},{y1} C{bulge},{y1} {bulge},{y2} {LEFT},{y2}" fill="none" '
                'stroke="#1a1a1a" marker-end="url(#arrow)"/>'
            )
        elif transition.kind == WorkflowTransition.Kind.NEXT and target is not None:
            x = LEFT + BOX_W // 2
            start = tops[source] + _block_height(branches[source])
            parts.append(
                f'<line x1="{x}" y1="{start}" x2="{x}" y2="{tops[target]}" '
                'stroke="#1a1a1a" marker-end="url(#arrow)"/>'
            )
    for i, step in enumerate(steps):
        y = tops[i]
        fill = "#fff4d6" if step.action == WorkflowStep.Action.SIGN else "#eef3fb"
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            'stroke="#1a1a1a"/>'
            f'<text x="{LEFT + 10}" y="{y + 22}" font-size="15" font-weight="600" '
            f'fill="#1a1a1a">{i + 1}. {escape(step.name[:34])}</text>'
            f'<text x="{LEFT + 10}" y="{y + 44}" font-size="12" fill="#4a4a4a">'
            f"{escape(step.get_role_display()[:30])} · {step.duration.normalize()}</text>"
        )
        if branches[i]:
            parts.extend(_fork(LEFT + BOX_W // 2, y, branches[i]))
    parts.append("</svg>")
    return "".join(parts)
