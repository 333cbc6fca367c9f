"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "notifications.preferences_changed": _("Notification preferences changed"),
    "notifications.resent": _("Notification sent again"),
    "notifications.template_changed": _("Notification template changed"),
}
action_labels.register(ACTIONS)
