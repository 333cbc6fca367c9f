from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egov.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from egov.notifications import receivers  # noqa: F401 - connects the dossier events
