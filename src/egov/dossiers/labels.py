"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "dossiers.draft_started": _("Dossier draft started"),
    "dossiers.attachment_added": _("Paper attached to a dossier"),
    "dossiers.attachment_removed": _("Paper removed from a dossier"),
    "dossiers.submitted": _("Dossier submitted"),
    "dossiers.counter_intake": _("Dossier handed in at the counter"),
    "dossiers.received": _("Dossier received at the one-stop desk"),
    "dossiers.supplement_requested": _("Supplement requested"),
    "dossiers.supplement_answered": _("Supplement sent by the applicant"),
    "dossiers.assigned": _("Dossier assigned to a specialist"),
    "dossiers.taken": _("Dossier taken up for processing"),
    "dossiers.advanced": _("Handed on to the next step"),
    "dossiers.sent_back": _("Sent back to an earlier step"),
    "dossiers.result_attached": _("Result attached"),
    "dossiers.result_template_overridden": _(
        "Result uploaded by hand instead of the procedure's result template"
    ),
    "dossiers.paused": _("Processing paused"),
    "dossiers.resumed": _("Processing resumed"),
    "dossiers.refused": _("Dossier refused by the agency"),
    "dossiers.returned": _("Result handed back"),
    "dossiers.withdrawn": _("Dossier withdrawn by the applicant"),
    "dossiers.apology_issued": _("Apology letter issued"),
    "dossiers.rated": _("Service rated by the applicant"),
    "dossiers.consultation_requested": _("Opinions asked of other agencies"),
    "dossiers.consultation_answered": _("Consulted agency answered"),
    "dossiers.consultation_completed": _("Every consulted agency answered"),
    "dossiers.registry_asked": _("Shared registry asked for the applicant's papers"),
}
action_labels.register(ACTIONS)
