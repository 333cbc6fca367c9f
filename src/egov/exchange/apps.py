from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "egov.exchange"
    label = "exchange"
    verbose_name = _("Data sharing platform (LGSP)")

    def ready(self) -> None:
        from egov.exchange import gateway, labels  # noqa: F401 - the audit actions' names

        gateway.connect_invalidation()
