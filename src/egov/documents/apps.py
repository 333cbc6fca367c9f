from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "egov.documents"
    label = "documents"
    verbose_name = _("Official documents")


# The shared staff template links here with this label; listed so that this app's own catalogue
# translates it (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Official documents")]
