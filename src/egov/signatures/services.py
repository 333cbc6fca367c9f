"""Operations on signing certificates and signed documents: the only code that changes them.

Later apps sign through :func:`sign_pdf`::

    result = sign_pdf(pdf, signer_certificate=cert, actor=user, reference=("dossiers.result", "42"))
    result.data                 # the signed PDF
    result.document.code        # printed as a QR; /xac-thuc/<code>/ verifies it
"""

import hashlib
import secrets
import textwrap
from dataclasses import dataclass

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.core import audit
from egov.signatures import keystore, signing
from egov.signatures.models import SignedDocument, SigningCertificate
from egov.signatures.seal import check_seal_png
from egov.signatures.signing import Placement, SignatureError

# Who may sign with an agency's certificate: the desk issues receipts, clerks and leaders sign
# results and documents. A personal certificate signs only for its holder.
SIGNING_ROLES = [Role.DESK_OFFICER, Role.CLERK, Role.APPROVER, Role.LEADER, Role.AGENCY_ADMIN]
MANAGING_ROLES = [Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN]
AUDIT_FIELDS = [
    "label",
    "holder",
    "agency_id",
    "user_id",
    "common_name",
    "serial_number",
    "fingerprint",
    "not_after",
    "key_storage",
    "status",
    "revoked_at",
    "revocation_reason",
]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone
CODE_LENGTH = 12


# --- Certificates -------------------------------------------------------------------------------


def _key_algorithm(certificate: asn1_x509.Certificate) -> str:
    public_key = certificate.public_key
    if public_key.algorithm == "rsa":
        return f"RSA {public_key.bit_size}"
    if public_key.algorithm == "ec":
        curve = public_key.curve[1]
        return {"secp256r1": "ECDSA P-256", "secp384r1": "ECDSA P-384"}.get(curve, f"EC {curve}")
    return public_key.algorithm.upper()


def _name_part(name: asn1_x509.Name, field: str) -> str:
    value = name.native.get(field, "")
    return ", ".join(value) if isinstance(value, list) else value


def _facts(certificate: asn1_x509.Certificate) -> dict:
    return {
        "common_name": _name_part(certificate.subject, "common_name")[:255],
        "organization": _name_part(certificate.subject, "organization_name")[:255],
        "subject": certificate.subject.human_friendly[:1000],
        "issuer": certificate.issuer.human_friendly[:1000],
        "serial_number": format(certificate.serial_number, "x"),
        "fingerprint": certificate.sha256.hex(),
        "key_algorithm": _key_algorithm(certificate),
        "not_before": certificate["tbs_certificate"]["validity"]["not_before"].native,
        "not_after": certificate["tbs_certificate"]["validity"]["not_after"].native,
        "certificate_der": certificate.dump(),
    }


def _check_in_force(facts: dict) -> None:
    now = timezone.now()
    if now > facts["not_after"]:
        raise SignatureError(
            _("The certificate expired on %(date)s; import its renewed certificate.")
            % {"date": date_format(timezone.localtime(facts["not_after"]), "SHORT_DATE_FORMAT")}
        )
    if now < facts["not_before"]:
        raise SignatureError(
            _("The certificate is valid only from %(date)s.")
            % {"date": date_format(timezone.localtime(facts["not_before"]), "SHORT_DATE_FORMAT")}
        )


def _holder(agency, user) -> tuple[str, object]:
    if user is not None:
        if not user.is_staff_member or user.agency_id is None:
            raise SignatureError(_("A personal certificate must belong to a staff member."))
        return SigningCertificate.Holder.PERSON, user.agency
    if agency is None:
        raise SignatureError(_("Choose the agency that the certificate belongs to."))
    return SigningCertificate.Holder.AGENCY, agency


def may_manage(actor, agency, user=None) -> bool:
    """Agency administrators manage their agencies' certificates; an official, their own."""
    if actor is None:
        return True  # management commands and the demo loader
    if user is not None and actor.pk == user.pk:
        return True
    return any(scoping.has_role(actor, role, agency) for role in MANAGING_ROLES)


def may_sign_with(actor, certificate: SigningCertificate) -> bool:
    if certificate.holder == SigningCertificate.Holder.PERSON:
        return actor is not None and actor.pk == certificate.user_id
    if actor is None:
        return True  # the platform signs receipts and results in the agency's name
    return any(scoping.has_role(actor, role, certificate.agency) for role in SIGNING_ROLES)


def certificates_for(actor, agency) -> list[SigningCertificate]:
    """The active certificates of ``agency`` that ``actor`` may sign with: their own personal
    ones, and the agency's where they hold a signing role."""
    candidates = SigningCertificate.objects.filter(
        agency=agency, status=SigningCertificate.Status.ACTIVE
    )
    return [certificate for certificate in candidates if may_sign_with(actor, certificate)]


