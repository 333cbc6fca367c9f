"""Digitised papers (kết quả số hoá, bản sao điện tử) and the citizen's store of them.

A :class:`Paper` is one paper a citizen gave to, or received from, the state, kept as one PDF
with what the desk confirmed about it (type, number, issuer, dates). Its ``kind`` is the
catalogue's paper type (:func:`egov.digitization.kinds.of_requirement`), which is how a later
procedure that asks for the same paper finds it. A :class:`Reuse` records that a paper from the
store was attached to a dossier instead of a new upload (Nghị định 45/2020/NĐ-CP: a paper already
given is not asked for again).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import DocumentRequirement
from egov.dossiers.models import Attachment, Dossier
from egov.organizations.models import Agency


def _province() -> str:
    return str(settings.EGOV_PROVINCE_CODE)


def paper_path(instance: "Paper", filename: str) -> str:
    return f"digitization/{instance.public_id}/{uuid.uuid4().hex}.{instance.extension}"


class Paper(models.Model):
    class Source(models.TextChoices):
        DESK = "desk", _("Digitised at the desk")
        ONLINE = "online", _("Submitted online")
        CITIZEN = "citizen", _("Added by the citizen")
        RESULT = "result", _("Result issued")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the offer and store indexes lead with it
    )
    kind = models.CharField(_("paper type"), max_length=60)
    kind_name = models.CharField(_("paper"), max_length=500)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(upload_to=paper_path, max_length=200)
    extension = models.CharField(max_length=10, default="pdf")
    mime = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requirement = models.ForeignKey(
        DocumentRequirement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("digitised or issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed = models.BooleanField(_("signed by the agency"), default=False)
    # The signature's verification code (egov.signatures), printed as a QR on the copy.
    signature_code = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digitised paper")
        verbose_name_plural = _("digitised papers")
        indexes = [
            # The offer at submission: a citizen's valid papers of one type.
            models.Index(fields=["owner", "kind", "expires_on"], name="paper_offer"),
            # The store: a citizen's papers newest first.
            models.Index(fields=["owner", "-created_at", "-id"], name="paper_store"),
            # The reports: what a dossier or an agency digitised.
            models.Index(fields=["dossier", "source"], name="paper_dossier"),
            models.Index(fields=["agency", "source", "created_at"], name="paper_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_name} {self.number}".strip()


class Reuse(models.Model):
    """A paper of the store attached to a dossier without a new upload."""

    province_code = models.CharField(max_length=3, default=_province)
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="reuses")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    # Removing the attachment from a draft takes the reuse with it: it was not reused after all.
    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reused_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reused paper")
        verbose_name_plural = _("reused papers")
        indexes = [models.Index(fields=["agency", "reused_at"], name="reuse_agency")]

    def __str__(self) -> str:
        return f"{self.paper_id} → {self.dossier_id}"
