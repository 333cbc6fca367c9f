"""The append-only, hash-chained audit trail.

Services call :func:`record` inside the transaction that makes the change, so the change and its
record commit or roll back together. :func:`verify_chain` recomputes every hash.

The trail is split into chains, each with its own head row, so that one agency's changes do not
wait for another's: a record goes into the chain of its agency (chain 0 when it has none). Each
append locks its chain's head until the commit. On PostgreSQL a transaction appends to one chain
only, the chain of its first record, whatever the agencies of its later records: two
transactions that took two heads in opposite orders would wait for each other forever. The
chosen chain is kept in a transaction-local setting, which PostgreSQL forgets at the commit or
rollback (and at the rollback of the savepoint that took the lock, with the lock itself).
SQLite lets one transaction write at a time, so there each record simply goes to its agency's
chain.
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
CITY_CHAIN = 0  # records without an agency, and every record written before chains were split
# The chain this transaction appends to if it has one (in the setting egov.audit_chain), else
# the one asked for: locked, and kept in the setting until the end of the transaction.
LOCK_HEAD = """
SELECT id, chain, last_seq, last_hash, set_config('egov.audit_chain', chain::text, true)
  FROM core_auditchainhead
 WHERE chain = coalesce(nullif(current_setting('egov.audit_chain', true), '')::bigint, %s)
   FOR UPDATE"""


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


def _head(agency_id: int | None) -> AuditChainHead:
    chain = agency_id or CITY_CHAIN
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            chain=chain, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        return head
    with connection.cursor() as cursor:
        cursor.execute(LOCK_HEAD, [chain])
        row = cursor.fetchone()
        if row is None:
            # The agency's first record: its chain starts. A concurrent first record waits
            # here for the other's commit, then finds the head.
            cursor.execute(
                "INSERT INTO core_auditchainhead (chain, last_seq, last_hash) VALUES (%s, 0, %s) "
                "ON CONFLICT (chain) DO NOTHING",
                [chain, GENESIS_HASH],
            )
            cursor.execute(LOCK_HEAD, [chain])
            row = cursor.fetchone()
    return AuditChainHead(pk=row[0], chain=row[1], last_seq=row[2], last_hash=row[3])


def hold_chain(agency_id: int | None = None) -> None:
    """Takes a chain head's lock now (the transaction's own on PostgreSQL, if it has one), for
    a change that writes other shared rows before its audit record: whoever holds those rows
    then already holds a head and waits for no other, so no two transactions wait for each
    other in a circle."""
    _head(agency_id)


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
    """Appends one event to the chain of ``agency_id`` (or of the transaction, see above);
    must run inside the transaction that makes the change."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    head = _head(agency_id)
    actor_is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        chain=head.chain,
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
    chain: int
    seq: int
    reason: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Yields every break in every chain; an intact trail yields nothing."""
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chain = None
    expected_seq, expected_prev = 1, GENESIS_HASH
    events = AuditEvent.objects.order_by("chain", "seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.chain != chain:
            if chain is not None:
                yield from _check_head(chain, heads.pop(chain, None), expected_seq, expected_prev)
            chain, expected_seq, expected_prev = event.chain, 1, GENESIS_HASH
        if event.seq != expected_seq:
            yield ChainProblem(chain, expected_seq, f"record #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            yield ChainProblem(chain, event.seq, "link to the previous record is broken")
        if compute_hash(event) != event.hash:
            yield ChainProblem(chain, event.seq, "record content does not match its hash")
        expected_seq = event.seq + 1
        expected_prev = event.hash
    if chain is not None:
        yield from _check_head(chain, heads.pop(chain, None), expected_seq, expected_prev)
    for head in heads.values():  # chains whose every record is gone
        yield from _check_head(head.chain, head, 1, GENESIS_HASH)


def _check_head(chain, head, expected_seq, expected_prev) -> Iterator[ChainProblem]:
    last_seq = expected_seq - 1
    if head is None:
        # A head is written with a chain's first record: without it, the end of the chain
        # cannot be checked.
        yield ChainProblem(chain, last_seq, "the chain's head row is missing")
    elif head.last_seq > last_seq:
        yield ChainProblem(chain, last_seq + 1, f"records after #{last_seq} are missing")
    elif head.last_seq == last_seq and head.last_hash != expected_prev:
        yield ChainProblem(
            chain, last_seq, "record was rewritten (it no longer matches the chain head)"
        )
