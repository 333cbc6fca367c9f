"""The trust store: the root and intermediate CAs that the operator configured, and the
validation context (trust, revocation by CRL and OCSP) that signing and verification share."""

import functools
import logging
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.api import OwnedFetcherBackend

from egov.signatures import revinfo
from egov.signatures.devpki import DEV_PKI_ORGANIZATION, DevelopmentPKI

logger = logging.getLogger(__name__)


def parse_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in PEM (one or more) or DER bytes."""
    if pem.detect(data):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    return [asn1_x509.Certificate.load(data)]


@functools.lru_cache(maxsize=64)
def _read(path: str, _mtime_ns: int) -> tuple[asn1_x509.Certificate, ...]:
    certificates = tuple(parse_certificates(Path(path).read_bytes()))
    for certificate in certificates:
        certificate.native  # noqa: B018 - parse now, so a broken file fails here, not mid-signing
    return certificates


def read_certificates(path: str | Path) -> tuple[asn1_x509.Certificate, ...]:
    path = Path(path)
    return _read(str(path), path.stat().st_mtime_ns)


def is_development_certificate(certificate: asn1_x509.Certificate) -> bool:
    subject = certificate.subject.native
    values = [subject.get("organization_name"), subject.get("organizational_unit_name")]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value]) if v]
    return any(DEV_PKI_ORGANIZATION in value for value in flat)


def _development_files(name: str) -> list[Path]:
    if settings.PRODUCTION or not settings.EGOV_SIGNATURE_TRUST_DEV_PKI:
        return []
    path = Path(settings.EGOV_DEV_PKI_DIR) / f"{name}.pem"
    return [path] if path.exists() else []


def _load(paths) -> list[asn1_x509.Certificate]:
    certificates = {}
    for path in paths:
        for certificate in read_certificates(path):
            if settings.PRODUCTION and is_development_certificate(certificate):
                logger.error("Ignoring development PKI certificate in %s under production", path)
                continue
            certificates.setdefault(certificate.sha256, certificate)
    return list(certificates.values())


def trust_roots() -> list[asn1_x509.Certificate]:
    return _load([*settings.EGOV_SIGNATURE_TRUST_ROOTS, *_development_files(DevelopmentPKI.ROOT)])


def intermediates() -> list[asn1_x509.Certificate]:
    return _load(
        [*settings.EGOV_SIGNATURE_INTERMEDIATES, *_development_files(DevelopmentPKI.ISSUING)]
    )


def validation_context(extra_certificates=(), *, reuse_revocation=False) -> ValidationContext:
    """A fresh context: trust anchors, known intermediates, CRL and OCSP fetched over HTTP;
    ``reuse_revocation`` (the check before signing) reuses answers within their validity."""
    return ValidationContext(
        trust_roots=trust_roots(),
        other_certs=[*intermediates(), *extra_certificates],
        allow_fetching=True,
        revocation_mode=settings.EGOV_SIGNATURE_REVOCATION_MODE,
        # Owned: the context closes the HTTP session when the operation is over (aclose()).
        fetcher_backend=OwnedFetcherBackend(fetcher_backend(reuse_revocation)),
    )


def fetcher_backend(reuse_revocation: bool = False):
    """HTTP fetching of CRLs, OCSP responses and issuers' certificates; with
    ``reuse_revocation``, the revocation answers are reused within their validity
    (``revinfo``) unless that cache is turned off."""
    backend = AIOHttpFetcherBackend(per_request_timeout=settings.EGOV_SIGNATURE_NETWORK_TIMEOUT)
    if reuse_revocation and revinfo.enabled():
        return revinfo.CachingFetcherBackend(backend)
    return backend
