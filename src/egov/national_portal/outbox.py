"""The outbox of calls to the national portal.

A change of a dossier writes its call here in the transaction of the change (``enqueue``, from the
dossiers app's ``dossier_changed`` event), numbered in the dossier's order; nothing is lost when
the portal is down, and a rolled-back change leaves no call. The worker (:func:`send_due`) sends
a call only when every earlier call of its dossier was acknowledged: a call waiting for a retry
or refused holds back the later ones of that dossier and no other. Each call carries
``<dossier code>:<number>`` as its idempotency key, so a call retried after a lost answer is not
a second dossier or step there. A call the portal refuses (its error code) is marked failed with
the reason for an operator, who fixes the cause and sends it again (:func:`resend`).
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from egov.core import audit
from egov.dossiers.models import Dossier
from egov.national_portal import mapping, payloads, signals
from egov.national_portal.client import (
    PortalAuthFailed,
    PortalClient,
    PortalRefused,
    PortalUnavailable,
)
from egov.national_portal.models import OutboxMessage

logger = logging.getLogger("egov.national_portal")
ACTOR = "national portal"
MAX_BACKOFF = datetime.timedelta(hours=1)
Service = OutboxMessage.Service
State = OutboxMessage.State
# Changes that the portal's record of the dossier carries (its status before processing, its
# supplements, its new appointment): the whole record is sent again. Every other transition is a
# step of the processing.
RECORD_TRANSITIONS = frozenset(
    {"submit", "receive", "desk_supplement", "desk_refuse", "answer_supplement"}
)
RECORD_ACTIONS = frozenset({"dossiers.apology_issued"})  # the appointment moved (gia hạn)


def enabled() -> bool:
    return bool(settings.EGOV_NATIONAL_PORTAL_ENABLED)


def _build(dossier: Dossier, service: str, portal_code: int, transition: str) -> dict:
    if service == Service.SYNC:
        return payloads.dossier_record(dossier, portal_code)
    return payloads.progress(dossier, portal_code, transition)


def enqueue(dossier: Dossier, *, transition: str, action: str) -> OutboxMessage | None:
    """Queues the call that reports this change; runs in the change's transaction, where the
    dossier's row is locked (so the numbers of its calls cannot collide)."""
    if not dossier.code or (not transition and action not in RECORD_ACTIONS):
        return None
    last = OutboxMessage.objects.filter(dossier=dossier).aggregate(last=Max("sequence"))["last"]
    first = last is None
    service = (
        Service.SYNC
        if first or transition in RECORD_TRANSITIONS or not transition
        else (Service.PROGRESS)
    )
    code = mapping.portal_code(dossier.status, transition)
    message = OutboxMessage.objects.create(
        province_code=dossier.province_code,
        dossier=dossier,
        dossier_code=dossier.code,
        sequence=(last or 0) + 1,
        service=service,
        transition=transition,
        status=dossier.status,
        portal_code=code,
        payload=_build(dossier, service, code, transition),
        next_attempt_at=timezone.now(),
    )
    _schedule()
    return message


def _schedule() -> None:
    def send_soon() -> None:
        from egov.national_portal.tasks import send_national_portal_outbox

        try:
            send_national_portal_outbox.enqueue()
        except Exception:  # the worker's loop sends what is due anyway
            logger.exception("could not enqueue the national portal outbox task")

    transaction.on_commit(send_soon, robust=True)


def _earlier_unsent() -> Exists:
    return Exists(
        OutboxMessage.objects.filter(
            dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence")
        ).exclude(state=State.SENT)
    )


def _held_back(now: datetime.datetime) -> Exists:
    """An earlier call of the same dossier that cannot go now (refused, or waiting to retry)."""
    return Exists(
        OutboxMessage.objects.filter(
            dossier_id=OuterRef("dossier_id"), sequence__lt=OuterRef("sequence")
        ).filter(Q(state=State.FAILED) | Q(state=State.PENDING, next_attempt_at__gt=now))
    )


