"""Where the applicant collects a result handed back at a desk: the receiving desk, or any
Public Administration Service Centre of the province, the province's or a commune's (Nghị định
118/2025/NĐ-CP). Chosen at the counter by the desk officer, or online by the applicant."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.models import Channel
from egov.organizations.models import Agency


def return_desks(desk_agency: Agency):
    """The receiving desk and every service centre of the province in force today."""
    centres = Agency.objects.as_of(timezone.localdate()).filter(
        kind__in=Agency.SERVICE_CENTRE_KINDS
    )
    return (centres | Agency.objects.filter(pk=desk_agency.pk)).distinct()


def choose(desk_agency: Agency, chosen: Agency | None, delivery: str) -> Agency | None:
    """The desk chosen to return the result, None for the receiving desk itself; refused when
    the result is not collected at a desk or the desk is not one of :func:`return_desks`."""
    if chosen is None or chosen.pk == desk_agency.pk:
        return None
    if delivery != Channel.DESK:
        raise ValidationError(
            {
                "return_agency": [
                    _(
                        "A desk to collect the result at is chosen only for a result "
                        "returned at a desk."
                    )
                ]
            }
        )
    if not return_desks(desk_agency).filter(pk=chosen.pk).exists():
        raise ValidationError(
            {
                "return_agency": [
                    _(
                        "The result can be collected at the receiving desk or at a "
                        "Public Administration Service Centre of the province."
                    )
                ]
            }
        )
    return chosen
