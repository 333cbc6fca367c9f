"""Operations on the platform's members, client systems, services and access rights; every one
is audited (egov.core.audit) in the transaction that makes it."""

import hashlib
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit
from egov.exchange.models import AccessRight, ClientSystem, Member, Service
from egov.organizations.models import Agency
from egov.signatures import trust
from egov.signatures.signing import SignatureError, check_certificate


class ExchangeError(Exception):
    """Refused, with a translated message that says what to fix."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_operate(actor: Any) -> bool:
    """The platform is operated city-wide: system administrators only (None: a command)."""
    return actor is None or scoping.covers_everything(actor, [Role.SYSTEM_ADMIN])


def _require_operator(actor: Any) -> None:
    if not may_operate(actor):
        raise ExchangeError(_("Only the platform's operator (a system administrator) may do this."))


def _agency_id(member: Member) -> int | None:
    return member.agency.pk if member.agency is not None else None


def save_member(
    *, actor: Any, code: str, name: str, kind: str, agency: Agency | None = None
) -> Member:
    _require_operator(actor)
    if kind == Member.Kind.AGENCY and agency is None:
        raise ExchangeError(_("Choose the agency that this member is."))
    with transaction.atomic():
        member, _created = Member.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "agency": agency}
        )
        audit.record(
            actor=actor,
            action="exchange.member_saved",
            obj=member,
            agency_id=_agency_id(member),
            after=audit.snapshot(member, ["code", "name", "kind", "agency_id"]),
        )
    return member


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def _one_certificate(certificate_pem: str) -> asn1_x509.Certificate:
    data = certificate_pem.strip().encode()
    try:
        certificates = trust.parse_certificates(data)
        certificates[0].native  # noqa: B018 - parse now, a broken file fails here
    except (ValueError, TypeError, IndexError) as exc:
        raise ExchangeError(
            _("The certificate cannot be read; send it as PEM (-----BEGIN CERTIFICATE-----).")
        ) from exc
    return certificates[0]


def register_client(
    *,
    actor: Any,
    member: Member,
    code: str,
    name: str,
    certificate_pem: str,
    rate_per_minute: int = 600,
    daily_quota: int = 100_000,
) -> ClientSystem:
    """Registers a client system by its certificate, checked now against the trust store
    (chain, validity, revocation by CRL or OCSP)."""
    _require_operator(actor)
    certificate = _one_certificate(certificate_pem)
    try:
        check_certificate(certificate)
    except SignatureError as exc:
        raise ExchangeError(exc.message) from exc
    digest = fingerprint(certificate)
    if ClientSystem.objects.filter(fingerprint=digest).exists():
        raise ExchangeError(_("This certificate already identifies another client system."))
    validity = certificate["tbs_certificate"]["validity"]
    with transaction.atomic():
        client = ClientSystem.objects.create(
            member=member,
            code=code,
            name=name,
            certificate_pem=pem.armor("CERTIFICATE", certificate.dump()).decode(),
            fingerprint=digest,
            subject=certificate.subject.human_friendly[:500],
            valid_from=validity["not_before"].native,
            valid_until=validity["not_after"].native,
            rate_per_minute=rate_per_minute,
            daily_quota=daily_quota,
        )
        audit.record(
            actor=actor,
            action="exchange.client_registered",
            obj=client,
            agency_id=_agency_id(member),
            after=audit.snapshot(
                client, ["code", "fingerprint", "subject", "rate_per_minute", "daily_quota"]
            ),
        )
    return client


def suspend_client(*, actor: Any, client: ClientSystem) -> None:
    _require_operator(actor)
    with transaction.atomic():
        client.suspended_at = timezone.now()
        client.save(update_fields=["suspended_at"])
        audit.record(
            actor=actor,
            action="exchange.client_suspended",
            obj=client,
            agency_id=_agency_id(client.member),
        )


def publish_service(
    *,
    actor: Any,
    provider: Member,
    code: str,
    name: str,
    base_url: str,
    openapi_url: str = "",
    openapi_document: dict | None = None,
    keep_bodies: bool = False,
) -> Service:
    _require_operator(actor)
    if not openapi_url and not openapi_document:
        raise ExchangeError(
            _("Give the service's OpenAPI description: its address or the document itself.")
        )
    if openapi_document is not None and "openapi" not in openapi_document:
        raise ExchangeError(_("The OpenAPI description has no “openapi” version field."))
    with transaction.atomic():
        service, _created = Service.objects.update_or_create(
            code=code,
            defaults={
                "provider": provider,
                "name": name,
                "base_url": base_url.rstrip("/"),
                "openapi_url": openapi_url,
                "openapi_document": openapi_document,
                "keep_bodies": keep_bodies,
                "withdrawn_at": None,
            },
        )
        audit.record(
            actor=actor,
            action="exchange.service_published",
            obj=service,
            agency_id=_agency_id(provider),
            after=audit.snapshot(service, ["code", "name", "base_url", "keep_bodies"]),
        )
    return service


def withdraw_service(*, actor: Any, service: Service) -> None:
    _require_operator(actor)
    with transaction.atomic():
        service.withdrawn_at = timezone.now()
        service.save(update_fields=["withdrawn_at"])
        audit.record(
            actor=actor,
            action="exchange.service_withdrawn",
            obj=service,
            agency_id=_agency_id(service.provider),
        )


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None else "system"


def grant_right(
    *, actor: Any, client: ClientSystem, service: Service, purpose: str, legal_basis: str
) -> AccessRight:
    _require_operator(actor)
    if not purpose.strip() or not legal_basis.strip():
        raise ExchangeError(
            _("State the purpose and the legal basis (the law or decision that allows it).")
        )
    with transaction.atomic():
        if AccessRight.objects.filter(
            client=client, service=service, revoked_at__isnull=True
        ).exists():
            raise ExchangeError(_("This client system already has a right to this service."))
        right = AccessRight.objects.create(
            client=client,
            service=service,
            purpose=purpose.strip(),
            legal_basis=legal_basis.strip(),
            granted_by=_actor_name(actor),
        )
        audit.record(
            actor=actor,
            action="exchange.right_granted",
            obj=right,
            agency_id=_agency_id(service.provider),
            after=audit.snapshot(right, ["client_id", "service_id", "purpose", "legal_basis"]),
        )
    return right


def revoke_right(*, actor: Any, right: AccessRight, reason: str) -> None:
    _require_operator(actor)
    if not reason.strip():
        raise ExchangeError(_("Say why the right is revoked."))
    if right.revoked_at is not None:
        raise ExchangeError(_("This right has already been revoked."))
    with transaction.atomic():
        right.revoked_at = timezone.now()
        right.revoked_by = _actor_name(actor)
        right.revoke_reason = reason.strip()
        right.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit.record(
            actor=actor,
            action="exchange.right_revoked",
            obj=right,
            agency_id=_agency_id(right.service.provider),
            after={"reason": right.revoke_reason},
        )
