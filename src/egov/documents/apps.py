from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "egov.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from egov.core import references as core_references

        # labels: the audit actions' names; references: how other apps find a document
        from egov.documents import labels, references  # noqa: F401

        core_references.register(references.find, references.url)

        # What the public verification page says a registered PDF is (signatures app).
        from egov.signatures.models import REFERENCE_LABELS

        REFERENCE_LABELS.update(
            {
                "documents.approval": _("Official document signed by the leader, before issue"),
                "documents.outgoing": _("Official document issued by the agency"),
                "documents.attachment": _("Attachment of an official document"),
            }
        )


# The shared staff template links here with this label; listed so that this app's own catalogue
# translates it (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Official documents")]
