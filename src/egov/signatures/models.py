from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.organizations.models import Agency


class SigningCertificate(models.Model):
    """An X.509 certificate that the platform signs with, and where its private key lives.

    An agency certificate (chứng thư số của cơ quan, tổ chức) signs results, receipts and forms in
    the agency's name; a personal certificate (của cá nhân) signs as one official. Either way the
    certificate belongs to an agency, which is what staff scoping narrows on.
    """

    class Holder(models.TextChoices):
        AGENCY = "agency", _("Agency (organisation certificate)")
        PERSON = "person", _("Official (personal certificate)")

    class KeyStorage(models.TextChoices):
        PKCS12 = "pkcs12", _("Key file (PKCS#12), stored encrypted")
        PKCS11 = "pkcs11", _("Hardware token (PKCS#11)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        REVOKED = "revoked", _("Revoked")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    holder = models.CharField(_("holder"), max_length=10, choices=Holder.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    label = models.CharField(_("label"), max_length=200)
    common_name = models.CharField(_("common name"), max_length=255)
    organization = models.CharField(_("organisation"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=1000)
    issuer = models.CharField(_("issuer"), max_length=1000)
    serial_number = models.CharField(_("serial number"), max_length=64)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    key_algorithm = models.CharField(_("key"), max_length=30)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    certificate_der = models.BinaryField()
    chain_pem = models.TextField(blank=True, help_text=_("Issuing CA certificates, PEM."))
    key_storage = models.CharField(_("key storage"), max_length=10, choices=KeyStorage.choices)
    # PKCS#8 private key sealed with AES-256-GCM (keystore.py); never stored in the clear.
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    token_label = models.CharField(_("token label"), max_length=100, blank=True)
    key_label = models.CharField(_("key label on the token"), max_length=100, blank=True)
    encrypted_pin = models.BinaryField(null=True, blank=True, editable=False)
    seal_image = models.BinaryField(_("seal image (PNG)"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["agency__code", "label"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        constraints = [
            models.CheckConstraint(
                condition=(Q(holder="person") & Q(user__isnull=False))
                | (Q(holder="agency") & Q(user__isnull=True)),
                name="signing_certificate_holder",
            ),
            models.CheckConstraint(
                condition=(Q(key_storage="pkcs12") & Q(encrypted_key__isnull=False))
                | (Q(key_storage="pkcs11") & ~Q(key_label="")),
                name="signing_certificate_key",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    def is_valid_at(self, moment) -> bool:
        return self.not_before <= moment <= self.not_after

    @property
    def is_expired(self) -> bool:
        return timezone.now() > self.not_after

    @property
    def usable(self) -> bool:
        return not self.is_revoked and self.is_valid_at(timezone.now())


class SignedDocument(models.Model):
    """A PDF the platform signed: its fingerprint, what it is the result of, and the code printed
    as a QR on it. The verification page looks files up here by their SHA-256."""

    class Level(models.TextChoices):
        B_B = "B-B", "PAdES B-B"
        B_T = "B-T", "PAdES B-T"
        B_LT = "B-LT", "PAdES B-LT"

    code = models.CharField(_("verification code"), max_length=20, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    certificate = models.ForeignKey(
        SigningCertificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(max_length=10, default="", db_index=True)
    reference_type = models.CharField(_("document of"), max_length=100)
    reference_id = models.CharField(_("reference"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    level = models.CharField(_("signature level"), max_length=5, choices=Level.choices)
    signed_at = models.DateTimeField(_("signed at"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        indexes = [models.Index(fields=["reference_type", "reference_id"])]

    def __str__(self) -> str:
        return self.title or f"{self.reference_type} {self.reference_id}".strip()

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


# What a registered document is, by its reference type; apps that sign add theirs here.
REFERENCE_LABELS = {
    "dossiers.result": _("Result of an administrative procedure"),
    "dossiers.receipt": _("Receipt and appointment slip (form 01)"),
    "dossiers.supplement_request": _("Request for additional papers (form 02)"),
    "dossiers.refusal": _("Refusal to accept a dossier (form 03)"),
    "dossiers.apology": _("Apology letter with a new return date (form 04)"),
    "dossiers.control_sheet": _("Processing control sheet (form 05)"),
    "signatures.upload": _("Document signed on the platform"),
}


def reference_label(reference_type: str) -> str:
    return str(REFERENCE_LABELS.get(reference_type, reference_type))