def _save_certificate(certificate: SigningCertificate, *, actor) -> SigningCertificate:
    with transaction.atomic():
        certificate.save()
        audit.record(
            actor=actor,
            action="signatures.certificate_imported",
            obj=certificate,
            agency_id=certificate.agency_id,
            after=audit.snapshot(certificate, AUDIT_FIELDS),
        )
    return certificate


def _prepare(cert, chain, *, actor, agency, user, label, seal_png) -> SigningCertificate:
    holder, agency = _holder(agency, user)
    if not may_manage(actor, agency, user):
        raise PermissionDenied
    facts = _facts(cert)
    _check_in_force(facts)
    if SigningCertificate.objects.filter(fingerprint=facts["fingerprint"]).exists():
        raise SignatureError(_("This certificate has already been imported."))
    signing.check_certificate(cert, chain)
    return SigningCertificate(
        agency=agency,
        holder=holder,
        user=user,
        label=(label or facts["common_name"])[:200],
        chain_pem="".join(pem.armor("CERTIFICATE", c.dump()).decode() for c in chain),
        seal_image=check_seal_png(seal_png) if seal_png else None,
        **facts,
    )


def import_pkcs12(
    data: bytes,
    password: str,
    *,
    actor,
    agency=None,
    user=None,
    label: str = "",
    seal_png: bytes | None = None,
) -> SigningCertificate:
    """Imports a certificate and its private key from a PKCS#12 (.p12/.pfx) file.

    The key is kept only re-encrypted under the platform's key-encryption key; the file's
    password is not stored.
    """
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise SignatureError(
            _(
                "The password does not open this PKCS#12 file, or the file is damaged. Check the "
                "password, or export the certificate again."
            )
        ) from exc
    if key is None or certificate is None:
        raise SignatureError(_("The PKCS#12 file must hold the certificate and its private key."))
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise SignatureError(_("The private key in the file does not match its certificate."))
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra]
    record = _prepare(
        cert, chain, actor=actor, agency=agency, user=user, label=label, seal_png=seal_png
    )
    record.key_storage = SigningCertificate.KeyStorage.PKCS12
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    record.encrypted_key = keystore.seal(key_der, signing.key_context(record))
    return _save_certificate(record, actor=actor)


def register_token_certificate(
    *,
    token_label: str,
    key_label: str,
    pin: str,
    actor,
    agency=None,
    user=None,
    label: str = "",
    seal_png: bytes | None = None,
) -> SigningCertificate:
    """Registers a key that stays on a hardware token (PKCS#11); the certificate is read from the
    token, under the key's label. The PIN is stored encrypted so that the platform can sign."""
    from pkcs11 import Attribute, ObjectClass, PKCS11Error
    from pyhanko.sign import pkcs11 as hanko_pkcs11

    if not settings.EGOV_PKCS11_MODULE:
        raise SignatureError(_("No PKCS#11 module is configured (EGOV_PKCS11_MODULE)."))
    try:
        session = hanko_pkcs11.open_pkcs11_session(
            settings.EGOV_PKCS11_MODULE,
            token_criteria=hanko_pkcs11.TokenCriteria(label=token_label),
            user_pin=pin,
        )
    except (PKCS11Error, hanko_pkcs11.PKCS11Error, signing.SigningError) as exc:
        raise SignatureError(
            _("The token “%(token)s” could not be opened with this PIN.") % {"token": token_label}
        ) from exc
    try:
        found = list(
            session.get_objects(
                {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: key_label}
            )
        )
        keys = list(
            session.get_objects(
                {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: key_label}
            )
        )
        if not found or not keys:
            raise SignatureError(
                _("The token holds no certificate and private key labelled “%(label)s”.")
                % {"label": key_label}
            )
        cert = asn1_x509.Certificate.load(found[0][Attribute.VALUE])
    finally:
        session.close()
    record = _prepare(
        cert, [], actor=actor, agency=agency, user=user, label=label, seal_png=seal_png
    )
    record.key_storage = SigningCertificate.KeyStorage.PKCS11
    record.token_label = token_label
    record.key_label = key_label
    record.encrypted_pin = keystore.seal(pin.encode(), signing.pin_context(record))
    return _save_certificate(record, actor=actor)


def revoke_certificate(certificate: SigningCertificate, *, actor, reason: str) -> None:
    """Stops the platform signing with a certificate (key lost, official left); for good."""
    if not may_manage(actor, certificate.agency, certificate.user):
        raise PermissionDenied
    if certificate.is_revoked:
        raise SignatureError(_("This certificate is already revoked."))
    with transaction.atomic():
        before = audit.snapshot(certificate, AUDIT_FIELDS)
        certificate.status = SigningCertificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revocation_reason = reason[:300]
        certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
        audit.record(
            actor=actor,
            action="signatures.certificate_revoked",
            obj=certificate,
            agency_id=certificate.agency_id,
            before=before,
            after=audit.snapshot(certificate, AUDIT_FIELDS),
        )


