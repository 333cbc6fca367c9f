"""The message log: one record per exchange, hash-chained (each record holds the previous
record's hash), signed with the platform's key, and time-stamped in batches by an RFC 3161
time-stamp authority, so that no side can later deny an exchange and no record can be altered
or removed unseen. :func:`verify` proves it."""

import datetime
import functools
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import models, transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

from egov.core import audit
from egov.exchange import jws
from egov.exchange.models import LogHead, LogTimestamp, MessageRecord, PlatformKey
from egov.signatures import keystore, trust
from egov.signatures.signing import run_sync

GENESIS_HASH = "0" * 64
KEY_CONTEXT = "exchange.platform-key"
HASHED_FIELDS = (
    "seq",
    "message_id",
    "occurred_at",
    "client_code",
    "service_code",
    "method",
    "path",
    "purpose",
    "subject_ref",
    "status",
    "outcome",
    "request_hash",
    "response_hash",
    "client_signature",
    "duration_ms",
    "prev_hash",
    "key_fingerprint",
)


class LogError(Exception):
    """The log cannot take or stamp records (no platform key, time-stamp authority away)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def subject_ref(personal_id: str) -> str:
    """A keyed hash of a person's identification number: the log can answer "who looked up my
    data" without holding the number itself."""
    key = hashlib.sha256(f"exchange.subject:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, personal_id.strip().encode(), hashlib.sha256).hexdigest()


def lookups_about(personal_id: str) -> "models.QuerySet[MessageRecord]":
    """The exchanges about one person, newest first: "who looked up my data" (Law 91/2025)."""
    return MessageRecord.objects.filter(subject_ref=subject_ref(personal_id)).order_by("-seq")


def compute_hash(record: MessageRecord) -> str:
    payload: dict[str, Any] = {name: getattr(record, name) for name in HASHED_FIELDS}
    payload["message_id"] = str(record.message_id)
    payload["occurred_at"] = record.occurred_at.astimezone(datetime.UTC).isoformat()
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sha256(canonical.encode())


# --- The platform's key ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedKey:
    fingerprint: str
    certificate: x509.Certificate
    private_key: jws.PrivateKey


@functools.lru_cache(maxsize=4)
def _load(pk: int, fingerprint: str) -> LoadedKey:
    """Unsealed once per process; the fingerprint in the key makes a replaced row miss."""
    row = PlatformKey.objects.get(pk=pk, fingerprint=fingerprint)
    private = serialization.load_der_private_key(
        keystore.unseal(bytes(row.sealed_key), KEY_CONTEXT + row.fingerprint), password=None
    )
    if not isinstance(private, jws.PrivateKey):
        raise LogError("the platform key must be RSA or P-256")
    return LoadedKey(
        row.fingerprint, x509.load_pem_x509_certificate(row.certificate_pem.encode()), private
    )


# Which key row is current, per process, read again after KEY_RECHECK_SECONDS: a key installed
# in another process signs there from then on (records name their key, so either verifies).
KEY_RECHECK_SECONDS = 30.0
_current_key: tuple[int, str, float] | None = None


def platform_key() -> LoadedKey:
    global _current_key
    now = time.monotonic()
    if _current_key is None or _current_key[2] <= now:
        row = PlatformKey.objects.only("pk", "fingerprint").first()
        if row is None:
            raise LogError("no platform key installed (manage.py exchange_platform_key)")
        _current_key = (row.pk, row.fingerprint, now + KEY_RECHECK_SECONDS)
    return _load(_current_key[0], _current_key[1])


def forget_key() -> None:
    global _current_key
    _current_key = None


def install_platform_key(
    certificate: x509.Certificate, private_key: jws.PrivateKey, *, actor: Any = None
) -> PlatformKey:
    """Installs the key that signs new log records; older records keep naming theirs."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    digest = sha256(der)
    key_der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with transaction.atomic():
        row = PlatformKey.objects.create(
            certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
            fingerprint=digest,
            sealed_key=keystore.seal(key_der, KEY_CONTEXT + digest),
        )
        audit.record(
            actor=actor,
            action="exchange.platform_key_installed",
            obj=row,
            object_repr=certificate.subject.rfc4514_string()[:300],
            after={"fingerprint": digest},
        )
    forget_key()
    return row


def _public_keys() -> dict[str, jws.PublicKey]:
    keys: dict[str, jws.PublicKey] = {}
    for row in PlatformKey.objects.all():
        public = x509.load_pem_x509_certificate(row.certificate_pem.encode()).public_key()
        if isinstance(public, jws.PublicKey):
            keys[row.fingerprint] = public
    return keys


# --- Appending ---------------------------------------------------------------------------------


@dataclass
class Exchange:
    """What the gateway saw of one call, to be logged."""

    client_code: str
    service_code: str
    method: str
    path: str
    purpose: str
    subject_ref: str
    status: int
    outcome: str
    request_body: bytes
    response_body: bytes
    keep_bodies: bool
    client_signature: str
    duration_ms: int
    message_id: uuid.UUID


def append(exchange: Exchange) -> MessageRecord:
    """Writes the record of one exchange at the end of the chain, signed, and returns once it is
    committed (or raises). Outside a transaction, concurrent calls of one process are written
    together (:class:`_GroupWriter`); inside one (tests, a caller's own transaction), in it."""
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            return _write([exchange])[0]
    return _group.append(exchange)


def _hashed(exchange: Exchange) -> tuple[Exchange, str, str]:
    return exchange, sha256(exchange.request_body), sha256(exchange.response_body)


def _chain(
    exchanges: list[tuple[Exchange, str, str]], seq: int, prev: str, key: LoadedKey
) -> list[MessageRecord]:
    """The records of ``exchanges`` after record ``seq`` (hash ``prev``): each one hashed over
    its content and the previous record's hash, and signed with the platform's key."""
    records = []
    occurred_at = timezone.now()
    for exchange, request_hash, response_hash in exchanges:
        seq += 1
        record = MessageRecord(
            seq=seq,
            message_id=exchange.message_id,
            occurred_at=occurred_at,
            client_code=exchange.client_code,
            service_code=exchange.service_code,
            method=exchange.method,
            path=exchange.path[:2000],
            purpose=exchange.purpose[:300],
            subject_ref=exchange.subject_ref,
            status=exchange.status,
            outcome=exchange.outcome,
            request_hash=request_hash,
            response_hash=response_hash,
            request_body=exchange.request_body if exchange.keep_bodies else None,
            response_body=exchange.response_body if exchange.keep_bodies else None,
            client_signature=exchange.client_signature,
            duration_ms=exchange.duration_ms,
            prev_hash=prev,
            key_fingerprint=key.fingerprint,
        )
        record.record_hash = compute_hash(record)
        record.platform_signature = jws.b64(
            jws.sign_bytes(key.private_key, record.record_hash.encode())
        )
        records.append(record)
        prev = record.record_hash
    return records


_FIELDS = [f for f in MessageRecord._meta.concrete_fields if not f.primary_key]


def _sql(connection: Any, count: int) -> tuple[str, str, str]:
    """The statements of one append on ``connection``: lock and read the head; insert ``count``
    records; move the head."""
    quote = connection.ops.quote_name
    head = quote(LogHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Table and column names from the models, never from input: nothing to inject.
    read = f"SELECT last_seq, last_hash FROM {head} WHERE id = 1{lock}"  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    table = quote(MessageRecord._meta.db_table)
    columns = ", ".join(quote(f.column) for f in _FIELDS)
    values = ", ".join([row] * count)
    returning = quote(MessageRecord._meta.pk.column)
    insert = f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {returning}"  # noqa: S608
    move = f"UPDATE {head} SET last_seq = %s, last_hash = %s WHERE id = 1"  # noqa: S608
    return read, insert, move


def _params(connection: Any, records: list[MessageRecord]) -> list[Any]:
    return [
        field.get_db_prep_save(getattr(record, field.attname), connection)
        for record in records
        for field in _FIELDS
    ]


def _ensure_head(cursor: Any, connection: Any) -> None:
    head = connection.ops.quote_name(LogHead._meta.db_table)
    cursor.execute(
        f"INSERT INTO {head} (id, last_seq, last_hash) VALUES (1, 0, %s)"  # noqa: S608
        " ON CONFLICT (id) DO NOTHING",
        [GENESIS_HASH],
    )


def _write(exchanges: list[Exchange]) -> list[MessageRecord]:
    """Appends ``exchanges`` in one transaction: lock the head row (which serialises every
    writer of every process), chain and sign the records, insert them, move the head, commit.

    On PostgreSQL outside a transaction this is two round trips whatever the number of records
    ("BEGIN; SELECT … FOR UPDATE", then "INSERT …; UPDATE …; COMMIT") and one flush of the WAL;
    the hashing of bodies happens before the lock is taken."""
    key = platform_key()
    hashed = [_hashed(exchange) for exchange in exchanges]
    connection = transaction.get_connection()
    read, insert, move = _sql(connection, len(hashed))
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(read)
            row = cursor.fetchone()
            if row is None:  # the very first record
                _ensure_head(cursor, connection)
                cursor.execute(read)
                row = cursor.fetchone()
            records = _chain(hashed, int(row[0]), row[1], key)
            cursor.execute(insert, _params(connection, records))
            ids = [r[0] for r in cursor.fetchall()]
            cursor.execute(move, [records[-1].seq, records[-1].record_hash])
    else:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            try:
                cursor.execute("BEGIN; " + read)
                cursor.nextset()
                row = cursor.fetchone()
                if row is None:  # the very first record
                    _ensure_head(cursor, connection)
                    cursor.execute(read)
                    row = cursor.fetchone()
                records = _chain(hashed, int(row[0]), row[1], key)
                cursor.execute(
                    f"{insert}; {move}; COMMIT",
                    [*_params(connection, records), records[-1].seq, records[-1].record_hash],
                )
                ids = [r[0] for r in cursor.fetchall()]
            except BaseException:
                _rollback(connection)
                raise
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding = False
        record._state.db = connection.alias
    return records


def _rollback(connection: Any) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
    except Exception:  # noqa: S110 - a broken connection: Django closes it after the request
        pass


@dataclass
class _Slot:
    exchange: Exchange
    record: MessageRecord | None = None
    error: BaseException | None = None
    done: bool = False


class _GroupWriter:
    """Group commit for one process: a thread that appends while another thread's transaction
    holds the head waits, and the next writer takes every record waiting (up to ``MAX_BATCH``)
    into one transaction — one lock, two round trips and one WAL flush for all of them. Each
    record is still chained to the one before and signed on its own, and no call is answered
    before its record is committed. Under no concurrency every batch is one record."""

    MAX_BATCH = 64

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: list[_Slot] = []
        self._writing = False

    def append(self, exchange: Exchange) -> MessageRecord:
        slot = _Slot(exchange)
        with self._cond:
            self._pending.append(slot)
            while not slot.done and self._writing:
                self._cond.wait()
            if slot.done:
                return self._result(slot)
            self._writing = True
            batch, self._pending = self._pending[: self.MAX_BATCH], self._pending[self.MAX_BATCH :]
        try:
            records = _write([s.exchange for s in batch])
            for waiting, record in zip(batch, records, strict=True):
                waiting.record = record
        except BaseException as exc:
            for waiting in batch:
                waiting.error = exc
        finally:
            with self._cond:
                for waiting in batch:
                    waiting.done = True
                self._writing = False
                self._cond.notify_all()
        return self._result(slot)

    @staticmethod
    def _result(slot: _Slot) -> MessageRecord:
        if slot.error is not None:
            raise slot.error
        assert slot.record is not None  # done without an error: written
        return slot.record


_group = _GroupWriter()


# --- Time-stamping -----------------------------------------------------------------------------


def stamped_up_to() -> int:
    last = LogTimestamp.objects.order_by("-up_to_seq").values_list("up_to_seq", flat=True).first()
    return last or 0


def oldest_unstamped_at() -> datetime.datetime | None:
    """When the first record no time-stamp covers was written (one query: the gateway asks on
    every call)."""
    covered = LogTimestamp.objects.order_by("-up_to_seq").values("up_to_seq")[:1]
    return (
        MessageRecord.objects.filter(seq__gt=Coalesce(Subquery(covered), Value(0)))
        .order_by("seq")
        .values_list("occurred_at", flat=True)
        .first()
    )


# Until when this process knows the log is fresh: the gateway asks on every call, the database
# at most once a second.
FRESH_RECHECK = datetime.timedelta(seconds=1)
_fresh_until: datetime.datetime | None = None


def is_fresh(now: datetime.datetime | None = None) -> bool:
    """False once a record has waited for a time-stamp longer than
    EGOV_EXCHANGE_TIMESTAMP_MAX_AGE seconds: the time-stamp authority has been away too long,
    and the gateway refuses new calls (fail closed)."""
    global _fresh_until
    cached = now is None
    now = now or timezone.now()
    if cached and _fresh_until is not None and now < _fresh_until:
        return True
    oldest = oldest_unstamped_at()
    max_age = datetime.timedelta(seconds=settings.EGOV_EXCHANGE_TIMESTAMP_MAX_AGE)
    # Records written from now on are younger than ``now``: none can be too old before this.
    until = (oldest or now) + max_age
    fresh = now <= until
    if cached:
        # Asked again at least every FRESH_RECHECK_SECONDS, so a worker never relies on what it
        # saw longer than that (clock differences between servers, a stamp removed by hand).
        _fresh_until = min(until, now + FRESH_RECHECK) if fresh else None
    return fresh


def forget_freshness() -> None:
    global _fresh_until
    _fresh_until = None


def stamp_pending() -> LogTimestamp | None:
    """Time-stamps every record not yet covered, in one token over the last one's hash."""
    last = MessageRecord.objects.order_by("-seq").only("seq", "record_hash").first()
    if last is None or last.seq <= stamped_up_to():
        return None
    if not settings.EGOV_TSA_URL:
        raise LogError("no time-stamp authority is configured (EGOV_TSA_URL)")
    stamper = HTTPTimeStamper(
        settings.EGOV_TSA_URL, timeout=settings.EGOV_SIGNATURE_NETWORK_TIMEOUT
    )
    try:
        token = run_sync(stamper.async_timestamp(bytes.fromhex(last.record_hash), "sha256"))
    except Exception as exc:  # network errors, refusals: all mean "not stamped yet"
        raise LogError(f"the time-stamp authority did not stamp the log: {exc}") from exc
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    stamp, _created = LogTimestamp.objects.get_or_create(
        up_to_seq=last.seq,
        defaults={
            "record_hash": last.record_hash,
            "token": token.dump(),
            "stamped_at": tst_info["gen_time"].native,
        },
    )
    return stamp


# --- Verification ------------------------------------------------------------------------------


@dataclass
class Problem:
    seq: int
    reason: str


def _check_timestamp(stamp: LogTimestamp, records: dict[int, str]) -> str:
    if records.get(stamp.up_to_seq) != stamp.record_hash:
        return "the time-stamped record no longer matches the time-stamp"
    token = cms.ContentInfo.load(bytes(stamp.token))
    signed_data = token["content"]
    expected = bytes.fromhex(stamp.record_hash)
    context = trust.validation_context()

    async def run() -> dict[str, Any]:
        try:
            return await validate_tst_signed_data(signed_data, context, lambda _md: expected)
        finally:
            await context.aclose()

    try:
        status = run_sync(run())
    except Exception as exc:  # a token that fails validation in any way does not prove
        return f"the time-stamp token does not validate: {exc}"
    if not (status.get("intact") and status.get("valid")):
        return "the time-stamp token's signature does not hold"
    if status.get("trust_problem_indic") is not None or status.get("validation_path") is None:
        return "the time-stamp authority is not in the trust store"
    imprint = signed_data["encap_content_info"]["content"].parsed["message_imprint"]
    if not isinstance(imprint, tsp.MessageImprint) or imprint["hashed_message"].native != expected:
        return "the time-stamp covers another hash"
    return ""


def verify(check_timestamps: bool = True) -> Iterator[Problem]:
    """Yields every break in the log: an altered record (its hash or signature), a removed one
    (a gap, or the head or a time-stamp naming records that are gone), a broken link."""
    keys = _public_keys()
    expected_seq, expected_prev = 1, GENESIS_HASH
    hashes: dict[int, str] = {}
    for record in MessageRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if record.seq != expected_seq:
            yield Problem(expected_seq, f"records #{expected_seq}–#{record.seq - 1} are missing")
        elif record.prev_hash != expected_prev:
            yield Problem(record.seq, "the link to the previous record is broken")
        if compute_hash(record) != record.record_hash:
            yield Problem(record.seq, "the record's content does not match its hash")
        key = keys.get(record.key_fingerprint)
        try:
            if key is None:
                raise jws.JWSError("unknown key")
            jws.verify_bytes(key, jws.unb64(record.platform_signature), record.record_hash.encode())
        except jws.JWSError:
            yield Problem(record.seq, "the platform's signature on the record does not hold")
        for body, digest, name in (
            (record.request_body, record.request_hash, "request"),
            (record.response_body, record.response_hash, "response"),
        ):
            if body is not None and sha256(bytes(body)) != digest:
                yield Problem(record.seq, f"the kept {name} body does not match its hash")
        hashes[record.seq] = record.record_hash
        expected_seq, expected_prev = record.seq + 1, record.record_hash
    head = LogHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and head.last_seq > last_seq:
        yield Problem(last_seq + 1, f"records after #{last_seq} are missing")
    elif head is not None and head.last_hash != expected_prev:
        yield Problem(last_seq, "the last record was rewritten (it no longer matches the head)")
    if check_timestamps:
        for stamp in LogTimestamp.objects.all():
            reason = _check_timestamp(stamp, hashes)
            if reason:
                yield Problem(stamp.up_to_seq, reason)


@dataclass
class Proof:
    record: MessageRecord
    timestamp: LogTimestamp | None
    problems: list[Problem]


def prove(message_id: uuid.UUID | str) -> Proof:
    """The proof of one exchange: the whole log verifies, and a time-stamp at or after the
    record ties it (through the chain) to a trusted time."""
    record = MessageRecord.objects.get(message_id=message_id)
    stamp = LogTimestamp.objects.filter(up_to_seq__gte=record.seq).order_by("up_to_seq").first()
    return Proof(record, stamp, list(verify()))
