from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "egov.indicators"
    label = "indicators"
    verbose_name = _("Service index (QĐ 766)")

    def ready(self) -> None:
        from egov.indicators import labels  # noqa: F401 - the audit actions' names
