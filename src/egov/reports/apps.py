from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "egov.reports"
    label = "reports"
    verbose_name = _("Statistics and public disclosure")

    def ready(self):
        from egov.reports import receivers  # noqa: F401 - keeps the tallies up to date
