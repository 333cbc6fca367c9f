"""Who operates the sync: it carries the whole city's dossiers, so system administrators and
agency administrators held over the whole city (as for the payment reconciliation)."""

from typing import Any

from egov.accounts import scoping
from egov.accounts.models import Role

OPERATOR_ROLES = [Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN]


def may_operate(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and scoping.covers_everything(
        user, OPERATOR_ROLES
    )
