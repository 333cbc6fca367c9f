"""The sync with the national portal in the API, for the city's operators (monitoring)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from egov.accounts.tokens import TokenAuth
from egov.core.schemas import Problem
from egov.national_portal import outbox
from egov.national_portal.access import may_operate
from egov.national_portal.models import OutboxMessage

router = Router(tags=["national portal (operators)"], auth=[TokenAuth(), django_auth])


class RefusedOut(Schema):
    id: int
    dossier_code: str
    sequence: int
    service: str
    error_code: str
    reason: str


class SyncOut(Schema):
    pending: int
    failed: int
    last_success: str | None
    refused: list[RefusedOut]


def _operator(request: HttpRequest) -> None:
    if not may_operate(request.auth):  # type: ignore[attr-defined]
        raise HttpError(403, _("Only the city's administrators operate the national portal sync."))


def _refused(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "dossier_code": message.dossier_code,
        "sequence": message.sequence,
        "service": message.service,
        "error_code": message.error_code,
        "reason": message.last_error,
    }


@router.get(
    "/staff/national-portal/sync",
    response={200: SyncOut, 403: Problem},
    summary="The national portal sync: calls waiting, refused (with the reason), last acknowledged",
)
def sync_state(request: HttpRequest) -> dict[str, Any]:
    _operator(request)
    summary = outbox.summary()
    last = summary["last_success"]
    refused = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).order_by("id")[:100]
    return {
        "pending": summary["pending"],
        "failed": summary["failed"],
        "last_success": last.isoformat() if last else None,  # type: ignore[attr-defined]
        "refused": [_refused(m) for m in refused],
    }


@router.post(
    "/staff/national-portal/messages/{message_id}/resend",
    response={200: RefusedOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Send a refused call again (after its cause was fixed)",
)
def resend(request: HttpRequest, message_id: int) -> dict[str, Any]:
    _operator(request)
    message = get_object_or_404(OutboxMessage, pk=message_id)
    if message.state != OutboxMessage.State.FAILED:
        raise HttpError(409, _("This call is not refused: nothing to send again."))
    return _refused(outbox.resend(message, actor=request.auth))  # type: ignore[attr-defined]
