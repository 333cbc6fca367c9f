"""Operations on people and roles; each writes the audit trail in its own transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.identity import validate_citizen_id
from egov.accounts.models import RoleAssignment, User
from egov.core import audit
from egov.core.masking import mask_citizen_id
from egov.organizations.models import AdministrativeUnit

USER_AUDIT_FIELDS = ["username", "full_name", "kind", "agency_id", "is_active", "is_staff"]


@transaction.atomic
def create_user(*, actor, username: str, password: str | None, **fields) -> User:
    user = User(username=username, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action="accounts.user_created",
        obj=user,
        agency_id=user.agency_id,
        after=audit.snapshot(user, USER_AUDIT_FIELDS),
    )
    return user


@transaction.atomic
def grant_role(*, actor, user: User, role: str, agency, include_subtree: bool = False):
    assignment, created = RoleAssignment.objects.update_or_create(
        user=user, role=role, agency=agency, defaults={"include_subtree": include_subtree}
    )
    audit.record(
        actor=actor,
        action="accounts.role_granted",
        obj=user,
        agency_id=agency.pk,
        after={
            "role": role,
            "agency": agency.code,
            "include_subtree": include_subtree,
            "new": created,
        },
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    before = {
        "role": assignment.role,
        "agency": assignment.agency.code,
        "include_subtree": assignment.include_subtree,
    }
    user, agency_id = assignment.user, assignment.agency_id
    assignment.delete()
    audit.record(
        actor=actor, action="accounts.role_revoked", obj=user, agency_id=agency_id, before=before
    )


@transaction.atomic
def record_totp_enrolled(*, user: User, device_name: str) -> None:
    audit.record(
        actor=user,
        action="accounts.totp_enrolled",
        obj=user,
        agency_id=user.agency_id,
        after={"device": device_name},
    )


@transaction.atomic
def record_login(*, user: User, second_factor: bool) -> None:
    """Staff sign-ins are kept: they open access to personal data."""
    audit.record(
        actor=user,
        action="accounts.staff_login",
        obj=user,
        agency_id=user.agency_id,
        after={"second_factor": second_factor},
    )


PROFILE_FIELDS = ["full_name", "date_of_birth", "citizen_id", "address"]


def _profile_snapshot(user: User) -> dict:
    # The audit trail keeps only the end of an ID number, as lists and logs do.
    data = audit.snapshot(user, PROFILE_FIELDS)
    data["citizen_id"] = mask_citizen_id(user.citizen_id)
    return data


def _clean_profile(user, *, full_name, date_of_birth, citizen_id, address_unit) -> dict:
    errors = {}
    if not full_name:
        errors["full_name"] = _("Write your full name as on your CCCD card.")
    if date_of_birth and not (datetime.date(1900, 1, 1) <= date_of_birth <= timezone.localdate()):
        errors["date_of_birth"] = _("Enter your real date of birth, e.g. 1990-05-31.")
    if citizen_id:
        try:
            validate_citizen_id(citizen_id, None if "date_of_birth" in errors else date_of_birth)
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages
        else:
            if User.objects.filter(citizen_id=citizen_id).exclude(pk=user.pk).exists():
                errors["citizen_id"] = _(
                    "Another account already uses this citizen ID number. If it is yours, "
                    "contact the one-stop desk."
                )
    if address_unit is not None and not (
        address_unit.level == AdministrativeUnit.Level.COMMUNE
        and address_unit.in_force_on(timezone.localdate())
    ):
        errors["address_unit"] = _("Choose a commune or ward that exists today.")
    return errors


def compose_address(street: str, unit: AdministrativeUnit | None) -> str:
    """One line, from the house to the province: "12 Hòa Bình, Phường Ninh Kiều, Thành phố Cần
    Thơ"."""
    parts = [street]
    while unit is not None:
        parts.append(unit.name)
        unit = unit.parent
    return ", ".join(part for part in parts if part)[:500]


@transaction.atomic
def update_profile(
    user: User,
    *,
    full_name: str,
    date_of_birth: datetime.date | None,
    citizen_id: str,
    address_street: str,
    address_unit: AdministrativeUnit | None,
) -> User:
    """The person's own details (the contact addresses change only with a code, elsewhere).
    Raises ValidationError keyed by field; nothing is saved then."""
    user = User.objects.select_for_update().get(pk=user.pk)
    full_name, citizen_id = full_name.strip()[:200], citizen_id.strip()
    address_street = address_street.strip()[:200]
    errors = _clean_profile(
        user,
        full_name=full_name,
        date_of_birth=date_of_birth,
        citizen_id=citizen_id,
        address_unit=address_unit,
    )
    if errors:
        raise ValidationError(errors)
    before = _profile_snapshot(user)
    if address_unit is not None or address_street:
        user.address = compose_address(address_street, address_unit)
    elif user.address_unit_id or user.address_street:
        user.address = ""
    # else: an address given only by a sign-on provider stays until the citizen writes one.
    user.full_name = full_name
    user.date_of_birth = date_of_birth
    user.citizen_id = citizen_id or None
    user.address_street = address_street
    user.address_unit = address_unit
    user.save(
        update_fields=[
            "full_name",
            "date_of_birth",
            "citizen_id",
            "address_street",
            "address_unit",
            "address",
        ]
    )
    after = _profile_snapshot(user)
    changed = [name for name in PROFILE_FIELDS if before[name] != after[name]]
    if changed:
        audit.record(
            actor=user,
            action="accounts.profile_updated",
            obj=user,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return user
