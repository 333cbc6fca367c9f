import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from egov.core.schemas import Problem
from egov.dossiers import tracking

router = Router(tags=["tracking"])


class TrackingEvent(Schema):
    at: datetime.datetime
    status: str
    status_label: str


class TrackingOut(Schema):
    code: str
    procedure: str
    agency: str
    status: str
    status_label: str
    submitted_at: datetime.datetime | None
    due_at: datetime.datetime | None
    history: list[TrackingEvent]


@router.get(
    "/tracking/{code}",
    response={200: TrackingOut, 404: Problem, 429: Problem},
    summary="Where a dossier is, by the code on its receipt (no personal data)",
    throttle=[AnonRateThrottle("30/m")],
)
def track(request, code: str):
    found = tracking.lookup(code.strip().upper())
    if found is None:
        raise HttpError(404, _("No dossier has this code."))
    return found
