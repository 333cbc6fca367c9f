"""The names of the audit actions this app records (egov.core.action_labels), so that the
audit trail never shows a raw code."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "signatures.certificate_imported": _("Signing certificate imported"),
    "signatures.certificate_revoked": _("Signing certificate withdrawn"),
    "signatures.document_signed": _("Document signed"),
    "signatures.seal_changed": _("Agency seal image changed"),
}
action_labels.register(ACTIONS)
