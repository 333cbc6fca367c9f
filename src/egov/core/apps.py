from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "egov.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from egov.core import calendar_days, checks  # noqa: F401 - deployment checks, labels
