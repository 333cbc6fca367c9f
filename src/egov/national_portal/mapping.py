"""Which portal status code (1–10) a change of ours is: the table an administrator keeps
(``StatusMapping``), a row for a status reached by one transition winning over the status's
general row. The defaults below seed the table (migration 0002) and are what a test walks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.core import audit
from egov.dossiers.models import Dossier
from egov.national_portal.models import PortalStatus, StatusMapping

S = Dossier.Status
P = PortalStatus

# (our status, transition that reached it or "" for any) → the portal's code.
DEFAULTS: dict[tuple[str, str], int] = {
    (S.SUBMITTED, ""): P.NEW,
    (S.RECEIVED, ""): P.RECEIVED,
    # An online dossier moves on to processing as it is received: the portal hears "received".
    (S.IN_PROGRESS, "receive"): P.RECEIVED,
    (S.IN_PROGRESS, ""): P.PROCESSING,
    (S.SUPPLEMENT_REQUESTED, ""): P.SUPPLEMENT,
    (S.PAUSED, ""): P.STOPPED,
    (S.RESULT_READY, ""): P.PROCESSED,
    (S.RETURNED, ""): P.RETURNED,
    (S.REFUSED, "desk_refuse"): P.NOT_RECEIVED,
    (S.REFUSED, ""): P.STOPPED,
    (S.WITHDRAWN, ""): P.WITHDRAWN,
}


class Unmapped(ValidationError):
    """No row of the table maps this status: an administrator must add one."""


def portal_code(status: str, transition: str = "") -> int:
    rows = dict(
        StatusMapping.objects.filter(status=status, transition__in={transition, ""}).values_list(
            "transition", "portal_code"
        )
    )
    code = rows.get(transition, rows.get(""))
    if code is None:
        raise Unmapped(
            _("No national portal status is set for “%(status)s”: add it to the mapping table.")
            % {"status": Dossier.Status(status).label},
            code="unmapped",
        )
    return code


@transaction.atomic
def change(mapping: StatusMapping, portal_code: int, *, actor: object) -> StatusMapping:
    """An administrator sets the code sent from now on (what was sent stays as it was)."""
    if portal_code not in PortalStatus.values:
        raise ValidationError(_("Choose one of the portal's status codes 1 to 10."), code="code")
    before = {"portal_code": mapping.portal_code}
    mapping.portal_code = portal_code
    mapping.save(update_fields=["portal_code", "updated_at"])
    audit.record(
        actor=actor,
        action="national_portal.mapping_changed",
        obj=mapping,
        before=before,
        after={
            "status": mapping.status,
            "transition": mapping.transition,
            "portal_code": portal_code,
        },
    )
    return mapping
