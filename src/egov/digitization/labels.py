"""The names of the audit actions this app records (egov.core.action_labels)."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "digitization.paper_digitised": _("Paper digitised at the desk"),
    "digitization.result_stored": _("Result stored as a digitised paper"),
    "digitization.paper_added": _("Paper added to the citizen's store"),
    "digitization.paper_reused": _("Paper reused from the citizen's store"),
}
action_labels.register(ACTIONS)
