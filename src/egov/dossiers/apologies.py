"""Late dossiers: the warning to the agency and the apology letter (form 04).

When a dossier will not be ready on the appointment, the agency at fault sends the applicant an
apology with a new date, at the latest one day before the appointment (Nghị định 118/2025/NĐ-CP,
following Nghị định 61/2018), and only once for a dossier. A periodic check warns the agency's
leaders in time to do so.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role, RoleAssignment, User
from egov.dossiers import forms, signals, transitions
from egov.dossiers.models import ApologyLetter, Dossier

# The law says at least one day before the appointment; we read it as 24 hours.
NOTICE = datetime.timedelta(days=1)
# How far ahead the periodic check looks: the agency still has a working day to write the letter.
WARN_AHEAD = datetime.timedelta(days=3)
LATE_STATUSES = {Dossier.Status.RECEIVED, Dossier.Status.IN_PROGRESS, Dossier.Status.PAUSED}


def may_apologise(user, dossier: Dossier) -> bool:
    deciding = dossier.deciding_agency or dossier.receiving_agency
    return (
        scoping.has_role(user, Role.LEADER, deciding)
        or scoping.has_role(user, Role.APPROVER, deciding)
        or scoping.has_role(user, Role.DESK_OFFICER, dossier.receiving_agency)
    )


def latest_moment(dossier: Dossier) -> datetime.datetime | None:
    return dossier.due_at - NOTICE if dossier.due_at else None


def why_not(dossier: Dossier, now: datetime.datetime | None = None) -> str | None:
    """Why no apology letter (form 04) can be issued for the dossier now, in words for the
    official; None when one can."""
    if ApologyLetter.objects.filter(dossier=dossier).exists():
        return _("An apology letter was already sent for this dossier; only one is allowed.")
    if dossier.status not in LATE_STATUSES or dossier.due_at is None:
        return _("Only a dossier still being processed can be apologised for.")
    if (now or timezone.now()) > latest_moment(dossier):
        return _(
            "The apology letter had to be sent by %(moment)s, one day before the appointment; "
            "it is too late for it now."
        ) % {
            "moment": formats.date_format(
                timezone.localtime(latest_moment(dossier)), "SHORT_DATETIME_FORMAT"
            )
        }
    return None


def may_issue(user, dossier: Dossier) -> bool:
    """Whether ``user`` may issue the dossier's apology letter now (the page offers it)."""
    return may_apologise(user, dossier) and why_not(dossier) is None


@transaction.atomic
def issue(
    dossier: Dossier, *, actor, reason: str, new_due_at: datetime.datetime, revision=None
) -> ApologyLetter:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the dossier is late; the applicant reads it."))
    dossier = transitions.locked(
        Dossier.objects,
        dossier,
        None,
        "receiving_agency",
        "deciding_agency",
        "procedure_version",
        "applicant",
    )
    if not may_apologise(actor, dossier):
        raise PermissionDenied
    if revision is not None and dossier.revision != revision:
        raise transitions.StaleDossier
    problem = why_not(dossier)
    if problem:
        raise ValidationError(problem)
    if new_due_at <= dossier.due_at:
        raise ValidationError(_("The new appointment must come after the current one."))
    before = {"due_at": dossier.due_at.isoformat()}
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        reason=reason[:1000],
        previous_due_at=dossier.due_at,
        new_due_at=new_due_at,
        issued_by=actor,
    )
    dossier.due_at = new_due_at
    dossier.revision += 1
    dossier.save(update_fields=["due_at", "revision", "updated_at"])
    forms.store_apology_form(letter)
    transitions.history(
        dossier,
        _("Apology letter sent; new appointment %(date)s.")
        % {"date": formats.date_format(timezone.localtime(new_due_at), "SHORT_DATE_FORMAT")},
    )
    transitions.record(actor, "dossiers.apology_issued", dossier, before)
    signals.apology_issued.send(Dossier, dossier=dossier, letter=letter)
    return letter


def about_to_be_late(now: datetime.datetime | None = None):
    """Open dossiers whose appointment is near, not yet apologised for nor warned about."""
    now = now or timezone.now()
    return Dossier.objects.filter(
        status__in=LATE_STATUSES,
        due_at__gt=now,
        due_at__lte=now + WARN_AHEAD,
        late_warning_at__isnull=True,
        apology__isnull=True,
    )


def warn_agencies(now: datetime.datetime | None = None) -> int:
    """Tells the leaders and approvers of each late dossier's deciding agency, once."""
    now = now or timezone.now()
    warned = 0
    candidates = about_to_be_late(now).values_list("pk", flat=True)[:1000]
    for pk in candidates:
        with transaction.atomic():
            dossier = (
                about_to_be_late(now)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("deciding_agency", "receiving_agency", "procedure_version")
                .filter(pk=pk)
                .first()
            )
            if dossier is None:
                continue
            agency = dossier.deciding_agency or dossier.receiving_agency
            dossier.late_warning_at = now
            dossier.save(update_fields=["late_warning_at"])
            signals.deadline_near.send(Dossier, dossier=dossier, recipients=list(_leaders(agency)))
            warned += 1
    return warned


def _leaders(agency):
    ancestors = [int(part) for part in agency.path.strip("/").split("/") if part]
    holders = RoleAssignment.objects.filter(
        Q(agency=agency) | Q(include_subtree=True, agency__in=ancestors),
        role__in=[Role.LEADER, Role.APPROVER],
    ).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True)
