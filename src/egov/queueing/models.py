"""Queue tickets (số thứ tự) at a one-stop desk: a citizen takes a number at the kiosk, an
officer calls it to a counter, the display shows where to go.

Tickets carry the province code like every dossier-side table (docs/architecture.md).
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.catalog.models import Field
from egov.organizations.models import OneStopDesk


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class DeskField(models.Model):
    """A field of procedures (lĩnh vực) offered on a desk's kiosk, with the letter that starts
    its ticket labels. A desk without any offers one general queue."""

    desk = models.ForeignKey(OneStopDesk, on_delete=models.CASCADE, related_name="queue_fields")
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="+"
    )
    letter = models.CharField(
        _("letter"),
        max_length=1,
        validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))],
        help_text=_("Printed before the number, e.g. A for A012."),
    )
    position = models.PositiveSmallIntegerField(_("position on the kiosk"), default=0)

    class Meta:
        ordering = ["desk", "position", "letter"]
        verbose_name = _("field offered at the kiosk")
        verbose_name_plural = _("fields offered at the kiosk")
        constraints = [
            models.UniqueConstraint(fields=["desk", "field"], name="queue_field_once_per_desk"),
            models.UniqueConstraint(fields=["desk", "letter"], name="queue_letter_once_per_desk"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.field}"


class TicketSequence(models.Model):
    """The last number a desk gave on a day: numbers restart daily, without gaps."""

    province_code = models.CharField(max_length=3, default=_province)
    desk = models.ForeignKey(OneStopDesk, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "day"], name="ticket_sequence_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.desk_id} {self.day} {self.last}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("queue", "Waiting")
        CALLED = "called", _("Called to a counter")
        SERVED = "served", _("Served")
        NO_SHOW = "no_show", _("Did not come")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province_code = models.CharField(max_length=3, default=_province, db_index=True)
    desk = models.ForeignKey(
        OneStopDesk, verbose_name=_("one-stop desk"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        Field,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("ticket"), max_length=12)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("first called at"), null=True, blank=True)
    # A recall moves the ticket back to the top of the display without losing the first call.
    last_called_at = models.DateTimeField(_("last called at"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("times called"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counter = models.CharField(_("counter"), max_length=20, blank=True)

    class Meta:
        ordering = ["day", "number"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(fields=["desk", "day", "number"], name="ticket_number_once")
        ]
        indexes = [
            models.Index(fields=["desk", "day", "status", "number"]),
            models.Index(fields=["day"]),
        ]

    def __str__(self) -> str:
        return self.label


class OfficerCounter(models.Model):
    """Where an officer sits at a desk (quầy) and which fields they serve; set on their page."""

    desk = models.ForeignKey(OneStopDesk, on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_counters"
    )
    label = models.CharField(_("counter"), max_length=20)
    fields = models.ManyToManyField(
        Field,
        verbose_name=_("fields served"),
        blank=True,
        related_name="+",
        help_text=_("None ticked: every field."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("officer's counter")
        verbose_name_plural = _("officers' counters")
        constraints = [
            models.UniqueConstraint(fields=["desk", "officer"], name="counter_once_per_officer")
        ]

    def __str__(self) -> str:
        return self.label
