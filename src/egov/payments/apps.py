from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "egov.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from egov.core import action_labels
        from egov.dossiers import gates
        from egov.payments import checks, receivers  # noqa: F401 - connects the dossier events
        from egov.payments.rules import pay_first_gate

        gates.register(pay_first_gate)
        action_labels.register(AUDIT_LABELS)


AUDIT_LABELS = {
    "payments.assessed": _("Fees assessed"),
    "payments.started": _("Online payment started"),
    "payments.replaced": _("Online payment replaced by a newer one"),
    "payments.expired": _("Online payment expired"),
    "payments.paid": _("Online payment received"),
    "payments.failed": _("Online payment not made"),
    "payments.received_unwanted": _("Payment received when nothing was due"),
    "payments.notice_refused": _("Gateway notice refused"),
    "payments.counter_recorded": _("Payment at the desk recorded"),
    "payments.refunded": _("Refund recorded"),
    "payments.refund_requested": _("Refund through the gateway requested"),
    "payments.refund_confirmed": _("Refund through the gateway done"),
    "payments.refund_refused": _("Refund refused by the gateway"),
    "payments.statement_imported": _("Gateway statement imported"),
}
