"""Aggregates behind the statistics (thống kê) and the public disclosure of results.

A report never reads the dossier table: it sums tallies, one row per day (and per month) and per
combination of the dimensions a report filters or groups on. Each dossier's contribution to
the tallies is a function of its :class:`DossierFact`, kept beside it, so that a change of the
dossier moves the tallies by the difference between its old and its new fact, in the same
transaction (``egov.reports.tallies``). ``check_reports`` recounts everything from the
dossiers and compares.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.dossiers.models import Dossier


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class Resolution(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DossierFact(models.Model):
    """What the statistics know about one received (or refused, or withdrawn) dossier: its
    dimensions and the local days on which it counts for each figure."""

    dossier = models.OneToOneField(
        Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    province_code = models.CharField(max_length=3, default=_province)
    # Dimensions: the agency responsible (the deciding one, else the receiving one) and the
    # procedure version's field, online mode and legacy service level.
    agency_id = models.IntegerField()
    field_id = models.IntegerField()
    online_mode = models.CharField(max_length=10)
    legacy_level = models.PositiveSmallIntegerField()
    # The desk that received it (a service centre receives for other agencies).
    receiving_agency_id = models.IntegerField(null=True)
    channel = models.CharField(max_length=10)
    received_on = models.DateField(null=True)
    resolved_on = models.DateField(null=True)
    resolution = models.CharField(max_length=8, choices=Resolution.choices, blank=True)
    refused_on = models.DateField(null=True)
    withdrawn_on = models.DateField(null=True)
    # Open from received_on to closed_on; overdue from overdue_on (its appointment passed
    # while it was open) to closed_on.
    closed_on = models.DateField(null=True)
    overdue_on = models.DateField(null=True)
    apology_on = models.DateField(null=True)
    fees_due = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    came_by_post = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    sent_by_post_on = models.DateField(null=True)
    # For the QĐ 766 index (indicators 4.1-4.4 and 5.3): papers in the citizen's store made from
    # the dossier, a paper reused from the store, an electronic copy certified by the desk, the
    # result issued as a file, rated not satisfied.
    stored = models.BooleanField(default=False)
    reusing = models.BooleanField(default=False)
    certified_copy = models.BooleanField(default=False)
    electronic_result = models.BooleanField(default=False)
    rated_unsatisfied = models.BooleanField(default=False)
    # The day its result was handed over (the operations dashboard's "returned today").
    returned_on = models.DateField(null=True)
    # The national portal acknowledged its record (DongBoHoSoMC) at least once (QĐ 766, 1.4).
    synced = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"fact of dossier {self.dossier_id}"


class Sums(models.Model):
    """The sums every tally keeps, whatever its dimensions."""

    received_online = models.IntegerField(default=0)
    received_desk = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    fees_due = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    came_by_post = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    overdue_opened = models.IntegerField(default=0)
    overdue_closed = models.IntegerField(default=0)
    sent_by_post = models.IntegerField(default=0)
    sent_by_post_both_ways = models.IntegerField(default=0)
    # The QĐ 766 index's counts (docs/index.md): on the day of receipt, dossiers with papers in
    # the citizen's store, reusing a paper from it, with an electronic copy certified by the
    # desk; on the day of resolution, those with a result file and those resolved late or rated
    # not satisfied.
    stored = models.IntegerField(default=0)
    reusing = models.IntegerField(default=0)
    certified_copies = models.IntegerField(default=0)
    resolved_electronic = models.IntegerField(default=0)
    resolved_unhappy = models.IntegerField(default=0)
    # Results handed over that day (the operations dashboard).
    returned = models.IntegerField(default=0)
    # On the day of receipt, dossiers whose record the national portal acknowledged (QĐ 766, 1.4).
    synced = models.IntegerField(default=0)

    class Meta:
        abstract = True

    METRICS = (
        "received_online",
        "received_desk",
        "received_post",
        "fees_due",
        "paid_online",
        "came_by_post",
        "digitised",
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "refused",
        "withdrawn",
        "apologies",
        "opened",
        "closed",
        "overdue_opened",
        "overdue_closed",
        "sent_by_post",
        "sent_by_post_both_ways",
        "stored",
        "reusing",
        "certified_copies",
        "resolved_electronic",
        "resolved_unhappy",
        "returned",
        "synced",
    )


class Tally(Sums):
    """Sums of dossier contributions for one bucket and one combination of dimensions."""

    province_code = models.CharField(max_length=3, default=_province)
    agency_id = models.IntegerField()
    field_id = models.IntegerField()
    online_mode = models.CharField(max_length=10)
    legacy_level = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True

    KEY = ("province_code", "agency_id", "field_id", "online_mode", "legacy_level")


class DayTally(Tally):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", *Tally.KEY], name="daytally_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} agency {self.agency_id}"


class MonthTally(Tally):
    """The same sums by month (``month`` is its first day): a year is read from twelve buckets
    per combination instead of 365."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", *Tally.KEY], name="monthtally_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} agency {self.agency_id}"


class AgencyTally(Sums):
    """The same sums by agency and online mode only (every field and level together): what
    the QĐ 766 index and the operations dashboard read. At 20 million dossiers a year a year's
    month tallies hold about a million rows (tens of thousands of combinations a month) and the
    index summed them all at every request; these hold a few thousand a month."""

    province_code = models.CharField(max_length=3, default=_province)
    agency_id = models.IntegerField()
    online_mode = models.CharField(max_length=10)

    class Meta:
        abstract = True

    KEY = ("province_code", "agency_id", "online_mode")


class AgencyDayTally(AgencyTally):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", *AgencyTally.KEY], name="agencydaytally_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} agency {self.agency_id} ({self.online_mode})"


class AgencyMonthTally(AgencyTally):
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", *AgencyTally.KEY], name="agencymonthtally_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} agency {self.agency_id} ({self.online_mode})"


class ReceiptDayTally(models.Model):
    """Dossiers received per day by each receiving desk for each competent agency, by channel:
    what a Public Administration Service Centre received for others (tiếp nhận không phụ
    thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP)."""

    day = models.DateField()
    province_code = models.CharField(max_length=3, default=_province)
    receiving_agency_id = models.IntegerField()
    agency_id = models.IntegerField()
    received_online = models.IntegerField(default=0)
    received_desk = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)

    KEY = ("province_code", "receiving_agency_id", "agency_id")
    METRICS = ("received_online", "received_desk", "received_post")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "province_code", "receiving_agency_id", "agency_id"],
                name="receiptdaytally_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} received by {self.receiving_agency_id} for {self.agency_id}"


class RatingTally(models.Model):
    """Sums of the nine satisfaction scores by month, agency and staff member (0: none)."""

    month = models.DateField()
    province_code = models.CharField(max_length=3, default=_province)
    agency_id = models.IntegerField()
    staff_id = models.IntegerField(default=0)
    ratings = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    total_time = models.IntegerField(default=0)
    agency_time = models.IntegerField(default=0)
    desk_contacts = models.IntegerField(default=0)
    agencies_contacted = models.IntegerField(default=0)
    one_stop = models.IntegerField(default=0)
    publicity = models.IntegerField(default=0)
    staff_attitude = models.IntegerField(default=0)
    feedback = models.IntegerField(default=0)
    online_service = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "province_code", "agency_id", "staff_id"],
                name="ratingtally_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} agency {self.agency_id} staff {self.staff_id}"
