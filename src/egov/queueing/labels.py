"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "queueing.called": _("Queue number called"),
    "queueing.recalled": _("Queue number called again"),
    "queueing.counter_set": _("Counter set for a desk officer"),
    "queueing.kiosk_fields_set": _("Kiosk choices set"),
    "queueing.purged": _("Old queue numbers deleted"),
}
action_labels.register(ACTIONS)
