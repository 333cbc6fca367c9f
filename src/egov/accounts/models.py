import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts.identity import validate_citizen_id
from egov.core.masking import mask_citizen_id, mask_email, mask_phone
from egov.organizations.models import AdministrativeUnit, Agency


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        if not username:
            raise ValueError("a user needs a username")
        fields.setdefault("kind", User.Kind.CITIZEN)
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, kind=User.Kind.STAFF)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A citizen (who submits dossiers) or a staff member (who works in agencies).

    ``is_staff`` keeps Django's meaning (may open the Django admin); ``kind`` says which side of
    the counter a person is on.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Staff")

    username = models.CharField(_("user name"), max_length=150, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    email = models.EmailField(_("e-mail"), null=True, blank=True, unique=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True, unique=True)
    phone_verified_at = models.DateTimeField(_("phone verified at"), null=True, blank=True)
    citizen_id = models.CharField(
        _("citizen ID number (CCCD)"), max_length=12, null=True, blank=True, unique=True
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # The identity level (mức độ định danh điện tử, VNeID level 1 or 2) the national identity
    # provider vouched for at this person's latest single sign-on; 0 until then.
    identity_level = models.PositiveSmallIntegerField(_("electronic identity level"), default=0)
    # The address on one line, as forms take it; a single sign-on provider may give only this.
    address = models.CharField(_("address"), max_length=500, blank=True)
    # What the citizen chose on the profile page: the house and street, and the commune or ward
    # from the administrative units in force (``address`` is composed from them).
    address_street = models.CharField(_("house number, street, hamlet"), max_length=200, blank=True)
    address_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The agency a staff member works in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="citizen") | Q(agency__isnull=False) | Q(is_superuser=True),
                name="staff_belongs_to_agency",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF

    @property
    def masked_citizen_id(self) -> str:
        return mask_citizen_id(self.citizen_id)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)

    def clean(self):
        super().clean()
        if self.email == "":
            self.email = None
        if self.phone == "":
            self.phone = None
        if self.citizen_id == "":
            self.citizen_id = None
        if self.citizen_id:
            try:
                validate_citizen_id(self.citizen_id, self.date_of_birth)
            except ValidationError as exc:
                raise ValidationError({"citizen_id": exc.messages}) from exc
        if self.kind == self.Kind.CITIZEN and not (self.email or self.phone):
            raise ValidationError(_("A citizen account needs an e-mail address or a phone number."))
        if self.kind == self.Kind.STAFF and not self.agency_id and not self.is_superuser:
            raise ValidationError({"agency": _("A staff member must belong to an agency.")})


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("One-stop desk officer (cán bộ một cửa)")
    SPECIALIST = "specialist", _("Specialist (chuyên viên)")
    APPROVER = "approver", _("Head of unit / approver")
    LEADER = "leader", _("Leader (lãnh đạo)")
    CLERK = "clerk", _("Clerk (văn thư)")
    CATALOGUE_EDITOR = "catalogue_editor", _("Procedure catalogue editor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    AUDITOR = "auditor", _("Auditor")
    PERSONNEL_OFFICER = "personnel_officer", _("Personnel officer (cán bộ tổ chức)")


class RoleAssignment(models.Model):
    """A role held in one agency, and optionally in every agency below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    include_subtree = models.BooleanField(
        _("covers the agencies below"),
        default=False,
        help_text=_("The role also applies in every agency under this one."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "agency"], name="role_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class PersonalAccessToken(models.Model):
    """A bearer token a person creates for an API client. Only its SHA-256 is stored; the
    token itself is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ExternalIdentity(models.Model):
    """The person's account at a single sign-on provider (issuer + subject)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="identity_once")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class VerificationCode(models.Model):
    """A one-time code sent to an e-mail address or phone number (sign-up, password reset).

    Only an HMAC of the code is kept; attempts are counted and the code expires.
    """

    class Purpose(models.TextChoices):
        SIGN_UP = "signup", _("Sign-up")
        PASSWORD_RESET = "reset", _("Password reset")
        CONTACT_CHANGE = "contact", _("New e-mail address or phone number")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10)
    destination = models.CharField(max_length=254, db_index=True)
    digest = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")

    def __str__(self) -> str:
        return f"{self.purpose} {self.public_id}"


class TOTPSetupCode(models.Model):
    """A one-time code an administrator gives a staff member to enrol an authenticator app.

    The password alone does not let anyone enrol a second factor: whoever holds it would enrol
    their own phone. The code comes from someone else (an agency administrator, a system
    administrator or an operator), expires, works once, and only an HMAC of it is stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="totp_setup_codes")
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("two-step sign-in setup code")
        verbose_name_plural = _("two-step sign-in setup codes")
        indexes = [models.Index(fields=["user", "-created_at"], name="totp_setup_code_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
