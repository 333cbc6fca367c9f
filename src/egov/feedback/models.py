"""Citizen reports (phản ánh, kiến nghị): a problem seen in the city (a broken street light,
flooding, rubbish, an obstructed pavement, a complaint about a procedure), with photos or a short
video and the place, followed until the responsible agency answers.

Categories are the Open311 services; a report is an Open311 service request. Reports carry the
province code like every dossier-side table (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.organizations.models import AdministrativeUnit, Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class Category(models.Model):
    """A kind of problem (an Open311 service), who answers it and in how many working days."""

    class Routing(models.TextChoices):
        AGENCY = "agency", _("The agency named below")
        COMMUNE = "commune", _("The People's Committee of the commune where it happened")

    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_-]*$",
                _("Lower-case letters without accents, digits, - and _ only."),
            )
        ],
        help_text=_("The Open311 service code, e.g. street-light. Never change it once used."),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    routing = models.CharField(
        _("who answers"), max_length=10, choices=Routing.choices, default=Routing.AGENCY
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "With the commune rule: the agency that answers when the place is in no commune "
            "with a People's Committee on the platform."
        ),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    is_active = models.BooleanField(_("offered to citizens"), default=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A question asked with a category (an attribute of the Open311 service definition)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice from a list")
        MULTI = "multivaluelist", _("Several choices from a list")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(
        _("code"),
        max_length=50,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]+$", _("Letters, digits, - and _ only."))],
    )
    description = models.CharField(_("question"), max_length=300)
    datatype = models.CharField(_("kind of answer"), max_length=20, choices=Datatype.choices)
    datatype_description = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Not "position": another catalogue translates that word as a civil servant's post.
    position = models.PositiveSmallIntegerField(_("order in the form"), default=0)
    # [{"key": "...", "name": "..."}] for the list kinds.
    values = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["category", "position", "id"]
        verbose_name = _("question of a category")
        verbose_name_plural = _("questions of a category")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="feedback_attribute_once")
        ]

    def __str__(self) -> str:
        return f"{self.category.code}/{self.code}"

    @property
    def choice_keys(self) -> list[str]:
        return [str(value.get("key")) for value in self.values or []]

    LIST_KINDS = (Datatype.SINGLE, Datatype.MULTI)

    def clean(self):
        """The choices are typed by hand (lines on the staff page, JSON in the Django admin): a
        list question without them, or a choice without a key, would save and leave citizens
        and Open311 clients a question they cannot answer."""
        super().clean()
        values = self.values
        if self.datatype not in self.LIST_KINDS:
            if values:
                raise ValidationError(
                    {"values": _("Only a question answered from a list has choices.")}
                )
            return
        if not isinstance(values, list) or not values:
            raise ValidationError({"values": _("List the choices to answer from.")})
        keys = []
        for value in values:
            key = value.get("key") if isinstance(value, dict) else None
            name = value.get("name", "") if isinstance(value, dict) else None
            if (
                not isinstance(key, str | int)
                or isinstance(key, bool)
                or not str(key).strip()
                or not isinstance(name, str)
            ):
                raise ValidationError({"values": _("Each choice needs a key; its name is text.")})
            keys.append(str(key).strip())
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Two choices have the same key.")})


class Rating(models.IntegerChoices):
    """How satisfied the reporter is with the answer."""

    UNSATISFIED = 1, _("Not satisfied")
    SATISFIED = 2, _("Satisfied")
    VERY_SATISFIED = 3, _("Very satisfied")


class Report(models.Model):
    """One citizen report (an Open311 service request)."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("report", "Received")
        IN_PROGRESS = "in_progress", pgettext_lazy("report", "Being handled")
        ANSWERED = "answered", pgettext_lazy("report", "Answered")
        CLOSED = "closed", pgettext_lazy("report", "Closed")
        MERGED = "merged", pgettext_lazy("report", "Merged with another report")

    OPEN = (Status.NEW, Status.IN_PROGRESS)

    class Source(models.TextChoices):
        PORTAL = "portal", _("Public service portal")
        OPEN311 = "open311", _("Open311 client application")

    class PlaceSource(models.TextChoices):
        DEVICE = "device", _("The phone's position")
        MAP = "map", _("A point picked on the map")
        PHOTO = "photo", _("The position saved in the photo")
        ADDRESS = "address", _("The address given")

    code = models.CharField(_("code"), max_length=20, unique=True)
    # The Open311 token a client may poll for the request's id.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    description = models.TextField(_("description"))
    # The text shown to the public instead of the description, once personal data was removed.
    public_description = models.TextField(_("description shown publicly"), blank=True)
    attributes = models.JSONField(_("answers to the category's questions"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The grid cell of the point (egov.feedback.geo): "near a place" reads a few cells' rows.
    cell = models.BigIntegerField(null=True, blank=True)
    address = models.CharField(_("address or landmark"), max_length=300, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune, ward or special zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_source = models.CharField(
        _("where the place came from"), max_length=10, choices=PlaceSource.choices
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_reports",
    )
    # Never shown publicly; reach the reporter who has no account.
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    source = models.CharField(
        _("received through"), max_length=10, choices=Source.choices, default=Source.PORTAL
    )
    client = models.ForeignKey(
        "feedback.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_id = models.CharField(max_length=100, blank=True)
    # A photo an Open311 client keeps on its own server: fetched in the background and kept,
    # like an upload, as a checked copy without metadata (egov.feedback.remote); the client's
    # address itself is never published.
    media_url = models.URLField(_("photo kept by the client application"), blank=True)

    class MediaUrlStatus(models.TextChoices):
        NONE = "", _("No address given")
        PENDING = "pending", _("Waiting to be fetched")
        FETCHED = "fetched", _("Fetched and checked")
        FAILED = "failed", _("Refused or unreachable")

    media_url_status = models.CharField(
        _("photo from the client application"),
        max_length=8,
        choices=MediaUrlStatus.choices,
        default=MediaUrlStatus.NONE,
        blank=True,
    )
    media_url_attempts = models.PositiveSmallIntegerField(default=0)
    media_url_next_at = models.DateTimeField(null=True, blank=True)
    media_url_error = models.CharField(max_length=300, blank=True)
    # The same form sent twice (a double tap, a retried request) makes one report.
    submission_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)
    reopened_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    rating_comment = models.CharField(_("comment"), max_length=1000, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        indexes = [
            # An agency's queue tabs: its open reports by deadline.
            models.Index(fields=["agency", "status", "due_at"], name="feedback_queue_idx"),
            # The operations dashboard's open reports of the city (and past their deadline):
            # the few open ones only, not every report of every agency (docs/index.md).
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(status__in=["new", "in_progress"]),
                name="feedback_open_idx",
            ),
            # The answered and closed tabs, newest first (sorting an agency's history by a date
            # of its own took 150 ms at a million reports).
            models.Index(
                fields=["agency", "-answered_at", "-id"],
                condition=Q(status="answered"),
                name="feedback_answered_queue_idx",
            ),
            models.Index(
                fields=["agency", "-closed_at", "-id"],
                condition=Q(status__in=["closed", "merged"]),
                name="feedback_closed_queue_idx",
            ),
            # "Near a place": the cells around it, read from the index alone on PostgreSQL
            # (a search in the city centre visited 6,000 rows on disk for 400 in the circle).
            models.Index(
                fields=["cell", "received_at"],
                include=["id", "latitude", "longitude", "status", "hidden_at"],
                name="feedback_cell_idx",
            ),
            models.Index(fields=["commune", "received_at"], name="feedback_commune_idx"),
            models.Index(fields=["received_at"], name="feedback_received_idx"),
            models.Index(fields=["answered_at"], name="feedback_answered_idx"),
            models.Index(fields=["reporter", "received_at"], name="feedback_reporter_idx"),
            # The photos still to fetch from client applications: a handful among millions.
            models.Index(
                fields=["media_url_next_at"],
                condition=Q(media_url_status="pending"),
                name="feedback_media_url_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="feedback_point_valid",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def shown_description(self) -> str:
        return self.public_description or self.description

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def media_path(instance, filename: str) -> str:
    return f"feedback/{instance.province_code}/{uuid.uuid4().hex}/{filename}"


class Media(models.Model):
    """A photo or video of a report or of its answer. The stored photo is a copy without EXIF
    (no position, no camera serial): the file the phone sent is never kept."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")

    class Role(models.TextChoices):
        REPORT = "report", _("Sent with the report")
        ANSWER = "answer", _("Sent with the answer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="media")
    province_code = models.CharField(max_length=3, default=_province)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    role = models.CharField(max_length=6, choices=Role.choices, default=Role.REPORT)
    file = models.FileField(upload_to=media_path, max_length=200)
    thumbnail = models.FileField(upload_to=media_path, max_length=200, blank=True)
    mime = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "role", "id"]
        verbose_name = _("photo or video")
        verbose_name_plural = _("photos and videos")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.public_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReportEvent(models.Model):
    """The report's history: what the public page shows (``public``) and what staff see."""

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("report event", "Received")
        STARTED = "started", pgettext_lazy("report event", "Being handled")
        ASSIGNED = "assigned", pgettext_lazy("report event", "Assigned to a staff member")
        TRANSFERRED = "transferred", pgettext_lazy("report event", "Transferred to another agency")
        ANSWERED = "answered", pgettext_lazy("report event", "Answered")
        CLOSED = "closed", pgettext_lazy("report event", "Closed")
        REOPENED = "reopened", pgettext_lazy("report event", "Reopened by the reporter")
        RATED = "rated", pgettext_lazy("report event", "Rated by the reporter")
        MERGED = "merged", pgettext_lazy("report event", "Merged as a duplicate")
        DUPLICATE = "duplicate", pgettext_lazy("report event", "A duplicate was merged into it")
        HIDDEN = "hidden", pgettext_lazy("report event", "Hidden from the public")
        SHOWN = "shown", pgettext_lazy("report event", "Shown to the public again")
        REDACTED = "redacted", pgettext_lazy("report event", "Personal data hidden")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    province_code = models.CharField(max_length=3, default=_province)
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Report.Status.choices)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ApiClient(models.Model):
    """An application allowed to post reports through Open311, with its API key. Only the
    key's SHA-256 is kept; the key is shown once, when it is issued."""

    name = models.CharField(_("application"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Open311 client application")
        verbose_name_plural = _("Open311 client applications")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CommuneBoundary(models.Model):
    """The area of a commune, ward or special zone (GeoJSON Polygon or MultiPolygon, WGS 84),
    loaded by ``load_commune_boundaries``; its bounding box narrows the search for the commune
    that holds a point before the exact test."""

    unit = models.OneToOneField(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="feedback_boundary"
    )
    geometry = models.JSONField()
    min_latitude = models.FloatField()
    max_latitude = models.FloatField()
    min_longitude = models.FloatField()
    max_longitude = models.FloatField()
    source = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commune boundary")
        verbose_name_plural = _("commune boundaries")
        indexes = [models.Index(fields=["min_latitude", "max_latitude"], name="feedback_bbox_idx")]

    def __str__(self) -> str:
        return str(self.unit)
