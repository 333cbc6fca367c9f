from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "egov.signatures"
    label = "signatures"
    verbose_name = _("Digital signatures")

    def ready(self):
        from egov.signatures import (
            checks,  # noqa: F401 - registers the system checks
            labels,  # noqa: F401 - the audit actions' names
        )


# The shared templates link to this app with these labels; they are listed here so that this
# app's own catalogue translates them (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Verify a document"), _("Digital signatures")]
