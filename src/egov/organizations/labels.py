"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "organizations.agency_changed": _("Agency changed"),
    "organizations.desk_created": _("One-stop desk created"),
    "organizations.units_imported": _("Administrative units imported"),
    "organizations.successions_imported": _("Successions of administrative units imported"),
    "organizations.reference_tree_loaded": _("Reference organisation tree loaded"),
}
action_labels.register(ACTIONS)
