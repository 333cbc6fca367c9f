"""Official documents (văn bản) under Nghị định 30/2020/NĐ-CP: the registers that number them,
the documents sent and received, their files, recipients, direction and the exchange log.

Every table carries the province code like the other dossier-side tables (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.documents.kinds import Business, DocumentType, Status, Urgency
from egov.organizations.models import Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class AgencyProfile(models.Model):
    """What the clerk (văn thư) of an agency writes on its documents: the abbreviation used in
    notations (ký hiệu: "UBND", "STP"; for a division drafting letters, "VP"), the place name
    of the date line (địa danh) and the governing body printed above the agency's name."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="document_profile")
    abbreviation = models.CharField(
        _("abbreviation in notations"),
        max_length=20,
        help_text=_("As written after the type in a notation, e.g. UBND in 15/QĐ-UBND."),
    )
    place_name = models.CharField(
        _("place name of the date line"), max_length=100, blank=True, help_text=_("e.g. Cần Thơ")
    )
    governing_body = models.CharField(
        _("governing body"),
        max_length=255,
        blank=True,
        help_text=_("Printed above the agency's name, e.g. ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ."),
    )

    class Meta:
        verbose_name = _("agency document profile")
        verbose_name_plural = _("agency document profiles")

    def __str__(self) -> str:
        return f"{self.abbreviation} · {self.agency}"


