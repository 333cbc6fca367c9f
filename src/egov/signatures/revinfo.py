"""Revocation information (OCSP responses, CRLs) reused within its validity, for signing.

Every signature the platform makes checks its certificate online first (``signing.sign``). An OCSP
response or a CRL says until when it holds (``nextUpdate``): the certification authority
publishes nothing newer before then, so asking again for every document (the clerk's agency
certificate signs each issued document) only repeats the same answer. This cache keeps each
successful answer, per certificate, until the earlier of its ``nextUpdate`` and
``EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS`` after it was fetched (0 turns the cache off), in
this process's memory. A revoked certificate is refused as soon as a fresh answer says so; a
certificate revoked on the platform (``revoke_certificate``) stops signing at once, whatever the
cache holds, since ``sign_pdf`` checks its status first. pyhanko-certvalidator still checks
each answer's signature and its validity at the time of each use, as for a fresh one.

Only the check before the platform signs reuses answers; verifying a signed file (the public
verification page, an incoming edXML package) asks afresh, so a revocation shows at once there.
"""

import datetime
import threading

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import timezone
from pyhanko_certvalidator.fetchers.api import CRLFetcher, FetcherBackend, Fetchers, OCSPFetcher
from pyhanko_certvalidator.util import issuer_serial

MAX_ENTRIES = 10_000  # certificates; far more than a city's agencies and signers at once

_lock = threading.Lock()
_ocsp: dict[bytes, tuple[object, datetime.datetime]] = {}
_crls: dict[bytes, tuple[list, datetime.datetime]] = {}
stats = {"ocsp_fetched": 0, "ocsp_reused": 0, "crl_fetched": 0, "crl_reused": 0}


def now() -> datetime.datetime:
    return timezone.now()


def enabled() -> bool:
    return settings.EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS > 0


def forget() -> None:
    """Drops everything kept (tests; an operator's shell after a CA's emergency revocation)."""
    with _lock:
        _ocsp.clear()
        _crls.clear()


def _until(next_updates) -> datetime.datetime | None:
    """When an answer stops being reused: its earliest nextUpdate, at most the configured age;
    ``None`` (not kept) for an answer without nextUpdate or already past it."""
    if not next_updates or any(value is None for value in next_updates):
        return None
    moment = now()
    until = min(
        min(next_updates),
        moment + datetime.timedelta(seconds=settings.EGOV_SIGNATURE_REVOCATION_CACHE_SECONDS),
    )
    return until if until > moment else None


def _ocsp_until(response) -> datetime.datetime | None:
    try:
        if response["response_status"].native != "successful":
            return None
        answers = response.basic_ocsp_response["tbs_response_data"]["responses"]
        return _until([answer["next_update"].native for answer in answers])
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


def _crl_until(crls) -> datetime.datetime | None:
    try:
        return _until([crl["tbs_cert_list"]["next_update"].native for crl in crls])
    except (KeyError, ValueError, TypeError):
        return None


def _key(cert) -> bytes:
    """The whole certificate's hash: two CAs may give the same serial under the same name."""
    return cert.sha256 if isinstance(cert, asn1_x509.Certificate) else issuer_serial(cert)


def _get(table: dict, key: bytes):
    with _lock:
        entry = table.get(key)
        if entry is None:
            return None
        if now() >= entry[1]:
            del table[key]
            return None
        return entry[0]


def _put(table: dict, key: bytes, value, until) -> None:
    if until is None:
        return
    with _lock:
        if len(table) >= MAX_ENTRIES:
            moment = now()
            for stale in [k for k, (_v, end) in table.items() if end <= moment]:
                del table[stale]
            while len(table) >= MAX_ENTRIES:
                del table[next(iter(table))]
        table[key] = (value, until)


class CachingOCSPFetcher(OCSPFetcher):
    def __init__(self, inner: OCSPFetcher):
        self.inner = inner
        self.reused: dict[bytes, object] = {}

    def _cached(self, cert):
        key = _key(cert)
        response = _get(_ocsp, key)
        if response is not None:
            self.reused[key] = response
        return response

    async def fetch(self, cert, authority):
        response = self._cached(cert)
        if response is not None:
            stats["ocsp_reused"] += 1
            return response
        response = await self.inner.fetch(cert, authority)
        stats["ocsp_fetched"] += 1
        _put(_ocsp, _key(cert), response, _ocsp_until(response))
        return response

    def fetched_responses(self):
        return {*self.inner.fetched_responses(), *self.reused.values()}

    def fetched_responses_for_cert(self, cert):
        fetched = set(self.inner.fetched_responses_for_cert(cert))
        if fetched:
            return fetched
        response = self._cached(cert)
        if response is not None:
            stats["ocsp_reused"] += 1
            return {response}
        return fetched


class CachingCRLFetcher(CRLFetcher):
    def __init__(self, inner: CRLFetcher):
        self.inner = inner
        self.reused: dict[bytes, list] = {}

    def _cached(self, cert):
        key = _key(cert)
        crls = _get(_crls, key)
        if crls is not None:
            self.reused[key] = crls
            stats["crl_reused"] += 1
        return crls

    async def fetch(self, cert, *, use_deltas=None):
        crls = self._cached(cert)
        if crls is not None:
            return crls
        kwargs = {} if use_deltas is None else {"use_deltas": use_deltas}
        crls = list(await self.inner.fetch(cert, **kwargs))
        stats["crl_fetched"] += 1
        _put(_crls, _key(cert), crls, _crl_until(crls))
        return crls

    def fetched_crls(self):
        reused = [crl for crls in self.reused.values() for crl in crls]
        return {*self.inner.fetched_crls(), *reused}

    def fetched_crls_for_cert(self, cert):
        try:
            return self.inner.fetched_crls_for_cert(cert)
        except KeyError:
            crls = self._cached(cert)
            if crls is None:
                raise
            return crls


class CachingFetcherBackend(FetcherBackend):
    """Wraps a fetcher backend (HTTP) with the process's cache; certificates (AIA) are fetched
    as before."""

    def __init__(self, inner: FetcherBackend):
        self.inner = inner

    def get_fetchers(self) -> Fetchers:
        fetchers = self.inner.get_fetchers()
        return Fetchers(
            ocsp_fetcher=CachingOCSPFetcher(fetchers.ocsp_fetcher),
            crl_fetcher=CachingCRLFetcher(fetchers.crl_fetcher),
            cert_fetcher=fetchers.cert_fetcher,
        )

    async def close(self):
        await self.inner.close()
