"""The one way a dossier's status changes.

Every change of status goes through :func:`apply`, which checks it against :data:`TABLE` (from
which statuses, to which, by whom), sets the status, counts the revision, saves, writes the line of
the dossier's public history, the audit record and the one domain event every other app listens to
(``signals.dossier_changed``, with the transition's name and the statuses before and after). The
services that decide *what* happens (reception, processing, the citizen's submission and
withdrawal) lock the dossier with :func:`locked`, check the actor's role, do their own work (steps,
forms, fees) and call :func:`apply`; nothing else assigns a status.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core import audit
from egov.dossiers import signals
from egov.dossiers.models import Dossier, DossierEvent

S = Dossier.Status
# What the audit record of a dossier's change keeps before and after.
AUDIT_FIELDS = ["code", "status", "receiving_agency_id", "result_delivery", "due_at"]

# The statuses in which the workflow is at a step that can act.
OPEN = frozenset({S.RECEIVED, S.IN_PROGRESS, S.RESULT_READY})
WITHDRAWABLE = frozenset({S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.PAUSED})

APPLICANT = "applicant"
DESK = "desk_officer"  # the receiving one-stop desk's officer (accounts.Role.DESK_OFFICER)
WORKFLOW = "workflow"  # whoever holds the role of the dossier's current step, in its agency


class StaleDossier(Exception):
    """The dossier changed since the user loaded the page (its revision moved on)."""


class TransitionRefused(ValidationError):
    """The table does not allow this change from the dossier's status."""


@dataclass(frozen=True)
class Transition:
    name: str
    action: str  # the audit trail's action
    label: object  # what a person reads (lazy, translated)
    sources: frozenset
    targets: frozenset
    actor: str  # APPLICANT, DESK or WORKFLOW


def _t(name, action, label, sources, targets, actor) -> Transition:
    return Transition(name, action, label, frozenset(sources), frozenset(targets), actor)


TABLE: dict[str, Transition] = {
    t.name: t
    for t in (
        _t(
            "submit",
            "dossiers.submitted",
            gettext_lazy("Submitted by the applicant"),
            {S.DRAFT},
            {S.SUBMITTED},
            APPLICANT,
        ),
        _t(
            "receive",
            "dossiers.received",
            gettext_lazy("Received by the one-stop desk"),
            {S.SUBMITTED},
            {S.RECEIVED, S.IN_PROGRESS},
            DESK,
        ),
        _t(
            "desk_supplement",
            "dossiers.supplement_requested",
            gettext_lazy("Supplement requested by the desk"),
            {S.SUBMITTED},
            {S.SUPPLEMENT_REQUESTED},
            DESK,
        ),
        _t(
            "desk_refuse",
            "dossiers.refused",
            gettext_lazy("Refused by the desk"),
            {S.SUBMITTED, S.SUPPLEMENT_REQUESTED},
            {S.REFUSED},
            DESK,
        ),
        _t(
            "answer_supplement",
            "dossiers.supplement_answered",
            gettext_lazy("Supplement sent by the applicant"),
            {S.SUPPLEMENT_REQUESTED},
            {S.SUBMITTED, S.IN_PROGRESS},
            APPLICANT,
        ),
        _t(
            "advance",
            "dossiers.advanced",
            gettext_lazy("Handed on to the next step"),
            OPEN,
            {S.IN_PROGRESS, S.RESULT_READY},
            WORKFLOW,
        ),
        _t(
            "send_back",
            "dossiers.sent_back",
            gettext_lazy("Sent back to an earlier step"),
            OPEN,
            {S.IN_PROGRESS},
            WORKFLOW,
        ),
        _t(
            "supplement",
            "dossiers.supplement_requested",
            gettext_lazy("Supplement requested during processing"),
            OPEN,
            {S.SUPPLEMENT_REQUESTED},
            WORKFLOW,
        ),
        _t("pause", "dossiers.paused", gettext_lazy("Paused"), OPEN, {S.PAUSED}, WORKFLOW),
        _t(
            "resume",
            "dossiers.resumed",
            gettext_lazy("Resumed"),
            {S.PAUSED},
            {S.IN_PROGRESS, S.RESULT_READY},
            WORKFLOW,
        ),
        _t(
            "refuse",
            "dossiers.refused",
            gettext_lazy("Refused during processing"),
            OPEN,
            {S.REFUSED},
            WORKFLOW,
        ),
        _t(
            "return",
            "dossiers.returned",
            gettext_lazy("Result returned"),
            {S.RESULT_READY},
            {S.RETURNED},
            WORKFLOW,
        ),
        _t(
            "withdraw",
            "dossiers.withdrawn",
            gettext_lazy("Withdrawn by the applicant"),
            WITHDRAWABLE,
            {S.WITHDRAWN},
            APPLICANT,
        ),
    )
}


def allowed(dossier: Dossier, name: str) -> bool:
    """Whether the dossier's status lets the transition happen (the actor is checked by the
    service that knows the step)."""
    return dossier.status in TABLE[name].sources


def check(dossier: Dossier, name: str) -> Transition:
    transition = TABLE[name]
    if dossier.status not in transition.sources:
        raise TransitionRefused(
            _("This dossier is “%(status)s”: that action no longer applies.")
            % {"status": dossier.get_status_display()},
            code="transition_refused",
        )
    return transition


def locked(queryset, dossier: Dossier, revision: int | None, *related: str) -> Dossier:
    """The dossier's row, locked for the transaction (only its row: not the agency's or the
    procedure's that come with it), refused as stale when the revision the user saw moved on."""
    row = queryset.select_for_update(of=("self",)).select_related(*related).get(pk=dossier.pk)
    if revision is not None and row.revision != revision:
        raise StaleDossier
    return row


def apply(
    dossier: Dossier,
    name: str,
    *,
    actor,
    to: str,
    note: str = "",
    before: dict | None = None,
    history_status: str | None = None,
) -> Transition:
    """Changes the status of a locked dossier, in the caller's transaction: see the module's
    docstring. ``before`` adds to the audit record's previous values; ``history_status`` is
    the status the history line shows when it is not the new one (a receipt that moves on
    to processing at once is shown as received first)."""
    transition = check(dossier, name)
    if to not in transition.targets:
        raise ValueError(f"{name} goes to {sorted(transition.targets)}, not {to!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a dossier's status changes inside the transaction that locked it")
    previous = dossier.status
    dossier.status = to
    dossier.revision += 1
    dossier.save()
    history(dossier, note, history_status or to)
    record(actor, transition.action, dossier, {"status": previous, **(before or {})}, name=name)
    return transition


def history(dossier: Dossier, note: str = "", status: str | None = None) -> None:
    """A line of the dossier's public history (what tracking shows), in its current status
    unless another is given."""
    DossierEvent.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        status=status or dossier.status,
        note=note,
    )


def record(actor, action: str, dossier: Dossier, before: dict | None = None, *, name="") -> None:
    """The audit record of a change of the dossier, and the domain event that announces it
    (reports keep their aggregates from it, tracking drops its cached answer, the national
    portal's outbox queues the change). Announced before the audit record: the record takes its
    audit chain's head lock, held until the commit, so nothing else should run after it."""
    signals.dossier_changed.send(
        Dossier,
        dossier=dossier,
        action=action,
        transition=name,
        previous_status=(before or {}).get("status", dossier.status),
    )
    audit.record(
        actor=actor,
        action=action,
        obj=dossier,
        object_repr=str(dossier),
        agency_id=dossier.receiving_agency_id,
        before=before,
        after=audit.snapshot(dossier, AUDIT_FIELDS),
    )
