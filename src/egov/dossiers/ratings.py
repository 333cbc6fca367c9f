"""The applicant's rating of how the dossier was handled (đánh giá việc giải quyết thủ tục hành
chính, Nghị định 61/2018/NĐ-CP art. 31-32, Thông tư 01/2018/TT-VPCP art. 13; docs/portal.md).

Nine indicators, each scored 2, 1 or 0 (18 at most). A dossier is rated once, by its applicant,
after it was closed by the agency: its result returned, or refused (a refusal is also a decision
on the dossier, and the attitude of the staff and the number of contacts matter most then). The
applicant has ``EGOV_RATING_WINDOW_DAYS`` days (30 by default) from that moment.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.catalog.models import WorkflowStep
from egov.core import audit
from egov.dossiers import signals
from egov.dossiers.models import RATING_SCORES, Dossier, DossierStep, Rating

RATEABLE = {Dossier.Status.RETURNED, Dossier.Status.REFUSED}
MAX_COMMENT = 1000


@dataclasses.dataclass(frozen=True)
class Indicator:
    name: str
    label: Promise
    options: tuple[tuple[int, Promise], ...]  # best first


INDICATORS = (
    Indicator(
        "total_time",
        pgettext_lazy("rating", "Total time taken, compared with the time limit set by law"),
        (
            (2, pgettext_lazy("rating", "Shorter than the time limit")),
            (1, pgettext_lazy("rating", "Equal to the time limit")),
            (0, pgettext_lazy("rating", "Longer than the time limit")),
        ),
    ),
    Indicator(
        "agency_time",
        pgettext_lazy(
            "rating", "Time taken by each agency that handled it (including those consulted)"
        ),
        (
            (2, pgettext_lazy("rating", "Every agency finished before its deadline")),
            (1, pgettext_lazy("rating", "Every agency finished on its deadline")),
            (0, pgettext_lazy("rating", "At least one agency finished after its deadline")),
        ),
    ),
    Indicator(
        "desk_contacts",
        pgettext_lazy(
            "rating",
            "How many times you had to contact the receiving desk to complete the dossier "
            "(online contacts included)",
        ),
        (
            (2, pgettext_lazy("rating", "Not once")),
            (1, pgettext_lazy("rating", "Once")),
            (0, pgettext_lazy("rating", "More than once, through no fault of mine")),
        ),
    ),
    Indicator(
        "agencies_contacted",
        pgettext_lazy(
            "rating",
            "How many agencies or organisations you had to contact to complete the dossier "
            "(online contacts included)",
        ),
        (
            (2, pgettext_lazy("rating", "None")),
            (1, pgettext_lazy("rating", "One")),
            (0, pgettext_lazy("rating", "Two or more")),
        ),
    ),
    Indicator(
        "one_stop",
        pgettext_lazy("rating", "Received, handled and returned through the one-stop desk"),
        (
            (2, pgettext_lazy("rating", "Yes: I dealt only with the one-stop desk or the portal")),
            (1, pgettext_lazy("rating", "Partly: I also had to go to another office")),
            (0, pgettext_lazy("rating", "No: I had to deal with the departments directly")),
        ),
    ),
    Indicator(
        "publicity",
        pgettext_lazy("rating", "The procedure as published (papers, fees, time limit)"),
        (
            (2, pgettext_lazy("rating", "Published in full and matched what was asked of me")),
            (
                1,
                pgettext_lazy("rating", "Published, but incomplete or not matching what was asked"),
            ),
            (0, pgettext_lazy("rating", "Not published")),
        ),
    ),
    Indicator(
        "staff_attitude",
        pgettext_lazy(
            "rating", "Attitude of the staff who guided you, received and handled the dossier"
        ),
        (
            (2, pgettext_lazy("rating", "Courteous and helpful")),
            (1, pgettext_lazy("rating", "Correct, but unhelpful or hard to reach")),
            (0, pgettext_lazy("rating", "Troublesome, or asked for something not required")),
        ),
    ),
    Indicator(
        "feedback",
        pgettext_lazy("rating", "Answers to your comments and complaints about the dossier"),
        (
            (2, pgettext_lazy("rating", "I had none, or they were answered in time and fully")),
            (1, pgettext_lazy("rating", "Answered, but late or not fully")),
            (0, pgettext_lazy("rating", "Not taken in or not answered")),
        ),
    ),
    Indicator(
        "online_service",
        pgettext_lazy("rating", "Progress and quality of the online service"),
        (
            (2, pgettext_lazy("rating", "Everything could be done online and it worked well")),
            (1, pgettext_lazy("rating", "Online, with problems or a step in person")),
            (0, pgettext_lazy("rating", "Not offered online, or it did not work")),
        ),
    ),
)

# Xếp loại: (lowest total, grade), best first; applies to one rating and to an average.
GRADES = (
    (15, pgettext_lazy("rating", "Excellent")),
    (12, pgettext_lazy("rating", "Good")),
    (9, pgettext_lazy("rating", "Fair")),
    (6, pgettext_lazy("rating", "Average")),
    (0, pgettext_lazy("rating", "Weak")),
)


def total(rating: Rating) -> int:
    # Rating.total is computed by the database: a rating just created does not have it yet.
    return sum(getattr(rating, name) for name in RATING_SCORES)


def grade(total: float | Decimal) -> str:
    return next(str(label) for lowest, label in GRADES if total >= lowest)


def closed_at(dossier: Dossier) -> datetime.datetime | None:
    """When the agency closed the dossier: its result returned, or its refusal."""
    if dossier.status == Dossier.Status.RETURNED:
        return dossier.returned_at
    if dossier.status == Dossier.Status.REFUSED:
        event = dossier.events.filter(status=Dossier.Status.REFUSED).order_by("-at").first()
        return event.at if event else None
    return None


def deadline(dossier: Dossier) -> datetime.datetime | None:
    closed = closed_at(dossier)
    return closed + datetime.timedelta(days=settings.EGOV_RATING_WINDOW_DAYS) if closed else None


def refusal_reason(dossier: Dossier) -> str | None:
    """Why this dossier cannot be rated now (None: it can)."""
    if hasattr(dossier, "rating"):
        return _("You already rated this dossier.")
    if dossier.status not in RATEABLE:
        return _("A dossier can be rated once its result was returned or it was refused.")
    ends = deadline(dossier)
    if ends is not None and timezone.now() > ends:
        return _("The time to rate this dossier ended on %(day)s.") % {
            "day": timezone.localtime(ends).strftime("%d/%m/%Y")
        }
    return None


def handled_by(dossier: Dossier) -> int | None:
    """The staff member the rating is counted for (cán bộ giải quyết hồ sơ): whoever still holds
    the dossier, else who finished its processing step (thụ lý; the return clears the holder),
    else who finished its last step (a refusal at another step). A refusal at the desk, before
    any step, counts for the agency only."""
    if dossier.assignee_id:
        return dossier.assignee_id
    finished = list(
        dossier.steps.filter(finished_at__isnull=False)
        .exclude(outcome=DossierStep.Outcome.RETURNED)
        .select_related("step")
        .order_by("-finished_at", "-id")
    )
    for row in finished:
        if row.step.action == WorkflowStep.Action.PROCESS:
            return row.finished_by_id or row.assignee_id
    return (finished[0].finished_by_id or finished[0].assignee_id) if finished else None


def suggested_scores(dossier: Dossier) -> dict[str, int]:
    """Scores the dossier's own record shows (time taken, contacts asked for by the desk), to
    pre-select in the form; the applicant may change them."""
    suggested = {}
    closed = closed_at(dossier)
    if closed and dossier.due_at:
        closed_day = timezone.localdate(closed)
        due_day = timezone.localdate(dossier.due_at)
        suggested["total_time"] = 2 if closed_day < due_day else 1 if closed_day == due_day else 0
    supplements = dossier.supplements.count()
    suggested["desk_contacts"] = 2 if supplements == 0 else 1 if supplements == 1 else 0
    # The agencies that handled it: the desk's own receive and return steps are not counted.
    steps = list(
        dossier.steps.filter(finished_at__isnull=False).exclude(
            step__action__in=[WorkflowStep.Action.RECEIVE, WorkflowStep.Action.RETURN]
        )
    )
    if steps and dossier.status == Dossier.Status.RETURNED:
        if any(step.late for step in steps):
            suggested["agency_time"] = 0
        elif all(
            timezone.localdate(step.finished_at) < timezone.localdate(step.due_at) for step in steps
        ):
            suggested["agency_time"] = 2
        else:
            suggested["agency_time"] = 1
    return suggested


def clean_scores(scores) -> dict[str, int]:
    """The nine scores as integers; ValidationError keyed by indicator otherwise."""
    if not isinstance(scores, dict):
        raise ValidationError(_("Give a score for each of the nine indicators."))
    errors = {}
    unknown = sorted(set(scores) - set(RATING_SCORES))
    if unknown:
        errors["__all__"] = _("Unknown indicators: %(names)s.") % {"names": ", ".join(unknown)}
    cleaned = {}
    for indicator in INDICATORS:
        value = scores.get(indicator.name)
        if value is None or value == "":
            errors[indicator.name] = _("Choose an answer for “%(indicator)s”.") % {
                "indicator": indicator.label
            }
        elif isinstance(value, bool) or not isinstance(value, int) or value not in (0, 1, 2):
            errors[indicator.name] = _("“%(indicator)s” is scored 0, 1 or 2.") % {
                "indicator": indicator.label
            }
        else:
            cleaned[indicator.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("Write at most %(n)s characters.") % {"n": MAX_COMMENT}}
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in comment):
        raise ValidationError(
            {"comment": _("The comment contains invisible control characters; type it again.")}
        )
    return comment


@transaction.atomic
def rate(dossier: Dossier, applicant, scores: dict, comment: str = "") -> Rating:
    """Records the applicant's rating. Sending the same rating again (a double click, a retried
    request) returns the first; a different second rating is refused."""
    cleaned = clean_scores(scores)
    comment = _clean_comment(comment)
    # Rating the same dossier twice at once: the row lock makes the second wait and see the first.
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("rating", "procedure_version")
        .get(pk=dossier.pk, applicant=applicant)
    )
    existing = getattr(dossier, "rating", None)
    if existing is not None:
        if comment == existing.comment and all(
            getattr(existing, name) == value for name, value in cleaned.items()
        ):
            return existing
        raise ValidationError(_("You already rated this dossier."), code="already_rated")
    reason = refusal_reason(dossier)
    if reason:
        raise ValidationError(reason, code="not_rateable")
    rating = Rating.objects.create(
        dossier=dossier,
        province_code=dossier.province_code,
        applicant=applicant,
        receiving_agency_id=dossier.receiving_agency_id,
        deciding_agency_id=(
            dossier.deciding_agency_id
            or dossier.procedure_version.deciding_agency_id
            or dossier.receiving_agency_id
        ),
        staff_id=handled_by(dossier),
        comment=comment,
        **cleaned,
    )
    audit.record(
        actor=applicant,
        action="dossiers.rated",
        obj=dossier,
        agency_id=dossier.receiving_agency_id,
        after={**cleaned, "total": sum(cleaned.values()), "comment": bool(comment)},
    )
    # Reports keep their aggregates up to date from this signal.
    signals.dossier_changed.send(Dossier, dossier=dossier, action="dossiers.rated")
    return rating
