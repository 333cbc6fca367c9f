"""The one-stop case (hồ sơ): from the citizen's draft to the returned result.

Every dossier-side table carries the province code so that a multi-province installation can
distribute them on it (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.accounts.models import Role
from egov.catalog.models import DocumentRequirement, Procedure, ProcedureVersion, WorkflowStep
from egov.core.fields import IdSetField
from egov.organizations.models import Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    DESK = "desk", _("At the desk")
    POST = "post", _("By post")


# Dossiers somewhere in processing: what the work queues and the overdue tab look at
# (processing.OPEN_STATUSES and a paused clock). Spelled out, not derived, because a migration
# holds the partial indexes' condition; a test keeps it equal to processing's.
WORKING_STATUSES = ["in_progress", "paused", "received", "result_ready"]
# The agencies whose officials may open a dossier, besides those it has been at.
VISIBLE_FROM = ("receiving_agency", "deciding_agency", "current_agency")


class Dossier(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting to be received")
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("Being processed")
        SUPPLEMENT_REQUESTED = "supplement", _("Supplement requested")
        PAUSED = "paused", _("Paused")
        RESULT_READY = "result_ready", _("Result ready")
        RETURNED = "returned", _("Result returned")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province, db_index=True)
    code = models.CharField(_("dossier code"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    deciding_agency = models.ForeignKey(
        Agency,
        verbose_name=_("competent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_dossiers",
        help_text=_("Where the dossier is decided; a service centre receives for many agencies."),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The applicant's name as written on the dossier (form 06 lists it), and its accent-free
    # form for the desk's search.
    applicant_name = models.CharField(_("applicant's name"), max_length=200, blank=True)
    applicant_search = models.CharField(max_length=200, blank=True, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    form_data = models.JSONField(_("form answers"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("how to receive the result"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.ONLINE,
    )
    delivery_address = models.CharField(
        _("postal address for the result"), max_length=500, blank=True
    )
    # The desk where the applicant collects the result when it is not the receiving one: any
    # service centre of the province (Nghị định 118/2025/NĐ-CP). Empty: the receiving desk.
    return_agency = models.ForeignKey(
        Agency,
        verbose_name=_("desk that returns the result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    # A digest of the request that used the key: the same key with another body is refused.
    # Nullable so that adding it is an ALTER TABLE on SQLite too (a rebuilt table would lose the
    # triggers of migration 0010).
    idempotency_fingerprint = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment (ngày hẹn trả)"), null=True, blank=True)
    # Where the dossier is in its workflow: copied from the open DossierStep so that every work
    # queue is one indexed query on this table.
    current_step = models.ForeignKey(
        WorkflowStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    step_due_at = models.DateTimeField(_("step due"), null=True, blank=True)
    # The agencies whose officials may open the dossier: the receiving and the deciding one and
    # every agency it has been at (consulted, or transferred there). It only grows, so an agency
    # keeps finding what it worked on. One column, so that "one of my agencies and this name"
    # is one GIN index scan on PostgreSQL. Every save and bulk_create adds the agency columns
    # to it, and a constraint on PostgreSQL refuses a row whose agencies are missing from it.
    visible_agencies = IdSetField(grows_with=VISIBLE_FROM)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    # When the agency was warned that the appointment is near (once per dossier).
    late_warning_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("result issued at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: a change made from a stale page is refused, not silently lost.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_once",
            )
        ]
        indexes = [
            models.Index(fields=["receiving_agency", "status", "due_at"]),
            models.Index(fields=["assignee", "due_at"]),
            models.Index(fields=["applicant", "-created_at"]),
            # Search results come newest first: with this order at hand, a name shared by many
            # applicants finds its first page without sorting every match.
            models.Index(fields=["submitted_at", "id"], name="dossier_submitted_order"),
            # The work queues read open dossiers only: a few hundred thousand of a city's
            # millions. Partial and covering, these count a tab from the index alone instead of
            # reading a heap page per open dossier (at 20 million: 200 ms → 3 ms, cold). They
            # replace a full (current_agency, current_role, due_at) index: 410 MB at 20 million,
            # nearly all of it closed dossiers at no step, and no query read it any more.
            # With the id included, a tab's page of ids comes from the index alone too (the
            # "process" tab of the busiest agency at 20 million: 8.4 → 3.1 ms).
            models.Index(
                fields=["current_agency", "current_role", "due_at"],
                include=["assignee", "current_step", "status", "id"],
                condition=Q(status__in=WORKING_STATUSES),
                name="dossier_open_current",
            ),
            models.Index(
                fields=["receiving_agency", "due_at"],
                include=["status"],
                condition=Q(status__in=WORKING_STATUSES),
                name="dossier_open_receiving",
            ),
            # What the city-wide lists (receive and overdue tabs of a system administrator) and
            # the late-dossier warnings read by status: the dossiers still waiting or open. It
            # replaces a full status index that the planner AND-ed into the agency's overdue
            # tab for nothing (at 20 million: a 261,000-row bitmap, the tab's count 32 → 3 ms
            # without it); no query reads the closed statuses through an index.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["submitted", *WORKING_STATUSES]),
                name="dossier_live_due",
            ),
            # "Returned today" on the operations dashboard (egov.indicators.dashboard): the
            # day's returns and their two agencies from the index alone, instead of a scan of
            # every dossier for a column nothing else reads by.
            models.Index(
                fields=["returned_at"],
                include=["deciding_agency", "receiving_agency"],
                condition=Q(returned_at__isnull=False),
                name="dossier_returned_at",
            ),
        ]

    def __str__(self) -> str:
        return self.code or str(self.public_id)

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and {*fields} & {*VISIBLE_FROM, *(f"{f}_id" for f in VISIBLE_FROM)}:
            kwargs["update_fields"] = {*fields, "visible_agencies"}
        super().save(*args, **kwargs)

    @property
    def received_across_boundary(self) -> bool:
        """Received by a service centre that is not the competent agency's own desk, the
        procedure being on the province's boundary-free list (Nghị định 118/2025/NĐ-CP)."""
        desk, deciding, version = (
            self.receiving_agency,
            self.deciding_agency,
            self.procedure_version,
        )
        if deciding is None or not desk.is_service_centre or not version.boundary_free:
            return False
        if desk.kind == Agency.Kind.SERVICE_CENTRE:  # the province's: home of provincial ones
            return version.level == "commune" and version.deciding_agency_id is None
        return deciding.pk != desk.served_agency.pk

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DossierAgency(models.Model):
    """One row per agency of a submitted dossier's ``visible_agencies``, with its submission
    time and status: an agency's dossiers newest first, or in one status newest first, from one
    index, which the array's GIN index cannot give (at 20 million dossiers PostgreSQL walked the
    city's submission order backwards through 300,000 dossiers not yet at the busiest agency:
    1.3–7.5 s). Written by database triggers on the dossier table (migration dossiers/0010),
    like an index: never by the services. Drafts have none."""

    pk = models.CompositePrimaryKey("agency_id", "dossier_id")
    # The primary key's own index leads with the agency: no second one.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="agency_rows")
    submitted_at = models.DateTimeField()
    status = models.CharField(max_length=15)

    class Meta:
        indexes = [
            models.Index(
                fields=["agency", "-submitted_at", "-dossier"], name="dossier_agency_newest"
            ),
            models.Index(
                fields=["agency", "status", "-submitted_at", "-dossier"],
                name="dossier_agency_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.dossier_id}"


class DailySequence(models.Model):
    """The last number given by an agency on a day: codes restart daily, without gaps."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="sequence_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last}"


def attachment_path(instance, filename: str) -> str:
    return f"dossiers/{instance.dossier.public_id}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submitted document")
        SUPPLEMENT = "supplement", _("Supplement")
        RECEIPT = "receipt", _("Receipt (form 01)")
        FORM = "form", _("Form issued to the applicant")
        RESULT = "result", _("Result")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    province_code = models.CharField(max_length=3, default=_province)
    requirement = models.ForeignKey(
        DocumentRequirement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUBMISSION)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement__position", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class DossierEvent(models.Model):
    """The history the citizen and the public tracking page see (no personal data)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    province_code = models.CharField(max_length=3, default=_province)
    at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=15, choices=Dossier.Status.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier} {self.status}"


class DossierStep(models.Model):
    """One hand-over in the processing control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ,
    form 05): who had the dossier, from when, until when, and by when they had to finish."""

    class Outcome(models.TextChoices):
        NEXT = "next", _("Handed on")
        SEND_BACK = "send_back", _("Sent back")
        SUPPLEMENT = "supplement", _("Supplement requested")
        REFUSE = "refuse", _("Refused")
        RETURNED = "returned", _("Result returned")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    province_code = models.CharField(max_length=3, default=_province)
    step = models.ForeignKey(WorkflowStep, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")

    def __str__(self) -> str:
        return f"{self.dossier} {self.step}"

    @property
    def late(self) -> bool:
        return self.finished_at is not None and self.finished_at > self.due_at


class ApologyLetter(models.Model):
    """Văn bản xin lỗi (form 04): at most one per dossier, issued before the appointment."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    province_code = models.CharField(max_length=3, default=_province)
    reason = models.CharField(_("reason for the delay"), max_length=1000)
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("new appointment"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")

    def __str__(self) -> str:
        return f"{self.dossier} {self.new_due_at:%Y-%m-%d}"


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung: everything missing, listed at once (form 02)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    province_code = models.CharField(max_length=3, default=_province)
    items = models.JSONField(_("what is missing"))
    note = models.CharField(_("explanation"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Asked by the processing department rather than at the desk: answering it restarts the
    # time limit (Nghị định 118/2025/NĐ-CP) and the dossier goes back to that step.
    during_step = models.ForeignKey(
        WorkflowStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")

    def __str__(self) -> str:
        return f"{self.dossier} {self.requested_at:%Y-%m-%d}"


# The nine indicators, in the order of the law (see Rating).
RATING_SCORES = (
    "total_time",
    "agency_time",
    "desk_contacts",
    "agencies_contacted",
    "one_stop",
    "publicity",
    "staff_attitude",
    "feedback",
    "online_service",
)


def _score(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 2}), name=f"rating_{name}_0_to_2"
    )


class Rating(models.Model):
    """Đánh giá việc giải quyết thủ tục hành chính: the applicant's scores (0, 1 or 2) on the nine
    indicators of Nghị định 61/2018/NĐ-CP art. 31 and Thông tư 01/2018/TT-VPCP art. 13 (the
    wording and options are in ``dossiers.ratings``). The agencies and the staff member are copied
    from the dossier so that the statistics average the scores without joining dossiers."""

    SCORES = RATING_SCORES

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    province_code = models.CharField(max_length=3, default=_province)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # The dossier's, else its procedure's, else the receiving agency (which then decides itself).
    deciding_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_time = models.PositiveSmallIntegerField(_("total time taken"))
    agency_time = models.PositiveSmallIntegerField(_("time taken by each agency"))
    desk_contacts = models.PositiveSmallIntegerField(_("contacts with the desk"))
    agencies_contacted = models.PositiveSmallIntegerField(_("agencies contacted"))
    one_stop = models.PositiveSmallIntegerField(_("handled through the one-stop desk"))
    publicity = models.PositiveSmallIntegerField(_("published procedure"))
    staff_attitude = models.PositiveSmallIntegerField(_("staff attitude"))
    feedback = models.PositiveSmallIntegerField(_("answers to feedback"))
    online_service = models.PositiveSmallIntegerField(_("online service"))
    total = models.GeneratedField(
        expression=sum((models.F(name) for name in RATING_SCORES[1:]), models.F("total_time")),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [_score(name) for name in RATING_SCORES]
        indexes = [
            models.Index(fields=["deciding_agency", "created_at"]),
            models.Index(fields=["receiving_agency", "created_at"]),
            models.Index(fields=["staff", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {sum(getattr(self, name) for name in RATING_SCORES)}/18"


class RegistryExtract(models.Model):
    """What a shared registry answered for one paper of a dossier, when, and the message log
    record that proves the look-up: the desk sees it in place of an uploaded copy."""

    class Outcome(models.TextChoices):
        TAKEN = "taken", _("Taken from the registry")
        NOT_FOUND = "not_found", _("Not found in the registry")
        UNAVAILABLE = "unavailable", _("Registry unavailable: to be uploaded")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="registry_extracts")
    requirement = models.ForeignKey(DocumentRequirement, on_delete=models.PROTECT, related_name="+")
    registry = models.CharField(_("registry"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    data = models.JSONField(_("data returned"), default=dict, blank=True)
    consent_ref = models.CharField(_("consent reference"), max_length=64)
    message_id = models.CharField(_("message log record"), max_length=64, blank=True)
    asked_at = models.DateTimeField(_("asked at"))

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("registry extract")
        verbose_name_plural = _("registry extracts")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.registry} {self.outcome}"


def consultation_path(instance, filename: str) -> str:
    return f"dossiers/{instance.dossier.public_id}/y-kien/{uuid.uuid4().hex}.{instance.extension}"


class Consultation(models.Model):
    """One agency's opinion asked at a consultation step (phiếu xin ý kiến): sent to every
    agency of the step at once, each with its own sub-deadline on the working-day calendar;
    the step waits until all have answered. An answer after its sub-deadline is kept, marked
    late; the dossier's appointment does not move for it."""

    class Opinion(models.TextChoices):
        AGREE = "agree", _("Agrees")
        DISAGREE = "disagree", _("Disagrees")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    province_code = models.CharField(max_length=3, default=_province)
    # The passage through the consultation step that asked (a step sent back and reached
    # again asks anew).
    dossier_step = models.ForeignKey(
        DossierStep, on_delete=models.CASCADE, related_name="consultations"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("consulted agency"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked at"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(_("opinion"), max_length=10, choices=Opinion.choices, blank=True)
    text = models.TextField(_("the opinion in words"), max_length=4000, blank=True)
    file = models.FileField(upload_to=consultation_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    extension = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_step", "agency"], name="consultation_once_per_agency"
            )
        ]
        indexes = [
            # An agency's open requests, soonest due first: its consultation list.
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(answered_at__isnull=True),
                name="consultation_open",
            ),
            models.Index(fields=["agency", "-requested_at"], name="consultation_agency_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.agency_id}"

    @property
    def late(self) -> bool:
        return self.answered_at is not None and self.answered_at > self.due_at
