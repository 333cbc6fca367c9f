"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "documents.drafted": _("Official document drafted"),
    "documents.revised": _("Official document draft revised"),
    "documents.submitted": _("Official document sent for approval"),
    "documents.returned": _("Official document returned to its drafter"),
    "documents.approved": _("Official document approved and signed by the leader"),
    "documents.issued": _("Official document numbered and issued"),
    "documents.replaced": _("Official document replaced"),
    "documents.revoked": _("Official document revoked"),
    "documents.profile_saved": _("Agency's document settings saved"),
    "documents.register_created": _("Document register opened"),
    "documents.arrived": _("Incoming document arrived"),
    "documents.registered": _("Incoming document registered"),
    "documents.updated": _("Incoming document updated by its sender"),
    "documents.directed": _("Incoming document directed for handling"),
    "documents.progress": _("Progress on an incoming document recorded"),
    "documents.completed": _("Incoming document handled"),
    "documents.refused": _("Incoming document refused"),
    "documents.revocation_requested": _("Revocation of a sent document asked"),
    "documents.revocation_answered": _("Revocation request answered"),
    "documents.status_received": _("Status of a sent document received"),
    "documents.exchange_sent": _("Document sent through the exchange"),
    "documents.exchange_failed": _("Sending through the exchange failed"),
    "documents.exchange_retried": _("Sending through the exchange tried again"),
    "documents.package_refused": _("Incoming exchange package refused"),
}
action_labels.register(ACTIONS)
action_labels.register_actors({"exchange": _("Document exchange (trục liên thông)")})
