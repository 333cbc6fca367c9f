"""The pay-first rule as a gate on the dossier's progress (egov.dossiers.gates)."""

from django.utils.translation import gettext as _

from egov.core.templatetags.egov import vnd
from egov.payments import services


def pay_first_gate(dossier, moment: str) -> str | None:
    """A dossier whose procedure asks for payment first is neither received nor processed while
    fees remain unpaid."""
    if not dossier.procedure_version.payment_first:
        return None
    owed = services.amount_owed(dossier)
    if owed <= 0:
        return None
    if moment == "receive":
        return _(
            "The fees (%(amount)s) must be paid before the dossier is received: its procedure "
            "asks for payment first."
        ) % {"amount": vnd(owed)}
    return _(
        "The fees (%(amount)s) must be paid before the dossier is processed: its procedure "
        "asks for payment first."
    ) % {"amount": vnd(owed)}
