from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostalConfig(AppConfig):
    name = "egov.postal"
    label = "postal"
    verbose_name = _("Public postal service")

    def ready(self):
        from egov.postal import (  # noqa: F401 - system checks, audit action names, dossier events
            checks,
            labels,
            receivers,
        )