def due(now: datetime.datetime | None = None, limit: int = 200) -> list[tuple[int, int]]:
    """The calls that may go now, in each dossier's order: pending, their time come, and no
    earlier call of their dossier refused or waiting for a retry."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .exclude(_held_back(now))
        .order_by("sequence", "id")
        .values_list("pk", "dossier_id")[:limit]
    )


def _backoff(attempts: int) -> datetime.timedelta:
    base = datetime.timedelta(seconds=settings.EGOV_NATIONAL_PORTAL_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def send_due(*, client: PortalClient | None = None, limit: int = 200) -> dict[str, int]:
    """Sends the calls that may go now; returns counts. Several workers may run at once: each
    call is taken under a row lock, and checked again to be its dossier's first unsent one."""
    client = client or PortalClient()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    blocked: set[int] = set()  # dossiers whose call did not go in this round
    for pk, dossier_id in due(limit=limit):
        if dossier_id in blocked:
            continue
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=State.PENDING)
                .exclude(_earlier_unsent())
                .first()
            )
            if message is None:  # another worker has it, or an earlier call of its dossier
                blocked.add(dossier_id)
                continue
            outcome = _deliver(message, client)
        counts["retry" if outcome == "signin" else outcome] += 1
        if outcome == "signin":  # no call can go until the credentials are fixed: stop the round
            break
        if outcome != "sent":
            blocked.add(dossier_id)
    return counts


def _deliver(message: OutboxMessage, client: PortalClient) -> str:
    message.attempts += 1
    try:
        client.call(
            message.service,
            [message.payload],
            key=message.idempotency_key,
            # The dossier's first call creates it there; every later record call updates it
            # (the earlier ones were acknowledged: a dossier's calls go in order).
            updating=message.sequence > 1 if message.service == Service.SYNC else None,
        )
    except PortalUnavailable as exc:
        # An outage, or the portal refusing the platform's sign-in (PortalAuthFailed): the call
        # stays waiting, with the reason on the sync page, and goes once the cause is fixed.
        message.last_error = str(exc)[:500]
        message.next_attempt_at = timezone.now() + _backoff(message.attempts)
        outcome = "signin" if isinstance(exc, PortalAuthFailed) else "retry"
    except PortalRefused as exc:
        message.state = State.FAILED
        message.error_code = exc.code[:30]
        message.last_error = exc.message[:500]
        message.next_attempt_at = None
        _audit(message, "national_portal.refused", ACTOR)
        outcome = "failed"
    else:
        message.state = State.SENT
        message.acknowledged_at = timezone.now()
        message.error_code = message.last_error = ""
        message.next_attempt_at = None
        outcome = "sent"
    message.save()
    if outcome == "sent" and message.service == Service.SYNC and _first_record(message):
        signals.record_acknowledged.send(OutboxMessage, dossier_id=message.dossier_id)
    return outcome


def _first_record(message: OutboxMessage) -> bool:
    """Whether ``message`` is the first of its dossier's record calls the portal acknowledged
    (a dossier's calls go in order, so it is its first call; asked rather than assumed)."""
    return (
        not OutboxMessage.objects.filter(
            dossier_id=message.dossier_id, service=Service.SYNC, state=State.SENT
        )
        .exclude(pk=message.pk)
        .exists()
    )


@transaction.atomic
def resend(message: OutboxMessage, *, actor: object) -> OutboxMessage:
    """Puts a refused call back in the outbox after the operator fixed its cause. The dossier's
    record is built again from what the platform holds now (the fix is in it); a step of the
    processing is sent as it happened."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state != State.FAILED:
        return message
    if message.service == Service.SYNC:
        dossier = Dossier.objects.get(pk=message.dossier_id)
        message.payload = _build(dossier, message.service, message.portal_code, "")
    before = {"error_code": message.error_code, "reason": message.last_error}
    message.state = State.PENDING
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["payload", "state", "next_attempt_at"])
    _audit(message, "national_portal.resent", actor, before=before)
    _schedule()
    return message


def _audit(message: OutboxMessage, action: str, actor: object, before: dict | None = None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=message,
        object_repr=f"{message.get_service_display()} {message.idempotency_key}",
        before=before,
        after={
            "dossier": message.dossier_code,
            "sequence": message.sequence,
            "service": message.service,
            "portal_code": message.portal_code,
            "error_code": message.error_code,
            "reason": message.last_error[:200],
        },
    )


def summary() -> dict[str, object]:
    """What the sync page shows at the top."""
    last = (
        OutboxMessage.objects.filter(state=State.SENT)
        .order_by("-acknowledged_at")
        .values_list("acknowledged_at", flat=True)
        .first()
    )
    oldest = (
        OutboxMessage.objects.filter(state=State.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return {
        "pending": OutboxMessage.objects.filter(state=State.PENDING).count(),
        "failed": OutboxMessage.objects.filter(state=State.FAILED).count(),
        "last_success": last,
        "oldest_pending": oldest,
    }
