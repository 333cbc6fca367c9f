"""Domain events of the payments app, sent inside the transaction that makes the change."""

from django.dispatch import Signal

# Sent with payment=<Payment> and order=<PaymentOrder> when money is received (online or at the
# desk); order.status tells whether the dossier's fees are now fully paid.
payment_settled = Signal()

# Sent with order=<PaymentOrder> when a dossier's fees are assessed (once per dossier).
fees_assessed = Signal()
