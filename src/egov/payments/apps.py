from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "egov.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from egov.dossiers import gates
        from egov.payments import checks, receivers  # noqa: F401 - connects the dossier events
        from egov.payments.rules import pay_first_gate

        gates.register(pay_first_gate)
