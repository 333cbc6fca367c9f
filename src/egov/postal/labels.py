"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "postal.shipment_requested": _("Postal service requested"),
    "postal.request_removed": _("Postal request withdrawn"),
    "postal.shipment_booked": _("Shipment booked with the post"),
    "postal.status_changed": _("Shipment status changed"),
}
action_labels.register(ACTIONS)
action_labels.register_actors({"postal operator": _("Postal operator")})  # postal.services.OPERATOR
