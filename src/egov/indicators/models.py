"""Figures entered by an administrator for the indicators the platform does not measure (kept by
another system, such as the national portal), with their source. Entries are never changed:
a correction is a newer entry for the same indicator, period and unit, and the newest is the
one shown; each entry is also in the audit trail."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.organizations.models import AdministrativeUnit, Agency


def _province() -> str:
    return settings.EGOV_PROVINCE_CODE


class EnteredFigure(models.Model):
    province_code = models.CharField(max_length=3, default=_province)
    indicator = models.CharField(_("indicator"), max_length=40)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    # Neither: the whole city.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("Where the figure comes from, e.g. the national portal's page and its date."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entered figure")
        verbose_name_plural = _("entered figures")
        indexes = [models.Index(fields=["indicator", "start", "end"], name="entered_figure_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True) | models.Q(commune__isnull=True),
                name="entered_figure_one_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.start}–{self.end}: {self.rate}%"
