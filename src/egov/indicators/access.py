"""Who sees which index: city leaders, auditors and system administrators everything; a
department's or a commune's leader the agencies their roles cover. Shared by the pages and the
API so that both answer the same."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.organizations.models import Agency
from egov.reports.figures import Scope

VIEWER_ROLES = [Role.LEADER, Role.AGENCY_ADMIN, Role.AUDITOR]
# Who may enter a figure the platform does not measure: an agency's administrator for that
# agency; the city's and the communes' figures need a system administrator.
ENTRY_ROLES = [Role.AGENCY_ADMIN]


def allowed_agencies(user: Any) -> list[int] | None:
    """None when the user sees every unit; the ids of the agencies they see otherwise."""
    if scoping.covers_everything(user, VIEWER_ROLES):
        return None
    ids = list(scoping.agency_scope(user, VIEWER_ROLES).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


def default_agency(allowed: list[int]) -> Agency | None:
    return Agency.objects.filter(pk__in=allowed).order_by("path").first()


def may_see(
    scope: Scope, allowed: list[int] | None, start: datetime.date, end: datetime.date
) -> bool:
    """Whether the user sees ``scope``: an agency of theirs (with its sub-agencies, as the
    statistics' dashboard shows it), a commune whose agencies in the period are all theirs; the
    city needs every agency."""
    if allowed is None:
        return True
    if scope.agency is not None:
        return scope.agency.pk in allowed
    ids = scope.agency_ids(start, end)
    return ids is not None and bool(ids) and set(ids) <= set(allowed)


def may_enter(user: Any, scope: Scope) -> bool:
    if scoping.is_system_wide(user):
        return True
    if scope.agency is None:
        return False
    return scoping.agency_scope(user, ENTRY_ROLES).filter(pk=scope.agency.pk).exists()


# The operations dashboard is the leaders' (and the operations centre's screen, signed in as a
# city leader): a department's leader sees their department, a city leader everything.
DASHBOARD_ROLES = [Role.LEADER]


def dashboard_agencies(user: Any) -> list[int] | None:
    """None for the whole city; the agencies of the user's leader roles otherwise; refused
    without one."""
    if scoping.covers_everything(user, DASHBOARD_ROLES):
        return None
    ids = list(scoping.agency_scope(user, DASHBOARD_ROLES).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids
