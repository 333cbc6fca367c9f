from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "egov.queueing"
    label = "queueing"
    verbose_name = _("Queue numbers")

    def ready(self):
        from egov.queueing import labels  # noqa: F401 - the audit actions' names


# The shared staff template links here with this label; listed so that this app's own catalogue
# translates it (the project catalogue is refreshed separately).
NAVIGATION_LABELS = [_("Queue numbers")]