class DocumentRegister(models.Model):
    """A register (sổ đăng ký văn bản) of outgoing or incoming documents of one agency. Its
    numbers restart at 01 every calendar year (RegisterSequence); Nghị định 30/2020 asks for a
    separate register, with its own numbers, for legal normative documents, for specialised
    documents, and for councils or boards that issue in their own name."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Outgoing (văn bản đi)")
        INCOMING = "in", _("Incoming (văn bản đến)")

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "admin", _("Administrative documents")
        LEGAL_NORMATIVE = "legal", _("Legal normative documents")
        SPECIALISED = "special", _("Specialised documents")
        OWN_BODY = "body", _("A council or board with its own numbering")

    province_code = models.CharField(max_length=3, default=_province)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(
        pgettext_lazy("documents", "direction"), max_length=3, choices=Direction.choices
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.ADMINISTRATIVE
    )
    name = models.CharField(_("name"), max_length=200)
    document_types = models.JSONField(
        _("document types"),
        default=list,
        blank=True,
        help_text=_("Types numbered in this register; empty: every type not claimed elsewhere."),
    )
    issuer_abbreviation = models.CharField(
        _("issuer's abbreviation"),
        max_length=30,
        blank=True,
        help_text=_("For a council or board that issues in its own name, e.g. HĐTĐ."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__code", "direction", "name"]
        verbose_name = _("document register")
        verbose_name_plural = _("document registers")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "direction", "name"], name="document_register_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RegisterSequence(models.Model):
    """The last number a register gave in a calendar year: without gaps, under a row lock."""

    register = models.ForeignKey(DocumentRegister, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="register_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.register_id}/{self.year}: {self.last}"


class OfficialDocument(models.Model):
    """An outgoing document (văn bản đi) from draft to issue, or an incoming one (văn bản đến)
    from arrival to handled. ``agency`` is the agency whose register holds it: the issuer of an
    outgoing document, the receiver of an incoming one; staff scoping narrows on it."""

    class Direction(models.TextChoices):
        OUTGOING = "out", _("Outgoing")
        INCOMING = "in", _("Incoming")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("documents", "Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved and signed, waiting to be issued")
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")
        ARRIVED = "arrived", _("Arrived, waiting to be registered")
        REGISTERED = "registered", _("Registered, waiting for direction")
        REFUSED = "refused", pgettext_lazy("documents", "Refused")
        IN_PROGRESS = "in_progress", _("Being handled")
        DONE = "done", _("Handled")

    class Channel(models.TextChoices):
        PLATFORM = "platform", _("From an agency of the platform")
        EXCHANGE = "exchange", _("Through the document exchange (edXML)")
        PAPER = "paper", _("On paper, scanned")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(
        pgettext_lazy("documents", "direction"), max_length=3, choices=Direction.choices
    )
    state = models.CharField(_("status"), max_length=12, choices=State.choices)
    document_type = models.CharField(
        _("type"), max_length=4, choices=DocumentType.choices, default=DocumentType.LETTER
    )
    legal_normative = models.BooleanField(_("legal normative document"), default=False)
    subject = models.CharField(_("subject (trích yếu)"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=1, choices=Urgency.choices, default=Urgency.NORMAL
    )
    reply_due = models.DateField(_("reply due by"), null=True, blank=True)

    # Numbering: the register, number and year of the outgoing register at issue, or of the
    # incoming register at registration (số đến).
    register = models.ForeignKey(
        DocumentRegister, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # Outgoing: the notation this agency wrote ("15/QĐ-UBND"); incoming: the sender's.
    reference = models.CharField(_("number and notation"), max_length=100, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=100, blank=True)

    # Outgoing workflow.
    drafting_unit = models.ForeignKey(
        Agency,
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader who approves"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_competence = models.CharField(
        _("signing on behalf of"),
        max_length=200,
        blank=True,
        help_text=_("e.g. TM. ỦY BAN NHÂN DÂN, KT. GIÁM ĐỐC; empty when the head signs."),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(max_length=500, blank=True)

    # Incoming.
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices, blank=True)
    sender_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_code = models.CharField(_("sender's code"), max_length=20, blank=True)
    sender_name = models.CharField(_("sender"), max_length=255, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("sent as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    # The edXML DocumentId ("000.00.00.H13,2026/01/15,15/QĐ-UBND"): the same on both sides.
    exchange_id = models.CharField(max_length=200, blank=True, db_index=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.CharField(max_length=500, blank=True)
    lead_unit = models.ForeignKey(
        Agency,
        verbose_name=_("department in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_due = models.DateTimeField(_("to be handled by"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    # Accent-free, lower-case, space-padded: number, notation, subject, sender (search.py).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="document_number_once_per_register_year",
            ),
            # An incoming package registered twice would be two copies of one document.
            models.UniqueConstraint(
                fields=["agency", "exchange_id"],
                condition=Q(direction="in") & ~Q(exchange_id=""),
                name="incoming_exchange_id_once",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "direction", "state"], name="document_agency_state"),
            models.Index(fields=["agency", "direction", "-id"], name="document_agency_newest"),
            models.Index(fields=["handling_due"], name="document_handling_due"),
        ]

    def __str__(self) -> str:
        return self.reference or self.subject[:80]

    @property
    def is_outgoing(self) -> bool:
        return self.direction == self.Direction.OUTGOING

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}" if self.number is not None else ""


class DocumentFile(models.Model):
    """A file of a document: the draft (Word, PDF or composed from the text), the signed PDF
    that was issued, an appendix, a paper scan, or a reply's file."""

    class Role(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("documents", "Draft")
        SIGNED = "signed", _("Signed document")
        APPENDIX = "appendix", _("Attachment")
        SCAN = "scan", _("Scan of the paper document")
        RECEIVED = "received", _("Document as received")

    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("file name"), max_length=255)
    content = models.FileField(upload_to="documents/%Y/%m/")
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    verification_code = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """Nơi nhận: where an outgoing document goes, and the last status the other side sent."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("An agency of the platform")
        EXTERNAL = "external", _("An agency outside the platform (document exchange)")
        EMAIL = "email", _("A person, by e-mail")

    document = models.ForeignKey(
        OfficialDocument, on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organ_code = models.CharField(_("agency code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=2, choices=Status.choices, blank=True)
    status_note = models.CharField(max_length=500, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    copy = models.ForeignKey(
        OfficialDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    """A reviewer's or handler's words on a document: kept, never edited (ý kiến)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review comment")
        DIRECTION = "direction", _("Direction (ý kiến chỉ đạo)")
        PROGRESS = "progress", _("Progress")
        NOTE = "note", _("Note")

    document = models.ForeignKey(
        OfficialDocument, on_delete=models.CASCADE, related_name="comments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Assignment(models.Model):
    """A person who handles an incoming document (người xử lý): the lead or a co-handler."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Handles it (chủ trì)")
        SUPPORT = "support", _("Works with (phối hợp)")
        INFORMED = "informed", _("For information")

    document = models.ForeignKey(
        OfficialDocument, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ExchangeMessage(models.Model):
    """One edXML package or status message sent through the document exchange, or received
    from it: the outbox the sender's worker empties (nothing lost while the other side is down)
    and the log of what arrived (nothing registered twice)."""

    class Direction(models.TextChoices):
        OUT = "out", _("Sent")
        IN = "in", pgettext_lazy("documents", "Received")

    class Kind(models.TextChoices):
        EDOC = "edoc", _("Document package")
        STATUS = "status", _("Status message")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        ACCEPTED = "accepted", _("Received and processed")
        REJECTED = "rejected", pgettext_lazy("documents", "Refused")

    province_code = models.CharField(max_length=3, default=_province)
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    business = models.CharField(max_length=1, choices=Business.choices, default=Business.NEW)
    status_code = models.CharField(max_length=2, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        OfficialDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    from_code = models.CharField(max_length=20)
    to_code = models.CharField(max_length=20)
    exchange_id = models.CharField(max_length=200, blank=True)
    # The id the exchange gave the message when it was sent (ours) or listed (theirs).
    axis_id = models.CharField(max_length=100, blank=True, db_index=True)
    payload = models.BinaryField()
    state = models.CharField(max_length=8, choices=State.choices)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("exchange message")
        verbose_name_plural = _("exchange messages")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="exchange_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["axis_id"],
                condition=Q(direction="in") & ~Q(axis_id=""),
                name="exchange_received_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.from_code}→{self.to_code}"


class DocumentWord(models.Model):
    """One word of a document's search text, under the agency whose register holds it.

    The register search reads these, not the documents: its primary key, a B-tree on (agency,
    word, document), hands a query the documents of an agency whose words start with what was
    typed, and the search leads with the query's rarest word, so it reads only that word's
    entries (a trigram index read every document sharing the query's trigrams: 70,000 for a
    common phrase at a million). Written by ``search.index`` in the transaction of each change.
    """

    pk = models.CompositePrimaryKey("agency", "word", "document")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, db_index=False, related_name="+")
    word = models.CharField(max_length=64)
    document = models.ForeignKey(OfficialDocument, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("document search word")
        verbose_name_plural = _("document search words")

    def __str__(self) -> str:
        return self.word


class DocumentWordForm(models.Model):
    """Every word the registers hold, once (the words of ``DocumentWord``, without their
    agencies and documents), so that a typed beginning ("giam") becomes the whole words it
    begins. The city-wide search asks PostgreSQL's full-text index for those words: a beginning
    (``giam:*``) made the index read every matching list into a bitmap first (150 ms for three
    common ones at a million documents), the whole words 20-30 ms. Written by ``search.index``;
    a word is never taken out (one no document holds any more matches nothing)."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        verbose_name = _("document search word form")
        verbose_name_plural = _("document search word forms")

    def __str__(self) -> str:
        return self.word
