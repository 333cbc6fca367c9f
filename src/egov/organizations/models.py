import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.text import normalize_search_text
from egov.organizations.codes import validate_agency_code


class ValidityQuerySet(models.QuerySet):
    def as_of(self, day: datetime.date):
        """Rows in force on ``day``; an empty bound means 'open on that side'."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class ValidityPeriod(models.Model):
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Empty: in force before our records.")
    )
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Last day in force; empty: still in force."),
    )

    class Meta:
        abstract = True

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end date must not be before the start date.")}
            )


class AdministrativeUnit(ValidityPeriod):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province level")
        DISTRICT = 2, _("District level")
        COMMUNE = 3, _("Commune level")

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Province (tỉnh)")
        CENTRAL_CITY = "thanh_pho_tw", _("Centrally run city (thành phố trực thuộc TW)")
        URBAN_DISTRICT = "quan", _("Urban district (quận)")
        RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
        TOWN = "thi_xa", _("Town (thị xã)")
        PROVINCIAL_CITY = "thanh_pho", _("Provincial city (thành phố thuộc tỉnh)")
        WARD = "phuong", _("Ward (phường)")
        COMMUNE = "xa", _("Commune (xã)")
        TOWNSHIP = "thi_tran", _("Township (thị trấn)")
        SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")

    KINDS_BY_LEVEL = {
        Level.PROVINCE: {Kind.PROVINCE, Kind.CENTRAL_CITY},
        Level.DISTRICT: {Kind.URBAN_DISTRICT, Kind.RURAL_DISTRICT, Kind.TOWN, Kind.PROVINCIAL_CITY},
        Level.COMMUNE: {Kind.WARD, Kind.COMMUNE, Kind.TOWNSHIP, Kind.SPECIAL_ZONE},
    }

    code = models.CharField(_("statistical code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    name_search = models.CharField(max_length=200, editable=False, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_once_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = normalize_search_text(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind and self.level and self.kind not in self.KINDS_BY_LEVEL[self.level]:
            raise ValidationError({"kind": _("This kind of unit does not belong to that level.")})
        # ``parent`` rather than ``parent_id``: an import checks units before saving any.
        parent = self.parent if (self.parent_id or "parent" in self._state.fields_cache) else None
        if parent is not None and self.level and parent.level >= self.level:
            raise ValidationError({"parent": _("The parent unit must be of a higher level.")})
        if self.level != self.Level.PROVINCE and parent is None:
            raise ValidationError({"parent": _("Only a province-level unit may have no parent.")})


class UnitSuccession(models.Model):
    """A merger or split: the predecessor's area (whole or part) went to the successor."""

    class Share(models.TextChoices):
        WHOLE = "whole", _("whole area")
        PART = "part", _("part of the area")

    predecessor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions_in"
    )
    share = models.CharField(_("share"), max_length=5, choices=Share.choices, default=Share.WHOLE)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Agency(ValidityPeriod):
    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("People's Committee (UBND)")
        DEPARTMENT = "so", _("Department (sở)")
        BOARD = "ban", _("Board (ban)")
        SECTOR = "nganh", _("Sector agency (ngành)")
        SERVICE_CENTRE = "tt_pvhcc", _("Public Administration Service Centre")
        # Since 2025-07-01 every commune and ward has its own (Trung tâm Phục vụ hành chính
        # công cấp xã), under its People's Committee.
        COMMUNE_SERVICE_CENTRE = "tt_pvhcc_xa", _("Commune Public Administration Service Centre")
        SUB_DEPARTMENT = "chi_cuc", _("Sub-department (chi cục)")
        OFFICE = "phong", _("Office or division (văn phòng, phòng)")
        PUBLIC_SERVICE_UNIT = "su_nghiep", _("Public service unit (đơn vị sự nghiệp)")

    code = models.CharField(
        _("agency code"),
        max_length=13,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("QCVN 102:2016 form, e.g. 000.00.01.H13"),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    name_search = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # Materialised ancestry ("/1/7/42/") so "this agency and everything under it" is one
    # indexed prefix query, whatever the depth of the tree.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = ValidityQuerySet.as_manager()

    # The one-stop desks that receive dossiers regardless of administrative boundary
    # (Nghị định 118/2025/NĐ-CP): the province's centre and the communes' centres.
    SERVICE_CENTRE_KINDS = ("tt_pvhcc", "tt_pvhcc_xa")

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = normalize_search_text(self.name)
        super().save(*args, **kwargs)

    @property
    def is_service_centre(self) -> bool:
        return self.kind in self.SERVICE_CENTRE_KINDS

    @property
    def served_agency(self) -> "Agency":
        """The agency whose one-stop desk this is: a commune's centre is its People's
        Committee's; any other agency is its own."""
        parent = self.parent if self.parent_id else None
        if self.kind == self.Kind.COMMUNE_SERVICE_CENTRE and parent is not None:
            return parent
        return self


class OneStopDesk(models.Model):
    """Bộ phận một cửa: the counter where an agency receives dossiers and returns results."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="desks")
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("one-stop desk")
        verbose_name_plural = _("one-stop desks")

    def __str__(self) -> str:
        return self.name
