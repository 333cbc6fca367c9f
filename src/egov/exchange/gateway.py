"""The gateway: a client system calls ``/exchange/gateway/<service>/<path>`` with a JWS signed
by the key of its registered certificate in the ``X-Exchange-Token`` header; the gateway checks
who it is, that it may call the service, that the call is fresh and not a replay, its rate and
quota, forwards it to the provider and logs the exchange (egov.exchange.messagelog).

The token's claims bind it to this one call: ``iss`` (client code), ``aud`` (service code),
``htm`` (method), ``htu`` (the path after the service code, with the query), ``bh`` (SHA-256 of
the body, hex), ``nonce`` (unique per client), ``iat`` (Unix time) and, for look-ups about a
person, ``sub`` (their identification number, kept in the log only as a keyed hash).
"""

import datetime
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import urllib3
from cryptography import x509
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.throttling import count_hits
from egov.exchange import jws, messagelog
from egov.exchange.models import AccessRight, ClientSystem, Member, Service, UsedNonce

logger = logging.getLogger(__name__)

TOKEN_HEADER = "HTTP_X_EXCHANGE_TOKEN"  # noqa: S105 - a header name, not a secret
FORWARDED_HEADERS = ("content-type", "accept", "accept-language")
RETURNED_HEADERS = ("content-type", "content-language", "cache-control")


class Refused(Exception):
    """A call the gateway does not forward: status, title and what to fix."""

    def __init__(self, status: int, title: str, detail: str):
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


@dataclass
class Call:
    service_code: str
    method: str
    path: str  # after the service code, with its query string
    body: bytes
    token: str
    headers: dict[str, str]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    record: Any


def _unauthenticated(detail: str) -> Refused:
    return Refused(401, _("The calling system is not identified"), detail)


@dataclass(frozen=True)
class _Known:
    """What the gateway keeps of one client system between calls, for a few seconds."""

    client: ClientSystem
    public_key: jws.PublicKey | None
    until: float


# Per process, keyed by certificate fingerprint. The certificate is parsed once per client, not
# once per call, and the row (suspension, validity) is read again after
# EGOV_EXCHANGE_CLIENT_CACHE_SECONDS: a suspension or a revoked right takes effect within that
# time in every worker, never later.
_clients: dict[str, _Known] = {}
_rights: dict[tuple[int, str], tuple[AccessRight | None, float]] = {}
_cache_lock = threading.Lock()


def _cache_seconds() -> float:
    return float(getattr(settings, "EGOV_EXCHANGE_CLIENT_CACHE_SECONDS", 5))


def forget_clients() -> None:
    """Empties this process's cache of client systems and rights (tests, an operator's command)."""
    with _cache_lock:
        _clients.clear()
        _rights.clear()


# The generation of clients, services and rights in the shared cache (Redis): moved on by every
# change to them (:func:`clients_changed`), read by every call in the round trip that counts its
# rate. A worker that sees it move forgets what it kept and reads the database again, so a
# suspension, a revoked right or a withdrawn service takes effect at the next call in every
# worker; EGOV_EXCHANGE_CLIENT_CACHE_SECONDS still bounds it when the shared cache is away or a
# row was changed outside Django (by hand in SQL).
GENERATION_KEY = "exchange:clients-generation"
_UNSEEN = object()
_generation_seen: object = _UNSEEN


def clients_changed() -> None:
    """A client system, member, service or right changed: every worker forgets its cache."""
    forget_clients()
    try:
        if not cache.add(GENERATION_KEY, 1, None):
            cache.incr(GENERATION_KEY)
    except Exception:  # the shared cache away: the cache time bounds the change instead
        logger.warning("exchange: the clients generation could not be moved on", exc_info=True)


def _on_change(**kwargs: Any) -> None:
    transaction.on_commit(clients_changed, using=kwargs.get("using"))


def connect_invalidation() -> None:
    """Moves the generation on after any saved or deleted member, client, service or right
    (services, the admin, commands alike), once its transaction commits."""
    for model in (Member, ClientSystem, Service, AccessRight):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"exchange-gen-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"exchange-gen-del-{model}")


def _known_client(kid: str) -> _Known | None:
    now = time.monotonic()
    known = _clients.get(kid)
    if known is not None and known.until > now:
        return known
    client = ClientSystem.objects.select_related("member").filter(fingerprint=kid).first()
    if client is None:
        with _cache_lock:
            _clients.pop(kid, None)
        return None
    if known is not None and known.client.certificate_pem == client.certificate_pem:
        public = known.public_key
    else:
        key = x509.load_pem_x509_certificate(client.certificate_pem.encode()).public_key()
        public = key if isinstance(key, jws.PublicKey) else None
    known = _Known(client, public, now + _cache_seconds())
    with _cache_lock:
        if len(_clients) > 10_000:  # a bound, not an eviction policy: clients are few
            _clients.clear()
        _clients[kid] = known
    return known


