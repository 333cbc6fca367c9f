from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "egov.personnel"
    label = "personnel"
    verbose_name = _("Civil servant records")

    def ready(self):
        from egov.core import action_labels
        from egov.personnel import services  # noqa: F401 - links decisions to documents

        action_labels.register(AUDIT_LABELS)


# The shared staff template links here with this label; listed so that this app's own catalogue
# translates it (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Personnel"), _("Personnel officer (cán bộ tổ chức)")]

AUDIT_LABELS = {
    "personnel.record_created": _("Civil servant record created"),
    "personnel.record_updated": _("Civil servant record changed"),
    "personnel.record_viewed": _("Civil servant record opened"),
    "personnel.state_viewed": _("Civil servant's history as of a date opened"),
    "personnel.event_recorded": _("Career event recorded"),
    "personnel.event_voided": _("Career event voided"),
    "personnel.account_linked": _("Civil servant record linked to an account"),
    "personnel.training_added": _("Training added to a record"),
    "personnel.training_removed": _("Training removed from a record"),
    "personnel.family_added": _("Family member added to a record"),
    "personnel.family_removed": _("Family member removed from a record"),
    "personnel.quota_set": _("Approved headcount set"),
    "personnel.correction_requested": _("Correction of a record asked"),
    "personnel.correction_answered": _("Correction request answered"),
    "personnel.imported": _("Civil servant records imported"),
    "personnel.exported": _("Civil servant records exported"),
    "personnel.report_exported": _("Staffing report downloaded"),
    "personnel.list_exported": _("List of civil servants downloaded"),
    "personnel.decision_linked": _("Personnel decision linked to the documents register"),
}
