from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "egov.feedback"
    label = "feedback"
    verbose_name = _("Citizen reports")

    def ready(self):
        from egov.feedback import labels  # noqa: F401 - the audit actions' names


# The shared templates link here with these labels; listed so that this app's own catalogue
# translates them (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Citizen reports"), _("Report a problem")]
