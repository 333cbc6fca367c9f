from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "egov.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from egov.core import health
        from egov.notifications import (
            documents_events,  # noqa: F401 - official documents
            labels,  # noqa: F401 - the audit actions' names
            personnel_events,  # noqa: F401 - personnel.* events
            receivers,  # noqa: F401 - connects the dossier events
        )
        from egov.notifications.health import outbox_health

        health.register("notifications", outbox_health)
