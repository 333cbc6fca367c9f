"""The names of the audit actions this app records (egov.core.action_labels)."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "indicators.figure_entered": _("Service index figure entered"),
    "indicators.assessment_figure_entered": _("Self-assessment figure entered"),
}
action_labels.register(ACTIONS)