def _client_and_claims(call: Call) -> tuple[ClientSystem, dict[str, Any]]:
    if not call.token:
        raise _unauthenticated(
            _("Sign the call with your client certificate's key: send the JWS in X-Exchange-Token.")
        )
    try:
        kid = str(jws.header_of(call.token).get("kid", ""))
    except jws.JWSError as exc:
        raise _unauthenticated(_("The X-Exchange-Token header is not a compact JWS.")) from exc
    known = _known_client(kid.lower())
    if known is None:
        raise _unauthenticated(
            _("No client system is registered with the certificate named in “kid”.")
        )
    client = known.client
    now = timezone.now()
    if client.suspended_at is not None or not (client.valid_from <= now <= client.valid_until):
        raise Refused(
            403,
            _("The calling system may not call"),
            _("The client system is suspended or its certificate is not in force."),
        )
    if known.public_key is None:
        raise _unauthenticated(_("The client certificate's key type is not supported."))
    try:
        claims = jws.verify(known.public_key, call.token)
    except jws.JWSError as exc:
        raise _unauthenticated(
            _("The token's signature does not verify with the registered certificate.")
        ) from exc
    return client, claims


def _check_binding(client: ClientSystem, claims: dict[str, Any], call: Call) -> None:
    expected = {
        "iss": client.code,
        "aud": call.service_code,
        "htm": call.method,
        "htu": call.path,
        "bh": messagelog.sha256(call.body),
    }
    wrong = sorted(name for name, value in expected.items() if claims.get(name) != value)
    if wrong:
        raise _unauthenticated(
            _("The token was not made for this call (claims that differ: %(claims)s).")
            % {"claims": ", ".join(wrong)}
        )
    issued = claims.get("iat")
    window = settings.EGOV_EXCHANGE_CLOCK_WINDOW
    if not isinstance(issued, int | float) or abs(time.time() - issued) > window:
        raise _unauthenticated(
            _("The token is too old or from the future: sign each call when you send it.")
        )
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
        raise _unauthenticated(_("Give a random “nonce” of 16 to 64 characters in the token."))


_NONCE_TABLE = UsedNonce._meta.db_table


def _remember_nonce(client: ClientSystem, nonce: str) -> None:
    """One INSERT (a unique constraint refuses a nonce seen before), committed before the call
    is forwarded: a replay is refused before it reaches the provider."""
    connection = transaction.get_connection()
    sql = (
        f"INSERT INTO {connection.ops.quote_name(_NONCE_TABLE)} (client_id, nonce, seen_at)"  # noqa: S608 - the model's table
        " VALUES (%s, %s, %s)"
    )
    params = [client.pk, nonce, timezone.now()]
    try:
        if connection.in_atomic_block:  # a savepoint keeps the outer one usable
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        else:  # in autocommit: one round trip
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    except IntegrityError as exc:
        raise Refused(
            409,
            _("This call was already made"),
            _("The token's nonce has been used before: a replayed call is refused."),
        ) from exc


def _right(client: ClientSystem, service_code: str) -> AccessRight:
    now = time.monotonic()
    cached = _rights.get((client.pk, service_code))
    if cached is not None and cached[1] > now:
        right = cached[0]
    else:
        right = (
            AccessRight.objects.select_related("service")
            .filter(
                client=client,
                service__code=service_code,
                service__withdrawn_at__isnull=True,
                revoked_at__isnull=True,
            )
            .first()
        )
        with _cache_lock:
            if len(_rights) > 10_000:
                _rights.clear()
            _rights[(client.pk, service_code)] = (right, now + _cache_seconds())
    if right is None:
        # One answer for a service that does not exist and one without a right: a client
        # learns nothing of services it may not call.
        raise Refused(
            403,
            _("No access right to this service"),
            _("Ask the platform's operator for a right to this service, with its purpose."),
        )
    return right


