"""The one place that decides which agencies a person may see and act in.

Every staff-side query is narrowed by :func:`scoped` (or fetched with :func:`get_scoped_or_404`),
so an object of an agency outside the user's roles is simply not found: a 404, never a 403 that
would confirm it exists.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from egov.accounts.models import Role, RoleAssignment
from egov.organizations.models import Agency

ALL_ROLES = frozenset(Role.values)


def _assignments(user, roles: Iterable[str] | None):
    if not (user and user.is_authenticated and user.is_active):
        return RoleAssignment.objects.none()
    wanted = set(roles) if roles is not None else ALL_ROLES
    return RoleAssignment.objects.filter(user=user, role__in=wanted).select_related("agency")


def is_system_wide(user) -> bool:
    """Superusers and system administrators act everywhere."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or _assignments(user, [Role.SYSTEM_ADMIN]).exists()


def agency_scope(user, roles: Iterable[str] | None = None) -> QuerySet[Agency]:
    """The agencies where ``user`` holds one of ``roles`` (any role when None)."""
    if is_system_wide(user):
        return Agency.objects.all()
    condition = Q(pk__in=[])
    for assignment in _assignments(user, roles):
        if assignment.include_subtree:
            condition |= Q(path__startswith=assignment.agency.path)
        else:
            condition |= Q(pk=assignment.agency_id)
    return Agency.objects.filter(condition)


def _ids_by_role(assignments) -> dict[str, list[int]]:
    found: dict[str, set[int]] = {}
    for assignment in assignments:
        if assignment.include_subtree:
            ids = Agency.objects.filter(path__startswith=assignment.agency.path).values_list(
                "pk", flat=True
            )
        else:
            ids = [assignment.agency_id]
        found.setdefault(assignment.role, set()).update(ids)
    return {role: sorted(ids) for role, ids in found.items()}


def agency_ids_by_role(user, roles: Iterable[str]) -> dict[str, list[int]]:
    """For each of ``roles`` the user holds, the ids of the agencies where they hold it: read
    at once (one query, one more per whole-subtree assignment) for pages that ask per role."""
    return _ids_by_role(_assignments(user, roles))


def all_assignments(user) -> list[RoleAssignment]:
    """Every role the user holds, with its agency: one read that a page shares between its
    scope and its menu."""
    return list(_assignments(user, None))


def agency_ids_by_role_or_all(
    user, roles: Iterable[str], assignments: list[RoleAssignment] | None = None
) -> dict[str, list[int]] | None:
    """:func:`agency_ids_by_role`, or None for a system-wide user, from one read of the
    user's assignments (a page asks both on every request), or from ``assignments`` already
    read with :func:`all_assignments`."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    if user.is_superuser:
        return None
    roles = set(roles)
    if assignments is None:
        assignments = list(_assignments(user, {*roles, Role.SYSTEM_ADMIN}))
    if any(assignment.role == Role.SYSTEM_ADMIN for assignment in assignments):
        return None
    return _ids_by_role(a for a in assignments if a.role in roles)


def covers_everything(user, roles: Iterable[str] | None = None) -> bool:
    """True when the scope includes a whole tree from a top agency (objects with no agency too)."""
    if is_system_wide(user):
        return True
    return (
        _assignments(user, roles).filter(include_subtree=True, agency__parent__isnull=True).exists()
    )


def scoped(
    queryset: QuerySet,
    user,
    *,
    roles: Iterable[str] | None = None,
    agency_field: str = "agency",
) -> QuerySet:
    """Narrows ``queryset`` to rows whose ``agency_field`` lies in the user's scope."""
    if is_system_wide(user):
        return queryset
    return queryset.filter(**{f"{agency_field}__in": agency_scope(user, roles).values("pk")})


def get_scoped_or_404(
    queryset: QuerySet,
    user,
    *,
    roles: Iterable[str] | None = None,
    agency_field: str = "agency",
    **lookup,
):
    try:
        return scoped(queryset, user, roles=roles, agency_field=agency_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def has_role(user, role: str, agency: Agency | None = None) -> bool:
    """Whether ``user`` holds ``role`` (in ``agency`` when given, anywhere otherwise)."""
    if is_system_wide(user):
        return True
    if agency is None:
        return _assignments(user, [role]).exists()
    return agency_scope(user, [role]).filter(pk=agency.pk).exists()
