"""Operations on people and roles; each writes the audit trail in its own transaction."""

from django.db import transaction

from egov.accounts.models import RoleAssignment, User
from egov.core import audit

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