def _count_usage(client: ClientSystem) -> tuple[int, int, bool]:
    """Counts this call against the client's minute and day, and says whether clients, services
    or rights changed since this process last looked (:func:`clients_changed`): one round trip
    to Redis for the three."""
    global _generation_seen
    now = int(time.time())
    (minute, day), generation = count_hits(
        [
            (f"exchange:rate:{client.pk}:{now // 60}", 61),
            (f"exchange:quota:{client.pk}:{now // 86400}", 86401),
        ],
        read=GENERATION_KEY if _cache_seconds() > 0 else "",
    )
    changed = _cache_seconds() > 0 and (
        _generation_seen is _UNSEEN or generation != _generation_seen
    )
    _generation_seen = generation
    return minute, day, changed


def _check_usage(client: ClientSystem, minute: int, day: int) -> None:
    if minute > client.rate_per_minute:
        raise Refused(
            429,
            _("Too many calls"),
            _("This client system may make %(rate)s calls a minute; wait and try again.")
            % {"rate": client.rate_per_minute},
        )
    if day > client.daily_quota:
        raise Refused(
            429,
            _("The daily quota is used up"),
            _("This client system may make %(quota)s calls a day; ask the operator for more.")
            % {"quota": client.daily_quota},
        )


def _check_fresh_timestamps() -> None:
    if not messagelog.is_fresh():
        raise Refused(
            503,
            _("The data sharing platform cannot log calls now"),
            _(
                "The message log has not been time-stamped for too long; the platform refuses "
                "calls until the time-stamp authority answers again. Try again later."
            ),
        )


# Connections to providers are kept alive and reused (per provider, up to 32 kept per process).
# urllib3 rather than httpx here: half the CPU per forwarded call. Never a retry: a call is sent
# once, or answered 502 and logged.
_http = urllib3.PoolManager(maxsize=32, block=False, retries=False)


def _forward(
    service: Service, call: Call, client: ClientSystem, purpose: str, mid: uuid.UUID
) -> urllib3.BaseHTTPResponse:
    headers = {name: value for name, value in call.headers.items() if name in FORWARDED_HEADERS}
    headers.update(
        {
            "x-exchange-client": f"{client.member.code}/{client.code}",
            "x-exchange-message-id": str(mid),
            "x-exchange-purpose": quote(purpose),
        }
    )
    return _http.request(
        call.method,
        service.base_url + "/" + call.path.lstrip("/"),
        body=call.body,
        headers=headers,
        timeout=settings.EGOV_EXCHANGE_PROVIDER_TIMEOUT,
        redirect=False,
    )


def handle(call: Call) -> Answer:
    """Checks, forwards and logs one call; raises :class:`Refused` for a call it refuses."""
    client, claims = _client_and_claims(call)
    _check_binding(client, claims, call)
    # Every authenticated call counts against the client's rate and quota, refused or not.
    minute, day, changed = _count_usage(client)
    if changed:  # a client, service or right changed: check this call against the database
        forget_clients()
        client, claims = _client_and_claims(call)
    _check_usage(client, minute, day)
    right = _right(client, call.service_code)
    service = right.service
    _check_fresh_timestamps()
    _remember_nonce(client, claims["nonce"])
    mid = uuid.uuid4()
    started = time.monotonic()
    try:
        response = _forward(service, call, client, right.purpose, mid)
        status, body, outcome = response.status, response.data, "forwarded"
        returned = {k: v for k, v in response.headers.items() if k.lower() in RETURNED_HEADERS}
    except urllib3.exceptions.HTTPError:
        status, body, outcome, returned = 502, b"", "provider_unreachable", {}
    subject = claims.get("sub")
    record = messagelog.append(
        messagelog.Exchange(
            client_code=f"{client.member.code}/{client.code}",
            service_code=service.code,
            method=call.method,
            path=call.path,
            purpose=right.purpose,
            subject_ref=messagelog.subject_ref(subject) if isinstance(subject, str) else "",
            status=status,
            outcome=outcome,
            request_body=call.body,
            response_body=body,
            keep_bodies=service.keep_bodies,
            client_signature=call.token,
            duration_ms=int((time.monotonic() - started) * 1000),
            message_id=mid,
        )
    )
    if outcome == "provider_unreachable":
        raise Refused(
            502,
            _("The provider did not answer"),
            _("The service's provider cannot be reached now; the attempt is logged. Try later."),
        )
    returned.update(
        {"X-Exchange-Message-Id": str(mid), "X-Exchange-Record-Hash": record.record_hash}
    )
    return Answer(status, body, returned, record)


def purge_nonces(now: datetime.datetime | None = None) -> int:
    """Nonces older than twice the clock window can go: their tokens are refused as too old."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        seconds=2 * settings.EGOV_EXCHANGE_CLOCK_WINDOW
    )
    deleted, _counts = UsedNonce.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