def set_seal_image(certificate: SigningCertificate, png: bytes, *, actor) -> None:
    if not may_manage(actor, certificate.agency, certificate.user):
        raise PermissionDenied
    check_seal_png(png)
    with transaction.atomic():
        certificate.seal_image = png
        certificate.save(update_fields=["seal_image"])
        audit.record(
            actor=actor,
            action="signatures.seal_changed",
            obj=certificate,
            agency_id=certificate.agency_id,
            after={"sha256": hashlib.sha256(png).hexdigest()},
        )


# --- Signing ------------------------------------------------------------------------------------


def new_verification_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not SignedDocument.objects.filter(code=code).exists():
            return code


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def verification_url(code: str) -> str:
    if not settings.EGOV_VERIFY_BASE_URL:
        raise SignatureError(
            _("The public verification address is not configured (EGOV_VERIFY_BASE_URL).")
        )
    return f"{settings.EGOV_VERIFY_BASE_URL.rstrip('/')}/{code}/"


@dataclass
class SignedResult:
    data: bytes
    document: SignedDocument


def _appearance(certificate: SigningCertificate, moment) -> list[str]:
    """The text of the visible signature: who signed and when (ISO 8601, Vietnam time)."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = textwrap.wrap(
            _("Signed by: %(name)s") % {"name": certificate.common_name}, width=42
        )
        if certificate.holder == SigningCertificate.Holder.PERSON:
            lines += textwrap.wrap(
                _("Agency: %(agency)s") % {"agency": certificate.agency.name}, width=42
            )
        lines.append(
            _("Signed at: %(time)s")
            % {"time": timezone.localtime(moment).isoformat(timespec="seconds")}
        )
    return lines


def _qr_caption(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        address = settings.EGOV_VERIFY_BASE_URL.split("://", 1)[-1].rstrip("/")
        code_text = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
        return "\n".join(
            [
                _("Verify this electronic document"),
                _("at %(address)s") % {"address": address},
                _("Code: %(code)s") % {"code": code_text},
            ]
        )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer_certificate: SigningCertificate,
    actor,
    level: str | None = None,
    visible: bool = True,
    reference: tuple[str, str] = ("signatures.upload", ""),
    title: str = "",
    placement: Placement | None = None,
    qr: bool = True,
    code: str | None = None,
    reason: str | None = None,
    location: str | None = None,
) -> SignedResult:
    """Signs a PDF (PAdES ``level``: B-B, B-T or B-LT) and registers the signed file.

    ``visible`` draws the signer, the time and the agency's seal at the bottom right of the last
    page; ``qr`` prints the verification QR at the bottom left when the file is not signed yet
    (a later signature must not change what an earlier one covers). ``code`` lets a caller that
    printed the QR itself (with :func:`new_verification_code`) register under that code.
    """
    level = level or settings.EGOV_SIGNATURE_DEFAULT_LEVEL
    certificate = signer_certificate
    if not may_sign_with(actor, certificate):
        raise PermissionDenied
    if certificate.is_revoked:
        raise SignatureError(
            _("This certificate was revoked on %(date)s and can no longer sign.")
            % {"date": date_format(timezone.localtime(certificate.revoked_at), "SHORT_DATE_FORMAT")}
        )
    _check_in_force({"not_before": certificate.not_before, "not_after": certificate.not_after})
    writer = signing.open_pdf(pdf_bytes)
    code = normalize_code(code) if code else new_verification_code()
    now = timezone.now()
    seal = certificate.seal_image
    first_signature = signing.existing_signature_count(writer) == 0
    request = signing.SigningRequest(
        level=level,
        field_name=f"Signature{signing.existing_signature_count(writer) + 1}",
        appearance_lines=_appearance(certificate, now) if visible else None,
        seal_png=bytes(seal) if seal else None,
        placement=placement or Placement(),
        qr_url=verification_url(code) if qr and first_signature else None,
        qr_caption=_qr_caption(code),
        reason=reason,
        location=location,
    )
    with signing.signer_for(certificate) as signer:
        data = signing.sign(writer, signer, request, chain=signing.chain_of(certificate))
    with transaction.atomic():
        document = SignedDocument.objects.create(
            code=code,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            certificate=certificate,
            agency=certificate.agency,
            province_code=settings.EGOV_PROVINCE_CODE,
            reference_type=reference[0][:100],
            reference_id=str(reference[1])[:64],
            title=title[:255],
            level=level,
            signed_at=now,
            signed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="signatures.document_signed",
            obj=document,
            agency_id=certificate.agency_id,
            after={
                "code": code,
                "sha256": document.sha256,
                "certificate": certificate.fingerprint,
                "reference_type": document.reference_type,
                "reference_id": document.reference_id,
                "level": level,
            },
        )
    return SignedResult(data, document)
