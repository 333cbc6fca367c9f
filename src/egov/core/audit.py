"""The append-only, hash-chained audit trail.

Services call :func:`record` inside the transaction that makes the change, so the change and its
record commit or roll back together. :func:`verify_chain` recomputes every hash.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from egov.core.middleware import current_request_id
from egov.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
HEAD_ID = 1


def _plain(value: Any) -> Any:
    """JSON-native copy (dates, decimals and UUIDs as strings) so the hash survives a reload."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "agency_id": event.agency_id,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance, for the before/after summary."""
    return _plain({name: getattr(instance, name) for name in fields})


def _head() -> AuditChainHead:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=HEAD_ID, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
    )
    return head


def hold_chain() -> None:
    """Takes the chain head's lock now, for a change that writes other shared rows before its
    audit record: whoever holds those rows then already holds the head, so no two transactions
    wait for each other in a circle."""
    _head()


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    agency_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Appends one event; must run inside the transaction that makes the change."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    head = _head()
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor_is_user else None,
        actor_label=(actor.get_username() if actor_is_user else str(actor or "system"))[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        agency_id=agency_id,
        before=_plain(before),
        after=_plain(after),
        request_id=current_request_id(),
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    event.save()
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass
class ChainProblem:
    seq: int
    reason: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Yields every break in the chain; an intact chain yields nothing."""
    expected_seq = 1
    expected_prev = GENESIS_HASH
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            yield ChainProblem(expected_seq, f"record #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            yield ChainProblem(event.seq, "link to the previous record is broken")
        if compute_hash(event) != event.hash:
            yield ChainProblem(event.seq, "record content does not match its hash")
        expected_seq = event.seq + 1
        expected_prev = event.hash
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    last_seq = expected_seq - 1
    if head is None:
        return
    if head.last_seq > last_seq:
        yield ChainProblem(last_seq + 1, f"records after #{last_seq} are missing")
    elif head.last_seq == last_seq and head.last_hash != expected_prev:
        yield ChainProblem(last_seq, "record was rewritten (it no longer matches the chain head)")
