from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitizationConfig(AppConfig):
    name = "egov.digitization"
    label = "digitization"
    verbose_name = _("Digitised papers")

    def ready(self) -> None:
        from egov.digitization import labels, receivers  # noqa: F401 - action names, events
