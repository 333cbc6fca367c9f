from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "egov.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from egov.dossiers import (
            labels,  # noqa: F401 - the audit actions' names
            published_events,  # noqa: F401 - dossier events for the platform's subscribers
            tracking,  # noqa: F401 - drops cached look-ups on changes
        )
